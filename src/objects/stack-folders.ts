// A stack's folders: catalogue rows with is_dir = 1 (stack-schema.ts), written only here, inside
// the stack's Durable Object, so creating, moving and deleting them are each one consistent step.
//
// Assets are moved by their own Durable Object, and the catalogue learns of the move a sync
// later. So that a folder cannot be deleted in between, a move first takes a hold on the folder
// here (holdFolder); the hold ends when the catalogue shows the asset in the folder (putAsset in
// catalog.ts), when the move is refused (releaseHold), or after HOLD_MS if the mover vanished.

import type { ListFilter } from "../domain/asset-query-sql";
import { FOLDER_CONTENT_TYPE, type FolderRecord } from "../domain/records";

export const HOLD_MS = 60_000;

export type FolderChangeResult =
  | { ok: true; folder: FolderRecord }
  | { ok: false; reason: "not_found" | "parent_not_found" | "cycle" };

export type FolderDeleteResult = { ok: true } | { ok: false; reason: "not_found" | "not_empty" };

/** A listing that names no folder of the stack, in its `folder` or in its `query`. */
export interface UnknownFolder {
  unknownFolder: "folder" | "query";
}

/**
 * Which of a listing's folders is not one of the stack's: one rule for another stack's folder,
 * however the listing names it (a 422, never an empty listing).
 */
export function unknownFolder(sql: SqlStorage, filter: ListFilter): UnknownFolder | null {
  const known = (uid: string | null | undefined) =>
    typeof uid !== "string" || getFolder(sql, uid) !== null;
  if (!known(filter.folder)) return { unknownFolder: "folder" };
  for (const c of filter.conditions) {
    if (c.kind === "parent" && !known(c.folder)) return { unknownFolder: "query" };
  }
  return null;
}

export function getFolder(sql: SqlStorage, uid: string): FolderRecord | null {
  const row = sql
    .exec<{ snapshot: string }>(
      "SELECT snapshot FROM catalog WHERE uid = ? AND is_dir = 1 AND deleted = 0",
      uid,
    )
    .toArray()[0];
  return row ? (JSON.parse(row.snapshot) as FolderRecord) : null;
}

/** True when `folder` is `ancestor` or lies somewhere below it. */
function isWithin(sql: SqlStorage, folder: string, ancestor: string): boolean {
  // Folders never form a cycle (this check keeps it so), hence the walk up ends at the root.
  return (
    sql
      .exec(
        `WITH RECURSIVE up (uid, parent) AS (
           SELECT uid, parent_uid FROM catalog WHERE uid = ? AND is_dir = 1
           UNION ALL
           SELECT c.uid, c.parent_uid FROM catalog c JOIN up ON c.uid = up.parent
           WHERE c.is_dir = 1)
         SELECT 1 FROM up WHERE uid = ? LIMIT 1`,
        folder,
        ancestor,
      )
      .toArray().length > 0
  );
}

/** Writes a folder's catalogue row: revision 1 when new, one more on each change. */
function writeFolder(sql: SqlStorage, folder: FolderRecord): void {
  sql.exec(
    `INSERT INTO catalog (uid, revision, created_at, deleted, snapshot, is_dir, title,
       content_type, updated_at, parent_uid)
     VALUES (?, 1, ?, 0, ?, 1, ?, ?, ?, ?)
     ON CONFLICT (uid) DO UPDATE SET revision = catalog.revision + 1, snapshot = excluded.snapshot,
       title = excluded.title, updated_at = excluded.updated_at, parent_uid = excluded.parent_uid`,
    folder.uid,
    folder.createdAt,
    JSON.stringify(folder),
    folder.name,
    FOLDER_CONTENT_TYPE,
    folder.updatedAt,
    folder.parentUid,
  );
}

export function createFolder(sql: SqlStorage, folder: FolderRecord): FolderChangeResult {
  if (folder.parentUid !== null && !getFolder(sql, folder.parentUid)) {
    return { ok: false, reason: "parent_not_found" };
  }
  writeFolder(sql, folder);
  return { ok: true, folder };
}

/** Renames and/or moves a folder; a move into itself or below itself is a cycle. */
export function updateFolder(
  sql: SqlStorage,
  uid: string,
  change: { name?: string; parentUid?: string | null },
  by: string,
  now: string,
): FolderChangeResult {
  const folder = getFolder(sql, uid);
  if (!folder) return { ok: false, reason: "not_found" };
  const parentUid = change.parentUid === undefined ? folder.parentUid : change.parentUid;
  if (parentUid !== null && parentUid !== folder.parentUid) {
    if (!getFolder(sql, parentUid)) return { ok: false, reason: "parent_not_found" };
    if (isWithin(sql, parentUid, uid)) return { ok: false, reason: "cycle" };
  }
  const name = change.name ?? folder.name;
  if (name === folder.name && parentUid === folder.parentUid) return { ok: true, folder };
  const next: FolderRecord = { ...folder, name, parentUid, updatedAt: now, updatedBy: by };
  writeFolder(sql, next);
  return { ok: true, folder: next };
}

/** Deletes an empty folder: no folder or asset in it, and no move into it under way. */
export function deleteFolder(sql: SqlStorage, uid: string, now: number): FolderDeleteResult {
  if (!getFolder(sql, uid)) return { ok: false, reason: "not_found" };
  const occupied =
    sql.exec("SELECT 1 FROM catalog WHERE parent_uid = ? AND deleted = 0 LIMIT 1", uid).toArray()
      .length > 0 ||
    sql
      .exec("SELECT 1 FROM folder_holds WHERE folder_uid = ? AND until > ? LIMIT 1", uid, now)
      .toArray().length > 0;
  if (occupied) return { ok: false, reason: "not_empty" };
  sql.exec("DELETE FROM catalog WHERE uid = ?", uid);
  sql.exec("DELETE FROM folder_holds WHERE folder_uid = ?", uid);
  return { ok: true };
}

/** Holds the folder for an asset about to move into it; false when there is no such folder. */
export function holdFolder(sql: SqlStorage, folderUid: string, assetUid: string, now: number) {
  if (!getFolder(sql, folderUid)) return false;
  sql.exec("DELETE FROM folder_holds WHERE until <= ?", now);
  sql.exec(
    `INSERT INTO folder_holds (asset_uid, folder_uid, until) VALUES (?, ?, ?)
     ON CONFLICT (asset_uid, folder_uid) DO UPDATE SET until = excluded.until`,
    assetUid,
    folderUid,
    now + HOLD_MS,
  );
  return true;
}

export function releaseHold(sql: SqlStorage, folderUid: string, assetUid: string): void {
  sql.exec("DELETE FROM folder_holds WHERE asset_uid = ? AND folder_uid = ?", assetUid, folderUid);
}
