// The pixel size of a PNG, JPEG, GIF, WebP or AVIF image, and a JPEG's EXIF orientation, read
// from its header while the bytes stream past: fed chunk by chunk, never decoded, never read
// twice. Pure and dependency-free.
//
// Each format is a generator that yields what it needs next: "read n bytes" (n ≤ 32, copied into
// one fixed buffer) or "skip n bytes" (counted, never stored). The driver serves those requests
// from whatever chunks arrive, so the answer cannot depend on how the file is cut, and memory is
// the 32-byte buffer plus, for AVIF, three tables of at most 64 entries each.
//
// `dimensions` is the size the file declares for its stored raster, never swapped:
// - JPEG: the frame header (SOF).
// - GIF: the logical screen, not the first frame's image descriptor.
// - WebP: the VP8X canvas, or the VP8/VP8L frame of a simple file.
// - AVIF: the primary item's ispe, turned by its irot; clap (cropping) is not applied.
//
// `orientation` is the EXIF Orientation (TIFF tag 0x0112, 1–8) still to be applied to that raster
// to display it upright; 5–8 turn it a quarter, so the displayed size is the stored one swapped:
//
//   const upright = o >= 5 ? { width: d.height, height: d.width } : d;
//
// Only JPEG reports anything but 1: its EXIF (APP1) precedes the frame header. A PNG's eXIf and
// a WebP's EXIF chunk come after the header that settles the size, a GIF has no orientation, and
// an AVIF's irot is already in its dimensions (see each format below), so those report 1 even
// when a viewer would turn the image. It is 1 too whenever `dimensions` is null.

export interface Dimensions {
  width: number;
  height: number;
}

export interface DimensionReader {
  /** Feeds the next chunk of the file. Cheap once settled (returns at once). */
  write(chunk: Uint8Array): void;
  /** The dimensions once known; null while unknown or when the file is not a supported raster image. */
  readonly dimensions: Dimensions | null;
  /** EXIF orientation (1–8) when the file declares one before its size is settled, else 1. */
  readonly orientation: number;
  /** True once the answer is final (found, or given up: unknown format, malformed header, or the byte budget spent). */
  readonly settled: boolean;
}

/**
 * The default byte budget. Every header here ends in the first few hundred bytes except JPEG's,
 * which can follow several 64 KiB APPn segments (EXIF, XMP, ICC profiles, MPF previews), and
 * AVIF's meta box; 1 MiB covers those and still gives up quickly on a file that is not an image.
 */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

/**
 * The largest width or height accepted. JPEG and GIF cannot encode more, WebP's frames stop at
 * 16384; PNG, VP8X and AVIF could declare more, but such a value is far more likely hostile
 * than a real image, and a caller sizing a layout or a buffer from it should not trust it.
 */
export const MAX_DIMENSION = 65_535;

// The longest single read is WebP's 19 bytes (RIFF header and first chunk header).
const BUFFER_BYTES = 32;

type Step = { kind: "read" | "skip"; n: number };
type Parse<T> = Generator<Step, T, Uint8Array>;

/** What a format's parser finds: the stored size and the orientation seen on the way to it. */
interface Found {
  dimensions: Dimensions;
  orientation: number;
}

/** A format whose orientation is not read (see each format below): its size as found, 1. */
const unturned = (dimensions: Dimensions | null): Found | null =>
  dimensions && { dimensions, orientation: 1 };

// Thrown inside a parser for a broken header; the driver turns it into "settled, null".
const MALFORMED = new Error("malformed image header");
const malformed = (): never => {
  throw MALFORMED;
};

const EMPTY = new Uint8Array(0);

/**
 * A reader for one file. There is no end-of-file call: if the stream ends while `settled` is still
 * false, the file stopped inside its header and the size is unknown. A bad `maxBytes` throws here.
 */
export function createDimensionReader(options?: { maxBytes?: number }): DimensionReader {
  const maxBytes = options?.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new RangeError("maxBytes must be a positive integer");
  }

  const buffer = new Uint8Array(BUFFER_BYTES);
  let parser: Parse<Found | null> | null = sniff();
  let step: Step = { kind: "skip", n: 0 };
  let filled = 0; // bytes of the current step already served
  let offset = 0; // bytes of the file consumed
  let dimensions: Dimensions | null = null;
  let orientation = 1;
  let settled = false;

  const settle = (found: Found | null) => {
    if (found && sane(found.dimensions)) {
      dimensions = found.dimensions;
      orientation = found.orientation;
    }
    settled = true;
    parser = null;
  };

  const advance = (input: Uint8Array) => {
    if (!parser) return;
    let next: IteratorResult<Step, Found | null>;
    try {
      next = parser.next(input);
    } catch (error) {
      if (error !== MALFORMED) throw error;
      settle(null);
      return;
    }
    if (next.done) {
      settle(next.value);
    } else if (offset + next.value.n > maxBytes) {
      // The next byte needed lies beyond the budget: give up now rather than after counting
      // through a huge box or segment. This depends only on the parser's state, never on chunking.
      settle(null);
    } else {
      step = next.value;
      filled = 0;
    }
  };

  advance(EMPTY);

  return {
    write(chunk: Uint8Array): void {
      let at = 0;
      while (!settled && at < chunk.length) {
        const take = Math.min(step.n - filled, chunk.length - at);
        if (step.kind === "read") buffer.set(chunk.subarray(at, at + take), filled);
        filled += take;
        at += take;
        offset += take;
        if (filled === step.n) advance(step.kind === "read" ? buffer.subarray(0, step.n) : EMPTY);
      }
    },
    get dimensions() {
      return dimensions;
    },
    get orientation() {
      return orientation;
    },
    get settled() {
      return settled;
    },
  };
}

const sane = (d: Dimensions): boolean =>
  d.width >= 1 && d.height >= 1 && d.width <= MAX_DIMENSION && d.height <= MAX_DIMENSION;

// ---- Byte helpers ---------------------------------------------------------------------------

/**
 * Every step a parser yields asks for n ≥ 1 bytes and every parser loop yields, so each turn
 * consumes input: no file, however built, can keep a reader busy past its byte budget.
 */
function* read(n: number): Parse<Uint8Array> {
  return yield { kind: "read", n };
}

function* skip(n: number): Parse<void> {
  if (n > 0) yield { kind: "skip", n };
}

const byte = (b: Uint8Array, i: number): number => b[i] ?? 0;
const u16be = (b: Uint8Array, i: number): number => (byte(b, i) << 8) | byte(b, i + 1);
const u16le = (b: Uint8Array, i: number): number => byte(b, i) | (byte(b, i + 1) << 8);
const u24le = (b: Uint8Array, i: number): number => u16le(b, i) | (byte(b, i + 2) << 16);
const u32be = (b: Uint8Array, i: number): number => u16be(b, i) * 0x10000 + u16be(b, i + 2);
const u32le = (b: Uint8Array, i: number): number => u16le(b, i) + u16le(b, i + 2) * 0x10000;
const ascii = (b: Uint8Array, i: number, n: number): string =>
  String.fromCharCode(...b.subarray(i, i + n));

const startsWith = (b: Uint8Array, expected: readonly number[]): boolean =>
  expected.every((value, i) => b[i] === value);

// ---- Format detection -----------------------------------------------------------------------

/** One byte tells the formats apart, so text, PDF or SVG settle as soon as it arrives. */
function* sniff(): Parse<Found | null> {
  switch (byte(yield* read(1), 0)) {
    case 0x89:
      return unturned(yield* png());
    case 0xff:
      return yield* jpeg();
    case 0x47: // "G"
      return unturned(yield* gif());
    case 0x52: // "R"
      return unturned(yield* webp());
    case 0x00: // the high byte of a small ISOBMFF box size
      return unturned(yield* avif());
    default:
      return null;
  }
}

// ---- PNG ------------------------------------------------------------------------------------

// The signature after its first byte (0x89): "PNG\r\n\x1a\n".
const PNG_SIGNATURE_REST = [0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

// The orientation is not read. An eXIf chunk may carry one, but it comes after IHDR, which
// settles the size: behind iCCP, text chunks and the like, and writers put it before or after
// the image data. Looking for it would hold every PNG well past its 24th byte, often to its end.
function* png(): Parse<Dimensions | null> {
  if (!startsWith(yield* read(7), PNG_SIGNATURE_REST)) return null;
  // PNG (ISO/IEC 15948) §5.6: IHDR comes first; §11.2.2: its 13 data bytes start with the
  // width and height (4 bytes each, big-endian).
  const b = yield* read(16);
  if (u32be(b, 0) !== 13 || ascii(b, 4, 4) !== "IHDR") malformed();
  return { width: u32be(b, 8), height: u32be(b, 12) };
}

// ---- JPEG -----------------------------------------------------------------------------------

function* jpeg(): Parse<Found | null> {
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

// ---- GIF ------------------------------------------------------------------------------------

// GIF has no orientation.
function* gif(): Parse<Dimensions | null> {
  // GIF89a §17 header "GIF87a" or "GIF89a", then §18 the logical screen descriptor: width and
  // height, 2 bytes each, little-endian.
  const b = yield* read(9);
  const version = ascii(b, 0, 5);
  if (version !== "IF87a" && version !== "IF89a") return null;
  return { width: u16le(b, 5), height: u16le(b, 7) };
}

// ---- WebP -----------------------------------------------------------------------------------

// The orientation is not read. RFC 9649 §2.7: a VP8X file may carry an EXIF chunk, but only after
// the image data (the whole bitstream), out of reach without reading the file to its end.
function* webp(): Parse<Dimensions | null> {
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

// ---- AVIF (ISOBMFF) -------------------------------------------------------------------------

// The walk only ever descends along ftyp, then meta → iprp → ipco / ipma: unknown boxes are
// skipped whole, so the nesting depth is fixed at four whatever the file contains.
//
// The orientation reported is 1: the primary item's irot is already applied to its dimensions.
// In HEIF it is irot (ISO/IEC 23008-12 §6.5.10) and imir (§6.5.12) that turn and mirror the
// image; an EXIF item the file may carry is descriptive only. imir never changes the size and is
// not read here, so a mirrored AVIF is not reported as one.

/** At most this many ispe / irot properties and item associations are remembered. */
const MAX_REMEMBERED = 64;

interface BoxHeader {
  type: string;
  header: number;
  body: number;
}

/** The unread part of a box's body; reading past it is a malformed file. */
class Region {
  left: number;
  constructor(left: number) {
    this.left = left;
  }

  *read(n: number): Parse<Uint8Array> {
    if (n > this.left) malformed();
    this.left -= n;
    return yield* read(n);
  }

  *box(): Parse<BoxHeader> {
    const box = yield* boxHeader(this.left);
    this.left -= box.header + box.body;
    return box;
  }

  *skipRest(): Parse<void> {
    const n = this.left;
    this.left = 0;
    yield* skip(n);
  }
}

/**
 * ISO/IEC 14496-12 §4.2: a 32-bit size (header included) and a type; size 1 means a 64-bit size
 * follows. Size 0 ("up to the end of the file") is refused: the reader cannot know where that
 * is, and a meta box or anything before one never legitimately uses it.
 */
function* boxHeader(room: number): Parse<BoxHeader> {
  if (room < 8) malformed();
  const b = yield* read(8);
  const size = u32be(b, 0);
  const type = ascii(b, 4, 4);
  if (size === 1) {
    if (room < 16) malformed();
    const l = yield* read(8);
    // Beyond 2^53 this loses precision, but such a box lies far past any byte budget anyway.
    const large = u32be(l, 0) * 2 ** 32 + u32be(l, 4);
    if (large < 16 || large > room) malformed();
    return { type, header: 16, body: large - 16 };
  }
  if (size < 8 || size > room) malformed();
  return { type, header: 8, body: size - 8 };
}

/** What meta tells us about items and their properties, kept in bounded tables. */
interface ItemInfo {
  primary: number | null;
  /** ispe by 1-based property index in ipco. */
  extents: Map<number, Dimensions>;
  /** irot angle (in quarter turns) by property index. */
  rotations: Map<number, number>;
  largest: Dimensions | null;
  firstRotation: number | null;
  /** Per item, its ispe and irot as given by ipma. */
  items: Map<number, { extent: Dimensions | null; rotation: number }>;
}

function* avif(): Parse<Dimensions | null> {
  // The first box must be ftyp (§4.3); its size's high byte (already read) was 0.
  const head = yield* read(7);
  const ftypSize = (byte(head, 0) << 16) | u16be(head, 1);
  if (ascii(head, 3, 4) !== "ftyp") return null;
  if (ftypSize < 16) malformed();
  const ftyp = new Region(ftypSize - 8);
  // The major brand, then (after minor_version) the compatible brands. The AVIF specification's
  // brands: a still image lists "avif", an image sequence "avis". HEIC and other HEIF brands are
  // not taken, though their meta boxes have the same layout.
  let isAvif = isAvifBrand(ascii(yield* ftyp.read(4), 0, 4));
  yield* ftyp.read(4);
  while (ftyp.left >= 4) isAvif = isAvifBrand(ascii(yield* ftyp.read(4), 0, 4)) || isAvif;
  if (!isAvif) return null;
  yield* ftyp.skipRest();

  // Top-level boxes until meta (libavif and libheif write it right after ftyp; a file with mdat
  // first is skipped through while it fits the budget).
  const top = new Region(Number.POSITIVE_INFINITY);
  for (;;) {
    const box = yield* top.box();
    if (box.type === "meta") return yield* meta(box.body);
    yield* skip(box.body);
  }
}

const isAvifBrand = (brand: string): boolean => brand === "avif" || brand === "avis";

function* meta(size: number): Parse<Dimensions | null> {
  const info: ItemInfo = {
    primary: null,
    extents: new Map(),
    rotations: new Map(),
    largest: null,
    firstRotation: null,
    items: new Map(),
  };
  const body = new Region(size);
  yield* body.read(4); // version and flags: meta is a FullBox (14496-12 §8.11.1)
  while (body.left > 0) {
    const child = yield* body.box();
    const region = new Region(child.body);
    if (child.type === "pitm") {
      // §8.11.4: the primary item's ID, 16 bits in version 0 and 32 bits after.
      const version = byte(yield* region.read(4), 0);
      const id = yield* region.read(version === 0 ? 2 : 4);
      info.primary = version === 0 ? u16be(id, 0) : u32be(id, 0);
    } else if (child.type === "iprp") {
      yield* itemProperties(region, info);
    }
    yield* region.skipRest();
  }
  return choose(info);
}

/** ISO/IEC 23008-12 §9.3: iprp holds ipco (the properties) then one or more ipma. */
function* itemProperties(iprp: Region, info: ItemInfo): Parse<void> {
  while (iprp.left > 0) {
    const child = yield* iprp.box();
    const region = new Region(child.body);
    if (child.type === "ipco") yield* propertyContainer(region, info);
    else if (child.type === "ipma") yield* associations(region, info);
    yield* region.skipRest();
  }
}

function* propertyContainer(ipco: Region, info: ItemInfo): Parse<void> {
  let index = 0; // ipma numbers ipco's children from 1
  while (ipco.left > 0) {
    const child = yield* ipco.box();
    index += 1;
    const region = new Region(child.body);
    if (child.type === "ispe") {
      // 23008-12 §6.5.3: a FullBox with 32-bit width and height.
      const b = yield* region.read(12);
      const extent = { width: u32be(b, 4), height: u32be(b, 8) };
      if (info.extents.size < MAX_REMEMBERED) info.extents.set(index, extent);
      const area = extent.width * extent.height;
      if (!info.largest || area > info.largest.width * info.largest.height) info.largest = extent;
    } else if (child.type === "irot") {
      // 23008-12 §6.5.10: a plain Box; the low 2 bits are the anti-clockwise quarter turns.
      const angle = byte(yield* region.read(1), 0) & 3;
      if (info.rotations.size < MAX_REMEMBERED) info.rotations.set(index, angle);
      info.firstRotation ??= angle;
    }
    yield* region.skipRest();
  }
}

function* associations(ipma: Region, info: ItemInfo): Parse<void> {
  // 23008-12 §9.3: version 0 has 16-bit item IDs, later ones 32-bit; flags bit 0 makes each
  // property index 15 bits (in 2 bytes) instead of 7 (in 1), the top bit being "essential".
  const head = yield* ipma.read(8);
  const version = byte(head, 0);
  const wide = (byte(head, 3) & 1) === 1;
  const entries = u32be(head, 4);
  for (let e = 0; e < entries; e++) {
    const idBytes = yield* ipma.read(version === 0 ? 2 : 4);
    const id = version === 0 ? u16be(idBytes, 0) : u32be(idBytes, 0);
    const count = byte(yield* ipma.read(1), 0);
    let extent: Dimensions | null = null;
    let rotation = 0;
    for (let a = 0; a < count; a++) {
      const index = wide
        ? u16be(yield* ipma.read(2), 0) & 0x7fff
        : byte(yield* ipma.read(1), 0) & 0x7f;
      extent ??= info.extents.get(index) ?? null;
      rotation = info.rotations.get(index) ?? rotation;
    }
    // Once pitm is known only the primary item is worth remembering.
    const wanted = info.primary === null || info.primary === id;
    if (wanted && (info.items.size < MAX_REMEMBERED || info.items.has(id))) {
      info.items.set(id, { extent, rotation });
    }
  }
}

/**
 * The primary item's ispe and irot when pitm and ipma name them (the cheap, exact case: both sit
 * in the meta box being walked). Otherwise, the largest ispe, so that a thumbnail or an alpha
 * plane listed first is not taken for the image, turned by the first irot in ipco (in practice
 * encoders write irot only for the displayed item). Quarter turns 1 and 3 swap width and height.
 */
function choose(info: ItemInfo): Dimensions | null {
  const primary = info.primary === null ? undefined : info.items.get(info.primary);
  const extent = primary?.extent ?? info.largest;
  if (!extent) return null;
  const rotation = primary?.extent ? primary.rotation : (info.firstRotation ?? 0);
  return rotation % 2 === 1 ? { width: extent.height, height: extent.width } : extent;
}
