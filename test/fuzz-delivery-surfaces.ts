// The public URLs' input surfaces, as the fuzzer's table (fuzz-surface.ts): image parameters
// on a real PNG, and the headers a client or a CDN sends (Range, conditionals, Accept). Reads
// only: what they answer is checked against the stored bytes.

import fc from "fast-check";
import { expect } from "vitest";
import { numberText } from "./fuzz-inputs";
import { type Surface, surface } from "./fuzz-surface";
import { FIXTURE_BYTES, type Fixture } from "./stored-state";

const IMAGE_VALUES: Record<string, fc.Arbitrary<string>> = {
  width: fc.oneof(numberText([1, 50, 123, 8192, 8193]), fc.constantFrom("0.5", "150p", "1001p")),
  height: fc.oneof(numberText([1, 45, 8192, 8193]), fc.constantFrom("0.5", "50p")),
  dpr: fc.constantFrom("1", "2", "3.5", "0", "11", "x"),
  fit: fc.constantFrom("bounds", "crop", "cover", "scale-down", ""),
  crop: fc.constantFrom(
    "10,10",
    "1:1",
    "16:9,smart",
    "10,10,x5,y5",
    "200,200",
    "0.5,0.5,safe",
    "a",
  ),
  // No `gif`: Miniflare's local engine cannot write GIF and answers 502 (docs/IMAGES.md).
  format: fc.constantFrom("jpg", "pjpg", "png", "webp", "webpll", "avif", "bmp", "GIF"),
  auto: fc.constantFrom("webp", "avif", "gif", "x"),
  quality: numberText([0, 1, 100, 101]),
  orient: fc.constantFrom("1", "6", "8", "9", "h", "r", "constructor"),
  disable: fc.constantFrom("upscale", "x"),
  "bg-color": fc.constantFrom("fff", "ff0000", "FF000080", "red", "#fff", "ggg"),
  blur: numberText([0, 1, 250, 251]),
  trim: fc.constantFrom("1", "10,10", "0.5", "50,70,50,70", "-1", "1,2,3,4,5"),
  pad: fc.constantFrom("1", "10,10", "0.25", "9000", "-1"),
  dl: fc.constantFrom("", "true", "false", "name.png", "a\u0000b", "../x"),
  unknown: fc.constantFrom("1", ""),
};
const IMAGE_PARAMS = Object.keys(IMAGE_VALUES);

const imageParams = surface<{ permanent: boolean; pairs: [string, string][] }>({
  name: "image parameters",
  runs: 100,
  input: fc.record({
    permanent: fc.boolean(),
    pairs: fc.array(
      fc
        .constantFrom(...IMAGE_PARAMS)
        .chain((name) =>
          (IMAGE_VALUES[name] as fc.Arbitrary<string>).map((v): [string, string] => [name, v]),
        ),
      { minLength: 1, maxLength: 4 },
    ),
  }),
  request: ({ permanent, pairs }, f) => {
    const url = (permanent ? f.image.permanent_url : f.image.url) as string;
    return new Request(`${url}?${new URLSearchParams(pairs)}`);
  },
  fields: IMAGE_PARAMS,
  async accepted(_input, answer) {
    // An image (the variant, or the original when no parameter changes it).
    expect(answer.headers.get("content-type")).toMatch(/^image\//);
    expect(answer.bytes.length).toBeGreaterThan(0);
    return "read";
  },
});

const RANGES = [
  "bytes=0-0",
  "bytes=0-9",
  "bytes=5-",
  "bytes=-7",
  "bytes=1-0",
  "bytes=999-",
  "bytes=0-1,3-4",
];
const header = fc.oneof(
  fc.constantFrom(...RANGES, "bytes=", "items=0-1", "bytes=-", "bytes=00-01", "bytes= 0-1"),
  fc.constantFrom('"{etag}"', "{etag}", 'W/"{etag}"', "*", '"x", {etag}', "{etag}, {etag}"),
  fc.constantFrom("Thu, 01 Jan 1970 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "yesterday"),
  fc.string({
    unit: fc.constantFrom(
      "b",
      "y",
      "t",
      "e",
      "s",
      "=",
      "-",
      ",",
      "0",
      "5",
      " ",
      '"',
      "W",
      "/",
      "*",
    ),
    maxLength: 16,
  }),
);

interface HeaderInput {
  permanent: boolean;
  headers: [string, string][];
}

const deliveryHeaders = surface<HeaderInput>({
  name: "public URL headers (Range, conditionals, Accept)",
  runs: 120,
  input: fc.record({
    permanent: fc.boolean(),
    headers: fc.array(
      fc.tuple(
        fc.constantFrom(
          "range",
          "if-none-match",
          "if-match",
          "if-modified-since",
          "if-unmodified-since",
          "if-range",
          "accept",
        ),
        header,
      ),
      { maxLength: 3 },
    ),
  }),
  request: ({ permanent, headers }, f: Fixture) => {
    const etag = f.values.etag?.replaceAll('"', "") ?? "";
    const request = new Request((permanent ? f.assetA.permanent_url : f.assetA.url) as string);
    for (const [name, value] of headers)
      request.headers.append(name, value.replaceAll("{etag}", etag));
    return request;
  },
  fields: [],
  statuses: [304, 412, 416],
  async accepted(_input, answer) {
    // Whatever was asked, the bytes served are the stored bytes, whole or the range said.
    const stored = new TextEncoder().encode(FIXTURE_BYTES);
    if (answer.status === 200) expect(answer.bytes).toEqual(stored);
    else {
      expect(answer.status).toBe(206);
      const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(answer.headers.get("content-range") ?? "");
      expect(range?.[3]).toBe(String(stored.length));
      expect(answer.bytes).toEqual(stored.slice(Number(range?.[1]), Number(range?.[2]) + 1));
    }
    return "read";
  },
});

export const DELIVERY_SURFACES: Surface<unknown>[] = [imageParams, deliveryHeaders];
