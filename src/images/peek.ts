// Reads an image's size from the first bytes of its stream, and hands back a stream of all its
// bytes (those read, replayed, then the rest): no second read, no decoding, and at most the
// dimension reader's budget (1 MiB) held while looking.

import { createDimensionReader, type Dimensions } from "../domain/image-dimensions";

export interface Peeked {
  dimensions: Dimensions | null;
  /** EXIF orientation, 1–8 (1 when the file declares none). */
  orientation: number;
  body: ReadableStream<Uint8Array>;
}

export async function peekImage(body: ReadableStream<Uint8Array>): Promise<Peeked> {
  const reader = body.getReader();
  const dims = createDimensionReader();
  const seen: Uint8Array[] = [];
  let done = false;
  while (!dims.settled) {
    const next = await reader.read();
    if (next.done) {
      done = true;
      break;
    }
    seen.push(next.value);
    dims.write(next.value);
  }
  const replay = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const held = seen.shift();
      if (held) return controller.enqueue(held);
      const next = done ? { done: true as const } : await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  const { orientation } = dims;
  return { dimensions: dims.settled ? dims.dimensions : null, orientation, body: replay };
}
