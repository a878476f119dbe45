// A JPEG's pixel size, from its frame header, and the EXIF orientation of an APP1 segment before
// it. One of the readers of images/dimension-reader.ts (the steps are in ./steps.ts).

import {
  ascii,
  byte,
  type Found,
  malformed,
  type Parse,
  read,
  skip,
  u16be,
  u16le,
  u32be,
  u32le,
} from "./steps";

export function* jpeg(): Parse<Found | null> {
  if (byte(yield* read(1), 0) !== 0xd8) return null; // SOI
  // From the first APP1 segment that is EXIF (null until one is read); later ones are skipped.
  // EXIF after the frame header is never seen: the size settles there.
  let orientation: number | null = null;
  for (;;) {
    // Between marker segments before the frame header there is no entropy-coded data, so the
    // next byte must start a marker (libjpeg's tolerance of stray bytes here is not copied).
    if (byte(yield* read(1), 0) !== 0xff) malformed();
    // ITU-T T.81 §B.1.1.2: any marker may be preceded by any number of 0xFF fill bytes.
    let marker = 0xff;
    while (marker === 0xff) marker = byte(yield* read(1), 0);
    if (marker === 0xd9) return null; // EOI before any frame
    if (marker === 0x01) continue; // TEM stands alone (Table B.1)
    // A stuffed zero, RSTn or a second SOI cannot appear before the first frame header.
    if (marker === 0x00 || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) malformed();

    // §B.1.1.4: the length counts itself but not the marker, so it is at least 2.
    const length = u16be(yield* read(2), 0);
    if (length < 2) malformed();
    // §B.3.2: a hierarchical file's DHP segment has the frame header's syntax and gives the size
    // of the whole image (its frames may be smaller), so it is read like a frame header.
    if (isStartOfFrame(marker) || marker === 0xde) {
      // §B.2.2: Lf P Y X Nf, then 3 bytes per component.
      if (length < 8) malformed();
      const b = yield* read(6);
      const components = byte(b, 5);
      if (components === 0 || length !== 8 + 3 * components) malformed();
      // Y = 0 means the height comes in a DNL segment after the first scan (§B.2.5): not read
      // here, so such a file gives null (as a 0 height).
      return {
        dimensions: { width: u16be(b, 3), height: u16be(b, 1) },
        orientation: orientation ?? 1,
      };
    }
    if (marker === 0xe1 && orientation === null) {
      // APP1: EXIF, or XMP and others (null). Whatever its EXIF holds, the segment is consumed
      // to its declared end, so the walk to the frame header cannot be thrown off by it.
      const segment = new Segment(length - 2);
      orientation = yield* exifOrientation(segment);
      yield* skip(segment.left);
    } else {
      yield* skip(length - 2); // APPn (XMP, ICC), COM, DQT, DHT, ...: counted, not kept
    }
  }
}

/** SOF0..SOF15 (0xC0..0xCF) except DHT (C4), JPG (C8) and DAC (CC): T.81 Table B.1. */
const isStartOfFrame = (marker: number): boolean =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/**
 * The unread part of a JPEG segment. Unlike a Region, running past it is not a malformed file:
 * the read is refused (null) and the segment's bytes are still skipped by the caller.
 */
class Segment {
  left: number;
  constructor(left: number) {
    this.left = left;
  }

  *read(n: number): Parse<Uint8Array | null> {
    if (n > this.left) return null;
    this.left -= n;
    return yield* read(n);
  }

  *skip(n: number): Parse<boolean> {
    if (n > this.left) return false;
    this.left -= n;
    yield* skip(n);
    return true;
  }
}

const EXIF_HEADER = "Exif\0\0";
const ORIENTATION_TAG = 0x0112;
const SHORT = 3;

/**
 * The orientation in an APP1 segment: null when the segment is not EXIF; otherwise the value of
 * IFD0's Orientation entry, or 1 when it is absent, out of range or unreachable. Any damage costs
 * the orientation, never the size: nothing here is `malformed()`.
 *
 * Exif (CIPA DC-008) §4.5.4 and §4.6.2: "Exif\0\0", then a TIFF structure whose offsets count
 * from its own first byte. TIFF 6.0 §2: the header is the byte order ("II" little-endian, "MM"
 * big-endian), 42, and IFD0's 32-bit offset; an IFD is a 16-bit entry count, then 12-byte entries
 * (tag, type, count, and the value itself, left-justified, when it fits in 4 bytes). TIFF 6.0
 * §8: Orientation is one SHORT, 1 to 8.
 */
function* exifOrientation(segment: Segment): Parse<number | null> {
  const id = yield* segment.read(6);
  if (!id || ascii(id, 0, 6) !== EXIF_HEADER) return null;
  const header = yield* segment.read(8);
  if (!header) return 1;
  const order = ascii(header, 0, 2);
  if (order !== "II" && order !== "MM") return 1;
  const get16 = order === "II" ? u16le : u16be;
  const get32 = order === "II" ? u32le : u32be;
  if (get16(header, 2) !== 42) return 1;
  // The 8 header bytes are behind us: an IFD0 that starts among them (offset < 8) would need a
  // seek backwards, and one past the segment's end is not there to read.
  const ifd0 = get32(header, 4);
  if (ifd0 < 8 || !(yield* segment.skip(ifd0 - 8))) return 1;
  const count = yield* segment.read(2);
  if (!count) return 1;
  // Entries should be sorted by tag, but the walk does not rely on it: it stops at the
  // orientation or at the segment's end, so a count of 65535 costs at most the segment.
  for (let entries = get16(count, 0); entries > 0; entries--) {
    const entry = yield* segment.read(12);
    if (!entry) return 1;
    if (get16(entry, 0) !== ORIENTATION_TAG) continue;
    if (get16(entry, 2) !== SHORT || get32(entry, 4) !== 1) return 1;
    const value = get16(entry, 8);
    return value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}
