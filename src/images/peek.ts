// Looking at the first bytes of a stream without losing them: an image's size from its header
// (peekImage), or whether a stream has any bytes at all (peekNonEmpty). Each hands back a stream
// of every byte (those read, replayed, then the rest): no second read, no decoding, and at most
// the dimension reader's budget (1 MiB) held while looking.

import type { Dimensions } from "../domain/records";
import { createDimensionReader } from "./dimension-reader";

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
  const { orientation } = dims;
  return {
    dimensions: dims.settled ? dims.dimensions : null,
    orientation,
    body: replay(seen, reader, done),
  };
}

/** The stream with its first chunk read (null when it ended without a byte). */
export async function peekNonEmpty(
  body: ReadableStream<Uint8Array>,
): Promise<ReadableStream<Uint8Array> | null> {
  const reader = body.getReader();
  for (;;) {
    const next = await reader.read();
    if (next.done) return null;
    if (next.value.byteLength > 0) return replay([next.value], reader, false);
  }
}

/** The chunks already read, then whatever the reader still has. */
function replay(
  seen: Uint8Array[],
  reader: ReadableStreamDefaultReader<Uint8Array>,
  done: boolean,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const held = seen.shift();
      if (held) return controller.enqueue(held);
      const next = done ? { done: true as const } : await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
