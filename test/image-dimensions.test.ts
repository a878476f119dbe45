// src/images/dimension-reader.ts: real images (test/fixtures/images, made by sharp) fed whole, byte
// by byte and in random chunkings; truncated files; non-images; hand-built hostile headers and
// EXIF; the byte budget. Pure, so plain unit tests (they run in workerd like the rest).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createDimensionReader,
  DEFAULT_MAX_BYTES,
  type DimensionReader,
  MAX_DIMENSION,
} from "../src/images/dimension-reader";
import { FIXTURES, imageFixture as fixture } from "./fixtures/images/decoded";

// ---- Helpers --------------------------------------------------------------------------------

type Part = Uint8Array | readonly number[] | string;

/** Concatenates byte arrays, number lists and latin1 strings. */
function bytes(...parts: Part[]): Uint8Array {
  const arrays = parts.map((p) =>
    typeof p === "string" ? Uint8Array.from(p, (c) => c.charCodeAt(0)) : Uint8Array.from(p),
  );
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

const u16 = (n: number) => [(n >>> 8) & 255, n & 255];
const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const le16 = (n: number) => [n & 255, (n >>> 8) & 255];
const le24 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255];
const le32 = (n: number) => [...le16(n & 0xffff), ...le16(n >>> 16)];

/** Feeds `data` cut at `cuts` (any order, repeats give empty chunks). */
function feed(data: Uint8Array, cuts: readonly number[] = [], maxBytes?: number): DimensionReader {
  const reader = createDimensionReader(maxBytes === undefined ? undefined : { maxBytes });
  let from = 0;
  for (const cut of [...cuts.map((c) => c % (data.length + 1))].sort((a, b) => a - b)) {
    reader.write(data.subarray(from, cut));
    from = cut;
  }
  reader.write(data.subarray(from));
  return reader;
}

/** Feeds one byte at a time; returns the reader and how many bytes it took to settle. */
function feedBytewise(data: Uint8Array, maxBytes?: number) {
  const reader = createDimensionReader(maxBytes === undefined ? undefined : { maxBytes });
  let settledAt: number | null = null;
  for (let i = 0; i < data.length; i++) {
    reader.write(data.subarray(i, i + 1));
    if (reader.settled && settledAt === null) settledAt = i + 1;
    if (!reader.settled) {
      expect(reader.dimensions).toBeNull();
      expect(reader.orientation).toBe(1);
    }
  }
  return { reader, settledAt };
}

const outcome = (r: DimensionReader) => ({ dimensions: r.dimensions, settled: r.settled });
const withOrientation = (r: DimensionReader) => ({ ...outcome(r), orientation: r.orientation });
const cutsOf = (length: number) => fc.array(fc.nat(length), { maxLength: 40 });

// ---- Real images ----------------------------------------------------------------------------

describe("real images", () => {
  it.each(FIXTURES)("reads $name whole", ({ data, width, height, orientation }) => {
    const reader = feed(data);
    expect(reader.dimensions).toEqual({ width, height });
    expect(reader.orientation).toBe(orientation);
    expect(reader.settled).toBe(true);
  });

  it.each(FIXTURES)("reads $name byte by byte, unknown until it settles", ({ data, ...f }) => {
    const { reader, settledAt } = feedBytewise(data);
    expect(reader.dimensions).toEqual({ width: f.width, height: f.height });
    expect(reader.orientation).toBe(f.orientation);
    // Every header here ends in the first kilobyte or so; the rest of the file is never needed.
    expect(settledAt).not.toBeNull();
    expect(settledAt).toBeLessThanOrEqual(Math.min(data.length, 1200));
  });

  it.each(FIXTURES)("reads $name the same in any chunking", ({ data, width, height, ...f }) => {
    fc.assert(
      fc.property(cutsOf(data.length), (cuts) => {
        expect(withOrientation(feed(data, cuts))).toEqual({
          dimensions: { width, height },
          settled: true,
          orientation: f.orientation,
        });
      }),
      { numRuns: 50 },
    );
  });

  it.each(FIXTURES)(
    "is unknown and unsettled for $name cut before the end of its header",
    ({ data, width, height }) => {
      const { settledAt } = feedBytewise(data);
      const end = settledAt ?? data.length;
      for (let cut = 0; cut < end; cut++) {
        expect(outcome(feed(data.subarray(0, cut)))).toEqual({ dimensions: null, settled: false });
      }
      expect(outcome(feed(data.subarray(0, end)))).toEqual({
        dimensions: { width, height },
        settled: true,
      });
    },
  );

  it("keeps no reference to a chunk after write returns", () => {
    for (const { data, width, height } of FIXTURES) {
      const reader = createDimensionReader();
      for (let at = 0; at < data.length; at += 3) {
        const chunk = data.slice(at, at + 3);
        reader.write(chunk);
        chunk.fill(0xee); // a reader that kept the chunk to look at later would now see garbage
      }
      expect(reader.dimensions).toEqual({ width, height });
    }
  });

  it("ignores writes once settled, and empty chunks", () => {
    const reader = createDimensionReader();
    reader.write(new Uint8Array(0));
    expect(outcome(reader)).toEqual({ dimensions: null, settled: false });
    reader.write(fixture("png-123x45.png"));
    reader.write(fixture("gif-123x45.gif"));
    expect(reader.dimensions).toEqual({ width: 123, height: 45 });
  });

  it("reports a JPEG's stored size and its EXIF orientation, which the caller applies", () => {
    // The fixture is stored 45x123 with orientation 6 (turn 90° clockwise): displayed 123x45.
    const jpeg = feed(fixture("jpeg-exif-icc-45x123.jpg"));
    expect(jpeg.dimensions).toEqual({ width: 45, height: 123 });
    expect(jpeg.orientation).toBe(6);
    // AVIF's irot, by contrast, is applied to the dimensions, so its orientation is 1.
    const avif = feed(fixture("avif-irot-45x123.avif"));
    expect(avif.dimensions).toEqual({ width: 45, height: 123 });
    expect(avif.orientation).toBe(1);
  });

  it.each(["png-exif-orientation-6-45x123.png", "webp-exif-orientation-6-45x123.webp"])(
    "reports orientation 1 for %s, whose EXIF comes after the size",
    (name) => {
      // sharp reads orientation 6 from both (checked by the fixture script).
      expect(withOrientation(feed(fixture(name)))).toEqual({
        dimensions: { width: 45, height: 123 },
        settled: true,
        orientation: 1,
      });
    },
  );
});

// ---- JPEG segments and the byte budget ------------------------------------------------------

/** An APP1 segment of `total` bytes (marker included), starting like EXIF. */
const app1 = (total: number) =>
  bytes([0xff, 0xe1], u16(total - 2), "Exif\0\0", new Uint8Array(total - 10));

/** A JPEG with `segments` inserted after SOI. */
const withSegments = (jpeg: Uint8Array, ...segments: Uint8Array[]) =>
  bytes(jpeg.subarray(0, 2), ...segments, jpeg.subarray(2));

describe("JPEG segments before the frame header", () => {
  const baseline = fixture("jpeg-baseline-123x45.jpg");

  it("skips a 60 KiB APP1 segment in any chunking, one byte at a time included", () => {
    const data = withSegments(baseline, app1(60 * 1024));
    expect(feedBytewise(data).reader.dimensions).toEqual({ width: 123, height: 45 });
    fc.assert(
      fc.property(cutsOf(data.length), (cuts) => {
        expect(feed(data, cuts).dimensions).toEqual({ width: 123, height: 45 });
      }),
      { numRuns: 30 },
    );
  });

  it("skips several full-size (64 KiB) APPn segments", () => {
    const data = withSegments(baseline, app1(65_537), app1(65_537), app1(65_537), app1(65_537));
    expect(feed(data, [1, 70_000, 70_001, 200_000]).dimensions).toEqual({ width: 123, height: 45 });
  });

  it("gives up once the next segment ends past maxBytes, whatever follows (5 MiB of APP1)", () => {
    const segment = app1(65_537);
    const chunk = new Uint8Array(64 * 1024);
    const reader = createDimensionReader();
    reader.write(baseline.subarray(0, 2));
    let fed = 2;
    let settledAt: number | null = null;
    // 5 MiB of 64 KiB chunks cut across segment boundaries, built on the fly.
    for (let i = 0; fed < 5 * 1024 * 1024; i++) {
      for (let j = 0; j < chunk.length; j++)
        chunk[j] = segment[(i * chunk.length + j) % 65_537] ?? 0;
      reader.write(chunk);
      fed += chunk.length;
      if (reader.settled && settledAt === null) settledAt = fed;
    }
    expect(outcome(reader)).toEqual({ dimensions: null, settled: true });
    expect(settledAt).not.toBeNull();
    expect(settledAt).toBeLessThanOrEqual(DEFAULT_MAX_BYTES + chunk.length);
  });

  it("finds the frame after 5 MiB of segments when maxBytes allows it", () => {
    const segments = Array.from({ length: 80 }, () => app1(65_537));
    const data = withSegments(baseline, ...segments);
    expect(data.length).toBeGreaterThan(5 * 1024 * 1024);
    expect(feed(data, [3, 65_540, 1_000_000, 4_000_001], 8 * 1024 * 1024).dimensions).toEqual({
      width: 123,
      height: 45,
    });
    expect(outcome(feed(data))).toEqual({ dimensions: null, settled: true });
  });

  it("settles as soon as the next byte needed lies past maxBytes", () => {
    const png = fixture("png-123x45.png"); // the width and height end at byte 24
    expect(outcome(feed(png, [], 24))).toEqual({
      dimensions: { width: 123, height: 45 },
      settled: true,
    });
    expect(outcome(feed(png, [], 23))).toEqual({ dimensions: null, settled: true });
    expect(feedBytewise(png, 23).settledAt).toBe(8); // after the signature, not at byte 23
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("refuses maxBytes %s", (maxBytes) => {
    expect(() => createDimensionReader({ maxBytes })).toThrow(RangeError);
  });

  const SOF = (height: number, width: number) =>
    bytes(
      [0xff, 0xc0],
      u16(17),
      [8],
      u16(height),
      u16(width),
      [3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1],
    );

  it.each([
    [
      "a progressive frame (SOF2)",
      bytes([0xff, 0xc2], SOF(45, 123).subarray(2)),
      { width: 123, height: 45 },
    ],
    [
      "a lossless frame (SOF3)",
      bytes([0xff, 0xc3], SOF(45, 123).subarray(2)),
      { width: 123, height: 45 },
    ],
    [
      "fill bytes before a marker",
      bytes([0xff, 0xff, 0xff], SOF(45, 123)),
      { width: 123, height: 45 },
    ],
    [
      "a hierarchical DHP segment, whose size wins over its first frame's",
      bytes([0xff, 0xde], SOF(45, 123).subarray(2), SOF(5, 12)),
      { width: 123, height: 45 },
    ],
    ["TEM before the frame", bytes([0xff, 0x01], SOF(45, 123)), { width: 123, height: 45 }],
    [
      "DHT (0xC4), which is no frame",
      bytes([0xff, 0xc4], u16(3), [0], SOF(45, 123)),
      { width: 123, height: 45 },
    ],
    ["the largest size", SOF(65_535, 65_535), { width: 65_535, height: 65_535 }],
    ["a height left to DNL (0)", SOF(0, 123), null],
    ["a width of 0", SOF(45, 0), null],
    ["a segment length of 0", bytes([0xff, 0xe0], u16(0), SOF(45, 123)), null],
    ["a segment length of 1", bytes([0xff, 0xe0], u16(1), SOF(45, 123)), null],
    [
      "a frame header length that does not match its components",
      bytes([0xff, 0xc0], u16(14), [8], u16(45), u16(123), [1, 1, 0x11, 0], SOF(45, 123)),
      null,
    ],
    ["a frame with no components", bytes([0xff, 0xc0], u16(8), [8], u16(45), u16(123), [0]), null],
    ["a stray byte between segments", bytes([0x00], SOF(45, 123)), null],
    ["RST0 before the frame", bytes([0xff, 0xd0], SOF(45, 123)), null],
    ["a second SOI", bytes([0xff, 0xd8], SOF(45, 123)), null],
    ["EOI before any frame", bytes([0xff, 0xd9], SOF(45, 123)), null],
  ] as const)("reads a JPEG with %s", (_, rest, expected) => {
    const reader = feed(bytes([0xff, 0xd8], rest));
    expect(outcome(reader)).toEqual({ dimensions: expected, settled: true });
  });
});

// ---- JPEG EXIF orientation ------------------------------------------------------------------

const ORIENTATION_TAG = 0x0112;
const SHORT = 3;
const LONG = 4;

/** A TIFF IFD entry: tag, type, count and the value field (a SHORT sits in its first 2 bytes). */
type Entry = readonly [tag: number, type: number, count: number, value: number];
const orientationEntry = (value: number): Entry => [ORIENTATION_TAG, SHORT, 1, value];
const DESCRIPTION: Entry = [0x010e, 2, 4, 0x66697800]; // ImageDescription, ASCII, inline

interface ExifOptions {
  /** IFD0's offset as declared (default: right after the header and the gap). */
  ifd0?: number;
  /** Spare bytes between the TIFF header and IFD0. */
  gap?: number;
  /** IFD0's entry count as declared (default: the number of entries given). */
  count?: number;
  magic?: number;
  /** Cuts the segment's body (from "Exif") to this many bytes; the APP1 length follows. */
  cut?: number;
}

/**
 * An APP1 segment: "Exif\0\0", a TIFF header in byte order `order`, `gap` bytes, IFD0 with
 * `entries` and a zero next-IFD offset. The segment's length always matches its body, so the
 * JPEG around it stays valid however hostile the EXIF inside.
 */
function exifSegment(order: string, entries: readonly Entry[], options: ExifOptions = {}) {
  const w16 = order === "MM" ? u16 : le16;
  const w32 = order === "MM" ? u32 : le32;
  const gap = options.gap ?? 0;
  const body = bytes(
    "Exif\0\0",
    order,
    w16(options.magic ?? 42),
    w32(options.ifd0 ?? 8 + gap),
    new Uint8Array(gap).fill(0xa5),
    w16(options.count ?? entries.length),
    ...entries.map(([tag, type, count, value]) =>
      bytes(w16(tag), w16(type), w32(count), type === SHORT ? [...w16(value), 0, 0] : w32(value)),
    ),
    w32(0),
  ).subarray(0, options.cut);
  return bytes([0xff, 0xe1], u16(body.length + 2), body);
}

/**
 * The orientation an APP1 body (from "Exif") declares, worked out the plain way, with the whole
 * segment at hand: the oracle the streaming reader is checked against.
 */
function referenceOrientation(body: Uint8Array): number {
  if (String.fromCharCode(...body.subarray(0, 6)) !== "Exif\0\0") return 1;
  const tiff = body.subarray(6);
  const order = String.fromCharCode(...tiff.subarray(0, 2));
  if (tiff.length < 8 || (order !== "II" && order !== "MM")) return 1;
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.length);
  const little = order === "II";
  if (view.getUint16(2, little) !== 42) return 1;
  const ifd0 = view.getUint32(4, little);
  if (ifd0 < 8 || ifd0 + 2 > tiff.length) return 1;
  for (let i = 0; i < view.getUint16(ifd0, little); i++) {
    const at = ifd0 + 2 + 12 * i;
    if (at + 12 > tiff.length) return 1;
    if (view.getUint16(at, little) !== ORIENTATION_TAG) continue;
    if (view.getUint16(at + 2, little) !== SHORT || view.getUint32(at + 4, little) !== 1) return 1;
    const value = view.getUint16(at + 8, little);
    return value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}

/** Reads `data` whole, byte by byte and in random chunkings: each must give `expected`. */
function expectEverywhere(
  data: Uint8Array,
  expected: { dimensions: { width: number; height: number } | null; orientation: number },
) {
  const want = { ...expected, settled: true };
  expect(withOrientation(feed(data))).toEqual(want);
  expect(withOrientation(feedBytewise(data).reader)).toEqual(want);
  fc.assert(
    fc.property(cutsOf(data.length), (cuts) => {
      expect(withOrientation(feed(data, cuts))).toEqual(want);
    }),
    { numRuns: 20 },
  );
}

describe("JPEG EXIF orientation", () => {
  const baseline = fixture("jpeg-baseline-123x45.jpg");
  const stored = { width: 123, height: 45 };
  const upright = (orientation: number) => ({ dimensions: stored, orientation });

  it.each([1, 2, 3, 4, 5, 6, 7, 8].flatMap((o) => [["II", o] as const, ["MM", o] as const]))(
    "reads %s orientation %i, and keeps the stored size",
    (order, orientation) => {
      const data = withSegments(baseline, exifSegment(order, [orientationEntry(orientation)]));
      expectEverywhere(data, upright(orientation));
    },
  );

  it.each([
    ["after other entries", [DESCRIPTION, [0x010f, 2, 20, 0x1000], orientationEntry(6)]],
    ["before other entries", [orientationEntry(6), DESCRIPTION]],
    ["among out-of-order entries", [[0x8769, LONG, 1, 26], DESCRIPTION, orientationEntry(6)]],
  ] as const)("finds the orientation %s", (_, entries) => {
    for (const order of ["II", "MM"]) {
      expectEverywhere(withSegments(baseline, exifSegment(order, entries)), upright(6));
    }
  });

  it.each([
    ["IFD0 at 9 (odd, right after the header)", { gap: 1 }],
    ["IFD0 at 26", { gap: 18 }],
    ["IFD0 at 1000", { gap: 992 }],
  ])("follows %s", (_, options) => {
    for (const order of ["II", "MM"]) {
      const data = withSegments(baseline, exifSegment(order, [orientationEntry(8)], options));
      expectEverywhere(data, upright(8));
    }
  });

  it("takes the orientation from the first EXIF segment, after XMP or other APP1", () => {
    const xmp = bytes([0xff, 0xe1], u16(40), "http://ns.adobe.com/xap/1.0/\0", new Uint8Array(9));
    const six = exifSegment("II", [orientationEntry(6)]);
    const three = exifSegment("MM", [orientationEntry(3)]);
    expectEverywhere(withSegments(baseline, xmp, six, three), upright(6));
    expectEverywhere(withSegments(baseline, exifSegment("II", [DESCRIPTION]), three), upright(1));
  });

  it("ignores EXIF in a segment other than APP1, and after the frame header", () => {
    const app2 = bytes([0xff, 0xe2], exifSegment("II", [orientationEntry(6)]).subarray(2));
    expectEverywhere(withSegments(baseline, app2), upright(1));
    // A frame header (SOF0, one component), then EXIF: the size settles before it arrives.
    const late = bytes(
      [0xff, 0xd8, 0xff, 0xc0],
      u16(11),
      [8],
      u16(45),
      u16(123),
      [1, 0x11, 0],
      exifSegment("II", [orientationEntry(6)]),
    );
    expectEverywhere(late, upright(1));
  });

  it("reports 1 for a JPEG without EXIF, and for one whose size is not found", () => {
    expectEverywhere(baseline, upright(1));
    // EXIF with orientation 6, then EOI before any frame: no size, so no orientation either.
    const noFrame = bytes([0xff, 0xd8], exifSegment("II", [orientationEntry(6)]), [0xff, 0xd9]);
    expectEverywhere(noFrame, { dimensions: null, orientation: 1 });
  });

  it("gives up at the byte budget inside an EXIF segment as anywhere else", () => {
    const data = withSegments(baseline, exifSegment("II", [DESCRIPTION, orientationEntry(6)]));
    for (const maxBytes of [10, 20, 30, 40]) {
      expect(withOrientation(feed(data, [], maxBytes))).toEqual({
        dimensions: null,
        settled: true,
        orientation: 1,
      });
    }
  });

  const six = [orientationEntry(6)];
  it.each([
    ["an orientation of 0", [orientationEntry(0)], {}],
    ["an orientation of 9", [orientationEntry(9)], {}],
    ["an orientation of 65535", [orientationEntry(0xffff)], {}],
    ["an orientation typed LONG", [[ORIENTATION_TAG, LONG, 1, 6]], {}],
    ["an orientation typed BYTE", [[ORIENTATION_TAG, 1, 1, 6]], {}],
    ["an orientation with a count of 2", [[ORIENTATION_TAG, SHORT, 2, 6]], {}],
    ["an orientation with a count of 0", [[ORIENTATION_TAG, SHORT, 0, 6]], {}],
    ["an orientation with a count of 2^32 − 1", [[ORIENTATION_TAG, SHORT, 0xffffffff, 6]], {}],
    ["no orientation entry", [DESCRIPTION], {}],
    ["an empty IFD0", [], {}],
    ["an identifier but no TIFF header", six, { cut: 6 }],
    ["a TIFF header cut after its byte order", six, { cut: 8 }],
    ["a TIFF header cut before IFD0's offset ends", six, { cut: 13 }],
    ["IFD0's entry count cut in half", six, { cut: 15 }],
    ["IFD0's only entry cut short", six, { cut: 27 }],
    ["the magic number 43 (BigTIFF)", six, { magic: 43 }],
    ["the magic number in the other byte order", six, { magic: 42 << 8 }],
    ["IFD0 at offset 0", six, { ifd0: 0 }],
    ["IFD0 at offset 4 (inside the header: behind the reader)", six, { ifd0: 4 }],
    ["IFD0 at offset 7", six, { ifd0: 7 }],
    ["IFD0 pointing into filler bytes", six, { gap: 16, ifd0: 10 }],
    ["IFD0 at the segment's end", six, { ifd0: 26 }],
    ["IFD0 past the segment", six, { ifd0: 1000 }],
    ["IFD0 at 2^32 − 1", six, { ifd0: 0xffffffff }],
    ["65535 entries declared, one given (no orientation)", [DESCRIPTION], { count: 0xffff }],
    ["0 entries declared before the orientation", six, { count: 0 }],
    ["1 entry declared before the orientation", [DESCRIPTION, ...six], { count: 1 }],
  ] as const)("reports 1, and the size, for EXIF with %s", (_, entries, options) => {
    for (const order of ["II", "MM"]) {
      const data = withSegments(baseline, exifSegment(order, entries, options));
      expectEverywhere(data, upright(1));
    }
  });

  it("reports 1, and the size, for a byte order that is neither II nor MM", () => {
    const segment = exifSegment("II", [orientationEntry(6)]);
    for (const order of ["IM", "MI", "ii", "\0\0"]) {
      segment.set(bytes(order), 10);
      expectEverywhere(withSegments(baseline, segment), upright(1));
    }
  });

  it("walks 65535 declared entries only as far as the segment goes", () => {
    // A full 64 KiB APP1 holds 5459 entries; the orientation in the last one is still found.
    const filler = Array.from({ length: 5458 }, (_, i): Entry => [0x0100 + (i % 16), SHORT, 1, 1]);
    const found = exifSegment("MM", [...filler, orientationEntry(5)], { count: 0xffff });
    expect(found.length).toBeLessThanOrEqual(65_537);
    expectEverywhere(withSegments(baseline, found), upright(5));
    const absent = exifSegment("II", [...filler, DESCRIPTION], { count: 0xffff });
    expectEverywhere(withSegments(baseline, absent), upright(1));
  });

  it("stops at the orientation whatever count IFD0 declares", () => {
    const data = withSegments(
      baseline,
      exifSegment("II", [DESCRIPTION, orientationEntry(7)], { count: 0xffff }),
    );
    expectEverywhere(data, upright(7));
  });

  const entry = fc.tuple(
    fc.constantFrom(ORIENTATION_TAG, ORIENTATION_TAG, 0x010e, 0x8769, 0, 0xffff),
    fc.constantFrom(SHORT, SHORT, LONG, 1, 0, 0xffff),
    fc.constantFrom(1, 1, 0, 2, 0xffffffff),
    fc.oneof(fc.nat(9), fc.nat(0xffff)),
  );
  const hostileExif = fc
    .record({
      order: fc.constantFrom("II", "MM", "IM", "\0\0"),
      entries: fc.array(entry, { maxLength: 6 }),
      options: fc.record(
        {
          ifd0: fc.oneof(fc.nat(120), fc.constantFrom(0xffffffff, 0x80000000)),
          gap: fc.nat(40),
          count: fc.oneof(fc.nat(8), fc.constant(0xffff)),
          magic: fc.constantFrom(42, 43, 42 << 8),
          cut: fc.nat(140),
        },
        { requiredKeys: [] },
      ),
    })
    .map(({ order, entries, options }) => exifSegment(order, entries, options));

  it("never throws or changes the size on hostile EXIF, and agrees with a whole-segment reading", () => {
    fc.assert(
      fc.property(
        fc.array(hostileExif, { minLength: 1, maxLength: 2 }),
        cutsOf(600),
        (segments, cuts) => {
          const data = withSegments(baseline, ...segments);
          // The first APP1 that is EXIF counts; one cut before its "Exif\0\0" is some other APP1.
          const exif = segments.find(
            (s) => String.fromCharCode(...s.subarray(4, 10)) === "Exif\0\0",
          );
          const expected = upright(referenceOrientation(exif?.subarray(4) ?? new Uint8Array(0)));
          expect(withOrientation(feed(data))).toEqual({ ...expected, settled: true });
          expect(withOrientation(feed(data, cuts))).toEqual({ ...expected, settled: true });
        },
      ),
      { numRuns: 3000 },
    );
  });
});

// ---- PNG, GIF and WebP headers --------------------------------------------------------------

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const png = (width: number, height: number, length = 13, type = "IHDR") =>
  bytes(PNG_SIGNATURE, u32(length), type, u32(width), u32(height), [8, 2, 0, 0, 0], u32(0));
const riff = (chunk: string, payload: Part) => {
  const body = bytes(payload);
  return bytes("RIFF", le32(body.length + 12), "WEBP", chunk, le32(body.length), body);
};
const vp8 = (width: number, height: number, tag = 0x10, start = [0x9d, 0x01, 0x2a]) =>
  riff("VP8 ", bytes([tag, 0, 0], start, le16(width), le16(height), new Uint8Array(8)));
const vp8l = (width: number, height: number, signature = 0x2f, version = 0) =>
  riff("VP8L", bytes([signature], le32((width - 1) | ((height - 1) << 14) | (version << 29))));
const vp8x = (width: number, height: number) =>
  riff("VP8X", bytes([0x10, 0, 0, 0], le24(width - 1), le24(height - 1)));

describe("PNG, GIF and WebP headers", () => {
  it.each([
    ["PNG 1x1", png(1, 1), { width: 1, height: 1 }],
    ["PNG 65535 wide", png(MAX_DIMENSION, 2), { width: 65_535, height: 2 }],
    ["PNG 65536 wide (past the bound)", png(65_536, 2), null],
    ["PNG 2^31 − 1 high (PNG's own limit)", png(2, 0x7fffffff), null],
    ["PNG 0 wide", png(0, 2), null],
    ["PNG whose IHDR is not 13 bytes", png(2, 2, 12), null],
    ["PNG whose first chunk is not IHDR (Apple's CgBI)", png(2, 2, 13, "CgBI"), null],
    ["PNG with a corrupted signature", bytes([0x89], "PNG\r\n\x1a\r", png(1, 1).subarray(8)), null],
    ["GIF87a", bytes("GIF87a", le16(300), le16(2)), { width: 300, height: 2 }],
    ["GIF with a 0x0 logical screen", bytes("GIF89a", le16(0), le16(0)), null],
    ["GIF90a", bytes("GIF90a", le16(3), le16(2)), null],
    ["WebP VP8 16383x16383", vp8(16_383, 16_383), { width: 16_383, height: 16_383 }],
    ["WebP VP8 with scaling bits set", vp8(0xc000 | 300, 0x4000 | 2), { width: 300, height: 2 }],
    ["WebP VP8 that is not a key frame", vp8(3, 2, 0x11), null],
    ["WebP VP8 with a bad start code", vp8(3, 2, 0x10, [0x9d, 0x01, 0x2b]), null],
    ["WebP VP8L 16384x1", vp8l(16_384, 1), { width: 16_384, height: 1 }],
    ["WebP VP8L with a bad signature", vp8l(3, 2, 0x2e), null],
    ["WebP VP8L of an unknown version", vp8l(3, 2, 0x2f, 1), null],
    ["WebP VP8X 65535x1", vp8x(65_535, 1), { width: 65_535, height: 1 }],
    ["WebP VP8X 2^24 wide", vp8x(2 ** 24, 1), null],
    ["WebP VP8X chunk shorter than its fields", riff("VP8X", new Uint8Array(9)), null],
    ["WebP starting with another chunk", riff("ALPH", new Uint8Array(10)), null],
    ["RIFF that is not WebP (WAVE)", bytes("RIFF", le32(36), "WAVEfmt ", new Uint8Array(24)), null],
  ] as const)("reads %s", (_, data, expected) => {
    expect(outcome(feed(data))).toEqual({ dimensions: expected, settled: true });
    expect(outcome(feedBytewise(data).reader)).toEqual({ dimensions: expected, settled: true });
  });
});

// ---- AVIF (ISOBMFF) -------------------------------------------------------------------------

const box = (type: string, ...parts: Part[]) => {
  const body = bytes(...parts);
  return bytes(u32(body.length + 8), type, body);
};
const fullBox = (type: string, version: number, flags: number, ...parts: Part[]) =>
  box(type, [version, (flags >>> 16) & 255, (flags >>> 8) & 255, flags & 255], ...parts);
const ftyp = (major: string, ...compatible: string[]) => box("ftyp", major, u32(0), ...compatible);
const FTYP = ftyp("avif", "mif1", "miaf");
const ispe = (width: number, height: number) => fullBox("ispe", 0, 0, u32(width), u32(height));
const irot = (quarterTurns: number) => box("irot", [quarterTurns]);
const pitm = (id: number, version = 0) => fullBox("pitm", version, 0, version ? u32(id) : u16(id));
const hdlr = fullBox("hdlr", 0, 0, u32(0), "pict", new Uint8Array(13));
/** ipma entries: item ID and 1-based ipco indices (marked essential, which must be masked). */
const ipma = (entries: [number, number[]][], version = 0, wide = false) =>
  fullBox(
    "ipma",
    version,
    wide ? 1 : 0,
    u32(entries.length),
    ...entries.flatMap(([id, indices]) => [
      version ? u32(id) : u16(id),
      [indices.length],
      ...indices.map((i) => (wide ? u16(0x8000 | i) : [0x80 | i])),
    ]),
  );
const meta = (...children: Part[]) => fullBox("meta", 0, 0, hdlr, ...children);
const iprp = (properties: Part[], ...maps: Part[]) =>
  box("iprp", box("ipco", ...properties), ...maps);
const avif = (...boxes: Part[]) => bytes(FTYP, ...boxes, box("mdat", "av1 data"));

describe("AVIF", () => {
  const big = ispe(640, 480);
  const small = ispe(160, 120);

  it.each([
    [
      "the primary item's ispe, not a larger one listed first",
      avif(
        meta(
          pitm(2),
          iprp(
            [big, small],
            ipma([
              [1, [1]],
              [2, [2]],
            ]),
          ),
        ),
      ),
      { width: 160, height: 120 },
    ],
    [
      "the largest ispe when there is no pitm",
      avif(
        meta(
          iprp(
            [small, big],
            ipma([
              [1, [1]],
              [2, [2]],
            ]),
          ),
        ),
      ),
      { width: 640, height: 480 },
    ],
    [
      "the primary item's irot (1 quarter turn)",
      avif(meta(pitm(1), iprp([big, irot(1)], ipma([[1, [1, 2]]])))),
      { width: 480, height: 640 },
    ],
    [
      "the primary item's irot (2 quarter turns: no swap)",
      avif(meta(pitm(1), iprp([big, irot(2)], ipma([[1, [1, 2]]])))),
      { width: 640, height: 480 },
    ],
    [
      "the primary item's irot (3 quarter turns)",
      avif(meta(pitm(1), iprp([big, irot(3)], ipma([[1, [1, 2]]])))),
      { width: 480, height: 640 },
    ],
    [
      "no irot that belongs to another item",
      avif(
        meta(
          pitm(1),
          iprp(
            [big, small, irot(1)],
            ipma([
              [1, [1]],
              [2, [2, 3]],
            ]),
          ),
        ),
      ),
      { width: 640, height: 480 },
    ],
    [
      "the first irot in ipco when there is no ipma",
      avif(meta(pitm(1), iprp([big, irot(1)]))),
      { width: 480, height: 640 },
    ],
    [
      "pitm after iprp",
      avif(
        meta(
          iprp(
            [big, small],
            ipma([
              [1, [1]],
              [2, [2]],
            ]),
          ),
          pitm(2),
        ),
      ),
      { width: 160, height: 120 },
    ],
    [
      "32-bit item IDs and 15-bit property indices",
      avif(
        meta(
          pitm(70_000, 1),
          iprp(
            [big, small],
            ipma(
              [
                [1, [1]],
                [70_000, [2]],
              ],
              1,
              true,
            ),
          ),
        ),
      ),
      { width: 160, height: 120 },
    ],
    [
      "a meta box with a 64-bit size",
      (() => {
        const inner = meta(pitm(1), iprp([small], ipma([[1, [1]]])));
        return avif(bytes(u32(1), "meta", u32(0), u32(inner.length + 8), inner.subarray(8)));
      })(),
      { width: 160, height: 120 },
    ],
    [
      "an 'avis' (sequence) brand",
      bytes(ftyp("avis", "msf1"), meta(iprp([small]))),
      { width: 160, height: 120 },
    ],
    [
      "'avif' only among compatible brands",
      bytes(ftyp("mif1", "miaf", "avif"), meta(iprp([small]))),
      { width: 160, height: 120 },
    ],
    [
      "an mdat before meta",
      bytes(FTYP, box("mdat", new Uint8Array(5000)), meta(iprp([small]))),
      { width: 160, height: 120 },
    ],
    ["a HEIC brand (not AVIF)", bytes(ftyp("heic", "mif1"), meta(iprp([small]))), null],
    ["an MP4 video", bytes(ftyp("isom", "iso2", "avc1", "mp41"), box("moov")), null],
    ["a meta box without ispe", avif(meta(pitm(1))), null],
    ["an ispe of 0x0", avif(meta(iprp([ispe(0, 0)]))), null],
    ["an ispe past the bound", avif(meta(iprp([ispe(70_000, 10)]))), null],
    ["an ispe box too short for its fields", avif(meta(iprp([box("ispe", u32(0), u32(5))]))), null],
    ["a box of size 0", bytes(FTYP, u32(0), "meta", meta(iprp([small]))), null],
    ["a box of size 4", bytes(FTYP, u32(4), "free", meta(iprp([small]))), null],
    [
      "a 64-bit size under 16",
      bytes(FTYP, u32(1), "free", u32(0), u32(15), meta(iprp([small]))),
      null,
    ],
    [
      "a child box larger than its parent",
      bytes(FTYP, fullBox("meta", 0, 0, u32(1000), "iprp")),
      null,
    ],
    ["an ftyp shorter than its brands", bytes(u32(12), "ftypavif", new Uint8Array(20)), null],
    [
      "ipma claiming 2^32 − 1 entries",
      avif(meta(pitm(1), iprp([small], fullBox("ipma", 0, 0, u32(0xffffffff), u16(1), [1, 0x81])))),
      null,
    ],
  ] as const)("takes %s", (_, data, expected) => {
    expect(outcome(feed(data))).toEqual({ dimensions: expected, settled: true });
    expect(outcome(feedBytewise(data).reader)).toEqual({ dimensions: expected, settled: true });
  });

  it("gives up at once on a box before meta that would end past maxBytes", () => {
    // A top-level mdat of 4 GiB (64-bit size) ahead of meta: no reason to count through it.
    const data = bytes(FTYP, u32(1), "mdat", u32(1), u32(0), new Uint8Array(100));
    const { reader, settledAt } = feedBytewise(data);
    expect(outcome(reader)).toEqual({ dimensions: null, settled: true });
    expect(settledAt).toBe(FTYP.length + 16);
  });

  it("walks thousands of nested boxes without recursing into them", () => {
    let nested = ispe(160, 120);
    for (let depth = 0; depth < 5000; depth++) nested = box(depth % 2 ? "iprp" : "ipco", nested);
    const data = avif(meta(nested, iprp([small])));
    expect(outcome(feed(data))).toEqual({ dimensions: { width: 160, height: 120 }, settled: true });
  });
});

// ---- Not images -----------------------------------------------------------------------------

describe("files that are not supported raster images", () => {
  it.each([
    ["text", "hello, world\n"],
    ["PDF", "%PDF-1.7\n1 0 obj\n"],
    ["SVG", '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'],
    ["XML-declared SVG", '<?xml version="1.0"?><svg/>'],
    ["JSON", '{"width":1,"height":1}'],
    ["ZIP", "PK\x03\x04\x14\x00"],
    ["BMP", "BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00"],
    ["TIFF", "II*\x00\x08\x00\x00\x00"],
    ["JPEG XL", "\xff\x0a\xfa\x7f"],
    ["a UTF-8 BOM", "\xef\xbb\xbfhello"],
  ])("settles %s as null at once", (_, text) => {
    const { reader, settledAt } = feedBytewise(bytes(text));
    expect(withOrientation(reader)).toEqual({ dimensions: null, settled: true, orientation: 1 });
    expect(settledAt).toBeLessThanOrEqual(2);
  });

  it("leaves an empty file unknown and unsettled (more bytes might come)", () => {
    expect(outcome(feed(new Uint8Array(0)))).toEqual({ dimensions: null, settled: false });
  });
});

// ---- Hostile input --------------------------------------------------------------------------

const SIGNATURES = [
  bytes(PNG_SIGNATURE),
  bytes(PNG_SIGNATURE, u32(13), "IHDR"),
  bytes([0xff, 0xd8]),
  bytes("GIF89a"),
  bytes("RIFF", le32(100), "WEBPVP8 "),
  bytes("RIFF", le32(100), "WEBPVP8L"),
  bytes("RIFF", le32(100), "WEBPVP8X"),
  FTYP,
  bytes(FTYP, u32(200), "meta", u32(0)),
  new Uint8Array(0),
];

/** Pieces that nearly make sense, so that random files reach deep into every parser. */
const piece = fc.oneof(
  fc.uint8Array({ maxLength: 24 }),
  fc
    .record({
      size: fc.oneof(fc.constantFrom(0, 1, 7, 8, 9, 12, 16, 20, 2 ** 32 - 1), fc.nat(80)),
      type: fc.constantFrom("meta", "iprp", "ipco", "ipma", "ispe", "irot", "pitm", "mdat", "ftyp"),
    })
    .map(({ size, type }) => bytes(u32(size), type)),
  fc
    .tuple(fc.integer({ min: 0xc0, max: 0xff }), fc.oneof(fc.nat(20), fc.nat(0xffff)))
    .map(([marker, length]) => bytes([0xff, marker], u16(length))),
  fc.tuple(fc.nat(0xffff), fc.nat(0xffff)).map(([w, h]) => bytes(u32(w), u32(h), le16(w), le16(h))),
  fc
    .tuple(fc.nat(60), fc.constantFrom("II*\0", "MM\0*"), fc.oneof(fc.nat(40), fc.nat()))
    .map(([length, header, ifd0]) =>
      bytes([0xff, 0xe1], u16(length), "Exif\0\0", header, u32(ifd0), u16(ORIENTATION_TAG)),
    ),
);

const hostileFile = fc
  .tuple(fc.constantFrom(...SIGNATURES), fc.array(piece, { maxLength: 30 }))
  .map(([signature, pieces]) => bytes(signature, ...pieces));

/** Valid files to mutate: every fixture plus hand-built AVIF item tables and JPEG segments. */
const SEEDS = [
  ...FIXTURES.map((f) => f.data),
  avif(
    meta(
      pitm(2),
      iprp(
        [ispe(640, 480), ispe(160, 120), irot(1)],
        ipma([
          [1, [1]],
          [2, [2, 3]],
        ]),
      ),
    ),
  ),
  avif(meta(pitm(70_000, 1), iprp([ispe(640, 480), irot(3)], ipma([[70_000, [1, 2]]], 1, true)))),
  withSegments(fixture("jpeg-baseline-123x45.jpg"), app1(300), bytes([0xff, 0xfe], u16(4), "hi")),
  withSegments(
    fixture("jpeg-baseline-123x45.jpg"),
    exifSegment("MM", [DESCRIPTION, orientationEntry(6)], { gap: 6 }),
  ),
];

/** A seed with a few bytes overwritten, inserted or deleted, and perhaps cut short. */
const mutatedImage = fc
  .tuple(
    fc.constantFrom(...SEEDS),
    fc.array(fc.tuple(fc.nat(), fc.nat(255), fc.constantFrom("set", "insert", "delete")), {
      minLength: 1,
      maxLength: 6,
    }),
    fc.option(fc.nat(), { nil: undefined }),
  )
  .map(([seed, edits, cut]) => {
    const out = Array.from(seed);
    for (const [position, value, edit] of edits) {
      // Edits land in the first 1200 bytes, where every header here lies.
      const at = position % Math.min(out.length + 1, 1200);
      if (edit === "set") out[at] = value;
      else if (edit === "insert") out.splice(at, 0, value);
      else out.splice(at, 1);
    }
    return bytes(cut === undefined ? out : out.slice(0, cut % (out.length + 1)));
  });

/** An orientation is always 1–8, and 1 when there is no size for it to turn. */
function expectOrientationWithinBounds(reader: DimensionReader) {
  expect(Number.isInteger(reader.orientation)).toBe(true);
  expect(reader.orientation >= 1 && reader.orientation <= 8).toBe(true);
  if (!reader.dimensions) expect(reader.orientation).toBe(1);
}

describe("hostile input", () => {
  it("never throws, and any chunking gives the same answer within bounds", () => {
    fc.assert(
      fc.property(
        hostileFile,
        cutsOf(2000),
        fc.option(fc.integer({ min: 1, max: 600 }), { nil: undefined }),
        (data, cuts, maxBytes) => {
          const whole = feed(data, [], maxBytes);
          const chunked = feed(data, cuts, maxBytes);
          expect(withOrientation(chunked)).toEqual(withOrientation(whole));
          expectOrientationWithinBounds(whole);
          const d = whole.dimensions;
          if (d) {
            expect(whole.settled).toBe(true);
            for (const side of [d.width, d.height]) {
              expect(Number.isInteger(side) && side >= 1 && side <= MAX_DIMENSION).toBe(true);
            }
          }
          if (data.length >= (maxBytes ?? DEFAULT_MAX_BYTES)) expect(whole.settled).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("never throws on mutated real and hand-built images, and any chunking agrees", () => {
    fc.assert(
      fc.property(mutatedImage, cutsOf(1500), (data, cuts) => {
        const whole = feed(data);
        expect(withOrientation(feed(data, cuts))).toEqual(withOrientation(whole));
        expectOrientationWithinBounds(whole);
        const d = whole.dimensions;
        if (d) expect(d.width >= 1 && d.height <= MAX_DIMENSION).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
