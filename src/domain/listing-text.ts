// A listing's text filters, `search` and each `$regex`, as one test of a catalogue row's title
// and current filename (text-pattern.ts says why they are not SQL). Pure.

import type { ListFilter } from "./asset-query-sql";
import { compilePattern, containsPattern } from "./text-pattern";

export type TextColumns = {
  title: string | null;
  filename: string | null;
  content_type: string | null;
};

/** The row test of the filter's text filters, or null when it has none. */
export function listingTextTest(filter: ListFilter): ((row: TextColumns) => boolean) | null {
  const tests: ((row: TextColumns) => boolean)[] = [];
  if (filter.search !== "") {
    const contains = compilePattern(containsPattern(filter.search));
    tests.push((row) => contains(row.title ?? "") || contains(row.filename ?? ""));
  }
  for (const c of filter.conditions) {
    if (c.kind !== "pattern") continue;
    const matches = compilePattern(c.pattern);
    const field = c.field;
    // A row without the column (a folder has no filename) matches nothing there, as in SQL.
    tests.push((row) => row[field] !== null && matches(row[field] as string));
  }
  if (tests.length === 0) return null;
  return (row) => tests.every((test) => test(row));
}
