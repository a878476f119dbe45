// `$regex` in a listing query: the subset of regular expressions below, parsed into a
// TextPattern (text-pattern.ts), which is matched without backtracking. A regular expression
// run by a backtracking engine can take exponential time on a short pattern (`^(a+)+$`), so none
// is ever run whole; everything outside the subset is refused with the construct named.
//
//   ^ at the start, $ at the end        anchors (otherwise the match may start or end anywhere)
//   .   .*   .+                         one character, any run, a non-empty run
//   [abc] [a-z] [^…]                    classes, with ranges and escapes
//   \d \w \s \D \W \S                   the usual shorthands, as JavaScript reads them
//   \. \* \[ …                          an escaped metacharacter is that character
//   any other character                 itself
// With $options "i", case is folded as JavaScript's `RegExp` does with the flags "iu".
// `.` takes any character, line breaks included (stored text holds none: domain/text.ts).

import { literalSource, type PatternItem, type TextPattern } from "./text-pattern";

export const MAX_REGEX_LENGTH = 128;
/** At most this many runs (each `.*`, `.+`, and each unanchored end counts one). */
export const MAX_REGEX_RUNS = 8;

export type PatternResult = { ok: true; pattern: TextPattern } | { ok: false; reason: string };

const METACHARACTERS = new Set([..."\\^$.|?*+()[]{}/-"]);
const SHORTHANDS = new Set([..."dwsDWS"]);

class Refused extends Error {}
const refuse = (reason: string): never => {
  throw new Refused(reason);
};

/** A class member as regular expression source: inside a class `-` and `]` need escapes too. */
const classMember = (ch: string): string =>
  ch === "-" || ch === "]" ? `\\${ch}` : literalSource(ch);

function translate(chars: string[]): { items: PatternItem[]; runs: number } {
  let i = 0;
  let runs = 0;
  const items: PatternItem[] = [];
  const one = (source: string) => items.push({ kind: "one", source });
  const run = () => {
    runs++;
    // `.*.*` is one run: the pattern's meaning is the same, and its work is less.
    if (items.at(-1)?.kind !== "run") items.push({ kind: "run" });
  };
  const start = chars[0] === "^";
  if (start) i = 1;
  let end = chars.length;
  // A final `$` anchors unless it is escaped (an odd number of backslashes before it).
  if (chars[end - 1] === "$") {
    let slashes = 0;
    while (chars[end - 2 - slashes] === "\\") slashes++;
    if (slashes % 2 === 0) end--;
  }
  const anchoredEnd = end < chars.length;
  if (!start) run();

  while (i < end) {
    const ch = chars[i] ?? "";
    const next = chars[i + 1];
    if (ch === ".") {
      if (next === "*" || next === "+") {
        if (next === "+") one(".");
        run();
        i += 2;
      } else {
        one(".");
        i++;
      }
    } else if (ch === "\\") {
      if (next === undefined) refuse("the pattern ends with a lone backslash");
      if (SHORTHANDS.has(next ?? "")) one(`\\${next}`);
      else if (METACHARACTERS.has(next ?? "")) one(literalSource(next ?? ""));
      else refuse(`\\${next} is not supported`);
      i += 2;
    } else if (ch === "[") {
      const parsed = parseClass(chars, i + 1, end);
      one(parsed.source);
      i = parsed.next;
    } else if (ch === "(" || ch === ")" || ch === "|") {
      refuse(`groups and alternatives ('${ch}') are not supported`);
    } else if (ch === "*" || ch === "+" || ch === "?" || ch === "{") {
      refuse(`'${ch}' is supported only as '.*' or '.+'`);
    } else if (ch === "^" || ch === "$") {
      refuse(`'${ch}' is supported only at the ${ch === "^" ? "start" : "end"} of the pattern`);
    } else {
      one(literalSource(ch));
      i++;
    }
    const after = chars[i];
    if (i < end && (after === "*" || after === "+" || after === "?" || after === "{")) {
      refuse(`'${after}' is supported only as '.*' or '.+'`);
    }
  }
  if (!anchoredEnd) run();
  return { items, runs };
}

/** Parses a class after its `[`; returns its source and the index after its `]`. */
function parseClass(chars: string[], from: number, end: number) {
  let i = from;
  const negated = chars[i] === "^";
  if (negated) i++;
  const members: string[] = [];
  // A member as [source, the character] (null for a shorthand, which cannot end a range).
  const member = (): [string, string | null] => {
    const ch = chars[i] ?? "";
    if (ch === "\\") {
      const next = chars[i + 1] ?? "";
      if (next === "") refuse("the pattern ends with a lone backslash");
      i += 2;
      if (SHORTHANDS.has(next) && next === next.toLowerCase()) return [`\\${next}`, null];
      if (SHORTHANDS.has(next)) refuse(`\\${next} is not supported inside a class`);
      if (!METACHARACTERS.has(next)) refuse(`\\${next} is not supported`);
      return [classMember(next), next];
    }
    i++;
    return [classMember(ch), ch];
  };
  while (i < end && chars[i] !== "]") {
    const [source, first] = member();
    if (first !== null && chars[i] === "-" && i + 1 < end && chars[i + 1] !== "]") {
      i++;
      const [lastSource, last] = member();
      if (last === null || (last.codePointAt(0) ?? 0) < (first.codePointAt(0) ?? 0)) {
        refuse(`the class range ${first}-${last ?? ""} is not valid`);
      }
      members.push(`${source}-${lastSource}`);
    } else {
      members.push(source);
    }
  }
  if (chars[i] !== "]") refuse("a class ('[') is not closed");
  if (members.length === 0) refuse("an empty class ('[]') matches nothing");
  return { source: `[${negated ? "^" : ""}${members.join("")}]`, next: i + 1 };
}

/** Parses a `$regex` (with `$options` "i" when `caseless`) into a pattern. */
export function parseRegexPattern(regex: string, caseless: boolean): PatternResult {
  const chars = [...regex];
  if (chars.length > MAX_REGEX_LENGTH) {
    return { ok: false, reason: `must be at most ${MAX_REGEX_LENGTH} characters` };
  }
  try {
    const { items, runs } = translate(chars);
    if (runs > MAX_REGEX_RUNS) {
      return { ok: false, reason: `may have at most ${MAX_REGEX_RUNS} runs ('.*', '.+')` };
    }
    const pattern = { items, caseless };
    // Each item must compile: the stack's object compiles them again, and must not fail there.
    for (const item of items) if (item.kind === "one") new RegExp(item.source, "isu");
    return { ok: true, pattern };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, reason: err.message };
    if (err instanceof SyntaxError) return { ok: false, reason: "is not a valid pattern" };
    throw err;
  }
}
