// A GIF's pixel size, from its logical screen descriptor. One of the readers of
// images/dimension-reader.ts (the steps are in ./steps.ts).

import type { Dimensions } from "../../domain/records";
import { ascii, type Parse, read, u16le } from "./steps";

// GIF has no orientation.
export function* gif(): Parse<Dimensions | null> {
  // GIF89a §17 header "GIF87a" or "GIF89a", then §18 the logical screen descriptor: width and
  // height, 2 bytes each, little-endian.
  const b = yield* read(9);
  const version = ascii(b, 0, 5);
  if (version !== "IF87a" && version !== "IF89a") return null;
  return { width: u16le(b, 5), height: u16le(b, 7) };
}
