// Regenerates the tiny images under test/fixtures/images/ that test/image-dimensions.test.ts
// reads: `node scripts/make-image-fixtures.mjs`. The tests run inside workerd, which can neither
// run sharp nor read files, so the script also writes test/fixtures/images/index.ts with each
// file as base64 and its expected size and orientation. sharp is a devDependency, pinned at
// the version miniflare brings for its local Images binding (docs/DEPENDENCIES.md).
// Every expected size and EXIF orientation is checked against sharp's own reading of the file
// before anything is written.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import sharp from "sharp";

const DIR = new URL("../test/fixtures/images/", import.meta.url);
const INDEX = new URL("index.ts", DIR);

/** A flat image with a few stripes, so encoders have something (but little) to compress. */
function canvas(width, height, channels = 3) {
  const pixels = Buffer.alloc(width * height * channels);
  for (let i = 0; i < width * height; i++) {
    const stripe = Math.floor((i % width) / 8) % 2;
    const rgba = stripe ? [200, 30, 90, 128] : [20, 120, 220, 255];
    pixels.set(rgba.slice(0, channels), i * channels);
  }
  return sharp(pixels, { raw: { width, height, channels } });
}

/** A JPEG with an APP1 segment holding `tiff` as EXIF right after SOI (and no other EXIF). */
async function withExifSegment(jpeg, tiff) {
  const bytes = await jpeg.toBuffer();
  const body = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]);
  const header = Buffer.from([0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 255]);
  return Buffer.concat([bytes.subarray(0, 2), header, body, bytes.subarray(2)]);
}

/**
 * A TIFF structure (TIFF 6.0 §2) in either byte order: its header, `gap` spare bytes, then IFD0
 * with an ImageDescription ("fix", inline) and an Orientation, and no next IFD.
 */
function tiff(order, orientation, gap = 0) {
  const b = Buffer.alloc(8 + gap + 2 + 2 * 12 + 4);
  const u16 = (v, at) => (order === "MM" ? b.writeUInt16BE(v, at) : b.writeUInt16LE(v, at));
  const u32 = (v, at) => (order === "MM" ? b.writeUInt32BE(v, at) : b.writeUInt32LE(v, at));
  b.write(order, 0, "latin1");
  u16(42, 2);
  u32(8 + gap, 4);
  b.fill(0xa5, 8, 8 + gap);
  let at = 8 + gap;
  u16(2, at);
  at += 2;
  for (const [tag, type, value] of [
    [0x010e, 2, Buffer.from("fix\0", "latin1")], // ASCII, 4 bytes: fits in the value field
    [0x0112, 3, orientation], // SHORT
  ]) {
    u16(tag, at);
    u16(type, at + 2);
    u32(type === 2 ? value.length : 1, at + 4);
    if (type === 2) value.copy(b, at + 8);
    else u16(value, at + 8);
    at += 12;
  }
  return b;
}

// Each fixture: its name, the size the reader must report (the stored raster, except that AVIF's
// irot is applied; EXIF orientation never is: see src/images/dimension-reader.ts), how to make
// it, and optionally the EXIF orientation sharp must read from it and the TIFF byte order its
// EXIF must have. The reader must report that orientation for a JPEG and 1 for the other formats
// (their EXIF lies beyond the header that settles the size).
const FIXTURES = [
  ["png-123x45.png", [123, 45], () => canvas(123, 45).png()],
  ["png-interlaced-300x2.png", [300, 2], () => canvas(300, 2, 4).png({ progressive: true })],
  // An eXIf chunk after IHDR: sharp reads orientation 6, the reader reports 1.
  [
    "png-exif-orientation-6-45x123.png",
    [45, 123],
    () => canvas(45, 123).withMetadata({ orientation: 6 }).png(),
    { orientation: 6 },
  ],
  ["jpeg-baseline-123x45.jpg", [123, 45], () => canvas(123, 45).jpeg()],
  ["jpeg-progressive-301x17.jpg", [301, 17], () => canvas(301, 17).jpeg({ progressive: true })],
  ["jpeg-grey-7x300.jpg", [7, 300], () => canvas(7, 300).greyscale().jpeg()],
  // EXIF (APP1, orientation 6 = turn 90° clockwise to display) and an ICC profile (APP2) before
  // the frame header; the stored 45x123 is reported, not the displayed 123x45.
  [
    "jpeg-exif-icc-45x123.jpg",
    [45, 123],
    () =>
      canvas(45, 123)
        .withMetadata({ orientation: 6, icc: "srgb" })
        .withExif({ IFD0: { ImageDescription: "fixture" } })
        .jpeg(),
    { orientation: 6, exif: "II" },
  ],
  // EXIF orientations as libvips (libexif) writes them: little-endian, IFD0 at offset 8.
  ...[
    [1, 123, 45],
    [3, 123, 45],
    [6, 45, 123],
    [8, 45, 123],
  ].map(([orientation, width, height]) => [
    `jpeg-exif-orientation-${orientation}-${width}x${height}.jpg`,
    [width, height],
    () => canvas(width, height).withMetadata({ orientation }).jpeg(),
    { orientation, exif: "II" },
  ]),
  // Big-endian: libexif keeps the byte order of the EXIF it is given, so a hand-built "MM" one is
  // passed through sharp, which rewrites it (and the JPEG) with the orientation asked for.
  ...[
    [3, 123, 45],
    [8, 45, 123],
  ].map(([orientation, width, height]) => [
    `jpeg-exif-big-endian-orientation-${orientation}-${width}x${height}.jpg`,
    [width, height],
    async () =>
      sharp(await withExifSegment(canvas(width, height).jpeg(), tiff("MM", 1)))
        .withMetadata({ orientation })
        .jpeg(),
    { orientation, exif: "MM" },
  ]),
  // Hand-built (sharp always writes IFD0 at 8): IFD0 at offset 26, after 18 spare bytes.
  [
    "jpeg-exif-ifd0-at-26-orientation-7-45x123.jpg",
    [45, 123],
    () => withExifSegment(canvas(45, 123).jpeg(), tiff("II", 7, 18)),
    { orientation: 7, exif: "II" },
  ],
  ["gif-123x45.gif", [123, 45], () => canvas(123, 45).gif()],
  ["webp-lossy-123x45.webp", [123, 45], () => canvas(123, 45).webp()],
  ["webp-lossless-257x3.webp", [257, 3], () => canvas(257, 3).webp({ lossless: true })],
  ["webp-alpha-123x45.webp", [123, 45], () => canvas(123, 45, 4).webp()],
  // EXIF after the image data (VP8X): sharp reads orientation 6, the reader reports 1.
  [
    "webp-exif-orientation-6-45x123.webp",
    [45, 123],
    () => canvas(45, 123).withMetadata({ orientation: 6 }).webp(),
    { orientation: 6 },
  ],
  ["avif-123x45.avif", [123, 45], () => canvas(123, 45).avif()],
  // The alpha plane is a second (auxiliary) item; libheif lets it share the colour item's ispe.
  // Primary-versus-other ispe choices are tested on hand-built boxes in the test file.
  ["avif-alpha-301x17.avif", [301, 17], () => canvas(301, 17, 4).avif()],
  // Stored 123x45 with irot (3 quarter turns anti-clockwise), so displayed 45x123.
  [
    "avif-irot-45x123.avif",
    [45, 123],
    () => canvas(123, 45).withMetadata({ orientation: 6 }).avif(),
  ],
];

const SIGNATURES = {
  png: "89504e47",
  jpg: "ffd8ff",
  gif: "47494638",
  webp: "52494646",
  avif: "0000",
};

mkdirSync(DIR, { recursive: true });
const entries = [];
for (const [name, [width, height], make, exif = {}] of FIXTURES) {
  const made = await make();
  const bytes = Buffer.isBuffer(made) ? made : await made.toBuffer();
  const meta = await sharp(bytes).metadata();
  if (meta.width !== width || meta.height !== height) {
    throw new Error(
      `${name}: sharp reads ${meta.width}x${meta.height}, expected ${width}x${height}`,
    );
  }
  const exifOrientation = exif.orientation ?? 1;
  if ((meta.orientation ?? 1) !== exifOrientation) {
    throw new Error(`${name}: sharp reads orientation ${meta.orientation}, not ${exifOrientation}`);
  }
  if (exif.exif && !bytes.includes(Buffer.from(`Exif\0\0${exif.exif}`, "latin1"))) {
    throw new Error(`${name}: no ${exif.exif} EXIF`);
  }
  const ext = name.slice(name.lastIndexOf(".") + 1);
  const orientation = ext === "jpg" ? exifOrientation : 1;
  if (!bytes.toString("hex").startsWith(SIGNATURES[ext])) throw new Error(`${name}: not a ${ext}`);
  if (bytes.length > 4096) throw new Error(`${name}: ${bytes.length} bytes, keep fixtures tiny`);
  writeFileSync(new URL(name, DIR), bytes);
  entries.push(
    `  { name: "${name}", width: ${width}, height: ${height}, orientation: ${orientation}, base64: "${bytes.toString("base64")}" },\n`,
  );
  console.log(`${name}: ${bytes.length} bytes`);
}

writeFileSync(
  INDEX,
  `// Generated by scripts/make-image-fixtures.mjs from the image files beside this one: do not edit.
// The tests run in workerd, which cannot read files, so the images travel as base64.

export interface ImageFixture {
  name: string;
  width: number;
  height: number;
  /** The EXIF orientation the reader must report (1 where it does not read one). */
  orientation: number;
  base64: string;
}

export const IMAGE_FIXTURES: ImageFixture[] = [
${entries.join("")}];
`,
);
// Laid out by the project's formatter, so that `npm run lint` passes on the generated file.
execFileSync(fileURLToPath(new URL("../node_modules/.bin/biome", import.meta.url)), [
  "format",
  "--write",
  fileURLToPath(INDEX),
]);
