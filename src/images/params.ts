// The Image Delivery API's parameters (Contentstack's names, docs/IMAGES.md) once read: their
// shapes and limits, and their canonical form, the variant's cache key. Pure.
//
// A public URL's query becomes these in images/parse-params.ts: each value read and checked in
// images/param-values.ts, then normalised (dpr folded in, IMAGE_WIDTHS applied, no-ops dropped)
// in images/normalise-params.ts, so equivalent requests have one canonical form here.

import type { AutoFormat, OutputFormat } from "./formats";

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
/** The largest fraction of a side (1000p), the most a percentage may say. */
export const MAX_FRACTION = 10;

export const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;

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
