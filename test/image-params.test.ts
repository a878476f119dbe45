// src/images/parse-params.ts (with param-values.ts, normalise-params.ts and params.ts): every Image
// Delivery API parameter's accepted forms and refusals, the width policies (IMAGE_WIDTHS), and the
// canonical form that keys a variant. Pure: unit tests and fast-check properties.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config";
import {
  type CropSpec,
  canonicalParams,
  type ImageParams,
  type Length,
  MAX_SIDE,
  type ParseResult,
  type WidthPolicy,
} from "../src/images/params";
import { parseImageParams } from "../src/images/parse-params";

const parse = (query: string, policy?: WidthPolicy): ParseResult =>
  parseImageParams(new URLSearchParams(query), policy);

/** The parameters of a query that must parse. */
function params(query: string, policy?: WidthPolicy): ImageParams | null {
  const result = parse(query, policy);
  if (!result.ok) throw new Error(`${query}: ${result.param} ${result.reason}`);
  return result.params;
}

/** The canonical form of a query that must parse, its own format standing for `auto`'s pick. */
function canonical(query: string, policy?: WidthPolicy): string {
  const p = params(query, policy) ?? {};
  return canonicalParams(p, p.format);
}

const px = (n: number) => ({ px: n });
const fr = (n: number) => ({ fraction: n });
const box = (width: Length, height: Length) => ({ kind: "size" as const, width, height });
const ratio = (width: number, height: number) => ({ kind: "ratio" as const, width, height });
const at = (length: Length) => ({ at: length });
/** A crop of that size, with its positions and mode as given. */
const cropOf = (size: CropSpec["size"], rest: Omit<CropSpec, "size"> = {}): CropSpec => ({
  size,
  ...rest,
});

describe("parseImageParams: accepted forms", () => {
  it.each<[string, ImageParams]>([
    // width and height: pixels 1–8192, fractions 0 < f < 1, percentages up to 1000p
    ["width=400", { width: px(400) }],
    ["width=1", { width: px(1) }],
    ["width=8192", { width: px(8192) }],
    ["width=007", { width: px(7) }],
    ["height=300", { height: px(300) }],
    ["width=400&height=300", { width: px(400), height: px(300) }],
    ["width=0.5", { width: fr(0.5) }],
    ["width=.25", { width: fr(0.25) }],
    ["height=0.999999", { height: fr(0.999999) }],
    ["width=0.000001", { width: fr(0.000001) }],
    ["width=50p", { width: fr(0.5) }],
    ["height=12.5p", { height: fr(0.125) }],
    ["width=150p", { width: fr(1.5) }],
    ["width=1000p", { width: fr(10) }],
    ["width=0.0001p", { width: fr(0.000001) }],
    // dpr: folded into width and height
    ["width=400&dpr=2", { width: px(800) }],
    ["height=300&dpr=1.5", { height: px(450) }],
    ["width=333&dpr=1.5", { width: px(500) }], // 499.5 rounds up
    ["width=400&height=300&dpr=3", { width: px(1200), height: px(900) }],
    ["width=4096&dpr=2", { width: px(8192) }],
    ["width=400&dpr=1", { width: px(400) }],
    ["width=0.25&dpr=2", { width: fr(0.5) }],
    ["width=50p&dpr=2.5", { width: fr(1.25) }],
    ["width=500p&dpr=2", { width: fr(10) }],
    ["width=400&dpr=10", { width: px(4000) }],
    // fit: kept only with both sides
    ["width=400&height=300&fit=bounds", { width: px(400), height: px(300), fit: "bounds" }],
    ["width=400&height=300&fit=crop", { width: px(400), height: px(300), fit: "crop" }],
    ["width=400&height=300&fit=cover", { width: px(400), height: px(300), fit: "cover" }],
    ["width=400&fit=crop", { width: px(400) }],
    ["height=300&fit=bounds", { height: px(300) }],
    // crop: a size or a ratio, then positions and a mode
    ["crop=300,200", { crop: cropOf(box(px(300), px(200))) }],
    ["crop=0.5,50p", { crop: cropOf(box(fr(0.5), fr(0.5))) }],
    ["crop=16:9", { crop: cropOf(ratio(16, 9)) }],
    ["crop=1.5:1", { crop: cropOf(ratio(1.5, 1)) }],
    [
      "crop=300,200,x10,y20",
      { crop: cropOf(box(px(300), px(200)), { x: at(px(10)), y: at(px(20)) }) },
    ],
    ["crop=300,200,y0.25", { crop: cropOf(box(px(300), px(200)), { y: at(fr(0.25)) }) }],
    [
      "crop=16:9,offset-x10,offset-y90.5",
      { crop: cropOf(ratio(16, 9), { x: { offset: 10 }, y: { offset: 90.5 } }) },
    ],
    [
      "crop=16:9,offset-y0,offset-x100",
      { crop: cropOf(ratio(16, 9), { x: { offset: 100 }, y: { offset: 0 } }) },
    ],
    ["crop=300,200,safe", { crop: cropOf(box(px(300), px(200)), { mode: "safe" }) }],
    ["crop=1:1,smart", { crop: cropOf(ratio(1, 1), { mode: "smart" }) }],
    // format, with Contentstack's aliases
    ["format=jpg", { format: "jpg" }],
    ["format=jpeg", { format: "jpg" }],
    ["format=pjpg", { format: "pjpg" }],
    ["format=png", { format: "png" }],
    ["format=webp", { format: "webp" }],
    ["format=webply", { format: "webp" }],
    ["format=webpll", { format: "webpll" }],
    ["format=avif", { format: "avif" }],
    ["format=gif", { format: "gif" }],
    // auto: one or both modern formats, order kept, repeats folded
    ["auto=webp", { auto: ["webp"] }],
    ["auto=avif", { auto: ["avif"] }],
    ["auto=webp,avif", { auto: ["webp", "avif"] }],
    ["auto=avif,webp", { auto: ["avif", "webp"] }],
    ["auto=webp,webp", { auto: ["webp"] }],
    // quality 1–100
    ["quality=1", { quality: 1 }],
    ["quality=100", { quality: 100 }],
    ["quality=050", { quality: 50 }],
    // orient 1–8 and the letter aliases (1, the identity, is dropped)
    ["orient=2", { orient: 2 }],
    ["orient=5", { orient: 5 }],
    ["orient=8", { orient: 8 }],
    ["orient=h", { orient: 2 }],
    ["orient=hv", { orient: 3 }],
    ["orient=vh", { orient: 3 }],
    ["orient=v", { orient: 4 }],
    ["orient=r", { orient: 6 }],
    ["orient=l", { orient: 8 }],
    ["orient=1&format=png", { format: "png" }],
    // disable=upscale, kept only with a width or height
    ["width=400&disable=upscale", { width: px(400), disableUpscale: true }],
    ["height=0.5&disable=upscale", { height: fr(0.5), disableUpscale: true }],
    ["disable=upscale&format=png", { format: "png" }],
    // bg-color: hex of 3, 4, 6 or 8 digits with or without #, or r,g,b[,a]
    ["bg-color=f00", { bgColor: "ff0000" }],
    ["bg-color=%23f00", { bgColor: "ff0000" }],
    ["bg-color=f008", { bgColor: "ff000088" }],
    ["bg-color=FF0000", { bgColor: "ff0000" }],
    ["bg-color=%2300ff00", { bgColor: "00ff00" }],
    ["bg-color=ff000080", { bgColor: "ff000080" }],
    ["bg-color=%23FF000080", { bgColor: "ff000080" }],
    ["bg-color=ff0000ff", { bgColor: "ff0000" }], // opaque alpha dropped
    ["bg-color=f00f", { bgColor: "ff0000" }],
    ["bg-color=255,0,0", { bgColor: "ff0000" }],
    ["bg-color=0,128,255", { bgColor: "0080ff" }],
    ["bg-color=255,0,0,0.5", { bgColor: "ff000080" }],
    ["bg-color=0,0,0,0", { bgColor: "00000000" }],
    ["bg-color=0,0,0,1", { bgColor: "000000" }],
    ["bg-color=0,0,0,0.999", { bgColor: "000000" }], // rounds to ff: opaque, as ff would be
    ["bg-color=0,0,0,0.997", { bgColor: "000000fe" }],
    // blur 1–1000
    ["blur=1", { blur: 1 }],
    ["blur=2.5", { blur: 3 }], // a whole radius, as the engine takes it
    ["blur=1000", { blur: 250 }], // capped at the engine's largest: one variant
    // trim and pad: one to four lengths, CSS order
    ["trim=10", { trim: [px(10), px(10), px(10), px(10)] }],
    ["trim=10,20", { trim: [px(10), px(20), px(10), px(20)] }],
    ["trim=10,20,30", { trim: [px(10), px(20), px(30), px(20)] }],
    ["trim=10,20,30,40", { trim: [px(10), px(20), px(30), px(40)] }],
    ["trim=0,0.1,5p,0", { trim: [px(0), fr(0.1), fr(0.05), px(0)] }],
    ["pad=8", { pad: [px(8), px(8), px(8), px(8)] }],
    ["pad=0,10", { pad: [px(0), px(10), px(0), px(10)] }],
    ["pad=8192", { pad: [px(8192), px(8192), px(8192), px(8192)] }],
    ["pad=0.1,0.2,0.3,0.4", { pad: [fr(0.1), fr(0.2), fr(0.3), fr(0.4)] }],
  ])("accepts %s", (query, expected) => {
    expect(parse(query)).toEqual({ ok: true, params: expected });
  });

  it.each([
    ["", "no query at all"],
    ["foo=bar&utm_source=x", "unknown parameters only"],
    ["WIDTH=400&Format=png", "names in another case (unknown)"],
    ["w=400&h=300", "abbreviations (unknown)"],
    ["width=&quality=&format=", "empty values only"],
    ["dpr=2", "a dpr with no width or height"],
    ["fit=crop", "a fit alone"],
    ["disable=upscale", "disable=upscale alone"],
    ["orient=1", "the identity orientation"],
  ])("has no image parameters in %j (%s)", (query) => {
    expect(parse(query)).toEqual({ ok: true, params: null });
  });

  it.each<[string, ImageParams]>([
    ["width=400&foo=bar&dl", { width: px(400) }],
    ["utm_campaign=x&format=png&x-cdn=1", { format: "png" }],
    ["width=&width=400", { width: px(400) }],
    ["width=400&width=", { width: px(400) }],
    ["width=400&quality=", { width: px(400) }],
    ["%77idth=400", { width: px(400) }],
    [`width=400&foo=${"x".repeat(10_000)}`, { width: px(400) }],
  ])("ignores unknown parameters and empty values in %j", (query, expected) => {
    expect(parse(query)).toEqual({ ok: true, params: expected });
  });
});

describe("parseImageParams: refusals name the parameter and say why", () => {
  const PIXELS = /whole pixels \(400\), a fraction \(0\.5\) or a percentage \(50p\)/;
  it.each<[string, string, RegExp]>([
    ["width=0", "width", /at least 1 pixel/],
    ["width=-1", "width", PIXELS],
    ["width=8193", "width", /at most 8192 pixels/],
    ["width=99999", "width", /at most 8192 pixels/],
    ["width=1234567890", "width", PIXELS],
    ["width=1e3", "width", PIXELS],
    ["width=0x10", "width", PIXELS],
    ["width=NaN", "width", PIXELS],
    ["width=Infinity", "width", PIXELS],
    ["width=1.5", "width", PIXELS],
    ["width=1.0", "width", PIXELS],
    ["width=400px", "width", PIXELS],
    ["width=%20400", "width", PIXELS],
    ["width=1,000", "width", PIXELS],
    ["width=0.0", "width", /above 0/],
    ["width=0.1234567", "width", PIXELS],
    ["width=1001p", "width", /at most 1000p/],
    ["width=0p", "width", /above 0p/],
    ["width=-5p", "width", PIXELS],
    ["width=%EF%BC%94", "width", PIXELS], // a fullwidth 4
    ["height=abc", "height", PIXELS],
    ["height=0", "height", /at least 1 pixel/],
    ["height=10000", "height", /at most 8192 pixels/],
    ["dpr=0&width=400", "dpr", /from 1 to 10/],
    ["dpr=0.5&width=400", "dpr", /from 1 to 10/],
    ["dpr=11&width=400", "dpr", /from 1 to 10/],
    ["dpr=10.5&width=400", "dpr", /from 1 to 10/],
    ["dpr=abc&width=400", "dpr", /from 1 to 10/],
    ["dpr=0", "dpr", /from 1 to 10/],
    ["dpr=2&width=8000", "dpr", /width over 8192 pixels/],
    ["dpr=2&height=5000", "dpr", /height over 8192 pixels/],
    ["dpr=1.001&width=8192", "dpr", /width over 8192 pixels/],
    // A fraction pushed past 1000p: its canonical form would not parse again.
    ["dpr=2&width=600p", "dpr", /width over 1000p/],
    ["dpr=3&height=333.3334p", "dpr", /height over 1000p/],
    ["dpr=10&width=100.5p&height=1", "dpr", /width over 1000p/],
    ["width=400&height=300&fit=fill", "fit", /bounds, crop or cover/],
    ["fit=Bounds", "fit", /bounds, crop or cover/],
    ["crop=a,b", "crop", PIXELS],
    ["crop=300", "crop", /must start with W,H/],
    ["crop=0,0", "crop", /at least 1 pixel/],
    ["crop=100000,1", "crop", /at most 8192 pixels/],
    ["crop=1:0", "crop", /above 0 on both sides/],
    ["crop=0:1", "crop", /above 0 on both sides/],
    ["crop=16:9:1", "crop", /must start with W,H/],
    ["crop=16:9,x10,x20", "crop", /positions the x axis twice/],
    ["crop=16:9,y10,offset-y20", "crop", /positions the y axis twice/],
    ["crop=10,10,z5", "crop", /unknown part: z5/],
    ["crop=16:9,safe,smart", "crop", /safe or smart once/],
    ["crop=16:9,offset-x101", "crop", /from 0 to 100/],
    ["crop=16:9,offset-x-1", "crop", /from 0 to 100/],
    ["crop=16:9,xabc", "crop", PIXELS],
    ["crop=16:9,", "crop", /unknown part/],
    ["format=bmp", "format", /jpg, pjpg, png, webp, webpll, avif, gif/],
    ["format=PNG", "format", /must be one of/],
    ["format=../png", "format", /must be one of/],
    ["format=image/png", "format", /must be one of/],
    ["auto=jpeg", "auto", /webp or avif/],
    ["auto=WEBP", "auto", /webp or avif/],
    ["auto=webp,", "auto", /webp or avif/],
    ["quality=0", "quality", /from 1 to 100/],
    ["quality=101", "quality", /from 1 to 100/],
    ["quality=50.5", "quality", /from 1 to 100/],
    ["quality=-1", "quality", /from 1 to 100/],
    ["orient=0", "orient", /from 1 to 8/],
    ["orient=9", "orient", /from 1 to 8/],
    ["orient=x", "orient", /from 1 to 8/],
    ["orient=H", "orient", /from 1 to 8/],
    ["orient=constructor", "orient", /from 1 to 8/],
    ["orient=__proto__", "orient", /from 1 to 8/],
    ["orient=toString", "orient", /from 1 to 8/],
    ["orient=hasOwnProperty", "orient", /from 1 to 8/],
    ["disable=everything", "disable", /must be upscale/],
    ["disable=UPSCALE", "disable", /must be upscale/],
    ["bg-color=zzzzzz", "bg-color", /hex/],
    ["bg-color=256,0,0", "bg-color", /hex/],
    ["bg-color=-1,0,0", "bg-color", /hex/],
    ["bg-color=ff", "bg-color", /hex/],
    ["bg-color=fffff", "bg-color", /hex/],
    ["bg-color=1,2", "bg-color", /hex/],
    ["bg-color=0,0,0,2", "bg-color", /hex/],
    ["bg-color=0,0,0,0,0", "bg-color", /hex/],
    ["bg-color=red", "bg-color", /hex/],
    ["bg-color=%23%23fff", "bg-color", /hex/],
    ["blur=0", "blur", /from 1 to 1000/],
    ["blur=0.5", "blur", /from 1 to 1000/],
    ["blur=1001", "blur", /from 1 to 1000/],
    ["blur=2000", "blur", /from 1 to 1000/],
    ["trim=1,2,3,4,5", "trim", /one to four values/],
    ["trim=-1", "trim", PIXELS],
    ["trim=1,,2", "trim", PIXELS],
    ["trim=9999", "trim", /at most 8192 pixels a side/],
    ["pad=-1", "pad", PIXELS],
    ["pad=9999", "pad", /at most 8192 pixels a side/],
    ["pad=a", "pad", PIXELS],
    ["width=400&width=500", "width", /more than once/],
    ["format=png&format=png", "format", /more than once/],
    ["width=400&quality=80&width=400", "width", /more than once/],
    [`width=${"1".repeat(65)}`, "width", /at most 64 characters/],
    [`crop=${"1,".repeat(5000)}`, "crop", /at most 64 characters/],
  ])("refuses %s (%s)", (query, param, reason) => {
    const result = parse(query);
    expect(result).toMatchObject({ ok: false, param });
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it("refuses a parameter given twice before it looks at either value", () => {
    expect(parse("quality=abc&quality=0")).toEqual({
      ok: false,
      param: "quality",
      reason: "is given more than once",
    });
  });

  it("reads a value of 64 characters, and refuses one of 65 unread", () => {
    const fraction = "000000000.123456";
    const sixtyFour = `${fraction},${fraction},${fraction},0000000.12345`;
    expect(sixtyFour).toHaveLength(64);
    const f = { fraction: 0.123456 };
    expect(parse(`trim=${sixtyFour}`)).toEqual({
      ok: true,
      params: { trim: [f, f, f, { fraction: 0.12345 }] },
    });
    expect(parse(`trim=${sixtyFour.replace("0000000.", "00000000.")}`)).toEqual({
      ok: false,
      param: "trim",
      reason: "must be at most 64 characters",
    });
  });
});

describe("parseImageParams: IMAGE_WIDTHS policies", () => {
  const step: WidthPolicy = { kind: "step", step: 100 };
  const list: WidthPolicy = { kind: "list", sizes: [320, 640, 1280] };
  it.each<[string, WidthPolicy, ImageParams]>([
    ["width=401", step, { width: px(500) }],
    ["width=400", step, { width: px(400) }],
    ["width=1", step, { width: px(100) }],
    ["height=401", step, { height: px(500) }],
    ["width=8150", step, { width: px(MAX_SIDE) }], // rounded up, then capped
    ["width=251&dpr=2", step, { width: px(600) }], // dpr first (502), then the step
    ["width=100", list, { width: px(320) }],
    ["width=320", list, { width: px(320) }],
    ["width=321", list, { width: px(640) }],
    ["width=2000", list, { width: px(1280) }], // past the list: its largest
    ["width=300&dpr=2", list, { width: px(640) }],
    // A height beside a width follows it in proportion: the box keeps its shape (3:2).
    ["width=300&height=200", list, { width: px(320), height: px(213) }],
    ["width=0.5", list, { width: fr(0.5) }], // fractions are not pixel sizes
    ["width=50p", step, { width: fr(0.5) }],
  ])("rounds %s under %j", (query, policy, expected) => {
    expect(parse(query, policy)).toEqual({ ok: true, params: expected });
  });

  it("reads the policy from IMAGE_WIDTHS", () => {
    const of = (value: string) => parseConfig({ IMAGE_WIDTHS: value }).imageWidths;
    expect(of("")).toEqual({ kind: "any" });
    expect(of("step:100")).toEqual(step);
    expect(of("1280, 320,640,320")).toEqual(list);
    expect(params("width=321", of("320,640,1280"))).toEqual({ width: px(640) });
    expect(() => of("step:0")).toThrow(/IMAGE_WIDTHS/);
    expect(() => of("0,100")).toThrow(/IMAGE_WIDTHS/);
    expect(() => of("9000")).toThrow(/IMAGE_WIDTHS/);
  });
});

describe("canonicalParams", () => {
  it("writes every parameter in one fixed order", () => {
    const query =
      "width=400&quality=80&trim=5&pad=1,2&orient=r&height=300&format=webp&fit=bounds" +
      "&disable=upscale&crop=16:9,safe,y20,offset-x10&blur=5&bg-color=F00&dpr=1";
    expect(canonical(query)).toBe(
      "bg-color=ff0000&blur=5&crop=16:9,offset-x10,y20,safe&disable=upscale&fit=bounds" +
        "&format=webp&height=300&orient=6&pad=1,2,1,2&quality=80&trim=5,5,5,5&width=400",
    );
  });

  it.each([
    ["width=400&format=webp", "format=webp&width=400"],
    ["width=0.5", "width=50p"],
    ["height=0.125", "height=12.5p"],
    ["width=400&dpr=2", "width=800"],
    ["crop=0.5,0.25,x0.1", "crop=50p,25p,x10p"],
    ["crop=300,200,offset-y50.5", "crop=300,200,offset-y50.5"],
    ["bg-color=255,0,0,0.5", "bg-color=ff000080"],
    ["orient=1&width=400&fit=crop&disable=upscale", "disable=upscale&width=400"],
    ["auto=webp&width=400", "width=400"], // auto is written as the format it picked
    ["width=&format=", ""],
  ])("writes %s as %s", (query, expected) => {
    expect(canonical(query)).toBe(expected);
  });

  it.each([
    ["width=400&format=webp", "format=webp&width=400&quality="],
    ["width=0.5", "width=50p"],
    ["width=400&dpr=2", "width=800"],
    ["width=400&dpr=2", "dpr=2&width=400&utm_source=newsletter"],
    ["format=jpeg", "format=jpg"],
    ["format=webply", "format=webp"],
    ["bg-color=%23FFF", "bg-color=255,255,255"],
    ["bg-color=ffff", "bg-color=ffffff"],
    ["bg-color=1,2,3,0.999", "bg-color=010203"],
    ["orient=r", "orient=6"],
    ["trim=10", "trim=10,10,10,10"],
    ["pad=1,2", "pad=1,2,1,2"],
    ["quality=050", "quality=50"],
    ["width=400&height=300&fit=bounds", "fit=bounds&height=300&width=400"],
    ["crop=16:9,offset-y0,offset-x50", "crop=16:9,offset-x50,offset-y0"],
    ["width=400&fit=crop", "width=400"],
    ["blur=300", "blur=250"],
    ["blur=2.6", "blur=3"],
    ["format=webpll&quality=80", "format=webpll"],
  ])("gives %s and %s one form", (a, b) => {
    expect(canonical(a)).toBe(canonical(b));
  });

  it.each([
    ["width=400", "width=401"],
    ["width=400", "height=400"],
    ["width=0.5", "width=50"],
    ["format=webp", "format=webpll"],
    ["format=jpg", "format=pjpg"],
    ["crop=300,200", "crop=200,300"],
    ["crop=16:9", "crop=9:16"],
    ["crop=16:9,x10", "crop=16:9,offset-x10"],
    ["width=400&height=300&fit=bounds", "width=400&height=300&fit=crop"],
    ["bg-color=ff0000", "bg-color=ff000080"],
    ["trim=1,2", "pad=1,2"],
  ])("keeps %s and %s apart", (a, b) => {
    expect(canonical(a)).not.toBe(canonical(b));
  });

  it("writes the format it is given, not the one in the parameters", () => {
    const p = params("auto=webp,avif&format=png&width=400") ?? {};
    expect(canonicalParams(p, "avif")).toBe("format=avif&width=400");
    expect(canonicalParams(p, "png")).toBe("format=png&width=400");
    expect(canonicalParams(p, undefined)).toBe("width=400");
  });
});

// ---- Properties --------------------------------------------------------------------------------

/** Text that might confuse a lookup table (built-in property names) or a number parser. */
const junk = fc.constantFrom(
  "",
  "constructor",
  "__proto__",
  "toString",
  "valueOf",
  "NaN",
  "Infinity",
  "-0",
  "1e3",
  "0x10",
  " 1",
  "%00",
  "%",
  "\u0000",
  "\uff11",
);

const int = (min: number, max: number) => fc.integer({ min, max }).map(String);
/** A decimal from min to max (and a little over) with up to `places` decimal places. */
const decimal = (min: number, max: number, places = 6) =>
  fc
    .tuple(fc.integer({ min, max }), fc.integer({ min: 0, max: 10 ** places - 1 }), fc.nat(places))
    .map(([whole, frac, digits]) =>
      digits === 0
        ? String(whole)
        : `${whole}.${String(frac).padStart(places, "0").slice(0, digits)}`,
    );
const length = fc.oneof(
  int(1, 8192),
  int(0, 9000),
  decimal(0, 0).filter((v) => Number(v) > 0),
  decimal(0, 1000, 4).map((v) => `${v}p`),
  int(1, 1000).map((v) => `${v}p`),
);
const position = fc.oneof(
  fc.tuple(fc.constantFrom("x", "y"), length).map(([axis, l]) => `${axis}${l}`),
  fc.tuple(fc.constantFrom("offset-x", "offset-y"), decimal(0, 100)).map(([a, o]) => `${a}${o}`),
);
const hex = (n: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEF"), minLength: n, maxLength: n });

/** For each parameter: values that are mostly valid, some at the edges, a few junk. */
const VALUES: Record<string, fc.Arbitrary<string>> = {
  width: length,
  height: length,
  dpr: fc.oneof(int(1, 10), decimal(1, 10)),
  fit: fc.constantFrom("bounds", "crop", "cover"),
  crop: fc
    .tuple(
      fc.oneof(
        fc.tuple(length, length).map(([w, h]) => `${w},${h}`),
        fc.tuple(decimal(0, 99, 4), decimal(0, 99, 4)).map(([w, h]) => `${w}:${h}`),
      ),
      fc.array(fc.oneof(position, fc.constantFrom("safe", "smart")), { maxLength: 3 }),
    )
    .map(([size, rest]) => [size, ...rest].join(",")),
  format: fc.constantFrom("jpg", "jpeg", "pjpg", "png", "webp", "webply", "webpll", "avif", "gif"),
  auto: fc.constantFrom("webp", "avif", "webp,avif", "avif,webp", "webp,webp"),
  quality: int(0, 101),
  orient: fc.oneof(int(0, 9), fc.constantFrom("h", "v", "hv", "vh", "r", "l")),
  disable: fc.constantFrom("upscale"),
  "bg-color": fc.oneof(
    fc.oneof(hex(3), hex(4), hex(6), hex(8)),
    fc.oneof(hex(3), hex(6)).map((h) => `#${h}`),
    fc
      .tuple(int(0, 255), int(0, 255), int(0, 255), fc.option(decimal(0, 1)))
      .map(([r, g, b, a]) => [r, g, b, ...(a === null ? [] : [a])].join(",")),
  ),
  blur: fc.oneof(int(1, 1000), decimal(1, 999)),
  trim: fc.array(length, { minLength: 1, maxLength: 4 }).map((l) => l.join(",")),
  pad: fc
    .array(fc.oneof(length, fc.constant("0")), { minLength: 1, maxLength: 4 })
    .map((l) => l.join(",")),
};

/** One to six image parameters, each at most once, their values mostly valid. */
const imagePairs = fc
  .uniqueArray(fc.constantFrom(...Object.keys(VALUES)), { minLength: 1, maxLength: 6 })
  .chain((names) =>
    fc.tuple(
      ...names.map((name) =>
        fc
          .oneof({ arbitrary: VALUES[name] ?? junk, weight: 19 }, { arbitrary: junk, weight: 1 })
          .map((value): [string, string] => [name, value]),
      ),
    ),
  );

const shuffled = <T>(items: T[]) => fc.shuffledSubarray(items, { minLength: items.length });

/** A query of image parameters in any order, with an unknown one mixed in. */
const imageQuery = imagePairs
  .chain((pairs) => shuffled([...pairs, ["utm_source", "x"] as [string, string]]))
  .map((pairs) => new URLSearchParams(pairs).toString());

/** Query-shaped text: names, separators, values and escapes thrown together. */
const queryLike = fc
  .array(
    fc.oneof(
      fc.constantFrom(...Object.keys(VALUES), "&", "=", ",", ":", "p", "%", "%2", "%26", "%3D"),
      fc.constantFrom("offset-x", "safe", "smart", "#", "+", ".", "-", "0", "1", "9", "400", "x"),
      junk,
    ),
    { maxLength: 16 },
  )
  .map((parts) => parts.join(""));

const POLICIES: fc.Arbitrary<WidthPolicy> = fc.oneof(
  fc.constant({ kind: "any" as const }),
  fc.integer({ min: 1, max: 9999 }).map((step) => ({ kind: "step" as const, step })),
  fc
    .uniqueArray(fc.integer({ min: 1, max: MAX_SIDE }), { minLength: 1, maxLength: 6 })
    .map((sizes) => ({ kind: "list" as const, sizes: sizes.sort((a, b) => a - b) })),
);

const PARAM_NAMES = [...Object.keys(VALUES), "dpr"];

describe("parseImageParams and canonicalParams: properties", () => {
  it("never throws, and every refusal names a known parameter and a reason", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: "binary" }), queryLike, imageQuery),
        POLICIES,
        (query, policy) => {
          const result = parse(query, policy);
          if (result.ok) {
            expect(result.params === null || typeof result.params === "object").toBe(true);
          } else {
            expect(PARAM_NAMES).toContain(result.param);
            expect(result.reason.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("gives pixel sizes that are whole, within 1–8192 and allowed by the policy", () => {
    fc.assert(
      fc.property(imageQuery, POLICIES, (query, policy) => {
        const result = parse(query, policy);
        if (!result.ok || !result.params) return;
        const { width, height } = result.params;
        // The policy rounds the width, and a height only when no pixel width leads it.
        const ruled = width && "px" in width ? [width, height] : [height];
        for (const side of [width, height]) {
          if (!side || !("px" in side)) continue;
          expect(Number.isInteger(side.px)).toBe(true);
          expect(side.px).toBeGreaterThanOrEqual(1);
          expect(side.px).toBeLessThanOrEqual(MAX_SIDE);
        }
        for (const side of ruled.slice(0, 1)) {
          if (!side || !("px" in side)) continue;
          if (policy.kind === "list") expect(policy.sizes).toContain(side.px);
          if (policy.kind === "step" && side.px !== MAX_SIDE) expect(side.px % policy.step).toBe(0);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("is stable: the canonical string parses to the same canonical string", () => {
    fc.assert(
      fc.property(imageQuery, POLICIES, (query, policy) => {
        const first = parse(query, policy);
        if (!first.ok || !first.params) return;
        const text = canonicalParams(first.params, first.params.format);
        const again = parse(text, policy);
        expect(again, `${query} -> ${text}`).toMatchObject({ ok: true });
        if (!again.ok) return;
        expect(canonicalParams(again.params ?? {}, again.params?.format), query).toBe(text);
      }),
      { numRuns: 5000 },
    );
  });

  it("gives the same canonical string whatever the order of the parameters", () => {
    const twoOrders = imagePairs.chain((pairs) => fc.tuple(shuffled(pairs), shuffled(pairs)));
    fc.assert(
      fc.property(twoOrders, ([one, other]) => {
        const first = parse(new URLSearchParams(one).toString());
        const second = parse(new URLSearchParams(other).toString());
        // Which of two bad values is named may depend on the order; that one is refused may not.
        expect(second.ok).toBe(first.ok);
        if (!first.ok || !first.params || !second.ok || !second.params) return;
        expect(second.params).toEqual(first.params);
        expect(canonicalParams(second.params, second.params.format)).toBe(
          canonicalParams(first.params, first.params.format),
        );
      }),
      { numRuns: 1000 },
    );
  });
});
