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
 * The most UTF-8 bytes of a safe name. An R2 key holds at most 1,024 bytes, and
 * `{api_key}/{uid}/{file_uid}/` takes 65 of them; 255 is what file systems keep, too. (255
 * characters of a display name may be 1,020 bytes: R2 refused such keys.)
 */
export const MAX_SAFE_NAME_BYTES = 255;

/**
 * A checked filename as a single safe path segment: unsafe characters become "_", a result made
 * only of dots (which a URL parser would resolve as "." or "..") gets a leading "_", and a name
 * over MAX_SAFE_NAME_BYTES is shortened before its extension, at a character's edge.
 */
export function sanitizeFilename(filename: string): string {
  const safe = fitBytes(nfc(filename).replace(UNSAFE, "_"));
  if (safe === "") return "file";
  return /^\.+$/.test(safe) ? `_${safe}` : safe;
}

const bytesOf = (text: string) => new TextEncoder().encode(text).length;

function fitBytes(name: string): string {
  if (bytesOf(name) <= MAX_SAFE_NAME_BYTES) return name;
  const extension = /\.[^.]{1,16}$/.exec(name)?.[0] ?? "";
  const room = MAX_SAFE_NAME_BYTES - bytesOf(extension);
  const stem: string[] = [];
  let used = 0;
  for (const ch of name.slice(0, name.length - extension.length)) {
    used += bytesOf(ch);
    if (used > room) break;
    stem.push(ch);
  }
  return stem.join("") + extension;
}
