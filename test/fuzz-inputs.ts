// What the fuzzer (fuzz.test.ts) generates: text with the characters that have broken text
// handling somewhere (control characters, NUL, C1, lone surrogates, combining marks, case-folding
// oddities, bidi overrides, LIKE and GLOB wildcards, separators), lengths around each limit,
// numbers around each bound and written every wrong way, and the oracle's normalisation.

import fc from "fast-check";

/** Single characters (code points, or a lone surrogate) worth trying anywhere text goes. */
export const SPECIAL = [
  "a",
  "Z",
  "0",
  " ",
  "\t",
  "\n",
  "\r",
  "\u0000",
  "\u001f",
  "\u007f",
  "\u0085",
  "\u00a0",
  "\u00e9",
  "\u00c9",
  "\u0301",
  "\u03c3",
  "\u03c2",
  "\u03a3",
  "\u017f",
  "\u212a",
  "\u0130",
  "\u0131",
  "\u{1f600}",
  "\u200d",
  "\u202e",
  "\ufeff",
  "\ud800",
  "\udc00",
  "%",
  "_",
  "*",
  "?",
  "[",
  "]",
  "\\",
  ",",
  '"',
  "'",
  "<",
  ">",
  "/",
  ".",
  "-",
  "~",
  "#",
  "&",
  "=",
  "+",
];

const special = fc.constantFrom(...SPECIAL);
const printable = fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 });
const anyCodePoint = fc.string({ unit: "binary", minLength: 1, maxLength: 1 });
/** One character: mostly the special ones, then printable ASCII, then anything. */
const character = fc.oneof(
  { weight: 5, arbitrary: special },
  { weight: 3, arbitrary: printable },
  { weight: 2, arbitrary: anyCodePoint },
);

/** Text of up to `max` characters, or of a length within 2 of `limit` (0: no limit to probe). */
export function text(max: number, limit = 0): fc.Arbitrary<string> {
  const short = fc.array(character, { maxLength: max }).map((a) => a.join(""));
  if (limit === 0) return short;
  const around = fc
    .tuple(fc.integer({ min: Math.max(0, limit - 2), max: limit + 2 }), character)
    .chain(([n, ch]) =>
      fc.oneof(
        fc.constant(ch.repeat(n)),
        fc.array(character, { minLength: n, maxLength: n }).map((a) => a.join("")),
      ),
    );
  return fc.oneof({ weight: 3, arbitrary: short }, { weight: 1, arbitrary: around });
}

/** A whole number written every way a client might: digits, edges, and the wrong ways. */
export function numberText(edges: number[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...edges.map(String)),
    fc.nat({ max: 2_000_000 }).map(String),
    fc.constantFrom("", " 1", "1 ", "01", "-0", "-1", "1e3", "0x10", "1.5", "NaN", "Infinity"),
    fc.constantFrom("\uff11", "99999999999999999999", "1_000", "+1", "1,0", "0b1", "\u0661"),
  );
}

/** A JSON value where a number is expected: numbers near the edges, then anything. */
export function numberValue(edges: number[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...edges) },
    { weight: 2, arbitrary: fc.integer({ min: -10, max: 2 ** 40 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(-1, 0, 0.5, 1.5, 2 ** 53, 2 ** 53 + 2, 1e300, -0),
    },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 12 }), fc.constant(null)) },
  );
}

/** What a string becomes where only Unicode scalar values travel (URLs, form fields). */
export const wellFormed = (s: string): string =>
  s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");

/**
 * A multipart filename as the service reads it when workerd's FormData wrote it: a lone
 * surrogate goes out as its three WTF-8 bytes (ED A0..BF xx), which are not UTF-8, and the
 * part's headers are decoded as browsers decode text, one U+FFFD for each of those bytes.
 */
export const formFilename = (s: string): string =>
  s.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    "\ufffd\ufffd\ufffd",
  );

/** The stored form of a one-line text field as the API documents it: trimmed, NFC. */
export const storedLine = (s: string): string => s.trim().normalize("NFC");
