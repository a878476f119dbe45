// Feeds a range of a stored object into a running SHA-256: one step of hashing an assembled
// upload (objects/upload-object.ts). The range is read only while the object is still the one
// whose etag the caller names, so a step never mixes the bytes of two objects.

import { READ_BUFFER_BYTES } from "../base/read-buffer";
import type { ResumableSha256 } from "../base/resumable-sha256";

export async function hashRange(
  bucket: R2Bucket,
  key: string,
  etag: string,
  range: { offset: number; length: number },
  hash: ResumableSha256,
): Promise<void> {
  const object = await bucket.get(key, { range, onlyIf: { etagMatches: etag } });
  if (!object || !("body" in object)) {
    throw new Error(`the assembled object ${key} changed or vanished while it was hashed`);
  }
  // One reused buffer, as for uploads (base/read-buffer.ts): the step allocates nothing per chunk.
  const reader = object.body.getReader({ mode: "byob" });
  let buffer: ArrayBufferLike = new ArrayBuffer(READ_BUFFER_BYTES);
  let seen = 0;
  for (;;) {
    const read: ReadableStreamReadResult<Uint8Array> = await reader.read(new Uint8Array(buffer));
    if (read.done) break;
    const value: Uint8Array = read.value;
    hash.update(value);
    seen += value.byteLength;
    buffer = value.buffer;
  }
  if (seen !== range.length) {
    throw new Error(`read ${seen} bytes of ${key} at ${range.offset}, not ${range.length}`);
  }
}
