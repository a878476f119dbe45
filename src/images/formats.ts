// The image formats of the Image Delivery API: which stored files can be transformed, what each
// `format` value produces (type, extension), and which one `auto` picks from `Accept`. Pure.

/** `format` values, with Contentstack's names (`webply` and `jpeg` are read as `webp`, `jpg`). */
export const OUTPUT_FORMATS = ["jpg", "pjpg", "png", "webp", "webpll", "avif", "gif"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** `auto` values: a modern format served only to clients that say they accept it. */
export type AutoFormat = "webp" | "avif";

const MIME: Record<OutputFormat, string> = {
  jpg: "image/jpeg",
  pjpg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  webpll: "image/webp",
  avif: "image/avif",
  gif: "image/gif",
};

const EXTENSION: Record<OutputFormat, string> = {
  jpg: "jpg",
  pjpg: "jpg",
  png: "png",
  webp: "webp",
  webpll: "webp",
  avif: "avif",
  gif: "gif",
};

// Raster types the engine reads (Cloudflare Images and, locally, sharp); anything else (SVG,
// PDF, video, text) is served as stored, whatever the parameters say.
const SOURCE_FORMAT: Record<string, OutputFormat> = {
  "image/jpeg": "jpg",
  "image/jpg": "jpg",
  "image/pjpeg": "jpg",
  "image/png": "png",
  "image/gif": "gif",
  "image/webp": "webp",
  "image/avif": "avif",
};

export const outputMime = (format: OutputFormat): string => MIME[format];
export const outputExtension = (format: OutputFormat): string => EXTENSION[format];

/** The format a stored file is in, when it is a raster image the engine can transform. */
export function sourceFormat(contentType: string): OutputFormat | null {
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return Object.hasOwn(SOURCE_FORMAT, type) ? (SOURCE_FORMAT[type] as OutputFormat) : null;
}

/**
 * The first of `auto`'s formats that the request's `Accept` names explicitly (`image/webp`,
 * `image/avif`), or null. A wildcard (`image/*`, `*\/*`) does not count: browsers that cannot
 * decode WebP send those too. A q of 0 refuses the type (RFC 9110 §12.5.1).
 */
export function negotiate(auto: readonly AutoFormat[], accept: string | null): AutoFormat | null {
  if (!accept || auto.length === 0) return null;
  const accepted = new Set<string>();
  for (const part of accept.toLowerCase().split(",")) {
    const [type, ...params] = part.split(";").map((s) => s.trim());
    const q = params.find((p) => p.startsWith("q="));
    if (type && !(q && Number(q.slice(2)) === 0)) accepted.add(type);
  }
  return auto.find((format) => accepted.has(`image/${format}`)) ?? null;
}

/** `name.ext` with its extension replaced by the output format's, for `?dl` downloads. */
export function withExtension(filename: string, format: OutputFormat): string {
  const dot = filename.lastIndexOf(".");
  const stem = dot > 0 ? filename.slice(0, dot) : filename;
  return `${stem}.${outputExtension(format)}`;
}
