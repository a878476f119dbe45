// The Image Delivery API's query parameters (Contentstack's names, docs/IMAGES.md) on
// a public URL: read, checked and normalised. Pure.
//
// Unknown parameters are ignored (CDNs and analytics add their own); an empty value counts as
// absent (`quality=` is no quality); a known parameter with a bad value, or given twice, is an
// error naming it. `dpr` is folded into `width` and `height` here, and the deployment's width
// policy (IMAGE_WIDTHS) rounds pixel sizes, so equivalent requests normalise to one form:
// canonicalParams() is that form, the cache key of a variant.

import { type AutoFormat, OUTPUT_FORMATS, type OutputFormat } from "./formats";

/** A length in pixels, or a fraction of the image's current side (`0.5`, `50p`). */
export type Length = { px: number } | { fraction: number };

/** Where a crop sits on one axis: a top-left coordinate, or a share of the space left (0–100). */
export type CropPosition = { at: Length } | { offset: number };

export interface CropSpec {
  size:
    | { kind: "size"; width: Length; height: Length }
    | { kind: "ratio"; width: number; height: number };
  x?: CropPosition;
  y?: CropPosition;
  /** `safe`: keep the region inside the image; `smart`: let the engine pick it (content-aware). */
  mode?: "safe" | "smart";
}

/** Four sides, CSS order: top, right, bottom, left. */
export type Edges = [Length, Length, Length, Length];

export interface ImageParams {
  width?: Length;
  height?: Length;
  fit?: "bounds" | "crop" | "cover";
  crop?: CropSpec;
  format?: OutputFormat;
  auto?: AutoFormat[];
  quality?: number;
  /** EXIF-style orientation 2–8 (1, the identity, is dropped). */
  orient?: number;
  disableUpscale?: true;
  /** Lowercase hex, `rrggbb` or `rrggbbaa`. */
  bgColor?: string;
  blur?: number;
  trim?: Edges;
  pad?: Edges;
}

export type ParseResult =
  | { ok: true; params: ImageParams | null }
  | { ok: false; param: string; reason: string };

/** How pixel widths and heights are rounded (IMAGE_WIDTHS): any, up to a step, or up to a list. */
export type WidthPolicy =
  | { kind: "any" }
  | { kind: "step"; step: number }
  | { kind: "list"; sizes: number[] };

/** Cloudflare's largest blur radius (Contentstack's scale goes to 1000). */
export const MAX_BLUR = 250;
/** The largest side of an output image, in pixels. */
export const MAX_SIDE = 8192;
const MAX_VALUE_LENGTH = 64;
const PARAMS = [
  "width",
  "height",
  "dpr",
  "fit",
  "crop",
  "format",
  "auto",
  "quality",
  "orient",
  "disable",
  "bg-color",
  "blur",
  "trim",
  "pad",
] as const;
type ParamName = (typeof PARAMS)[number];

class ParamError extends Error {
  constructor(
    readonly param: string,
    reason: string,
  ) {
    super(reason);
  }
}
const fail = (param: string, reason: string): never => {
  throw new ParamError(param, reason);
};

const INTEGER = /^\d{1,9}$/;
const DECIMAL = /^(?:\d{1,9}(?:\.\d{1,6})?|\.\d{1,6})$/;
// A Map, not an object literal: `orient=constructor` must not find Object.prototype's members.
const ORIENT_ALIASES = new Map([
  ["h", 2],
  ["hv", 3],
  ["vh", 3],
  ["v", 4],
  ["r", 6],
  ["l", 8],
]);
/** The largest fraction of a side (1000p), the most a percentage may say. */
const MAX_FRACTION = 10;

/** The image parameters of a public URL's query: null when it has none. */
export function parseImageParams(
  query: URLSearchParams,
  policy: WidthPolicy = { kind: "any" },
): ParseResult {
  const values = new Map<ParamName, string>();
  for (const [name, value] of query) {
    if (!(PARAMS as readonly string[]).includes(name) || value === "") continue;
    const param = name as ParamName;
    if (values.has(param)) return { ok: false, param, reason: "is given more than once" };
    if (value.length > MAX_VALUE_LENGTH) {
      return { ok: false, param, reason: `must be at most ${MAX_VALUE_LENGTH} characters` };
    }
    values.set(param, value);
  }
  if (values.size === 0) return { ok: true, params: null };
  try {
    return { ok: true, params: normalise(readAll(values), policy) };
  } catch (err) {
    if (err instanceof ParamError) return { ok: false, param: err.param, reason: err.message };
    throw err;
  }
}

function readAll(values: Map<ParamName, string>): ImageParams & { dpr?: number } {
  const p: ImageParams & { dpr?: number } = {};
  for (const [name, value] of values) {
    switch (name) {
      case "width":
      case "height":
        p[name] = size(name, value);
        break;
      case "dpr":
        p.dpr = decimalIn(name, value, 1, 10);
        break;
      case "fit":
        if (value !== "bounds" && value !== "crop" && value !== "cover") {
          fail(name, "must be bounds, crop or cover");
        }
        p.fit = value as ImageParams["fit"];
        break;
      case "crop":
        p.crop = crop(value);
        break;
      case "format":
        p.format = format(value);
        break;
      case "auto":
        p.auto = auto(value);
        break;
      case "quality":
        p.quality = integerIn(name, value, 1, 100);
        break;
      case "orient":
        p.orient = ORIENT_ALIASES.get(value) ?? integerIn(name, value, 1, 8);
        break;
      case "disable":
        if (value !== "upscale") fail(name, "must be upscale");
        p.disableUpscale = true;
        break;
      case "bg-color":
        p.bgColor = color(value);
        break;
      case "blur":
        // Cloudflare's blur radius is a whole number up to 250: larger or fractional values make
        // the same image, so they are one variant.
        p.blur = Math.min(MAX_BLUR, Math.round(decimalIn(name, value, 1, 1000)));
        break;
      case "trim":
      case "pad":
        p[name] = edges(name, value);
        break;
    }
  }
  return p;
}

/** dpr folded in, the width policy applied, identities and no-ops dropped. */
function normalise(p: ImageParams & { dpr?: number }, policy: WidthPolicy): ImageParams | null {
  const { dpr, ...params } = p;
  for (const side of ["width", "height"] as const) {
    let length = params[side];
    if (!length) continue;
    if (dpr !== undefined) length = scaled(length, dpr);
    if ("px" in length && length.px > MAX_SIDE) {
      fail("dpr", `gives a ${side} over ${MAX_SIDE} pixels`);
    } else if ("fraction" in length && length.fraction > MAX_FRACTION) {
      // Else the canonical form would say more than 1000p, which parses to an error.
      fail("dpr", `gives a ${side} over ${MAX_FRACTION * 100}p`);
    }
    params[side] = length;
  }
  roundSizes(params, policy);
  if (params.orient === 1) delete params.orient;
  // fit chooses between ways of filling a width *and* a height; with one of them it does nothing.
  if (!(params.width && params.height)) delete params.fit;
  if (!(params.width || params.height)) delete params.disableUpscale;
  return Object.keys(params).length > 0 ? params : null;
}

const scaled = (length: Length, dpr: number): Length =>
  "px" in length
    ? { px: Math.round(length.px * dpr) }
    : { fraction: round6(length.fraction * dpr) };

/**
 * The width policy on pixel sizes: the width is rounded, and a pixel height beside it follows in
 * proportion, so a box keeps the shape it was asked for; a height alone is rounded itself.
 */
function roundSizes(params: ImageParams, policy: WidthPolicy): void {
  const { width, height } = params;
  if (width && "px" in width) {
    const px = Math.min(rounded(width.px, policy), MAX_SIDE);
    if (height && "px" in height) {
      params.height = {
        px: Math.max(1, Math.min(MAX_SIDE, Math.round((height.px * px) / width.px))),
      };
    }
    params.width = { px };
  } else if (height && "px" in height) {
    params.height = { px: Math.min(rounded(height.px, policy), MAX_SIDE) };
  }
}

function rounded(px: number, policy: WidthPolicy): number {
  if (policy.kind === "step") return Math.ceil(px / policy.step) * policy.step;
  if (policy.kind === "list") {
    return policy.sizes.find((s) => s >= px) ?? (policy.sizes[policy.sizes.length - 1] as number);
  }
  return px;
}

/** A width or height: 1–8192 pixels, a fraction (0.0–0.99), or a percentage (`150p`). */
function size(name: string, value: string): Length {
  const length = lengthOf(name, value);
  if ("px" in length && length.px > MAX_SIDE) fail(name, `must be at most ${MAX_SIDE} pixels`);
  if ("px" in length && length.px < 1) fail(name, "must be at least 1 pixel");
  return length;
}

function lengthOf(name: string, value: string): Length {
  if (INTEGER.test(value)) return { px: Number(value) };
  const percent = /^(\d{1,4}(?:\.\d{1,4})?)p$/.exec(value);
  if (percent) {
    const fraction = Number(percent[1]) / 100;
    if (fraction <= 0 || fraction > MAX_FRACTION)
      fail(name, `a percentage must be above 0p and at most ${MAX_FRACTION * 100}p`);
    return { fraction: round6(fraction) };
  }
  if (DECIMAL.test(value) && Number(value) < 1) {
    if (Number(value) <= 0) fail(name, "must be above 0");
    return { fraction: round6(Number(value)) };
  }
  return fail(name, "must be whole pixels (400), a fraction (0.5) or a percentage (50p)");
}

function integerIn(name: string, value: string, min: number, max: number): number {
  if (!INTEGER.test(value)) fail(name, `must be a whole number from ${min} to ${max}`);
  const n = Number(value);
  if (n < min || n > max) fail(name, `must be a whole number from ${min} to ${max}`);
  return n;
}

function decimalIn(name: string, value: string, min: number, max: number): number {
  if (!DECIMAL.test(value)) fail(name, `must be a number from ${min} to ${max}`);
  const n = Number(value);
  if (n < min || n > max) fail(name, `must be a number from ${min} to ${max}`);
  return n;
}

function format(value: string): OutputFormat {
  const name = value === "jpeg" ? "jpg" : value === "webply" ? "webp" : value;
  if (!(OUTPUT_FORMATS as readonly string[]).includes(name)) {
    fail("format", `must be one of ${OUTPUT_FORMATS.join(", ")}`);
  }
  return name as OutputFormat;
}

function auto(value: string): AutoFormat[] {
  const formats: AutoFormat[] = [];
  for (const item of value.split(",")) {
    if (item !== "webp" && item !== "avif")
      fail("auto", "must be webp or avif (or both, comma-separated)");
    if (!formats.includes(item as AutoFormat)) formats.push(item as AutoFormat);
  }
  return formats;
}

/** `rgb`, `rgba`, `rrggbb` or `rrggbbaa` in hex (a leading `#` allowed), or `r,g,b[,a]`. */
function color(value: string): string {
  const hex = /^#?([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(value)?.[1]?.toLowerCase();
  if (hex) {
    const full = hex.length <= 4 ? [...hex].map((ch) => ch + ch).join("") : hex;
    return full.endsWith("ff") && full.length === 8 ? full.slice(0, 6) : full;
  }
  const parts = value.split(",");
  if (parts.length === 3 || parts.length === 4) {
    const rgb = parts.slice(0, 3).map((part) => (INTEGER.test(part) ? Number(part) : -1));
    const alpha = parts[3] === undefined ? 1 : DECIMAL.test(parts[3]) ? Number(parts[3]) : -1;
    if (rgb.every((c) => c >= 0 && c <= 255) && alpha >= 0 && alpha <= 1) {
      // An alpha that rounds to ff is opaque, dropped as the hex form drops it.
      const a = Math.round(alpha * 255);
      const bytes = a === 255 ? rgb : [...rgb, a];
      return bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
    }
  }
  return fail("bg-color", "must be hex (ff0000, f00, ff000080) or r,g,b[,a] with a from 0 to 1");
}

/** One to four lengths, CSS order (top, right, bottom, left), each zero or more. */
function edges(name: string, value: string): Edges {
  const parts = value.split(",");
  if (parts.length > 4) fail(name, "takes one to four values: top, right, bottom, left");
  const lengths = parts.map((part) => lengthOf(name, part));
  const [top, right = top, bottom = top, left = right] = lengths as [Length, ...Length[]];
  for (const l of [top, right, bottom, left]) {
    if ("px" in l && l.px > MAX_SIDE) fail(name, `must be at most ${MAX_SIDE} pixels a side`);
  }
  return [top, right, bottom, left];
}

/**
 * `W,H` (pixels or fractions), or `W:H` (an aspect ratio), then optionally a position on each
 * axis (`x…`/`y…` top-left, or `offset-x…`/`offset-y…` 0–100) and `safe` or `smart`.
 */
function crop(value: string): CropSpec {
  const parts = value.split(",");
  const first = parts[0] ?? "";
  let spec: CropSpec;
  let rest: string[];
  const ratio = /^(\d{1,4}(?:\.\d{1,4})?):(\d{1,4}(?:\.\d{1,4})?)$/.exec(first);
  if (ratio) {
    const [w, h] = [Number(ratio[1]), Number(ratio[2])];
    if (w <= 0 || h <= 0) fail("crop", "an aspect ratio must be above 0 on both sides");
    spec = { size: { kind: "ratio", width: w, height: h } };
    rest = parts.slice(1);
  } else {
    if (parts.length < 2)
      fail("crop", "must start with W,H (pixels or fractions) or W:H (a ratio)");
    const width = size("crop", first);
    const height = size("crop", parts[1] as string);
    spec = { size: { kind: "size", width, height } };
    rest = parts.slice(2);
  }
  for (const token of rest) {
    if (token === "safe" || token === "smart") {
      if (spec.mode) fail("crop", "takes safe or smart once");
      spec.mode = token;
      continue;
    }
    const position = /^(offset-)?([xy])(.+)$/.exec(token);
    if (!position) return fail("crop", `has an unknown part: ${token}`);
    const axis = position[2] as "x" | "y";
    const amount = position[3] as string;
    if (spec[axis]) fail("crop", `positions the ${axis} axis twice`);
    spec[axis] = position[1]
      ? { offset: decimalIn("crop", amount, 0, 100) }
      : { at: lengthOf("crop", amount) };
  }
  return spec;
}

const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;

/**
 * The canonical form of the parameters as one query string: names in a fixed order, values
 * normalised, `auto` resolved to the format it picked (or dropped). Two requests that must get
 * the same bytes get the same string, the variant's cache key and ETag input.
 */
export function canonicalParams(params: ImageParams, format: OutputFormat | undefined): string {
  const fields: [string, string | undefined][] = [
    ["bg-color", params.bgColor],
    ["blur", params.blur === undefined ? undefined : String(params.blur)],
    ["crop", params.crop && cropText(params.crop)],
    ["disable", params.disableUpscale ? "upscale" : undefined],
    ["fit", params.fit],
    ["format", format],
    ["height", params.height && lengthText(params.height)],
    ["orient", params.orient === undefined ? undefined : String(params.orient)],
    ["pad", params.pad?.map(lengthText).join(",")],
    // WebP lossless (webpll) has no quality: any given is the same variant.
    [
      "quality",
      params.quality === undefined || format === "webpll" ? undefined : String(params.quality),
    ],
    ["trim", params.trim?.map(lengthText).join(",")],
    ["width", params.width && lengthText(params.width)],
  ];
  return fields
    .filter((field): field is [string, string] => field[1] !== undefined)
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
}

const lengthText = (l: Length): string =>
  "px" in l ? String(l.px) : `${round6(l.fraction * 100)}p`;

function cropText(c: CropSpec): string {
  const parts =
    c.size.kind === "ratio"
      ? [`${c.size.width}:${c.size.height}`]
      : [lengthText(c.size.width), lengthText(c.size.height)];
  for (const axis of ["x", "y"] as const) {
    const p = c[axis];
    if (p) parts.push("offset" in p ? `offset-${axis}${p.offset}` : `${axis}${lengthText(p.at)}`);
  }
  if (c.mode) parts.push(c.mode);
  return parts.join(",");
}
