// A PNG's pixel size, from its IHDR chunk (the first 24 bytes). One of the readers of
// images/dimension-reader.ts (the steps are in ./steps.ts).

import type { Dimensions } from "../../domain/records";
import { ascii, malformed, type Parse, read, startsWith, u32be } from "./steps";

// The signature after its first byte (0x89): "PNG\r\n\x1a\n".
const PNG_SIGNATURE_REST = [0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

// The orientation is not read. An eXIf chunk may carry one, but it comes after IHDR, which
// settles the size: behind iCCP, text chunks and the like, and writers put it before or after
// the image data. Looking for it would hold every PNG well past its 24th byte, often to its end.
export function* png(): Parse<Dimensions | null> {
  if (!startsWith(yield* read(7), PNG_SIGNATURE_REST)) return null;
  // PNG (ISO/IEC 15948) §5.6: IHDR comes first; §11.2.2: its 13 data bytes start with the
  // width and height (4 bytes each, big-endian).
  const b = yield* read(16);
  if (u32be(b, 0) !== 13 || ascii(b, 4, 4) !== "IHDR") malformed();
  return { width: u32be(b, 8), height: u32be(b, 12) };
}
