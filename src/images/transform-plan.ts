// How one variant is made: the output's exact size, computed here from the source's size and the
// parameters, and the Images binding's transform steps that produce it. Pure.
//
// Sizes are decided here, not left to the engine, so that limits are checked before any work,
// `disable=upscale` and percentages mean the same everywhere, and the local engine (sharp, which
// honours only width, height, rotate and the output format) gives the same dimensions as
// production: after a step it ignores changed the size (trim, crop, pad), one more step resizes
// to the exact size, which is a no-op where every step ran. Order (docs/IMAGES.md): orient,
// trim, crop, resize (width, height, dpr, fit, disable=upscale), pad, blur; then encode (format,
// quality, bg-color). The source is taken upright: an EXIF orientation of 5–8 swaps its sides,
// as the engine turns the image before it transforms it.

import { type OutputFormat, outputMime } from "./formats";
import type { CropPosition, Edges, ImageParams, Length } from "./params";

export interface SourceImage {
  width: number;
  height: number;
  /** EXIF orientation, 1–8. */
  orientation: number;
  format: OutputFormat;
}

export interface Limits {
  /** Largest side of the output (and of any step on the way), in pixels. */
  maxSide: number;
  /** Largest area of the output, in pixels. */
  maxArea: number;
}

export interface TransformPlan {
  steps: ImageTransform[];
  output: ImageOutputOptions;
  width: number;
  height: number;
  format: OutputFormat;
}

export type PlanResult =
  | { ok: true; plan: TransformPlan }
  | { ok: false; param: string; reason: string };

// EXIF orientations as the engine's flips and clockwise rotations (flip first, then rotate).
const ORIENT: Record<number, ImageTransform[]> = {
  2: [{ flip: "h" }],
  3: [{ rotate: 180 }],
  4: [{ flip: "v" }],
  5: [{ flip: "h" }, { rotate: 270 }],
  6: [{ rotate: 90 }],
  7: [{ flip: "h" }, { rotate: 90 }],
  8: [{ rotate: 270 }],
};

class PlanError extends Error {
  constructor(
    readonly param: string,
    reason: string,
  ) {
    super(reason);
  }
}

export function planTransform(
  params: ImageParams,
  source: SourceImage,
  format: OutputFormat | undefined,
  limits: Limits,
): PlanResult {
  try {
    return { ok: true, plan: plan(params, source, format ?? source.format, limits) };
  } catch (err) {
    if (err instanceof PlanError) return { ok: false, param: err.param, reason: err.message };
    throw err;
  }
}

function plan(
  p: ImageParams,
  source: SourceImage,
  format: OutputFormat,
  limits: Limits,
): TransformPlan {
  const upright = source.orientation >= 5;
  let w = upright ? source.height : source.width;
  let h = upright ? source.width : source.height;
  const steps: ImageTransform[] = [];
  // True once a step the local engine ignores has changed the size. The local engine does not
  // apply the source's EXIF orientation either, so with 5–8 it starts with the sides swapped.
  let sizeIgnoredLocally = upright;
  const within = (param: string, hint = "") => {
    if (w > limits.maxSide || h > limits.maxSide || w * h > limits.maxArea) {
      throw new PlanError(
        param,
        `gives a ${w}x${h} image; the most is ${limits.maxSide} pixels a side and ${limits.maxArea} pixels in all${hint}`,
      );
    }
  };

  if (p.orient) {
    steps.push(...(ORIENT[p.orient] ?? []));
    if (p.orient >= 5) [w, h] = [h, w];
  }

  if (p.trim) {
    const [top, right, bottom, left] = sidesOf(p.trim, w, h);
    if (left + right >= w || top + bottom >= h) {
      throw new PlanError("trim", `would remove the whole ${w}x${h} image`);
    }
    steps.push({ trim: { top, right, bottom, left } });
    w -= left + right;
    h -= top + bottom;
    sizeIgnoredLocally ||= left + right + top + bottom > 0;
  }

  if (p.crop) {
    const c = p.crop;
    let cw: number;
    let ch: number;
    if (c.size.kind === "ratio") {
      const ratio = c.size.width / c.size.height;
      [cw, ch] = w / h > ratio ? [Math.round(h * ratio), h] : [w, Math.round(w / ratio)];
    } else {
      if (c.mode === "smart") throw new PlanError("crop", "smart needs an aspect ratio (W:H)");
      [cw, ch] = [px(c.size.width, w), px(c.size.height, h)];
    }
    cw = Math.max(1, cw);
    ch = Math.max(1, ch);
    if (cw > w || ch > h) {
      if (c.mode !== "safe") {
        throw new PlanError("crop", `${cw}x${ch} is larger than the ${w}x${h} image`);
      }
      cw = Math.min(cw, w);
      ch = Math.min(ch, h);
    }
    let left = place(c.x, w, cw);
    let top = place(c.y, h, ch);
    if (left + cw > w || top + ch > h) {
      if (c.mode !== "safe") throw new PlanError("crop", "the region falls outside the image");
      left = Math.min(left, w - cw);
      top = Math.min(top, h - ch);
    }
    steps.push(
      c.mode === "smart"
        ? // The engine picks where the region goes (content-aware); the size stays the ratio's.
          { width: cw, height: ch, fit: "crop", gravity: "auto" }
        : { trim: { left, top, width: cw, height: ch } },
    );
    sizeIgnoredLocally ||= cw !== w || ch !== h;
    [w, h] = [cw, ch];
  }

  // A fraction too small for one pixel still asks for a side: the smallest, not none.
  const width = p.width && Math.max(1, px(p.width, w));
  const height = p.height && Math.max(1, px(p.height, h));
  if (width || height) {
    let [outW, outH] = [width || 0, height || 0];
    let fit: "squeeze" | "cover" = "squeeze";
    if (width && height) {
      if (p.fit === "bounds" || p.fit === "cover") {
        const scale = (p.fit === "bounds" ? Math.min : Math.max)(width / w, height / h);
        [outW, outH] = [Math.round(w * scale), Math.round(h * scale)];
      } else if (p.fit === "crop") {
        fit = "cover"; // fill width x height, cut what overflows, centred
      }
      // No fit: exactly width x height, as asked.
    } else if (width) {
      outH = Math.round((h * width) / w);
    } else {
      outW = Math.round((w * (height as number)) / h);
    }
    if (p.disableUpscale) {
      const k = Math.min(1, w / outW, h / outH);
      [outW, outH] = [Math.round(outW * k), Math.round(outH * k)];
    }
    [w, h] = [Math.max(1, outW), Math.max(1, outH)];
    within(width ? "width" : "height");
    steps.push({ width: w, height: h, fit });
    sizeIgnoredLocally = false;
  }
  // Without a width or height the size is the source's (or what crop or trim left of it): a
  // source over the output limits needs one. The error names a parameter the request has.
  if (p.crop || p.trim) within(p.crop ? "crop" : "trim");
  else within(sizeKeeping(p), "; add width or height to make it smaller");

  if (p.pad) {
    const [top, right, bottom, left] = sidesOf(p.pad, w, h);
    // Cloudflare documents a border's colour beside its per-side widths; the runtime's types
    // only allow it with one width, hence the cast. The background covers the rest.
    const color = p.bgColor ? { color: `#${p.bgColor}` } : {};
    steps.push({
      border: { top, right, bottom, left, ...color } as ImageTransform["border"],
      ...(p.bgColor ? { background: `#${p.bgColor}` } : {}),
    });
    w += left + right;
    h += top + bottom;
    within("pad");
    sizeIgnoredLocally ||= left + right + top + bottom > 0;
  }

  if (p.blur) steps.push({ blur: p.blur }); // params.ts caps it at Cloudflare's 250
  if (sizeIgnoredLocally) steps.push({ width: w, height: h, fit: "squeeze" });

  const output: ImageOutputOptions = { format: outputMime(format) as ImageOutputOptions["format"] };
  // The binding has no lossless switch for WebP: its highest quality is the nearest thing.
  const quality = format === "webpll" ? 100 : p.quality;
  if (quality !== undefined) output.quality = quality;
  if (p.bgColor) output.background = `#${p.bgColor}`;
  return { steps, output, width: w, height: h, format };
}

/**
 * The parameter to name when the source's own size is over the limits: one the request has that
 * asks for a variant without setting its size (a 9000x9000 PNG with `pad=1` named `width`).
 */
function sizeKeeping(p: ImageParams): string {
  if (p.pad) return "pad";
  if (p.blur) return "blur";
  if (p.orient) return "orient";
  if (p.bgColor) return "bg-color";
  if (p.quality !== undefined) return "quality";
  if (p.auto) return "auto";
  return "format";
}

/** Top, right, bottom, left in pixels: top and bottom of the height, the others of the width. */
const sidesOf = (edges: Edges, w: number, h: number) =>
  edges.map((l, i) => px(l, i % 2 === 0 ? h : w)) as [number, number, number, number];

const px = (length: Length, side: number): number =>
  "px" in length ? length.px : Math.round(length.fraction * side);

/** The left (or top) edge of a crop of `size` on a side of `side` pixels; centred by default. */
function place(position: CropPosition | undefined, side: number, size: number): number {
  if (!position) return Math.round((side - size) / 2);
  if ("offset" in position) return Math.round(((side - size) * position.offset) / 100);
  return px(position.at, side);
}
