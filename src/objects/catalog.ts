// The stack's catalogue (tables in stack-schema.ts): a copy of every asset's snapshot, pushed by
// the asset's Durable Object after each commit, with the columns and tags the listing filters on,
// and the stack's folders beside them. Functions over the stack object's SQLite; it runs them.

import {
  compileFilter,
  compileOrder,
  type ListFilter,
  type ListOrder,
} from "../domain/asset-query-sql";
import { listingTextTest, type TextColumns } from "../domain/listing-text";
import type { Publication } from "../domain/publishing-records";
import { type AssetSnapshot, currentAssetShape, type FolderRecord } from "../domain/records";

export type CatalogItem =
  /** `publications`: where the asset is published (stack-publications.ts keeps them). */
  | { kind: "asset"; snapshot: AssetSnapshot; publications: Publication[] }
  | { kind: "folder"; folder: FolderRecord };

export interface CatalogPage {
  items: CatalogItem[];
  count: number;
}

/** Stores an asset's snapshot unless the stored one is newer; true when it was stored. */
export function putAsset(sql: SqlStorage, snapshot: AssetSnapshot): boolean {
  const { asset, current } = snapshot;
  const written = sql.exec(
    `INSERT INTO catalog (uid, revision, created_at, deleted, snapshot, is_dir, title, filename,
       content_type, file_size, updated_at, parent_uid)
     VALUES (?, ?, ?, 0, ?, 0, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (uid) DO UPDATE SET revision = excluded.revision, deleted = 0,
       snapshot = excluded.snapshot, title = excluded.title, filename = excluded.filename,
       content_type = excluded.content_type, file_size = excluded.file_size,
       updated_at = excluded.updated_at, parent_uid = excluded.parent_uid
     WHERE excluded.revision > catalog.revision`,
    asset.uid,
    asset.revision,
    asset.createdAt,
    JSON.stringify(snapshot),
    asset.title,
    current.filename,
    current.contentType,
    current.size,
    asset.updatedAt,
    asset.parentUid,
  ).rowsWritten;
  if (written === 0) return false;
  sql.exec("DELETE FROM catalog_tags WHERE uid = ?", asset.uid);
  for (const tag of asset.tags) {
    sql.exec("INSERT INTO catalog_tags (uid, tag) VALUES (?, ?)", asset.uid, tag);
  }
  // The catalogue now shows the asset in its folder, which keeps that folder from deletion by
  // itself: the hold taken for the move (folders.ts) has done its work.
  if (asset.parentUid !== null) {
    sql.exec(
      "DELETE FROM folder_holds WHERE asset_uid = ? AND folder_uid = ?",
      asset.uid,
      asset.parentUid,
    );
  }
  return true;
}

/** Leaves a tombstone, so a late, older putAsset cannot bring the asset back. */
export function removeAsset(sql: SqlStorage, uid: string, revision: number): void {
  const written = sql.exec(
    `INSERT INTO catalog (uid, revision, created_at, deleted, snapshot) VALUES (?, ?, '', 1, NULL)
     ON CONFLICT (uid) DO UPDATE SET revision = excluded.revision, deleted = 1, snapshot = NULL,
       title = NULL, filename = NULL, content_type = NULL, file_size = NULL, updated_at = NULL,
       parent_uid = NULL
     WHERE excluded.revision > catalog.revision`,
    uid,
    revision,
  ).rowsWritten;
  if (written > 0) sql.exec("DELETE FROM catalog_tags WHERE uid = ?", uid);
}

/** How many live rows match. */
export function countCatalog(sql: SqlStorage, filter: ListFilter): number {
  const { where, params } = compileFilter(filter);
  const test = listingTextTest(filter);
  if (!test) {
    return sql
      .exec<{ n: number }>(`SELECT COUNT(*) AS n FROM catalog c WHERE ${where}`, ...params)
      .one().n;
  }
  let count = 0;
  for (const row of sql.exec<TextColumns>(
    `SELECT c.title, c.filename, c.content_type FROM catalog c WHERE ${where}`,
    ...params,
  )) {
    if (test(row)) count++;
  }
  return count;
}

type Row = { snapshot: string; is_dir: number; publications: string | null };

/** One page of the matching rows in the given order, and how many match in all. */
export function listCatalog(
  sql: SqlStorage,
  filter: ListFilter,
  order: ListOrder,
  skip: number,
  limit: number,
): CatalogPage {
  const { where, params } = compileFilter(filter);
  const test = listingTextTest(filter);
  let rows: Row[];
  let count: number;
  if (!test) {
    rows = sql
      .exec<Row>(
        `SELECT snapshot, is_dir, publications FROM catalog c WHERE ${where}
         ORDER BY ${compileOrder(order)} LIMIT ? OFFSET ?`,
        ...params,
        limit,
        skip,
      )
      .toArray();
    count = countCatalog(sql, filter);
  } else {
    // The text filters need the rows: their titles and filenames are read in order (a cursor,
    // so only the page is held), and only the page's snapshots after that.
    const page: string[] = [];
    count = 0;
    for (const row of sql.exec<TextColumns & { uid: string }>(
      `SELECT c.uid, c.title, c.filename, c.content_type FROM catalog c WHERE ${where}
       ORDER BY ${compileOrder(order)}`,
      ...params,
    )) {
      if (!test(row)) continue;
      if (count >= skip && page.length < limit) page.push(row.uid);
      count++;
    }
    rows = pageRows(sql, page);
  }
  const items = rows.map(
    (row): CatalogItem =>
      row.is_dir
        ? { kind: "folder", folder: JSON.parse(row.snapshot) as FolderRecord }
        : {
            kind: "asset",
            snapshot: storedSnapshot(row.snapshot),
            publications: JSON.parse(row.publications ?? "[]") as Publication[],
          },
  );
  return { items, count };
}

/** The rows of these uids, in this order. */
function pageRows(sql: SqlStorage, uids: string[]): Row[] {
  if (uids.length === 0) return [];
  const found = new Map(
    sql
      .exec<Row & { uid: string }>(
        `SELECT uid, snapshot, is_dir, publications FROM catalog WHERE uid IN (${uids.map(() => "?").join(", ")})`,
        ...uids,
      )
      .toArray()
      .map((row) => [row.uid, row]),
  );
  return uids.flatMap((uid) => found.get(uid) ?? []);
}

function storedSnapshot(json: string): AssetSnapshot {
  const { asset, current } = JSON.parse(json) as AssetSnapshot;
  return { asset: currentAssetShape(asset), current };
}
