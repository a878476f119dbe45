// Filenames are kept as given for display (NFC-normalised, domain/text.ts's rules); the URL
// segment and R2 key use a sanitised copy.

import { nfc, type TextRule, textProblem } from "./text";

export const MAX_FILENAME_LENGTH = 255;
/** 1 to 255 characters: no file system keeps a longer name, so none is ever cut short here. */
export const FILENAME_RULE: TextRule = { min: 1, max: MAX_FILENAME_LENGTH };

// The characters Contentstack replaces with "_" (control characters never get this far).
const UNSAFE = /[#%^+\\/?*:|"'<>\s{}=,]/g;

export type FilenameCheck = { ok: true; filename: string } | { ok: false; reason: string };

/** The display filename (NFC), or why the name given cannot be one. */
export function checkFilename(name: string): FilenameCheck {
  const filename = nfc(name);
  const problem = textProblem(filename, FILENAME_RULE);
  return problem === null ? { ok: true, filename } : { ok: false, reason: problem };
}

/**
 * A checked filename as a single safe path segment: unsafe characters become "_", and a result
 * made only of dots (which a URL parser would resolve as "." or "..") gets a leading "_".
 */
export function sanitizeFilename(filename: string): string {
  const safe = nfc(filename).replace(UNSAFE, "_");
  if (safe === "") return "file";
  return /^\.+$/.test(safe) ? `_${safe}` : safe;
}
