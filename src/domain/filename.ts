// Filenames are kept as given for display; the URL segment and R2 key use a sanitised copy.

export const MAX_FILENAME_LENGTH = 255;

// The characters Contentstack replaces with "_", plus control characters.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we strip
const UNSAFE = /[#%^+\\/?*:|"'<>\s{}=,\u0000-\u001f\u007f]/g;

/** The display filename: NFC-normalised, control characters removed, length-limited. */
export function displayFilename(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters
  const clean = name.normalize("NFC").replace(/[\u0000-\u001f\u007f]/g, "");
  // Cut by code points so a surrogate pair is never split.
  return Array.from(clean).slice(0, MAX_FILENAME_LENGTH).join("");
}

/**
 * The filename as a single safe path segment: unsafe characters become "_", and a result made
 * only of dots (which a URL parser would resolve as "." or "..") gets a leading "_".
 */
export function sanitizeFilename(name: string): string {
  const safe = displayFilename(name).replace(UNSAFE, "_");
  if (safe === "") return "file";
  return /^\.+$/.test(safe) ? `_${safe}` : safe;
}
