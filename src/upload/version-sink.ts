// Where an upload's bytes go: one new, immutable R2 object per version. A SHA-256 is computed
// while the bytes pass (no second read). R2 only stores an object once its put completes, so an
// aborted sink leaves nothing behind.

import { bytesToHex } from "../auth/token-hash";
import { storageUnavailable } from "../http/errors";
import type { ResumableSha256 } from "./resumable-sha256";
import type { PartLink } from "./running-hash";

export interface StoredObject {
  size: number;
  sha256: string;
  etag: string;
  uploaded: string;
}

/** Where a stream of chunks goes; close() resolves once the bytes are durably stored. */
export interface Sink<T> {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<T>;
  abort(): Promise<void>;
}

export type VersionSink = Sink<StoredObject>;

/** R2 requires every multipart part but the last to have the same size, at least 5 MiB. */
export const PART_SIZE = 5 * 1024 * 1024;

export class UploadLengthError extends Error {}

/**
 * Passes a body through, erroring with UploadLengthError when it has more or fewer bytes than
 * its Content-Length (a body from another Worker is not checked by the front end).
 */
export function exactLength(length: number): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > length) controller.error(new UploadLengthError("more bytes than Content-Length"));
      else controller.enqueue(chunk);
    },
    flush(controller) {
      if (seen !== length)
        controller.error(new UploadLengthError("fewer bytes than Content-Length"));
    },
  });
}

/**
 * Runs one step of a sink. R2 failing underneath becomes a 503 (the client may retry; nothing was
 * committed), while a wrong length stays the client's error.
 */
async function storageStep<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof UploadLengthError) throw err;
    console.error("R2 write failed", err);
    throw storageUnavailable();
  }
}

/** What R2 keeps with the object: its type, and the display filename for downloads. */
export interface ObjectMeta {
  contentType: string;
  filename: string;
}

const putOptions = (meta: ObjectMeta) => ({
  httpMetadata: { contentType: meta.contentType },
  customMetadata: { filename: meta.filename },
});

function hasher() {
  const stream = new crypto.DigestStream("SHA-256");
  const writer = stream.getWriter();
  return {
    write: (chunk: Uint8Array) => writer.write(chunk),
    async hex(): Promise<string> {
      await writer.close();
      return bytesToHex(new Uint8Array(await stream.digest));
    },
  };
}

function stored(object: R2Object, sha256: string): StoredObject {
  return {
    size: object.size,
    sha256,
    etag: object.httpEtag,
    uploaded: object.uploaded.toISOString(),
  };
}

/**
 * Streams exactly `length` bytes into an R2 write that takes a stream of known length (a put or
 * an uploadPart), hashing them on the way and holding no more than a chunk.
 */
function exactLengthSink<R, T>(
  length: number,
  start: (readable: ReadableStream) => Promise<R>,
  finish: (result: R, sha256: string) => T,
  alsoHash?: ResumableSha256,
): Sink<T> {
  const stream = new FixedLengthStream(length);
  const writer = stream.writable.getWriter();
  const hash = hasher();
  const written = start(stream.readable);
  written.catch(() => undefined); // observed in close(); avoids an unhandled rejection on abort
  // Settles only if the write fails, so a write that stops reading cannot stall the upload.
  const failed = written.then(
    () => new Promise<never>(() => undefined),
    (err) => Promise.reject(err),
  );
  failed.catch(() => undefined);
  let size = 0;
  return {
    async write(chunk) {
      size += chunk.byteLength;
      if (size > length) throw new UploadLengthError("more bytes than Content-Length");
      alsoHash?.update(chunk);
      await storageStep(() =>
        Promise.race([Promise.all([writer.write(chunk), hash.write(chunk)]), failed]),
      );
    },
    async close() {
      if (size !== length) throw new UploadLengthError("fewer bytes than Content-Length");
      const [result, sha256] = await storageStep(async () => {
        await writer.close();
        return Promise.all([written, hash.hex()]);
      });
      return finish(result, sha256);
    },
    async abort() {
      await writer.abort(new Error("upload aborted")).catch(() => undefined);
    },
  };
}

/** For a body of known length: streams straight into one R2 put. */
export function fixedLengthSink(
  bucket: R2Bucket,
  key: string,
  length: number,
  meta: ObjectMeta,
): VersionSink {
  return exactLengthSink(
    length,
    (readable) => bucket.put(key, readable, putOptions(meta)),
    (object, sha256) => {
      if (!object) throw new Error("R2 put returned no object");
      return stored(object, sha256);
    },
  );
}

/**
 * For a body of unknown length (a multipart file part): fills one PART_SIZE buffer at a time.
 * A file smaller than one part becomes a single put; a larger one an R2 multipart upload.
 */
export function bufferedPartsSink(bucket: R2Bucket, key: string, meta: ObjectMeta): VersionSink {
  const options = putOptions(meta);
  const buffer = new Uint8Array(PART_SIZE);
  const hash = hasher();
  const parts: R2UploadedPart[] = [];
  let filled = 0;
  let upload: R2MultipartUpload | null = null;

  async function flush(): Promise<void> {
    upload ??= await bucket.createMultipartUpload(key, options);
    // uploadPart has consumed the bytes once it resolves, so the buffer can be reused.
    parts.push(await upload.uploadPart(parts.length + 1, buffer.subarray(0, filled)));
    filled = 0;
  }

  return {
    async write(chunk) {
      await hash.write(chunk);
      let offset = 0;
      while (offset < chunk.byteLength) {
        const n = Math.min(PART_SIZE - filled, chunk.byteLength - offset);
        buffer.set(chunk.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === PART_SIZE) await storageStep(flush);
      }
    },
    async close() {
      const sha256 = await hash.hex();
      return storageStep(async () => {
        if (!upload) {
          const object = await bucket.put(key, buffer.subarray(0, filled), options);
          if (!object) throw new Error("R2 put returned no object");
          return stored(object, sha256);
        }
        if (filled > 0) await flush();
        return stored(await upload.complete(parts), sha256);
      });
    },
    async abort() {
      await upload?.abort().catch(() => undefined);
    },
  };
}

export interface StoredPart {
  partNumber: number;
  size: number;
  sha256: string;
  etag: string;
  /** The session's running hash after this part, when the part before it carried one. */
  link: PartLink | null;
}

/**
 * One part of an upload session, of an exact length: streamed straight into R2's uploadPart
 * (retrying a part number replaces the earlier bytes), with its SHA-256 computed on the way, and
 * the whole file's running hash carried on when `running` continues it (upload/running-hash.ts).
 */
export function partSink(
  upload: R2MultipartUpload,
  partNumber: number,
  length: number,
  running: { previousSha256: string | null; hash: ResumableSha256 } | null,
): Sink<StoredPart> {
  return exactLengthSink(
    length,
    (readable) => upload.uploadPart(partNumber, readable),
    (part, sha256) => ({
      partNumber,
      size: length,
      sha256,
      etag: part.etag,
      link: running && { previousSha256: running.previousSha256, after: running.hash.save() },
    }),
    running?.hash,
  );
}
