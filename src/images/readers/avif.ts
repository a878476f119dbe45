// An AVIF's pixel size, from its primary item's ispe and irot in the meta box (ISOBMFF). One of
// the readers of images/dimension-reader.ts (the steps are in ./steps.ts).

import type { Dimensions } from "../../domain/records";
import { ascii, byte, malformed, type Parse, read, skip, u16be, u32be } from "./steps";

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

export function* avif(): Parse<Dimensions | null> {
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
