// What a listing's text filters match (`search`, and `$regex` once regex-pattern.ts has parsed
// it), as plain data that travels to the stack's Durable Object, and the matcher run there.
//
// Matched in JavaScript, not by SQLite: Cloudflare's SQLite refuses a LIKE or GLOB pattern over
// 50 bytes ("LIKE or GLOB pattern too complex"), far less than a 255-character search or a
// 128-character $regex needs; LIKE folds the case of ASCII letters only; and GLOB takes a NUL
// for the end of the text. Here both filters fold case the same way (JavaScript's Unicode case
// folding, as `new RegExp(…, "iu")`), and nothing backtracks: a pattern is fixed-width segments
// between runs (`.*`), each segment found at its leftmost place, bit-parallel (shift-and), so a
// text of n characters costs n steps per segment whatever the pattern. Pure.

/** One item: a run of any characters (`.*`), or exactly one character matching `source`. */
export type PatternItem = { kind: "run" } | { kind: "one"; source: string };

/**
 * A pattern over a whole text: an unanchored end is a run. `source` is a regular expression
 * matching exactly one code point (a character, a class, `.`, `\d`…), compiled with the flags
 * "su" (`.` takes any character) and "i" when `caseless`.
 */
export interface TextPattern {
  items: PatternItem[];
  caseless: boolean;
}

const SYNTAX = new Set([..."^$\\.*+?()[]{}|/"]);

/** A regular expression source matching exactly the character `ch` (a code point). */
export const literalSource = (ch: string): string => (SYNTAX.has(ch) ? `\\${ch}` : ch);

/** The `search` filter: the text anywhere, in any case. */
export function containsPattern(text: string): TextPattern {
  return {
    caseless: true,
    items: [
      { kind: "run" },
      ...Array.from(text, (ch): PatternItem => ({ kind: "one", source: literalSource(ch) })),
      { kind: "run" },
    ],
  };
}

/** Whether one character (code point) matches. */
type CharTest = (ch: string) => boolean;

/** A segment: fixed-width, one test per character, and its shift-and masks by character. */
interface Segment {
  tests: CharTest[];
  masks: Map<string, Uint32Array>;
}

/** Compiles a pattern once; the matcher it returns is then called on each text. */
export function compilePattern(pattern: TextPattern): (text: string) => boolean {
  const flags = pattern.caseless ? "isu" : "su";
  const tests = new Map<string, CharTest>(); // one per distinct source
  const segments: Segment[] = [{ tests: [], masks: new Map() }];
  for (const item of pattern.items) {
    if (item.kind === "run") {
      segments.push({ tests: [], masks: new Map() });
      continue;
    }
    let test = tests.get(item.source);
    if (!test) {
      test = charTest(new RegExp(`^(?:${item.source})$`, flags));
      tests.set(item.source, test);
    }
    segments.at(-1)?.tests.push(test);
  }
  const first = segments[0] as Segment;
  const last = segments.at(-1) as Segment;
  const middle = segments.slice(1, -1);
  return (text) => {
    const chars = Array.from(text);
    const n = chars.length;
    if (segments.length === 1) return n === first.tests.length && matchesAt(first, chars, 0);
    const start = first.tests.length;
    const end = n - last.tests.length;
    if (start > end || !matchesAt(first, chars, 0) || !matchesAt(last, chars, end)) return false;
    // Each segment between runs at its leftmost place: if any placement fits, that one does.
    let from = start;
    for (const segment of middle) {
      const found = leftmostEnd(segment, chars, from, end);
      if (found < 0) return false;
      from = found + 1;
    }
    return true;
  };
}

/** A character test, remembering its answers: a text's characters repeat across rows. */
function charTest(regex: RegExp): CharTest {
  const memo = new Map<string, boolean>();
  return (ch) => {
    let answer = memo.get(ch);
    if (answer === undefined) {
      answer = regex.test(ch);
      if (memo.size < 4096) memo.set(ch, answer);
    }
    return answer;
  };
}

function matchesAt(segment: Segment, chars: string[], at: number): boolean {
  return segment.tests.every((test, i) => test(chars[at + i] ?? ""));
}

/** Bit i of the mask: the segment's character i matches `ch`. */
function maskOf(segment: Segment, ch: string): Uint32Array {
  const known = segment.masks.get(ch);
  if (known) return known;
  const mask = new Uint32Array(Math.ceil(segment.tests.length / 32));
  segment.tests.forEach((test, i) => {
    if (test(ch)) mask[i >>> 5] = (mask[i >>> 5] as number) | (1 << (i & 31));
  });
  if (segment.masks.size < 4096) segment.masks.set(ch, mask);
  return mask;
}

/**
 * Shift-and: the index of the last character of the segment's leftmost match that lies within
 * chars[from, to), or -1. State bit i: the last i + 1 characters match the segment's first i + 1.
 */
function leftmostEnd(segment: Segment, chars: string[], from: number, to: number): number {
  const m = segment.tests.length;
  if (m === 0) return from - 1;
  const words = Math.ceil(m / 32);
  const state = new Uint32Array(words);
  const top = (m - 1) >>> 5;
  const topBit = 1 << ((m - 1) & 31);
  for (let j = from; j < to; j++) {
    const mask = maskOf(segment, chars[j] as string);
    let carry = 1; // a match may start at every character
    for (let w = 0; w < words; w++) {
      const word = state[w] as number;
      state[w] = ((word << 1) | carry) & (mask[w] as number);
      carry = word >>> 31;
    }
    if (((state[top] as number) & topBit) !== 0) return j;
  }
  return -1;
}
