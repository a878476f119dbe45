// Conditional requests (RFC 9110 §13), evaluated in the order of §13.2.2 against the selected
// version's validators. Pure: it reads header values and returns what to do.

import { type EntityTag, parseEntityTagList, strongMatch, weakMatch } from "./entity-tags";
import { parseHttpDate, toHttpSeconds } from "./http-date";

export interface Validators {
  etag: EntityTag;
  /** When the version was stored, in milliseconds (compared in whole seconds). */
  lastModified: number;
}

export type PreconditionOutcome = "proceed" | "not-modified" | "failed";

type HeaderGetter = (name: string) => string | null;

/** Steps 1-4 of §13.2.2 for a GET or HEAD (the only methods public URLs serve). */
export function evaluatePreconditions(header: HeaderGetter, v: Validators): PreconditionOutcome {
  const lastModified = toHttpSeconds(v.lastModified);
  const ifMatch = header("If-Match");
  if (ifMatch !== null) {
    if (!matchesAny(ifMatch, v.etag, strongMatch)) return "failed";
  } else {
    const since = dateOf(header("If-Unmodified-Since"));
    if (since !== null && lastModified > since) return "failed";
  }
  const ifNoneMatch = header("If-None-Match");
  if (ifNoneMatch !== null) {
    // For GET and HEAD a match means "not modified" (§13.1.2).
    return matchesAny(ifNoneMatch, v.etag, weakMatch) ? "not-modified" : "proceed";
  }
  const since = dateOf(header("If-Modified-Since"));
  if (since !== null && lastModified <= since) return "not-modified";
  return "proceed";
}

/**
 * Step 5: whether a Range may be honoured under If-Range (§13.1.5). An entity tag must match
 * strongly. A date counts only where Last-Modified is a strong validator (`datesAreStrong`: the
 * bytes behind the URL never change) and must equal it exactly. Anything else serves the full
 * 200. The permanent URL's dates are weak: two replaces within one second share a date.
 */
export function ifRangeAllows(
  value: string | null,
  v: Validators,
  datesAreStrong: boolean,
): boolean {
  if (value === null) return true;
  const trimmed = value.trim();
  if (trimmed.startsWith('"') || trimmed.startsWith("W/")) {
    const tags = parseEntityTagList(trimmed);
    return (
      tags !== "*" && tags.length === 1 && tags[0] !== undefined && strongMatch(tags[0], v.etag)
    );
  }
  if (!datesAreStrong) return false;
  const date = parseHttpDate(trimmed);
  return date !== null && date === toHttpSeconds(v.lastModified);
}

function matchesAny(
  value: string,
  etag: EntityTag,
  compare: (a: EntityTag, b: EntityTag) => boolean,
): boolean {
  const tags = parseEntityTagList(value);
  // The selected representation always exists here, so "*" always matches.
  return tags === "*" || tags.some((t) => compare(t, etag));
}

const dateOf = (value: string | null): number | null =>
  value === null ? null : parseHttpDate(value);
