// Writes an asset's rows of the published catalogue (D1, migrations/published/) from its sync:
// every environment's row and tags replaced in one batch (a D1 batch is one transaction), guarded
// by the asset's revision. The batch first raises the asset's recorded revision to its own; the
// replacing statements then run only if the recorded revision is its own, so a late, older sync
// (a retry that lost the race to a newer one) changes nothing, deletes included. An asset that
// is deleted or published nowhere writes no row. Few statements whatever the number of
// environments: the rows travel as one JSON parameter (D1 binds at most 100 per statement).

import type { PublishedRow } from "../http/published-view";

const IS_CURRENT = `(SELECT revision FROM published_revisions WHERE api_key = ?1 AND uid = ?2) = ?3`;

export async function writePublishedRows(
  db: D1Database,
  apiKey: string,
  uid: string,
  revision: number,
  rows: PublishedRow[],
): Promise<void> {
  const statements = [
    db
      .prepare(
        `INSERT INTO published_revisions (api_key, uid, revision) VALUES (?1, ?2, ?3)
         ON CONFLICT (api_key, uid) DO UPDATE SET revision = excluded.revision
         WHERE excluded.revision > published_revisions.revision`,
      )
      .bind(apiKey, uid, revision),
    db
      .prepare(`DELETE FROM published_tags WHERE api_key = ?1 AND uid = ?2 AND ${IS_CURRENT}`)
      .bind(apiKey, uid, revision),
    db
      .prepare(`DELETE FROM published_assets WHERE api_key = ?1 AND uid = ?2 AND ${IS_CURRENT}`)
      .bind(apiKey, uid, revision),
  ];
  if (rows.length > 0) {
    const json = JSON.stringify(rows);
    statements.push(
      db
        .prepare(
          `INSERT INTO published_assets (api_key, environment_uid, uid, title, filename,
             content_type, file_size, created_at, updated_at, parent_uid, version, locales,
             published_at, published_by, body, revision)
           SELECT ?1, r.value ->> '$.environment', ?2, r.value ->> '$.title',
             r.value ->> '$.filename', r.value ->> '$.content_type', r.value ->> '$.file_size',
             r.value ->> '$.created_at', r.value ->> '$.updated_at', r.value ->> '$.parent_uid',
             r.value ->> '$.version', r.value -> '$.locales', r.value ->> '$.published_at',
             r.value ->> '$.published_by', r.value ->> '$.body', ?3
           FROM json_each(?4) AS r WHERE ${IS_CURRENT}`,
        )
        .bind(apiKey, uid, revision, json),
      db
        .prepare(
          `INSERT INTO published_tags (api_key, environment_uid, uid, tag)
           SELECT ?1, r.value ->> '$.environment', ?2, t.value
           FROM json_each(?4) AS r, json_each(r.value, '$.tags') AS t WHERE ${IS_CURRENT}`,
        )
        .bind(apiKey, uid, revision, json),
    );
  }
  await db.batch(statements);
}
