// The stack's catalogue (tables in stack-schema.ts): a copy of every asset's snapshot, pushed by
// the asset's Durable Object after each commit, with the columns and tags the listing filters on,
// and the stack's folders beside them. Functions over the stack object's SQLite; it runs them.

import {
  compileFilter,
  compileOrder,
  type ListFilter,
  type ListOrder,
} from "../domain/asset-query-sql";
import { type AssetSnapshot, currentAssetShape, type FolderRecord } from "../domain/records";

export type CatalogItem =
  | { kind: "asset"; snapshot: AssetSnapshot }
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
  return sql
    .exec<{ n: number }>(`SELECT COUNT(*) AS n FROM catalog c WHERE ${where}`, ...params)
    .one().n;
}

/** One page of the matching rows in the given order, and how many match in all. */
export function listCatalog(
  sql: SqlStorage,
  filter: ListFilter,
  order: ListOrder,
  skip: number,
  limit: number,
): CatalogPage {
  const { where, params } = compileFilter(filter);
  const items = sql
    .exec<{ snapshot: string; is_dir: number }>(
      `SELECT snapshot, is_dir FROM catalog c WHERE ${where}
       ORDER BY ${compileOrder(order)} LIMIT ? OFFSET ?`,
      ...params,
      limit,
      skip,
    )
    .toArray()
    .map(
      (row): CatalogItem =>
        row.is_dir
          ? { kind: "folder", folder: JSON.parse(row.snapshot) as FolderRecord }
          : { kind: "asset", snapshot: storedSnapshot(row.snapshot) },
    );
  return { items, count: countCatalog(sql, filter) };
}

function storedSnapshot(json: string): AssetSnapshot {
  const { asset, current } = JSON.parse(json) as AssetSnapshot;
  return { asset: currentAssetShape(asset), current };
}
