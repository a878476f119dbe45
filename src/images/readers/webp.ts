// A WebP's pixel size, from its first chunk (VP8, VP8L or VP8X). One of the readers of
// images/dimension-reader.ts (the steps are in ./steps.ts).

import type { Dimensions } from "../../domain/records";
import { ascii, byte, malformed, type Parse, read, startsWith, u16le, u24le, u32le } from "./steps";

// The orientation is not read. RFC 9649 §2.7: a VP8X file may carry an EXIF chunk, but only after
// the image data (the whole bitstream), out of reach without reading the file to its end.
export function* webp(): Parse<Dimensions | null> {
  // RFC 9649 §2.4: "RIFF", file size (4), "WEBP", then the first chunk's FourCC and size.
  const riff = yield* read(19);
  if (ascii(riff, 0, 3) !== "IFF" || ascii(riff, 7, 4) !== "WEBP") return null;
  const chunk = ascii(riff, 11, 4);
  const size = u32le(riff, 15);
  switch (chunk) {
    case "VP8 ": {
      // RFC 9649 §2.5 / RFC 6386 §9.1: a 3-byte frame tag (bit 0 clear on a key frame), the
      // start code 9D 01 2A, then 14-bit width and height (the top 2 bits are a scaling hint
      // that decoders do not apply).
      if (size < 10) malformed();
      const b = yield* read(10);
      if ((byte(b, 0) & 1) !== 0 || !startsWith(b.subarray(3), [0x9d, 0x01, 0x2a])) malformed();
      return { width: u16le(b, 6) & 0x3fff, height: u16le(b, 8) & 0x3fff };
    }
    case "VP8L": {
      // RFC 9649 §3 (lossless bitstream header): signature 0x2F, then 14 bits width − 1,
      // 14 bits height − 1, 1 bit alpha hint and a 3-bit version that must be 0.
      if (size < 5) malformed();
      const b = yield* read(5);
      const bits = u32le(b, 1);
      if (byte(b, 0) !== 0x2f || bits >>> 29 !== 0) malformed();
      return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    case "VP8X": {
      // RFC 9649 §2.7: flags (1), reserved (3), canvas width − 1 and height − 1 (3 bytes each).
      if (size < 10) malformed();
      const b = yield* read(10);
      return { width: u24le(b, 4) + 1, height: u24le(b, 7) + 1 };
    }
    default:
      return null;
  }
}
