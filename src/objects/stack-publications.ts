// What the stack's Durable Object keeps of its assets' publishing (tables in stack-schema.ts),
// copied from the state each asset's object sends with its snapshot (putInCatalog): which assets
// are published (or scheduled) to which environment (`publications`, read when an environment is
// deleted: environment-drops.ts), each asset's publish details for listings (`catalog.publications`),
// and the publish queue: every scheduled action still waiting (`publish_queue`). Functions over
// the stack object's SQLite, run inside its transactions.

import type { PublishingState, ScheduledAction } from "../domain/publishing-records";
import type { AssetSnapshot } from "../domain/records";
import { putAsset, removeAsset } from "./catalog";

/** A waiting action with the asset it belongs to, as the publish queue lists it. */
export interface QueueEntry {
  assetUid: string;
  /** The asset's title now (null if the catalogue has no live asset by that uid). */
  title: string | null;
  action: ScheduledAction;
}

export interface QueuePage {
  entries: QueueEntry[];
  count: number;
}

export const NOTHING_PUBLISHED: PublishingState = { publications: [], scheduled: [] };

/**
 * An asset's snapshot and publishing state into the catalogue (ignored when older than the one
 * stored). Returns the environments the state names that the stack no longer has.
 */
export function catalogueAsset(
  sql: SqlStorage,
  snapshot: AssetSnapshot,
  publishing: PublishingState,
): { deletedEnvironments: string[] } {
  if (putAsset(sql, snapshot)) recordPublishing(sql, snapshot.asset.uid, publishing);
  return { deletedEnvironments: deletedEnvironments(sql, publishing) };
}

/** A deleted asset leaves the catalogue (a tombstone stays) and the publish queue. */
export function uncatalogueAsset(sql: SqlStorage, uid: string, revision: number): void {
  removeAsset(sql, uid, revision);
  forgetPublishing(sql, uid);
}

/** Records an asset's publishing state (only with a snapshot that was stored: the newest). */
function recordPublishing(sql: SqlStorage, assetUid: string, state: PublishingState): void {
  forgetPublishing(sql, assetUid);
  // An environment a waiting action names counts too: deleting it must reach this asset (to
  // drop it from the action) as surely as one it is published to.
  for (const environment of namedEnvironments(state)) {
    sql.exec(
      "INSERT INTO publications (asset_uid, environment_uid) VALUES (?, ?)",
      assetUid,
      environment,
    );
  }
  sql.exec(
    "UPDATE catalog SET publications = ? WHERE uid = ?",
    state.publications.length === 0 ? null : JSON.stringify(state.publications),
    assetUid,
  );
  for (const action of state.scheduled) {
    sql.exec(
      "INSERT INTO publish_queue (uid, asset_uid, scheduled_at, record) VALUES (?, ?, ?, ?)",
      action.uid,
      assetUid,
      action.scheduledAt,
      JSON.stringify(action),
    );
  }
}

/**
 * The environments a publishing state names that the stack no longer has: deleted while the
 * asset published or scheduled to them. The asset's object then forgets them.
 */
function deletedEnvironments(sql: SqlStorage, state: PublishingState): string[] {
  const named = namedEnvironments(state);
  if (named.size === 0) return [];
  const known = new Set(
    sql
      .exec<{ uid: string }>(
        `SELECT uid FROM environments WHERE uid IN (SELECT value FROM json_each(?))`,
        JSON.stringify([...named]),
      )
      .toArray()
      .map((row) => row.uid),
  );
  return [...named].filter((uid) => !known.has(uid)).sort();
}

/** The environments an asset is published to, or that one of its waiting actions names. */
const namedEnvironments = (state: PublishingState): Set<string> =>
  new Set([
    ...state.publications.map((p) => p.environment),
    ...state.scheduled.flatMap((a) => a.environments),
  ]);

/** Forgets an asset's publications and waiting actions (it is deleted, or about to be rewritten). */
export function forgetPublishing(sql: SqlStorage, assetUid: string): void {
  sql.exec("DELETE FROM publications WHERE asset_uid = ?", assetUid);
  sql.exec("DELETE FROM publish_queue WHERE asset_uid = ?", assetUid);
}

const ENTRY_SQL = `SELECT q.asset_uid, q.record, c.title FROM publish_queue q
  LEFT JOIN catalog c ON c.uid = q.asset_uid AND c.deleted = 0`;

type EntryRow = { asset_uid: string; record: string; title: string | null };

const toEntry = (row: EntryRow): QueueEntry => ({
  assetUid: row.asset_uid,
  title: row.title,
  action: JSON.parse(row.record) as ScheduledAction,
});

/** The waiting actions (of one asset, when given), the next to fire first, a page at a time. */
export function listQueue(
  sql: SqlStorage,
  skip: number,
  limit: number,
  assetUid?: string,
): QueuePage {
  const where = assetUid === undefined ? "" : "WHERE q.asset_uid = ?";
  const params = assetUid === undefined ? [] : [assetUid];
  const entries = sql
    .exec<EntryRow>(
      `${ENTRY_SQL} ${where} ORDER BY q.scheduled_at, q.uid LIMIT ? OFFSET ?`,
      ...params,
      limit,
      skip,
    )
    .toArray()
    .map(toEntry);
  const count = sql
    .exec<{ n: number }>(`SELECT COUNT(*) AS n FROM publish_queue q ${where}`, ...params)
    .one().n;
  return { entries, count };
}

export function getQueueEntry(sql: SqlStorage, uid: string): QueueEntry | null {
  const row = sql.exec<EntryRow>(`${ENTRY_SQL} WHERE q.uid = ?`, uid).toArray()[0];
  return row ? toEntry(row) : null;
}
