// The Range request header (RFC 9110 §14.1-14.2) for one representation of `size` bytes. Pure.
//
// One byte range is served as a 206. A header that is not valid `bytes=` syntax, uses another
// unit, or asks for several ranges is ignored (a full 200), as §14.2 allows and docs/CONTRACT.md promises.

/** Inclusive byte positions, as in Content-Range. */
export interface ByteRange {
  start: number;
  end: number;
}

export type RangeOutcome =
  | { kind: "ignore" }
  | { kind: "satisfiable"; range: ByteRange }
  | { kind: "unsatisfiable" };

const IGNORE: RangeOutcome = { kind: "ignore" };
const SPEC = /^(?:(\d+)-(\d*)|-(\d+))$/;

export function parseRange(value: string | null | undefined, size: number): RangeOutcome {
  if (value == null) return IGNORE;
  const eq = value.indexOf("=");
  if (eq === -1 || value.slice(0, eq).toLowerCase() !== "bytes") return IGNORE;
  // range-set = 1#range-spec: empty list elements and whitespace around them are allowed.
  const specs = value
    .slice(eq + 1)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (specs.length !== 1) return IGNORE;
  const m = SPEC.exec(specs[0] ?? "");
  if (!m) return IGNORE;
  if (m[3] !== undefined) {
    // bytes=-n: the last n bytes.
    const suffix = Number(m[3]); // beyond 2^53 it can only exceed the size, so rounding is harmless
    if (suffix === 0) return { kind: "unsatisfiable" };
    // A zero-length file has no bytes to name in a Content-Range: serve it whole.
    if (size === 0) return IGNORE;
    return { kind: "satisfiable", range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  // Positions can exceed 2^53, so they are compared exactly, as BigInts.
  const first = BigInt(m[1] ?? "0");
  const last = m[2] ? BigInt(m[2]) : null;
  if (last !== null && last < first) return IGNORE;
  if (first >= BigInt(size)) return { kind: "unsatisfiable" };
  const end = last === null || last >= BigInt(size) ? size - 1 : Number(last);
  return { kind: "satisfiable", range: { start: Number(first), end } };
}

export const contentRange = (r: ByteRange, size: number): string =>
  `bytes ${r.start}-${r.end}/${size}`;

export const unsatisfiedRange = (size: number): string => `bytes */${size}`;
