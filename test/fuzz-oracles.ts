// The fuzzer's oracles for the listing's text filters: JavaScript's own RegExp, over the titles and
// filenames of the fixture's assets, says what `$regex` and `search` must find.

import fc from "fast-check";
import type { AssetJson } from "./helpers";

/** Pieces of patterns: the supported subset, what it refuses, and characters that fold. */
const ATOMS = [
  "a",
  "b",
  "r",
  "sum",
  "txt",
  "png",
  "\u00e9",
  "\u00c9",
  "e\u0301",
  "\u017f",
  "\u212a",
  ".",
  ".*",
  ".+",
  "\\.",
  "\\w",
  "\\W",
  "\\d",
  "\\s",
  "[a-z]",
  "[^a]",
  "[\u00e0-\u00ff]",
  "^",
  "$",
  "(",
  ")",
  "|",
  "*",
  "+",
  "?",
  "{2}",
  "\\",
  "[",
  "]",
  "%",
  "_",
  "\u0000",
];

/** A `$regex`: a few pieces, or one piece repeated to about the 128-character limit. */
export const REGEX = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.array(fc.constantFrom(...ATOMS), { maxLength: 10 }).map((a) => a.join("")),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom("a", "\\w", "[a-z]", "."), fc.integer({ min: 124, max: 132 }))
      .map(([atom, n]) => `^${atom.repeat(Math.ceil(n / atom.length)).slice(0, n)}`),
  },
);

/**
 * The assets a `query` of only `{"title": {"$regex", "$options"?}}` must find (JavaScript's RegExp
 * with the flags "su", and "i" for $options "i"), or null for any other query.
 */
export function regexOracle(query: string, assets: AssetJson[]): AssetJson[] | null {
  let value: unknown;
  try {
    value = JSON.parse(query);
  } catch {
    return null;
  }
  const title = (value as { title?: unknown } | null)?.title as
    | { $regex?: unknown; $options?: unknown }
    | undefined;
  if (!title || Object.keys(value as object).length !== 1) return null;
  if (
    typeof title.$regex !== "string" ||
    !["", "i", undefined].includes(title.$options as string)
  ) {
    return null;
  }
  let regex: RegExp;
  try {
    regex = new RegExp(title.$regex.normalize("NFC"), title.$options === "i" ? "isu" : "su");
  } catch {
    return null;
  }
  return assets.filter((a) => regex.test(a.title));
}

/** The assets whose title or filename holds `search` (already trimmed and NFC), in any case. */
export function searchOracle(search: string, assets: AssetJson[]): AssetJson[] {
  if (search === "") return assets;
  const regex = new RegExp(search.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&"), "iu");
  return assets.filter((a) => regex.test(a.title) || regex.test(a.filename));
}
