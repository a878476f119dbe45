// An asset's tags (the CMA's `tags`): a JSON array of strings, or the comma-separated text the
// official SDK sends as the form field `asset[tags]` (it joins its array with ","). A tag may not
// hold a comma, so every list survives that round trip. Tags are kept trimmed and NFC-normalised
// (so "café" typed either way is one tag), case as given, each once, in the order first given.

import { nfc, type TextRule, textProblem } from "./text";

export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 100;

export type TagsCheck = { ok: true; tags: string[] } | { ok: false; reason: string };

/** One tag: domain/text.ts's rules for a line of 1 to MAX_TAG_LENGTH characters, no comma. */
const TAG_RULE: TextRule = { min: 1, max: MAX_TAG_LENGTH };

/** Checks one tag, returning it trimmed and normalised. */
export function checkTag(
  value: unknown,
): { ok: true; tag: string } | { ok: false; reason: string } {
  if (typeof value !== "string") return { ok: false, reason: "each tag must be a string" };
  const tag = nfc(value.trim());
  const problem = textProblem(tag, TAG_RULE);
  if (problem !== null) return { ok: false, reason: `a tag ${problem}` };
  if (tag.includes(",")) return { ok: false, reason: "a tag must not contain a comma" };
  return { ok: true, tag };
}

/** Checks a list of tags (a JSON array). */
export function checkTags(values: unknown): TagsCheck {
  if (!Array.isArray(values)) return { ok: false, reason: "must be an array of strings" };
  if (values.length > MAX_TAGS) return { ok: false, reason: `must have at most ${MAX_TAGS} tags` };
  const tags: string[] = [];
  for (const value of values) {
    const check = checkTag(value);
    if (!check.ok) return check;
    if (!tags.includes(check.tag)) tags.push(check.tag);
  }
  return { ok: true, tags };
}

/** The form field's text: empty (or only spaces) for no tags, else tags separated by commas. */
export function tagsFromText(text: string): TagsCheck {
  if (text.trim() === "") return { ok: true, tags: [] };
  // Bounded before splitting, so a field of 64 KiB of commas costs no huge array.
  // (UTF-16 units: at most two a code point, so this never refuses a list within the limits.)
  if (text.length > 2 * MAX_TAGS * (MAX_TAG_LENGTH + 1)) {
    return {
      ok: false,
      reason: `is too long: at most ${MAX_TAGS} tags of at most ${MAX_TAG_LENGTH} characters`,
    };
  }
  return checkTags(text.split(","));
}
