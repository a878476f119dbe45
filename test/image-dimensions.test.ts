// src/domain/image-dimensions.ts: real images (test/fixtures/images, made by sharp) fed whole, byte
// by byte and in random chunkings; truncated files; non-images; hand-built hostile headers; the
// byte budget. Pure, so plain unit tests (they run in workerd like the rest).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createDimensionReader,
  DEFAULT_MAX_BYTES,
  type DimensionReader,
  MAX_DIMENSION,
} from "../src/domain/image-dimensions";
import { IMAGE_FIXTURES } from "./fixtures/images/index";

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

const fromBase64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

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
    if (!reader.settled) expect(reader.dimensions).toBeNull();
  }
  return { reader, settledAt };
}

const outcome = (r: DimensionReader) => ({ dimensions: r.dimensions, settled: r.settled });
const cutsOf = (length: number) => fc.array(fc.nat(length), { maxLength: 40 });

const FIXTURES = IMAGE_FIXTURES.map((f) => ({ ...f, data: fromBase64(f.base64) }));
const fixture = (name: string) => {
  const found = FIXTURES.find((f) => f.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found.data;
};

// ---- Real images ----------------------------------------------------------------------------

describe("real images", () => {
  it.each(FIXTURES)("reads $name whole", ({ data, width, height }) => {
    const reader = feed(data);
    expect(reader.dimensions).toEqual({ width, height });
    expect(reader.settled).toBe(true);
  });

  it.each(FIXTURES)("reads $name byte by byte, unknown until it settles", ({ data, ...f }) => {
    const { reader, settledAt } = feedBytewise(data);
    expect(reader.dimensions).toEqual({ width: f.width, height: f.height });
    // Every header here ends in the first kilobyte or so; the rest of the file is never needed.
    expect(settledAt).not.toBeNull();
    expect(settledAt).toBeLessThanOrEqual(Math.min(data.length, 1200));
  });

  it.each(FIXTURES)("reads $name the same in any chunking", ({ data, width, height }) => {
    fc.assert(
      fc.property(cutsOf(data.length), (cuts) => {
        expect(outcome(feed(data, cuts))).toEqual({ dimensions: { width, height }, settled: true });
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

  it("reports a JPEG's stored size, not the one its EXIF orientation would display", () => {
    // The fixture is stored 45x123 with orientation 6; AVIF's irot, by contrast, is applied.
    expect(feed(fixture("jpeg-exif-icc-45x123.jpg")).dimensions).toEqual({
      width: 45,
      height: 123,
    });
    expect(feed(fixture("avif-irot-45x123.avif")).dimensions).toEqual({ width: 45, height: 123 });
  });
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
    expect(outcome(reader)).toEqual({ dimensions: null, settled: true });
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
          expect(outcome(chunked)).toEqual(outcome(whole));
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
        expect(outcome(feed(data, cuts))).toEqual(outcome(whole));
        const d = whole.dimensions;
        if (d) expect(d.width >= 1 && d.height <= MAX_DIMENSION).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
