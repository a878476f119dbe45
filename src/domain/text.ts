// The one set of rules for text a client stores (titles, descriptions, folder and stack names,
// tags, filenames) or searches with (`search`, the `query` filter's values). Every field follows
// them, so a character refused in one is refused in all, and every limit counts the same unit:
// Unicode code points (what a person calls characters; "é" and "😀" are one each).
//
// - Control characters (C0, DEL, C1) are refused, never stripped: a stored value is exactly what
//   was sent, and a NUL would end the text for some readers (SQLite's GLOB, C strings). A
//   description alone may hold tabs and line breaks, which are text there.
// - A lone surrogate (JSON allows "\ud800") is refused: it cannot be stored as UTF-8, so it
//   would come back as U+FFFD, not as sent.
// - Text is NFC-normalised, so "é" typed as one code point or as e + U+0301 is the same text to
//   equality, search and sorting.
// Pure.

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// The same, but tab, line feed and carriage return.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface TextRule {
  /** Fewest code points (1: must not be empty). */
  min: number;
  /** Most code points. */
  max: number;
  /** Tabs and line breaks are allowed (multi-line text: a description). */
  lines?: boolean;
}

/** The number of Unicode code points: the unit of every text limit. */
export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** What is wrong with `text` under `rule` (a reason for a 422), or null when nothing is. */
export function textProblem(text: string, rule: TextRule): string | null {
  if (LONE_SURROGATE.test(text)) return "must be well-formed Unicode (it holds a lone surrogate)";
  if (rule.lines ? CONTROL_BUT_LINES.test(text) : CONTROL.test(text)) {
    return rule.lines
      ? "must not contain control characters other than tabs and line breaks"
      : "must not contain control characters";
  }
  const n = codePoints(text);
  if (n < rule.min) return rule.min === 1 ? "must not be empty" : `must be at least ${rule.min}`;
  if (n > rule.max) return `must be at most ${rule.max} characters`;
  return null;
}

/** NFC, the form text is stored and compared in (a lone surrogate is left for textProblem). */
export const nfc = (text: string): string => text.normalize("NFC");

/** A description: multi-line, up to 4096 characters. */
export const DESCRIPTION_RULE: TextRule = { min: 0, max: 4096, lines: true };

/**
 * A whole number written as text (a query parameter, a path segment): canonical decimal digits,
 * at most 16 (so exact in a double), no sign, exponent, spaces or leading zeros.
 */
export const WHOLE_NUMBER = /^(0|[1-9][0-9]{0,15})$/;
