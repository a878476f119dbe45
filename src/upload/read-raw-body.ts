// A raw request body (a raw upload, or one part of an upload session) streamed into a sink.

import { READ_BUFFER_BYTES } from "../base/read-buffer";
import { drainBody } from "../http/drain-body";
import { malformedBody, tooLarge } from "../http/errors";
import { type Sink, UploadLengthError } from "./version-sink";

/**
 * Pumps the body into the sink; each write is awaited (backpressure). The body is read with a
 * BYOB reader into one reused buffer, so the upload allocates nothing per chunk: a default
 * reader hands out a new chunk each time, which stays in the isolate until it is collected.
 * When the upload fails part-way, the rest of the body up to `maxBytes` is read and dropped
 * (drain-body.ts).
 */
export async function pumpBody<T>(
  body: ReadableStream<Uint8Array>,
  sink: Sink<T>,
  maxBytes: number,
): Promise<T> {
  const reader = body.getReader({ mode: "byob" });
  let buffer: ArrayBufferLike = new ArrayBuffer(READ_BUFFER_BYTES);
  let total = 0;
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read(new Uint8Array(buffer));
      } catch {
        throw malformedBody("the upload stream ended with an error");
      }
      if (result.done) break;
      const chunk: Uint8Array = result.value;
      total += chunk.byteLength;
      if (total > maxBytes) throw tooLarge(maxBytes);
      // The sink has taken the bytes once its write resolves (workerd's native writers copy
      // them as the write is made), so the buffer is free for the next read.
      await sink.write(chunk);
      buffer = chunk.buffer;
    }
    return await sink.close();
  } catch (err) {
    await sink.abort();
    await drainBody(reader, maxBytes - total);
    if (err instanceof UploadLengthError) throw malformedBody(`${err.message}`);
    throw err;
  }
}
