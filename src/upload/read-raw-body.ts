// A raw upload (`POST /v3/assets?filename=...` with the file as the body), streamed into a sink.

import { malformedBody, tooLarge } from "../http/errors";
import { type StoredObject, UploadLengthError, type VersionSink } from "./version-sink";

/** Pumps the body into the sink chunk by chunk; each write is awaited (backpressure). */
export async function pumpBody(
  body: ReadableStream<Uint8Array>,
  sink: VersionSink,
  maxBytes: number,
): Promise<StoredObject> {
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
