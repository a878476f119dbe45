// The query parameters of the Content Delivery API's asset routes on the public host (what the
// official delivery SDK sends): the listing takes the management listing's `skip`, `limit`,
// `asc`/`desc`, `include_count` and `query` subset (asset-query.ts), with the same limits and the
// same refusals; both routes take the CDA's `locale`, `relative_urls` (the SDK's listing spells it
// `relative_url`), `include_dimension` and `version`. Written here rather than with the management
// API's zod schemas because the delivery Worker carries no zod (its bundle budget,
// docs/PERFORMANCE.md). Unknown parameters are ignored, as the CDA ignores them. Pure.

import { MAX_QUERY_LENGTH, parseAssetQuery, SORT_FIELDS, type SortField } from "./asset-query";
import type { ListFilter, ListOrder } from "./asset-query-sql";
import { isLocaleCode } from "./publishing-records";
import { WHOLE_NUMBER } from "./text";

/** What both routes take. */
export interface DeliveryOptions {
  /** Only what is published in this locale (a code such as en-us); null: any. */
  locale: string | null;
  relativeUrls: boolean;
  includeDimension: boolean;
  /** Only this published version (`_version`); null: whichever is published. */
  version: number | null;
}

export interface DeliveryListing extends DeliveryOptions {
  filter: ListFilter;
  order: ListOrder;
  skip: number;
  limit: number;
  includeCount: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; reason: string };

export const MAX_SKIP = 1_000_000;
export const MAX_LIMIT = 100;
const FLAGS = ["true", "false"];

class Refused extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(reason);
  }
}

function whole(params: URLSearchParams, name: string, min: number, max: number): number | null {
  const text = params.get(name);
  if (text === null) return null;
  // Digits only, as on the management host: 1e3, 0x10, " 1", 01 and "" are not what a client meant.
  if (!WHOLE_NUMBER.test(text)) {
    throw new Refused(name, "must be a whole number in digits");
  }
  const n = Number(text);
  if (n < min) throw new Refused(name, `must be at least ${min}`);
  if (n > max) throw new Refused(name, `must be at most ${max}`);
  return n;
}

function flag(params: URLSearchParams, ...names: string[]): boolean {
  for (const name of names) {
    const value = params.get(name);
    if (value === null) continue;
    if (!FLAGS.includes(value)) throw new Refused(name, 'must be "true" or "false"');
    return value === "true";
  }
  return false;
}

function sortField(params: URLSearchParams, name: "asc" | "desc"): SortField | null {
  const value = params.get(name);
  if (value === null) return null;
  if (!(SORT_FIELDS as readonly string[]).includes(value)) {
    throw new Refused(
      name,
      `must be ${SORT_FIELDS.slice(0, -1).join(", ")} or ${SORT_FIELDS.at(-1)}`,
    );
  }
  return value as SortField;
}

function options(params: URLSearchParams, relativeNames: string[]): DeliveryOptions {
  const locale = params.get("locale");
  if (locale !== null && !isLocaleCode(locale)) {
    throw new Refused("locale", "must be a locale code such as en-us");
  }
  return {
    locale,
    relativeUrls: flag(params, ...relativeNames),
    includeDimension: flag(params, "include_dimension"),
    version: whole(params, "version", 1, Number.MAX_SAFE_INTEGER),
  };
}

function parsed<T>(read: () => T): Parsed<T> {
  try {
    return { ok: true, value: read() };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, field: err.field, reason: err.message };
    throw err;
  }
}

/** GET /v3/assets/{uid}'s parameters. */
export const parseDeliveryFetch = (params: URLSearchParams): Parsed<DeliveryOptions> =>
  parsed(() => options(params, ["relative_urls"]));

/** GET /v3/assets's parameters. */
export const parseDeliveryListing = (params: URLSearchParams): Parsed<DeliveryListing> =>
  parsed(() => {
    const asc = sortField(params, "asc");
    const desc = sortField(params, "desc");
    if (asc && desc) throw new Refused("asc", "give asc or desc, not both");
    const query = params.get("query");
    let conditions: ListFilter["conditions"] = [];
    if (query !== null) {
      if (query.length > MAX_QUERY_LENGTH) {
        throw new Refused("query", `must be at most ${MAX_QUERY_LENGTH} characters of JSON`);
      }
      const checked = parseAssetQuery(query);
      if (!checked.ok) throw new Refused("query", checked.reason);
      conditions = checked.conditions;
    }
    return {
      ...options(params, ["relative_urls", "relative_url"]),
      filter: { conditions, search: "", includeFolders: false },
      order: asc
        ? { field: asc, direction: "asc" }
        : { field: desc ?? "created_at", direction: "desc" },
      skip: whole(params, "skip", 0, MAX_SKIP) ?? 0,
      limit: whole(params, "limit", 1, MAX_LIMIT) ?? MAX_LIMIT,
      includeCount: flag(params, "include_count"),
    };
  });
