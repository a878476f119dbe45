// The Content Delivery API's reads of the published catalogue (D1, binding PUBLISHED; tables in
// migrations/published/): one environment's row of an asset, or a page of them with how many
// match. Each asks D1 once (a listing's page and count in one batch), through a session that any
// read replica may answer: the catalogue is written only by the assets' Durable Objects, and a
// replica's lag adds to the freshness bound as KV's propagation does (docs/PUBLISHING.md). The
// filter and order are the management listing's (domain/asset-query-sql.ts, scoped to the
// environment); the text filters (`$regex`) are matched on the rows (domain/listing-text.ts),
// which costs a read of every matching row's title and filename, then one of the page's bodies.

import { compileFilter, compileOrder, type SqlWhere } from "../domain/asset-query-sql";
import type { DeliveryListing, DeliveryOptions } from "../domain/delivery-query";
import { listingTextTest, type TextColumns } from "../domain/listing-text";

/** What the reads need of a D1 session (a read replica's, or the primary's). */
export interface PublishedSession {
  prepare(query: string): D1PreparedStatement;
  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]>;
}

/** One stack's environment in the published catalogue. */
export interface PublishedScope {
  apiKey: string;
  environmentUid: string;
}

/** A published row's CDA body (JSON text, as the asset's object wrote it). */
type Body = { body: string };

/** Rows published in the locale, and in the version, when the request names them. */
function narrowed(where: SqlWhere, options: DeliveryOptions): SqlWhere {
  const parts = [where.where];
  const params = [...where.params];
  if (options.locale !== null) {
    parts.push("EXISTS (SELECT 1 FROM json_each(c.locales) WHERE json_each.value = ?)");
    params.push(options.locale);
  }
  if (options.version !== null) {
    parts.push("c.version = ?");
    params.push(options.version);
  }
  return { where: parts.join(" AND "), params };
}

/** The asset's body as published to the environment, or null when it is not published there. */
export async function readPublished(
  db: PublishedSession,
  scope: PublishedScope,
  uid: string,
  options: DeliveryOptions,
): Promise<string | null> {
  const { where, params } = narrowed(
    {
      where: "c.api_key = ? AND c.environment_uid = ? AND c.uid = ?",
      params: [scope.apiKey, scope.environmentUid, uid],
    },
    options,
  );
  const row = await db
    .prepare(`SELECT c.body FROM published_assets c WHERE ${where}`)
    .bind(...params)
    .first<Body>();
  return row?.body ?? null;
}

export interface PublishedPage {
  bodies: string[];
  /** How many match in all; null when the request did not ask (include_count). */
  count: number | null;
}

/** One page of the environment's published assets that match, in the listing's order. */
export async function listPublished(
  db: PublishedSession,
  scope: PublishedScope,
  listing: DeliveryListing,
): Promise<PublishedPage> {
  const { where, params } = narrowed(
    compileFilter(listing.filter, { kind: "published", ...scope }),
    listing,
  );
  const order = compileOrder(listing.order);
  const test = listingTextTest(listing.filter);
  if (test) return listMatchingText(db, scope, { where, params }, order, listing, test);
  const page = db
    .prepare(
      `SELECT c.body FROM published_assets c WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`,
    )
    .bind(...params, listing.limit, listing.skip);
  if (!listing.includeCount) {
    const { results } = await page.all<Body>();
    return { bodies: results.map((r) => r.body), count: null };
  }
  const counted = db
    .prepare(`SELECT COUNT(*) AS n FROM published_assets c WHERE ${where}`)
    .bind(...params);
  const [rows, total] = await db.batch<unknown>([page, counted]);
  return {
    bodies: ((rows?.results ?? []) as Body[]).map((r) => r.body),
    count: ((total?.results ?? []) as { n: number }[])[0]?.n ?? 0,
  };
}

/** A listing with text filters: every matching row's text tested in order, then the page's bodies. */
async function listMatchingText(
  db: PublishedSession,
  scope: PublishedScope,
  { where, params }: SqlWhere,
  order: string,
  listing: DeliveryListing,
  test: (row: TextColumns) => boolean,
): Promise<PublishedPage> {
  const { results } = await db
    .prepare(
      `SELECT c.uid, c.title, c.filename, c.content_type FROM published_assets c WHERE ${where} ORDER BY ${order}`,
    )
    .bind(...params)
    .all<TextColumns & { uid: string }>();
  const matching = results.filter(test);
  const uids = matching.slice(listing.skip, listing.skip + listing.limit).map((r) => r.uid);
  const count = listing.includeCount ? matching.length : null;
  if (uids.length === 0) return { bodies: [], count };
  // The page's uids as one JSON parameter: D1 binds at most 100 parameters to a statement.
  const { results: rows } = await db
    .prepare(
      `SELECT c.uid, c.body FROM published_assets c WHERE c.api_key = ? AND c.environment_uid = ?
       AND c.uid IN (SELECT value FROM json_each(?))`,
    )
    .bind(scope.apiKey, scope.environmentUid, JSON.stringify(uids))
    .all<Body & { uid: string }>();
  const byUid = new Map(rows.map((r) => [r.uid, r.body]));
  return { bodies: uids.flatMap((uid) => byUid.get(uid) ?? []), count };
}
