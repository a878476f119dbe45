// What the Images binding accepts and answers (Cloudflare Images, "Limits and formats", remote
// images: files up to 100 MB, 100 megapixels, 12,000 pixels a side but for WebP and AVIF sources,
// AVIF output up to 1,200 pixels a side; "Troubleshooting" for the error codes). Checked before
// the binding is called, so a request it would refuse costs no transformation and a page still
// gets its image (the original), and a variant is labelled with what the engine makes. Pure.

import type { OutputFormat } from "./formats";

/** The engine's input limits. */
export const ENGINE_INPUT = { maxBytes: 100_000_000, maxPixels: 100_000_000, maxSide: 12_000 };
/** AVIF output over this many pixels a side is made as WebP by the engine (best effort). */
export const MAX_AVIF_SIDE = 1_200;

/** Why the engine would refuse a source of this size, or null when it takes it. */
export function sourceRefusal(
  size: { width: number; height: number },
  format: OutputFormat,
): string | null {
  if (size.width * size.height > ENGINE_INPUT.maxPixels) {
    return `source over ${ENGINE_INPUT.maxPixels} pixels`;
  }
  // WebP and AVIF sources have their format's own limits instead.
  const sided = format !== "webp" && format !== "webpll" && format !== "avif";
  if (sided && Math.max(size.width, size.height) > ENGINE_INPUT.maxSide) {
    return `source over ${ENGINE_INPUT.maxSide} pixels a side`;
  }
  return null;
}

/**
 * The format to ask the engine for: AVIF over 1,200 pixels a side is asked as WebP, which the
 * engine would answer anyway, so the answer's type, name and cache entry say so from the start.
 */
export function engineFormat(
  format: OutputFormat,
  output: { width: number; height: number },
): OutputFormat {
  return format === "avif" && Math.max(output.width, output.height) > MAX_AVIF_SIDE
    ? "webp"
    : format;
}

/**
 * The engine's errors that mean "not this variant, not now": the original is served instead,
 * with the reason in X-Image-Transform. `lasting`: the same request will fail the same way (the
 * image's size), so the original may be cached as long as any answer of that URL; a quota runs
 * out and comes back, so its original is cached briefly.
 */
const SERVE_ORIGINAL: Record<number, { reason: string; lasting: boolean }> = {
  9422: { reason: "the account's image transformations quota is spent (9422)", lasting: false },
  9402: { reason: "the engine found the image too large (9402)", lasting: true },
  9413: { reason: "the engine found the image over 100 megapixels (9413)", lasting: true },
};

export function originalOnError(code: unknown): { reason: string; lasting: boolean } | null {
  return typeof code === "number" && Object.hasOwn(SERVE_ORIGINAL, code)
    ? (SERVE_ORIGINAL[code] as { reason: string; lasting: boolean })
    : null;
}
