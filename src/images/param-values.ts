// Each image parameter's value read and checked: the parameters this service knows, and why a
// value is refused (a ParamError naming the parameter). Pure; images/parse-params.ts calls it.

import { type AutoFormat, OUTPUT_FORMATS, type OutputFormat } from "./formats";
import {
  type CropSpec,
  type Edges,
  type ImageParams,
  type Length,
  MAX_BLUR,
  MAX_FRACTION,
  MAX_SIDE,
  round6,
} from "./params";

export const MAX_VALUE_LENGTH = 64;
export const PARAMS = [
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
export type ParamName = (typeof PARAMS)[number];

export class ParamError extends Error {
  constructor(
    readonly param: string,
    reason: string,
  ) {
    super(reason);
  }
}
export const fail = (param: string, reason: string): never => {
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

/** Every value of `values` read into parameters (dpr still apart); a bad one throws a ParamError. */
export function readParamValues(values: Map<ParamName, string>): ImageParams & { dpr?: number } {
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
