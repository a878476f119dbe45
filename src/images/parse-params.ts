// A public URL's query read into image parameters (Contentstack's names, docs/IMAGES.md). Pure.
//
// Unknown parameters are ignored (CDNs and analytics add their own); an empty value counts as
// absent (`quality=` is no quality); a known parameter with a bad value, or given twice, is an
// error naming it. Each value is read in images/param-values.ts and the whole normalised in
// images/normalise-params.ts, so equivalent requests normalise to one form: canonicalParams()
// (images/params.ts) is that form, the cache key of a variant.

import { normaliseParams } from "./normalise-params";
import {
  MAX_VALUE_LENGTH,
  PARAMS,
  ParamError,
  type ParamName,
  readParamValues,
} from "./param-values";
import type { ParseResult, WidthPolicy } from "./params";

/** The image parameters of a public URL's query: null when it has none. */
export function parseImageParams(
  query: URLSearchParams,
  policy: WidthPolicy = { kind: "any" },
): ParseResult {
  const values = new Map<ParamName, string>();
  for (const [name, value] of query) {
    if (!(PARAMS as readonly string[]).includes(name) || value === "") continue;
    const param = name as ParamName;
    if (values.has(param)) return { ok: false, param, reason: "is given more than once" };
    if (value.length > MAX_VALUE_LENGTH) {
      return { ok: false, param, reason: `must be at most ${MAX_VALUE_LENGTH} characters` };
    }
    values.set(param, value);
  }
  if (values.size === 0) return { ok: true, params: null };
  try {
    return { ok: true, params: normaliseParams(readParamValues(values), policy) };
  } catch (err) {
    if (err instanceof ParamError) return { ok: false, param: err.param, reason: err.message };
    throw err;
  }
}
