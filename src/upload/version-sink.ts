// Where an upload's bytes go: one new, immutable R2 object per version. The SHA-256 and an
// image's size are learnt while the bytes pass (file-facts.ts; no second read). R2 only stores an object once its put completes, so an
// aborted sink leaves nothing behind.

import type { ResumableSha256, Sha256State } from "../base/resumable-sha256";
import type { PartLink } from "../base/running-hash";
import type { Dimensions } from "../domain/records";
import { storageUnavailable } from "../http/errors";
import { type FileFacts, watchFile } from "./file-facts";

export interface StoredObject extends FileFacts {
  size: number;
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

function stored(object: R2Object, facts: FileFacts): StoredObject {
  return {
    size: object.size,
    ...facts,
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
  finish: (result: R, facts: FileFacts) => T,
  watched = watchFile(),
  alsoHash?: ResumableSha256,
): Sink<T> {
  const stream = new FixedLengthStream(length);
  const writer = stream.writable.getWriter();
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
        Promise.race([Promise.all([writer.write(chunk), watched.write(chunk)]), failed]),
      );
    },
    async close() {
      if (size !== length) throw new UploadLengthError("fewer bytes than Content-Length");
      const [result, facts] = await storageStep(async () => {
        await writer.close();
        return Promise.all([written, watched.facts()]);
      });
      return finish(result, facts);
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
    (object, facts) => {
      if (!object) throw new Error("R2 put returned no object");
      return stored(object, facts);
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
  const watched = watchFile();
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
      await watched.write(chunk);
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
      const facts = await watched.facts();
      return storageStep(async () => {
        if (!upload) {
          const object = await bucket.put(key, buffer.subarray(0, filled), options);
          if (!object) throw new Error("R2 put returned no object");
          return stored(object, facts);
        }
        if (filled > 0) await flush();
        return stored(await upload.complete(parts), facts);
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
  /**
   * Part 1 only: the image size its bytes begin with. Parts arrive in any order, so the file's
   * header is read from part 1 when it is stored, and no second read is needed at completion.
   */
  dimension: Dimensions | null;
}

/**
 * One part of an upload session, of an exact length: streamed straight into R2's uploadPart
 * (retrying a part number replaces the earlier bytes), with its SHA-256 computed on the way, and
 * the whole file's running hash carried on when `running` continues it (base/running-hash.ts).
 */
export function partSink(
  upload: R2MultipartUpload,
  partNumber: number,
  length: number,
  running: { before: Sha256State; hash: ResumableSha256 } | null,
): Sink<StoredPart> {
  return exactLengthSink(
    length,
    (readable) => upload.uploadPart(partNumber, readable),
    (part, facts) => ({
      partNumber,
      size: length,
      ...facts,
      etag: part.etag,
      link: running && { before: running.before, after: running.hash.save() },
    }),
    watchFile({ dimensions: partNumber === 1 }),
    running?.hash,
  );
}
