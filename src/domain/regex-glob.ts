// `$regex` in a listing query, translated into an SQLite GLOB pattern. A regular expression run by
// a backtracking engine can take exponential time on a short pattern (`^(a+)+$`), so none is ever
// run: the subset below has a GLOB equivalent, which SQLite matches without backtracking blow-up,
// and everything else is refused with the construct named.
//
//   ^ at the start, $ at the end        anchors (otherwise the match may start or end anywhere)
//   .   .*   .+                         one character, any run, a non-empty run
//   [abc] [a-z] [^…]                    classes, with ranges and escapes
//   \d \w \s \D \W \S                   the usual shorthands (the negated ones outside classes)
//   \. \* \[ …                          an escaped metacharacter is that character
//   any other character                 itself
// With $options "i", letters match in either case.

export const MAX_REGEX_LENGTH = 128;
/** At most this many `*` in the GLOB (each `.*`, `.+`, and each unanchored end counts one). */
export const MAX_REGEX_RUNS = 8;

export type GlobResult = { ok: true; glob: string } | { ok: false; reason: string };

const METACHARACTERS = new Set([..."\\^$.|?*+()[]{}/-"]);
const SHORTHANDS: Record<string, string[]> = {
  d: ["0-9"],
  w: ["a-z", "A-Z", "0-9", "_"],
  s: [" ", "\t", "\n", "\r", "\f", "\v"],
};

class Refused extends Error {}
const refuse = (reason: string): never => {
  throw new Refused(reason);
};

/** A GLOB class from its items: single characters and `a-z` ranges. */
function globClass(items: string[], negated: boolean): string {
  const unique = [...new Set(items)];
  if (!negated && unique.length === 1 && [...(unique[0] ?? "")].length === 1) {
    return literal(unique[0] ?? "");
  }
  // GLOB takes `]` as a member only first, `-` only last, and `^` first means negation.
  const close = unique.includes("]") ? "]" : "";
  const dash = unique.includes("-") ? "-" : "";
  const caret = unique.includes("^") ? "^" : "";
  const rest = unique.filter((item) => item !== "]" && item !== "-" && item !== "^");
  let body = close + rest.join("") + caret + dash;
  if (!negated && body.startsWith("^")) body = `${body.slice(1)}^`; // only `^` and `-` are left
  return `[${negated ? "^" : ""}${body}]`;
}

/** One literal character in GLOB, where `*`, `?` and `[` are special. */
function literal(ch: string): string {
  return ch === "*" || ch === "?" || ch === "[" ? `[${ch}]` : ch;
}

/** Both cases of a letter, when it has a one-character counterpart. */
function bothCases(ch: string): string[] {
  const lower = ch.toLowerCase();
  const upper = ch.toUpperCase();
  const forms = [lower, upper, ch].filter((form) => [...form].length === 1);
  return [...new Set(forms)];
}

/** A range's other-case counterpart, for ranges within a-z or A-Z. */
function rangeCases(from: string, to: string): string[] {
  const range = `${from}-${to}`;
  const within = (lo: string, hi: string) => from >= lo && to <= hi;
  if (within("a", "z")) return [range, `${from.toUpperCase()}-${to.toUpperCase()}`];
  if (within("A", "Z")) return [range, `${from.toLowerCase()}-${to.toLowerCase()}`];
  const low = from.codePointAt(0) ?? 0;
  const high = to.codePointAt(0) ?? 0;
  const letter = /\p{L}/u;
  // Checked one by one, so bounded: a wider range under "i" is refused outright.
  if (high - low > 256) refuse(`the range ${range} is too wide for $options "i"`);
  for (let code = low; code <= high; code++) {
    if (letter.test(String.fromCodePoint(code))) {
      refuse(
        `the range ${range} holds letters outside a-z and A-Z, which $options "i" cannot take`,
      );
    }
  }
  return [range];
}

function translate(chars: string[], caseless: boolean): { glob: string; runs: number } {
  let i = 0;
  let runs = 0;
  const out: string[] = [];
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
  if (!start) {
    out.push("*");
    runs++;
  }
  const emitChar = (ch: string) =>
    out.push(caseless && bothCases(ch).length > 1 ? globClass(bothCases(ch), false) : literal(ch));

  while (i < end) {
    const ch = chars[i] ?? "";
    const next = chars[i + 1];
    if (ch === ".") {
      if (next === "*" || next === "+") {
        out.push(next === "*" ? "*" : "?*");
        runs++;
        i += 2;
      } else {
        out.push("?");
        i++;
      }
    } else if (ch === "\\") {
      if (next === undefined) refuse("the pattern ends with a lone backslash");
      const lower = (next ?? "").toLowerCase();
      const shorthand = SHORTHANDS[lower];
      if (shorthand) out.push(globClass(shorthand, next !== lower));
      else if (METACHARACTERS.has(next ?? "")) emitChar(next ?? "");
      else refuse(`\\${next} is not supported`);
      i += 2;
    } else if (ch === "[") {
      const parsed = parseClass(chars, i + 1, end, caseless);
      out.push(globClass(parsed.items, parsed.negated));
      i = parsed.next;
    } else if (ch === "(" || ch === ")" || ch === "|") {
      refuse(`groups and alternatives ('${ch}') are not supported`);
    } else if (ch === "*" || ch === "+" || ch === "?" || ch === "{") {
      refuse(`'${ch}' is supported only as '.*' or '.+'`);
    } else if (ch === "^" || ch === "$") {
      refuse(`'${ch}' is supported only at the ${ch === "^" ? "start" : "end"} of the pattern`);
    } else {
      emitChar(ch);
      i++;
    }
    const after = chars[i];
    if (i < end && (after === "*" || after === "+" || after === "?" || after === "{")) {
      refuse(`'${after}' is supported only as '.*' or '.+'`);
    }
  }
  if (!anchoredEnd) {
    out.push("*");
    runs++;
  }
  return { glob: out.join("").replace(/\*\*+/g, "*"), runs };
}

/** Parses a class after its `[`; returns its items and the index after its `]`. */
function parseClass(chars: string[], from: number, end: number, caseless: boolean) {
  let i = from;
  const negated = chars[i] === "^";
  if (negated) i++;
  const items: string[] = [];
  const member = (): string | null => {
    const ch = chars[i];
    if (ch === "\\") {
      const next = chars[i + 1] ?? "";
      if (next === "") refuse("the pattern ends with a lone backslash");
      i += 2;
      const shorthand = SHORTHANDS[next];
      if (shorthand) {
        items.push(...shorthand);
        return null;
      }
      if (SHORTHANDS[next.toLowerCase()]) refuse(`\\${next} is not supported inside a class`);
      if (!METACHARACTERS.has(next)) refuse(`\\${next} is not supported`);
      return next;
    }
    i++;
    return ch ?? "";
  };
  while (i < end && chars[i] !== "]") {
    const first = member();
    if (first === null) continue;
    if (chars[i] === "-" && i + 1 < end && chars[i + 1] !== "]") {
      i++;
      const last = member();
      if (last === null || last < first)
        refuse(`the class range ${first}-${last ?? ""} is not valid`);
      items.push(...(caseless ? rangeCases(first, last ?? "") : [`${first}-${last}`]));
    } else {
      items.push(...(caseless ? bothCases(first) : [first]));
    }
  }
  if (chars[i] !== "]") refuse("a class ('[') is not closed");
  if (items.length === 0) refuse("an empty class ('[]') matches nothing");
  return { items, negated, next: i + 1 };
}

/** Translates a `$regex` (with `$options` "i" when `caseless`) into a GLOB pattern. */
export function regexToGlob(pattern: string, caseless: boolean): GlobResult {
  const chars = [...pattern];
  if (chars.length > MAX_REGEX_LENGTH) {
    return { ok: false, reason: `must be at most ${MAX_REGEX_LENGTH} characters` };
  }
  try {
    const { glob, runs } = translate(chars, caseless);
    if (runs > MAX_REGEX_RUNS) {
      return { ok: false, reason: `may have at most ${MAX_REGEX_RUNS} runs ('.*', '.+')` };
    }
    return { ok: true, glob };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, reason: err.message };
    throw err;
  }
}
