// The pixel size of a PNG, JPEG, GIF, WebP or AVIF image, and a JPEG's EXIF orientation, read
// from its header while the bytes stream past: fed chunk by chunk, never decoded, never read
// twice. Pure and dependency-free.
//
// Each format has its reader in images/readers/ (png.ts, jpeg.ts, gif.ts, webp.ts, avif.ts): a
// generator that yields what it needs next: "read n bytes" (n ≤ 32, copied into one fixed
// buffer) or "skip n bytes" (counted, never stored; readers/steps.ts). This driver serves those requests
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
// an AVIF's irot is already in its dimensions (see each format's reader), so those report 1 even
// when a viewer would turn the image. It is 1 too whenever `dimensions` is null.

import type { Dimensions } from "../domain/records";
import { avif } from "./readers/avif";
import { gif } from "./readers/gif";
import { jpeg } from "./readers/jpeg";
import { png } from "./readers/png";
import {
  byte,
  type Found,
  MALFORMED,
  type Parse,
  read,
  type Step,
  unturned,
} from "./readers/steps";
import { webp } from "./readers/webp";

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
