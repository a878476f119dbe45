// A raw request body (a raw upload, or one part of an upload session) streamed into a sink.

import { malformedBody, tooLarge } from "../http/errors";
import { type Sink, UploadLengthError } from "./version-sink";

/** Pumps the body into the sink chunk by chunk; each write is awaited (backpressure). */
export async function pumpBody<T>(
  body: ReadableStream<Uint8Array>,
  sink: Sink<T>,
  maxBytes: number,
): Promise<T> {
  const reader = body.getReader();
  let total = 0;
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch {
        throw malformedBody("the upload stream ended with an error");
      }
      if (result.done) break;
      total += result.value.byteLength;
      if (total > maxBytes) throw tooLarge(maxBytes);
      await sink.write(result.value);
    }
    return await sink.close();
  } catch (err) {
    await sink.abort();
    await reader.cancel().catch(() => undefined);
    if (err instanceof UploadLengthError) throw malformedBody(`${err.message}`);
    throw err;
  }
}
