// Where image parameters are normalised: dpr folded into width and height, the deployment's
// width policy (IMAGE_WIDTHS) applied, identities and no-ops dropped, so that equivalent requests
// become the same parameters and so the same canonical form (images/params.ts). Pure.

import { fail } from "./param-values";
import {
  type ImageParams,
  type Length,
  MAX_FRACTION,
  MAX_SIDE,
  round6,
  type WidthPolicy,
} from "./params";

/** dpr folded in, the width policy applied, identities and no-ops dropped. */
export function normaliseParams(
  p: ImageParams & { dpr?: number },
  policy: WidthPolicy,
): ImageParams | null {
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
