// What to do with the rest of a request body that was refused part-way (an unknown form field
// before the file, a JSON body over its limit, a storage failure mid-upload).
//
// A body that was never read needs nothing: the runtime drains it after the answer and keeps the
// connection. But a body that was read in part and then cancelled (or just left) breaks the
// connection: under `wrangler dev` the next request on it was answered "503 Your worker restarted
// mid-request" (issue 13). So whoever starts reading a body reads it to its end, dropping the
// bytes, and cancels it only past a budget: a client streaming far more than the route accepts
// gets its connection closed, as RFC 9110 §15.5.14 allows for a 413.

/** How much a BYOB reader reads at a time while draining, into one reused buffer. */
const DRAIN_BUFFER_BYTES = 64 * 1024;

/**
 * Reads and drops what is left of the body, up to `budget` more bytes; beyond that, cancels.
 * Takes the reader that was reading it, a default one or a BYOB one (read-raw-body.ts).
 */
export async function drainBody(
  reader: ReadableStreamDefaultReader<Uint8Array> | ReadableStreamBYOBReader,
  budget: number,
): Promise<void> {
  let left = budget;
  let buffer: ArrayBufferLike = new ArrayBuffer(DRAIN_BUFFER_BYTES);
  try {
    while (left >= 0) {
      const result: ReadableStreamReadResult<Uint8Array> =
        reader instanceof ReadableStreamBYOBReader
          ? await reader.read(new Uint8Array(buffer))
          : await reader.read();
      if (result.done) return;
      left -= result.value.byteLength;
      buffer = result.value.buffer; // a BYOB reader hands its buffer back for the next read
    }
    await reader.cancel();
  } catch {
    // The body itself failed (the client went away): there is nothing left to keep.
  }
}
