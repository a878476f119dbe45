// src/images/transform-plan.ts (output size and the binding's steps, against hand-computed sizes),
// formats.ts (negotiation, source formats, download names), variant.ts (ETags) and peek.ts (the
// size read off a stream that is then replayed whole). Pure but for peek, which runs on workerd's
// streams.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OUTPUT_LIMITS } from "../src/delivery/serve-image";
import {
  type AutoFormat,
  negotiate,
  OUTPUT_FORMATS,
  type OutputFormat,
  outputExtension,
  outputMime,
  sourceFormat,
  withExtension,
} from "../src/images/formats";
import type { ImageParams } from "../src/images/params";
import { parseImageParams } from "../src/images/parse-params";
import { peekImage } from "../src/images/peek";
import {
  type Limits,
  planTransform,
  type SourceImage,
  type TransformPlan,
} from "../src/images/transform-plan";
import { variantEtag } from "../src/images/variant";
import { FIXTURES } from "./fixtures/images/decoded";

// ---- Sources and helpers -----------------------------------------------------------------------

/** 400x300, upright. */
const LANDSCAPE: SourceImage = { width: 400, height: 300, orientation: 1, format: "jpg" };
/** 300x400, upright. */
const PORTRAIT: SourceImage = { width: 300, height: 400, orientation: 1, format: "png" };
/** Stored 400x300 with EXIF orientation 6: shown (and transformed) as 300x400. */
const TURNED: SourceImage = { width: 400, height: 300, orientation: 6, format: "jpg" };
const SOURCES = { landscape: LANDSCAPE, portrait: PORTRAIT, "EXIF 6": TURNED } as const;
type SourceName = keyof typeof SOURCES;

function paramsOf(query: string): ImageParams {
  const parsed = parseImageParams(new URLSearchParams(query));
  if (!parsed.ok) throw new Error(`${query}: ${parsed.param} ${parsed.reason}`);
  return parsed.params ?? {};
}

function planOf(
  query: string,
  source: SourceImage = LANDSCAPE,
  limits: Limits = OUTPUT_LIMITS,
): TransformPlan {
  const params = paramsOf(query);
  const result = planTransform(params, source, params.format, limits);
  if (!result.ok) throw new Error(`${query}: ${result.param} ${result.reason}`);
  return result.plan;
}

const sizeOf = (plan: TransformPlan) => `${plan.width}x${plan.height}`;
const last = (plan: TransformPlan) => plan.steps.at(-1);
/** The binding's trim step that cuts out a region (left, top, width, height) of the source. */
const cut = (left: number, top: number, width: number, height: number): ImageTransform => ({
  trim: { left, top, width, height },
});

// ---- Sizes -------------------------------------------------------------------------------------

describe("planTransform: output sizes", () => {
  it.each<[string, SourceName, string]>([
    // width only: the height follows the aspect ratio
    ["width=200", "landscape", "200x150"],
    ["width=200", "portrait", "200x267"], // 400 * 200 / 300 = 266.7
    ["width=200", "EXIF 6", "200x267"],
    ["width=800", "landscape", "800x600"], // upscaling is allowed by default
    // height only
    ["height=150", "landscape", "200x150"],
    ["height=150", "portrait", "113x150"], // 300 * 150 / 400 = 112.5
    ["height=150", "EXIF 6", "113x150"],
    // both without fit: exactly as asked
    ["width=100&height=100", "landscape", "100x100"],
    ["width=100&height=300", "portrait", "100x300"],
    // bounds: inside the box, aspect kept
    ["width=200&height=200&fit=bounds", "landscape", "200x150"],
    ["width=200&height=200&fit=bounds", "portrait", "150x200"],
    ["width=200&height=200&fit=bounds", "EXIF 6", "150x200"],
    ["width=800&height=300&fit=bounds", "landscape", "400x300"],
    // cover: covers the box, aspect kept
    ["width=200&height=200&fit=cover", "landscape", "267x200"],
    ["width=200&height=200&fit=cover", "portrait", "200x267"],
    ["width=200&height=200&fit=cover", "EXIF 6", "200x267"],
    // crop: fills the box exactly, what overflows is cut
    ["width=200&height=200&fit=crop", "landscape", "200x200"],
    ["width=100&height=300&fit=crop", "EXIF 6", "100x300"],
    // disable=upscale: never larger than the source
    ["width=800&disable=upscale", "landscape", "400x300"],
    ["width=200&disable=upscale", "landscape", "200x150"],
    ["height=600&disable=upscale", "portrait", "300x400"],
    ["height=600&disable=upscale", "EXIF 6", "300x400"],
    ["width=800&height=100&disable=upscale", "landscape", "400x50"],
    ["width=800&height=800&fit=bounds&disable=upscale", "landscape", "400x300"],
    ["width=800&height=800&fit=cover&disable=upscale", "landscape", "400x300"],
    ["width=800&height=800&fit=crop&disable=upscale", "landscape", "300x300"],
    ["width=100&height=100&fit=crop&disable=upscale", "landscape", "100x100"],
    // percentages and fractions of the source's side
    ["width=50p", "landscape", "200x150"],
    ["width=0.25", "landscape", "100x75"],
    ["height=150p", "portrait", "450x600"],
    ["height=0.5", "EXIF 6", "150x200"],
    ["width=50p&height=10p", "landscape", "200x30"],
    ["width=1000p", "landscape", "4000x3000"],
    ["width=150p&disable=upscale", "portrait", "300x400"],
    ["width=0.001", "landscape", "1x1"], // 0.4 pixels is still a width, the smallest there is
    ["width=0.001&height=100", "landscape", "1x100"],
    // dpr, folded in by the parser
    ["width=100&dpr=2", "landscape", "200x150"],
    ["width=0.25&dpr=2", "landscape", "200x150"],
  ])("%s on the %s source gives %s", (query, source, expected) => {
    expect(sizeOf(planOf(query, SOURCES[source]))).toBe(expected);
  });

  it.each<[string, string, ImageTransform]>([
    ["width=200", "200x150", { width: 200, height: 150, fit: "squeeze" }],
    ["width=100&height=100", "100x100", { width: 100, height: 100, fit: "squeeze" }],
    ["width=200&height=200&fit=bounds", "200x150", { width: 200, height: 150, fit: "squeeze" }],
    ["width=200&height=200&fit=cover", "267x200", { width: 267, height: 200, fit: "squeeze" }],
    ["width=200&height=200&fit=crop", "200x200", { width: 200, height: 200, fit: "cover" }],
  ])("resizes %s to %s in one step", (query, size, step) => {
    const plan = planOf(query);
    expect(sizeOf(plan)).toBe(size);
    expect(plan.steps).toEqual([step]);
  });

  it("takes the source upright: EXIF 5 to 8 swap its sides, 1 to 4 do not", () => {
    for (const orientation of [1, 2, 3, 4]) {
      expect(sizeOf(planOf("width=200", { ...LANDSCAPE, orientation }))).toBe("200x150");
    }
    for (const orientation of [5, 6, 7, 8]) {
      expect(sizeOf(planOf("width=200", { ...LANDSCAPE, orientation }))).toBe("200x267");
    }
  });
});

describe("planTransform: crop", () => {
  it.each<[string, SourceName, string, ImageTransform]>([
    // a size, centred by default
    ["crop=200,100", "landscape", "200x100", cut(100, 100, 200, 100)],
    ["crop=0.5,50p", "landscape", "200x150", cut(100, 75, 200, 150)],
    ["crop=200,100", "EXIF 6", "200x100", cut(50, 150, 200, 100)],
    // a ratio: the largest region of that shape
    ["crop=16:9", "landscape", "400x225", cut(0, 38, 400, 225)],
    ["crop=1:1", "landscape", "300x300", cut(50, 0, 300, 300)],
    ["crop=1:1", "portrait", "300x300", cut(0, 50, 300, 300)],
    ["crop=1:1", "EXIF 6", "300x300", cut(0, 50, 300, 300)],
    ["crop=3:1", "portrait", "300x100", cut(0, 150, 300, 100)],
    // positions: a top-left corner, or a share of the space left over
    ["crop=200,100,x10,y20", "landscape", "200x100", cut(10, 20, 200, 100)],
    ["crop=200,100,x0.1,y10p", "landscape", "200x100", cut(40, 30, 200, 100)],
    ["crop=200,100,offset-x0,offset-y100", "landscape", "200x100", cut(0, 200, 200, 100)],
    ["crop=200,100,offset-x25", "landscape", "200x100", cut(50, 100, 200, 100)],
    ["crop=16:9,offset-y0", "landscape", "400x225", cut(0, 0, 400, 225)],
    ["crop=200,100,x200,y200", "landscape", "200x100", cut(200, 200, 200, 100)],
    // safe: kept inside the image
    ["crop=500,100,safe", "landscape", "400x100", cut(0, 100, 400, 100)],
    ["crop=200,100,x300,safe", "landscape", "200x100", cut(200, 100, 200, 100)],
    ["crop=200,100,x10,y290,safe", "landscape", "200x100", cut(10, 200, 200, 100)],
    // smart: the ratio's size, placed by the engine
    [
      "crop=16:9,smart",
      "landscape",
      "400x225",
      { width: 400, height: 225, fit: "crop", gravity: "auto" },
    ],
    [
      "crop=1:2,smart",
      "EXIF 6",
      "200x400",
      { width: 200, height: 400, fit: "crop", gravity: "auto" },
    ],
  ])("%s on the %s source cuts %s", (query, source, size, step) => {
    const plan = planOf(query, SOURCES[source]);
    expect(sizeOf(plan)).toBe(size);
    expect(plan.steps[0]).toEqual(step);
  });

  it("crops before it resizes, and resizes the region", () => {
    const plan = planOf("crop=1:1&width=100");
    expect(plan.steps).toEqual([cut(50, 0, 300, 300), { width: 100, height: 100, fit: "squeeze" }]);
    expect(sizeOf(planOf("crop=200,100&width=50p"))).toBe("100x50");
  });

  it.each<[string, RegExp]>([
    ["crop=500,100", /500x100 is larger than the 400x300 image/],
    ["crop=400,301", /400x301 is larger than the 400x300 image/],
    ["crop=200,100,x300", /the region falls outside the image/],
    ["crop=200,100,y0.9", /the region falls outside the image/],
    ["crop=200,100,smart", /smart needs an aspect ratio/],
  ])("refuses %s, naming crop", (query, reason) => {
    const params = paramsOf(query);
    const result = planTransform(params, LANDSCAPE, undefined, OUTPUT_LIMITS);
    expect(result).toMatchObject({ ok: false, param: "crop" });
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe("planTransform: trim, pad, orient, blur", () => {
  it.each<[string, SourceName, string, ImageTransform]>([
    ["trim=10", "landscape", "380x280", { trim: { top: 10, right: 10, bottom: 10, left: 10 } }],
    [
      "trim=10,20,30,40",
      "landscape",
      "340x260",
      { trim: { top: 10, right: 20, bottom: 30, left: 40 } },
    ],
    ["trim=0.1", "landscape", "320x240", { trim: { top: 30, right: 40, bottom: 30, left: 40 } }],
    ["trim=10,0", "EXIF 6", "300x380", { trim: { top: 10, right: 0, bottom: 10, left: 0 } }],
  ])("trims %s from the %s source to %s", (query, source, size, step) => {
    const plan = planOf(query, SOURCES[source]);
    expect(sizeOf(plan)).toBe(size);
    expect(plan.steps[0]).toEqual(step);
  });

  it("refuses a trim that leaves nothing, naming trim", () => {
    for (const query of ["trim=150", "trim=0,200", "trim=0,0,0,1000p", "trim=50p"]) {
      const result = planTransform(paramsOf(query), LANDSCAPE, undefined, OUTPUT_LIMITS);
      expect(result, query).toMatchObject({ ok: false, param: "trim" });
      if (!result.ok) expect(result.reason).toMatch(/would remove the whole 400x300 image/);
    }
  });

  it.each<[string, string, ImageTransform]>([
    ["pad=10", "420x320", { border: { top: 10, right: 10, bottom: 10, left: 10 } }],
    ["pad=10,20", "440x320", { border: { top: 10, right: 20, bottom: 10, left: 20 } }],
    ["pad=0.1", "480x360", { border: { top: 30, right: 40, bottom: 30, left: 40 } }],
    ["pad=1,2,3,4", "406x304", { border: { top: 1, right: 2, bottom: 3, left: 4 } }],
    [
      "pad=10&bg-color=ff0000",
      "420x320",
      {
        border: { top: 10, right: 10, bottom: 10, left: 10, color: "#ff0000" },
        background: "#ff0000",
      },
    ],
  ])("pads %s to %s", (query, size, step) => {
    const plan = planOf(query);
    expect(sizeOf(plan)).toBe(size);
    expect(plan.steps[0]).toEqual(step);
  });

  it("pads after it resizes, by lengths of the resized image", () => {
    const plan = planOf("width=200&pad=0.1");
    expect(sizeOf(plan)).toBe("240x180");
    expect(plan.steps.slice(0, 2)).toEqual([
      { width: 200, height: 150, fit: "squeeze" },
      { border: { top: 15, right: 20, bottom: 15, left: 20 } },
    ]);
  });

  it.each<[number, ImageTransform[], string]>([
    [2, [{ flip: "h" }], "400x300"],
    [3, [{ rotate: 180 }], "400x300"],
    [4, [{ flip: "v" }], "400x300"],
    [5, [{ flip: "h" }, { rotate: 270 }], "300x400"],
    [6, [{ rotate: 90 }], "300x400"],
    [7, [{ flip: "h" }, { rotate: 90 }], "300x400"],
    [8, [{ rotate: 270 }], "300x400"],
  ])("orient=%i turns the image with %j, giving %s", (orient, steps, size) => {
    const plan = planOf(`orient=${orient}`);
    expect(plan.steps).toEqual(steps);
    expect(sizeOf(plan)).toBe(size);
  });

  it("orients before it resizes, so a width applies to the turned image", () => {
    expect(sizeOf(planOf("orient=6&width=150"))).toBe("150x200");
    expect(sizeOf(planOf("orient=r&width=150", TURNED))).toBe("150x113");
    expect(sizeOf(planOf("orient=8", TURNED))).toBe("400x300");
    expect(planOf("orient=3&width=200").steps).toEqual([
      { rotate: 180 },
      { width: 200, height: 150, fit: "squeeze" },
    ]);
  });

  it.each([
    ["blur=5", 5],
    ["blur=2.5", 3],
    ["blur=250", 250],
    ["blur=250.4", 250],
    ["blur=251", 250],
    ["blur=1000", 250],
  ])("%s blurs with a radius of %i (Cloudflare's stops at 250)", (query, radius) => {
    expect(planOf(query).steps).toEqual([{ blur: radius }]);
  });

  it("blurs last, after the size is settled", () => {
    expect(planOf("blur=5&width=200&orient=6").steps).toEqual([
      { rotate: 90 },
      { width: 200, height: 267, fit: "squeeze" },
      { blur: 5 },
    ]);
  });
});

describe("planTransform: the final exact-size step", () => {
  // The local engine ignores trim, crop (but smart), pad and the source's EXIF orientation; one
  // last resize to the planned size makes it agree with production. It is there exactly when one
  // of them changed the size and no resize came after.
  const trim10 = { trim: { top: 10, right: 10, bottom: 10, left: 10 } };
  const squeeze = (width: number, height: number): ImageTransform => ({
    width,
    height,
    fit: "squeeze",
  });

  it.each<[string, SourceName, ImageTransform[]]>([
    ["trim=10", "landscape", [trim10, squeeze(380, 280)]],
    ["format=webp", "EXIF 6", [squeeze(300, 400)]],
    ["blur=5", "EXIF 6", [{ blur: 5 }, squeeze(300, 400)]],
    ["trim=10&blur=5", "landscape", [trim10, { blur: 5 }, squeeze(380, 280)]],
    ["crop=200,100", "landscape", [cut(100, 100, 200, 100), squeeze(200, 100)]],
    ["crop=1:1", "EXIF 6", [cut(0, 50, 300, 300), squeeze(300, 300)]],
    [
      "crop=1:1,smart",
      "landscape",
      [{ width: 300, height: 300, fit: "crop", gravity: "auto" }, squeeze(300, 300)],
    ],
    [
      "pad=5",
      "portrait",
      [{ border: { top: 5, right: 5, bottom: 5, left: 5 } }, squeeze(310, 410)],
    ],
    [
      "width=100&pad=5",
      "landscape",
      [squeeze(100, 75), { border: { top: 5, right: 5, bottom: 5, left: 5 } }, squeeze(110, 85)],
    ],
    [
      "trim=10&width=100&pad=5",
      "landscape",
      [
        trim10,
        squeeze(100, 74),
        { border: { top: 5, right: 5, bottom: 5, left: 5 } },
        squeeze(110, 84),
      ],
    ],
    [
      "trim=10&pad=10",
      "landscape",
      [trim10, { border: { top: 10, right: 10, bottom: 10, left: 10 } }, squeeze(400, 300)],
    ],
  ])("ends %s on the %s source with a resize to its size", (query, source, steps) => {
    const plan = planOf(query, SOURCES[source]);
    expect(plan.steps).toEqual(steps);
    expect(last(plan)).toEqual(squeeze(plan.width, plan.height));
  });

  it.each<[string, SourceName, ImageTransform[]]>([
    ["width=200", "landscape", [squeeze(200, 150)]],
    ["width=200", "EXIF 6", [squeeze(200, 267)]],
    ["orient=6&blur=3", "landscape", [{ rotate: 90 }, { blur: 3 }]],
    ["format=webp&quality=50", "landscape", []],
    ["trim=0", "landscape", [{ trim: { top: 0, right: 0, bottom: 0, left: 0 } }]],
    ["crop=400,300", "landscape", [cut(0, 0, 400, 300)]],
    ["crop=4:3", "landscape", [cut(0, 0, 400, 300)]],
    ["crop=4:3,smart", "landscape", [{ width: 400, height: 300, fit: "crop", gravity: "auto" }]],
    ["pad=0", "portrait", [{ border: { top: 0, right: 0, bottom: 0, left: 0 } }]],
    // 0.0001 of 300 pixels rounds to none
    ["pad=0,0,0,0.0001", "portrait", [{ border: { top: 0, right: 0, bottom: 0, left: 0 } }]],
    // the resize after them sets the size already
    ["trim=10&width=100", "landscape", [trim10, squeeze(100, 74)]],
    ["crop=1:1&width=100", "landscape", [cut(50, 0, 300, 300), squeeze(100, 100)]],
  ])("adds no last resize after %s on the %s source", (query, source, steps) => {
    expect(planOf(query, SOURCES[source]).steps).toEqual(steps);
  });
});

describe("planTransform: output options", () => {
  it.each<[string, SourceImage, ImageOutputOptions, OutputFormat]>([
    ["width=10", LANDSCAPE, { format: "image/jpeg" }, "jpg"],
    ["width=10", PORTRAIT, { format: "image/png" }, "png"],
    ["format=webp", LANDSCAPE, { format: "image/webp" }, "webp"],
    ["format=webpll", LANDSCAPE, { format: "image/webp", quality: 100 }, "webpll"],
    ["format=webpll&quality=80", LANDSCAPE, { format: "image/webp", quality: 100 }, "webpll"],
    ["format=pjpg&quality=60", PORTRAIT, { format: "image/jpeg", quality: 60 }, "pjpg"],
    ["format=avif", PORTRAIT, { format: "image/avif" }, "avif"],
    ["quality=1", PORTRAIT, { format: "image/png", quality: 1 }, "png"],
    ["bg-color=00ff0080", LANDSCAPE, { format: "image/jpeg", background: "#00ff0080" }, "jpg"],
    ["bg-color=f00&format=jpg", PORTRAIT, { format: "image/jpeg", background: "#ff0000" }, "jpg"],
  ])("%s encodes with %j", (query, source, output, format) => {
    const plan = planOf(query, source);
    expect(plan.output).toEqual(output);
    expect(plan.format).toBe(format);
  });

  it("encodes in the format it is given (auto's pick), else the parameter's, else the source's", () => {
    const params = paramsOf("auto=avif&format=png&width=10");
    const picked = planTransform(params, LANDSCAPE, "avif", OUTPUT_LIMITS);
    expect(picked).toMatchObject({
      ok: true,
      plan: { format: "avif", output: { format: "image/avif" } },
    });
    const asSource = planTransform(paramsOf("width=10"), PORTRAIT, undefined, OUTPUT_LIMITS);
    expect(asSource).toMatchObject({ ok: true, plan: { format: "png" } });
  });
});

describe("planTransform: limits", () => {
  /** 72 megapixels: under the input limit (100), over the output limit (50). */
  const BIG: SourceImage = { width: 9000, height: 8000, orientation: 1, format: "jpg" };
  const LONG: SourceImage = { width: 10_000, height: 1000, orientation: 1, format: "png" };
  it.each<[string, SourceImage, string, string]>([
    ["width=8192&height=8192", LANDSCAPE, "width", "8192x8192"],
    ["width=8192&height=6104", LANDSCAPE, "width", "8192x6104"], // 50,003,968 pixels
    ["height=8192", LANDSCAPE, "height", "10923x8192"],
    ["width=8000", PORTRAIT, "width", "8000x10667"],
    ["width=8192&height=8192&fit=cover", PORTRAIT, "width", "8192x10923"],
    ["width=1000p", BIG, "width", "90000x80000"],
    ["pad=8000", LANDSCAPE, "pad", "16400x16300"],
    ["width=100&pad=4000", LANDSCAPE, "pad", "8100x8075"],
    ["pad=1000p", LANDSCAPE, "pad", "8400x6300"],
    ["crop=8000,7000", BIG, "crop", "8000x7000"],
    ["crop=0.95,0.95", BIG, "crop", "8550x7600"],
    ["trim=10", LONG, "trim", "9980x980"],
  ])("refuses %s on a %o source, naming %s: it gives %s", (query, source, param, size) => {
    const result = planTransform(paramsOf(query), source, undefined, OUTPUT_LIMITS);
    expect(result).toEqual({
      ok: false,
      param,
      reason: `gives a ${size} image; the most is 8192 pixels a side and 50000000 pixels in all`,
    });
  });

  // No parameter sets the size and the source's is over the limits: the error names one the
  // request has (issue 20: a 9000x9000 PNG with pad=1 named `width`), and says what would do.
  it.each<[string, SourceImage, string, string]>([
    ["format=webp", BIG, "format", "9000x8000"],
    ["auto=webp", BIG, "auto", "9000x8000"],
    ["blur=5", LONG, "blur", "10000x1000"],
    ["orient=6", BIG, "orient", "8000x9000"],
    ["pad=1", { ...BIG, width: 9000, height: 9000 }, "pad", "9000x9000"],
    ["quality=50&bg-color=fff", BIG, "bg-color", "9000x8000"],
  ])("refuses %s on a %o source, naming %s: it gives %s", (query, source, param, size) => {
    const result = planTransform(paramsOf(query), source, undefined, OUTPUT_LIMITS);
    expect(result).toEqual({
      ok: false,
      param,
      reason: `gives a ${size} image; the most is 8192 pixels a side and 50000000 pixels in all; add width or height to make it smaller`,
    });
  });

  it("allows exactly the limits", () => {
    expect(sizeOf(planOf("width=8192&height=6103"))).toBe("8192x6103"); // 49,995,776 pixels
    const atLimit = { ...LANDSCAPE, width: 8192, height: 6103 };
    expect(sizeOf(planOf("format=webp", atLimit))).toBe("8192x6103");
  });

  // Limits of 100 pixels a side and 7,500 in all, to see each step checked.
  const TIGHT = { maxSide: 100, maxArea: 7500 };
  it.each([
    ["width=100", "100x75"],
    ["width=90&height=83", "90x83"],
    ["width=98", "98x74"],
  ])("allows %s within tight limits (%s)", (query, size) => {
    expect(sizeOf(planOf(query, LANDSCAPE, TIGHT))).toBe(size);
  });
  it.each([
    ["width=101", "width"],
    ["width=90&height=84", "width"],
    ["height=76", "height"], // 101x76
    ["width=98&pad=1", "pad"], // 100x76
    ["crop=100,100", "crop"], // 10,000 pixels
  ])("refuses %s within tight limits, naming %s", (query, param) => {
    expect(planTransform(paramsOf(query), LANDSCAPE, undefined, TIGHT)).toMatchObject({
      ok: false,
      param,
    });
  });

  it("makes a large source small in one step", () => {
    expect(planOf("width=1000", BIG).steps).toEqual([{ width: 1000, height: 889, fit: "squeeze" }]);
  });
});

// ---- formats.ts --------------------------------------------------------------------------------

describe("negotiate", () => {
  const CHROME = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
  const OLD_SAFARI = "image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5";
  it.each<[AutoFormat[], string | null, AutoFormat | null]>([
    [["webp"], "image/webp", "webp"],
    [["webp"], "image/avif,image/webp,*/*", "webp"],
    [["webp"], "text/html, image/webp ;q=1", "webp"],
    [["webp"], "IMAGE/WEBP", "webp"],
    [["webp"], "image/webp;q=0.001", "webp"],
    [["avif", "webp"], CHROME, "avif"],
    [["webp", "avif"], CHROME, "webp"], // auto's order, not Accept's
    [["avif", "webp"], "image/webp,image/avif", "avif"],
    [["avif", "webp"], "image/avif;q=0,image/webp", "webp"],
    // wildcards do not count: browsers that cannot decode WebP send them too
    [["webp"], "image/*", null],
    [["webp"], "*/*", null],
    [["avif", "webp"], OLD_SAFARI, null],
    // q=0 refuses (RFC 9110 §12.5.1)
    [["webp"], "image/webp;q=0", null],
    [["webp"], "image/webp; q=0.0", null],
    [["webp"], "image/webp;Q=0", null],
    [["webp"], "image/webp;q=0, image/*", null],
    // nothing to choose from, or nothing asked
    [["webp"], null, null],
    [["webp"], "", null],
    [[], "image/webp", null],
    [["avif"], "image/webp", null],
    [["webp"], "image/webpx,image/web", null],
  ])("picks from %j with Accept %j: %s", (auto, accept, expected) => {
    expect(negotiate(auto, accept)).toBe(expected);
  });
});

describe("source and output formats", () => {
  it.each<[string, OutputFormat | null]>([
    ["image/jpeg", "jpg"],
    ["image/jpg", "jpg"],
    ["image/pjpeg", "jpg"],
    ["image/png", "png"],
    ["image/gif", "gif"],
    ["image/webp", "webp"],
    ["image/avif", "avif"],
    ["IMAGE/PNG; charset=binary", "png"],
    [" image/webp ", "webp"],
    ["image/svg+xml", null],
    ["application/pdf", null],
    ["video/mp4", null],
    ["text/plain", null],
    ["image/bmp", null],
    ["image/tiff", null],
    ["image/heic", null],
    ["application/octet-stream", null],
    ["", null],
    ["constructor", null],
    ["__proto__", null],
  ])("reads a stored %j as %s", (contentType, expected) => {
    expect(sourceFormat(contentType)).toBe(expected);
  });

  it.each<[OutputFormat, string, string]>([
    ["jpg", "image/jpeg", "jpg"],
    ["pjpg", "image/jpeg", "jpg"],
    ["png", "image/png", "png"],
    ["webp", "image/webp", "webp"],
    ["webpll", "image/webp", "webp"],
    ["avif", "image/avif", "avif"],
    ["gif", "image/gif", "gif"],
  ])("writes %s as %s, extension .%s", (format, mime, extension) => {
    expect(outputMime(format)).toBe(mime);
    expect(outputExtension(format)).toBe(extension);
  });

  it("has a type and an extension for every output format", () => {
    expect(OUTPUT_FORMATS).toHaveLength(7);
    for (const format of OUTPUT_FORMATS) {
      expect(outputMime(format)).toMatch(/^image\/(jpeg|png|webp|avif|gif)$/);
      expect(outputExtension(format)).toMatch(/^[a-z]+$/);
    }
  });

  it.each<[string, OutputFormat, string]>([
    ["photo.jpeg", "webp", "photo.webp"],
    ["photo.JPG", "png", "photo.png"],
    ["photo.png", "webpll", "photo.webp"],
    ["photo.png", "pjpg", "photo.jpg"],
    ["archive.tar.gz", "avif", "archive.tar.avif"],
    ["noextension", "gif", "noextension.gif"],
    [".hidden", "png", ".hidden.png"],
    ["r\u00e9sum\u00e9.final.jpg", "webp", "r\u00e9sum\u00e9.final.webp"],
    ["trailing.", "jpg", "trailing.jpg"],
  ])("names %j as %s %j for a download", (filename, format, expected) => {
    expect(withExtension(filename, format)).toBe(expected);
  });
});

// ---- variant.ts --------------------------------------------------------------------------------

describe("variantEtag", () => {
  const SOURCE = '"9b2cf535f27731c974343645a3985328"';
  const CANONICALS = [
    "",
    "width=400",
    "width=401",
    "format=webp&width=400",
    "format=webpll&width=400",
    "height=400",
    "bg-color=ff0000&pad=1,1,1,1",
    "crop=16:9,offset-x10,y20,safe",
  ];

  it("is a strong tag: the source's opaque part, then 16 hex digits of the parameters", () => {
    for (const canonical of CANONICALS) {
      expect(variantEtag(SOURCE, canonical)).toMatch(
        /^"9b2cf535f27731c974343645a3985328-[0-9a-f]{16}"$/,
      );
    }
  });

  it("hashes with two 32-bit FNV-1a hashes (known values, stable across runtimes)", () => {
    // FNV-1a 32 of "" is its offset basis; of "a" it is e40c292c (the FNV reference vectors).
    expect(variantEtag('"x"', "")).toBe('"x-811c9dc5050c5d1f"');
    expect(variantEtag('"x"', "a")).toMatch(/^"x-e40c292c[0-9a-f]{8}"$/);
  });

  it("does not change between releases (a change would turn every cached variant's tag)", () => {
    expect(variantEtag(SOURCE, "format=webp&width=400")).toBe(
      '"9b2cf535f27731c974343645a3985328-2f6ed6c8cdd4f702"',
    );
  });

  it("differs for each canonical string", () => {
    const tags = CANONICALS.map((c) => variantEtag(SOURCE, c));
    expect(new Set(tags).size).toBe(CANONICALS.length);
  });

  it("differs for each source ETag", () => {
    const sources = ['"a"', '"b"', '"aa"', '"9b2cf535f27731c974343645a3985329"'];
    const tags = sources.map((s) => variantEtag(s, "width=400"));
    expect(new Set(tags).size).toBe(sources.length);
  });

  it.each([
    ['W/"abc"', '"abc"'],
    ["abc", '"abc"'],
    ['W/"abc-1"', '"abc-1"'],
    ['"abc"', '"abc"'],
  ])("strips W/ and quotes from %j: the tag of %j", (source, same) => {
    const tag = variantEtag(source, "width=400");
    expect(tag).toBe(variantEtag(same, "width=400"));
    expect(tag).toMatch(new RegExp(`^"${same.slice(1, -1)}-[0-9a-f]{16}"$`));
  });
});

// ---- peek.ts -----------------------------------------------------------------------------------

/** The bytes cut at the given offsets (empty chunks included), and how many were pulled. */
function chunked(data: Uint8Array, cuts: number[]) {
  const offsets = [...new Set([0, ...cuts.map((c) => Math.min(c, data.length)), data.length])].sort(
    (a, b) => a - b,
  );
  const chunks: Uint8Array[] = [new Uint8Array(0)];
  for (let i = 1; i < offsets.length; i++) {
    chunks.push(data.slice(offsets[i - 1], offsets[i]));
  }
  const state = { pulled: 0, cancelled: null as unknown };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[state.pulled];
      if (next === undefined) return controller.close();
      state.pulled++;
      controller.enqueue(next);
    },
    cancel(reason) {
      state.cancelled = reason ?? "cancelled";
    },
  });
  return { stream, state, chunks };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    expect(value).toBeInstanceOf(Uint8Array);
    parts.push(value);
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

describe("peekImage", () => {
  it.each(FIXTURES)(
    "reads $name's size and replays every byte once, in any chunking",
    async (f) => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.nat(f.data.length), { maxLength: 30 }), async (cuts) => {
          const { stream } = chunked(f.data, cuts);
          const peeked = await peekImage(stream);
          expect(peeked.dimensions).toEqual({ width: f.width, height: f.height });
          expect(peeked.orientation).toBe(f.orientation);
          expect(await readAll(peeked.body)).toEqual(f.data);
        }),
        { numRuns: 25 },
      );
    },
  );

  it("reads only as far as the header before it answers", async () => {
    const png = FIXTURES.find((f) => f.name === "png-123x45.png")?.data ?? new Uint8Array();
    const tail = new Uint8Array(256 * 1024).fill(7);
    const data = new Uint8Array(png.length + tail.length);
    data.set(png);
    data.set(tail, png.length);
    const cuts = Array.from({ length: 64 }, (_, i) => 16 * (i + 1));
    const { stream, state, chunks } = chunked(data, cuts);
    const peeked = await peekImage(stream);
    expect(peeked.dimensions).toEqual({ width: 123, height: 45 });
    // An empty chunk, then 16-byte chunks up to the IHDR chunk (bytes 16-23).
    expect(state.pulled).toBeLessThanOrEqual(4);
    expect(await readAll(peeked.body)).toEqual(data);
    expect(state.pulled).toBe(chunks.length);
  });

  it.each([
    [
      "text",
      new TextEncoder().encode("The fixture's bytes: 0123456789 abcdefghijklmnopqrstuvwxyz.\n"),
    ],
    [
      "an SVG",
      new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
    ],
    ["a PNG cut inside its header", (FIXTURES[0]?.data ?? new Uint8Array()).slice(0, 20)],
    [
      "a JPEG cut before its frame header",
      (
        FIXTURES.find((f) => f.name.startsWith("jpeg-exif-orientation-6"))?.data ?? new Uint8Array()
      ).slice(0, 40),
    ],
    [
      "a PNG with a broken signature",
      Uint8Array.from(FIXTURES[0]?.data ?? new Uint8Array(), (b, i) => (i === 1 ? 0 : b)),
    ],
    ["nothing", new Uint8Array(0)],
  ])("gives no size for %s, orientation 1, and still replays every byte", async (_, data) => {
    for (const cuts of [[], [1, 2, 3], Array.from({ length: data.length }, (_, i) => i)]) {
      const { stream } = chunked(data, cuts);
      const peeked = await peekImage(stream);
      expect(peeked.dimensions).toBeNull();
      expect(peeked.orientation).toBe(1);
      expect(await readAll(peeked.body)).toEqual(data);
    }
  });

  it("passes a cancel of the replayed stream on to the source", async () => {
    const { stream, state } = chunked(new Uint8Array(1000).fill(1), [10, 20, 30]);
    const peeked = await peekImage(stream);
    await peeked.body.cancel("client went away");
    expect(state.cancelled).toBe("client went away");
  });

  it("gives what planTransform needs: a turned JPEG is planned upright", async () => {
    const f = FIXTURES.find((x) => x.name === "jpeg-exif-orientation-6-45x123.jpg");
    if (!f) throw new Error("fixture missing");
    const peeked = await peekImage(chunked(f.data, [7, 100]).stream);
    expect(peeked).toMatchObject({ dimensions: { width: 45, height: 123 }, orientation: 6 });
    const source = {
      ...(peeked.dimensions ?? { width: 0, height: 0 }),
      orientation: peeked.orientation,
      format: "jpg" as const,
    };
    expect(sizeOf(planOf("width=100", source))).toBe("100x37"); // upright 123x45
    await peeked.body.cancel();
  });
});
