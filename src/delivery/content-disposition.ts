// `?dl` downloads: Content-Disposition: attachment with the filename encoded per RFC 6266 and
// RFC 8187 (an ASCII fallback in `filename`, the exact name in `filename*`). Pure.

const MAX_NAME = 255;

/**
 * The download name asked for by the `dl` query parameter, or null for no attachment.
 * `?dl` and `?dl=true` use the version's filename; `?dl=false` is inline; any other value is
 * the name to use.
 */
export function downloadName(dl: string | null, versionFilename: string): string | null {
  if (dl === null || dl === "false") return null;
  if (dl === "" || dl === "true") return versionFilename;
  return cleanName(dl) || versionFilename;
}

/**
 * A name asked for in `?dl` for a variant, with the variant's extension (from `variantName`,
 * the source's name with it): `?dl=photo.png&format=webp` saves `photo.webp`, so the saved
 * file's name says what its bytes are.
 */
export function withVariantExtension(name: string, variantName: string): string {
  const extension = /\.[^.]*$/.exec(variantName)?.[0] ?? "";
  const dot = name.lastIndexOf(".");
  return (dot > 0 ? name.slice(0, dot) : name) + extension;
}

/** A name that cannot carry control characters or path separators into a saved file. */
function cleanName(name: string): string {
  return Array.from(
    name
      .normalize("NFC")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, "")
      // Format characters (bidi overrides such as U+202E) could disguise the extension.
      .replace(/\p{Cf}/gu, "")
      .replace(/[/\\]/g, "_")
      .trim(),
  )
    .slice(0, MAX_NAME)
    .join("");
}

export function attachmentDisposition(filename: string): string {
  const name = cleanName(filename) || "download";
  return `attachment; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}

// Printable ASCII except the quote and backslash (a quoted-string would need to escape them)
// and "%" (some browsers percent-decode this form).
function asciiFallback(name: string): string {
  return name.replace(/[^\x20-\x7e]|["\\%]/gu, "_");
}

// attr-char = ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
function encodeRfc8187(name: string): string {
  return Array.from(new TextEncoder().encode(name), (byte) => {
    const ch = String.fromCharCode(byte);
    return /[A-Za-z0-9!#$&+\-.^_`|~]/.test(ch)
      ? ch
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }).join("");
}
