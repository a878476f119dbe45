// The image parameters of a public URL's query, parsed once per query an isolate has seen lately
// instead of on every request: a page asks for the same few variants over and over, and parsing
// was the largest step of a cached variant's answer (docs/PERFORMANCE.md). Results are shared
// between requests, so nothing may change one.

import type { ParseResult, WidthPolicy } from "../images/params";
import { parseImageParams } from "../images/parse-params";

const MAX_QUERIES = 256;
// Longer queries are parsed every time rather than kept, so the memo stays small.
const MAX_KEPT_LENGTH = 256;

// One memo per width policy (the configuration's, one per isolate): the policy shapes the result.
const memos = new WeakMap<WidthPolicy, Map<string, ParseResult>>();

/** parseImageParams of `url`'s query, memoised by the query's text. */
export function imageQuery(url: URL, widths: WidthPolicy): ParseResult {
  const search = url.search;
  if (search.length > MAX_KEPT_LENGTH) return parseImageParams(url.searchParams, widths);
  let memo = memos.get(widths);
  if (!memo) {
    memo = new Map();
    memos.set(widths, memo);
  }
  const known = memo.get(search);
  if (known) return known;
  const parsed = parseImageParams(url.searchParams, widths);
  memo.set(search, parsed);
  if (memo.size > MAX_QUERIES) memo.delete(memo.keys().next().value as string);
  return parsed;
}
