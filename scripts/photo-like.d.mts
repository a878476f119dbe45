// Types for scripts/photo-like.mjs, so the TypeScript end-to-end tests can use it.
import type { Sharp } from "sharp";

export function photoLike(
  width: number,
  height: number,
  options?: { seed?: number; hue?: number },
): Sharp;
