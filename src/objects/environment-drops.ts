// Unpublishing everything from a deleted environment, in the background. Deleting an environment
// takes it out of the edge's index at once (so nothing is served from it within the freshness
// bound) and records it in environment_drops; the stack's alarm then asks each asset published
// there to drop it (AssetObject.dropEnvironment, idempotent), a bounded batch per run, because a
// Worker invocation may make only so many subrequests (50 on the Free plan), and re-arms itself
// until no publication of a deleted environment is left. The `publications` table says which
// assets to ask: assets' snapshots keep it current through putInCatalog.

/** Asset objects asked per alarm run, below the Free plan's 50 subrequests with room for KV. */
export const DROPS_PER_RUN = 40;
/** Before asking again an asset object that failed. */
export const DROP_RETRY_MS = 10_000;

export interface Drop {
  assetUid: string;
  environmentUid: string;
}

/** The next publications of deleted environments to remove, oldest deletion first. */
export function pendingDrops(sql: SqlStorage, limit: number): Drop[] {
  return sql
    .exec<{ asset_uid: string; environment_uid: string }>(
      `SELECT p.asset_uid, p.environment_uid FROM environment_drops d
       JOIN publications p ON p.environment_uid = d.environment_uid
       ORDER BY d.deleted_at, d.environment_uid, p.asset_uid LIMIT ?`,
      limit,
    )
    .toArray()
    .map((row) => ({ assetUid: row.asset_uid, environmentUid: row.environment_uid }));
}

/** Forgets deleted environments that no publication names any more; true when none is left. */
function settle(sql: SqlStorage): boolean {
  sql.exec(
    `DELETE FROM environment_drops WHERE NOT EXISTS (
       SELECT 1 FROM publications p WHERE p.environment_uid = environment_drops.environment_uid)`,
  );
  return sql.exec("SELECT 1 FROM environment_drops LIMIT 1").toArray().length === 0;
}

/** True while a deleted environment still has publications to remove. */
export const dropsPending = (sql: SqlStorage): boolean => !settle(sql);

/**
 * One run: asks up to DROPS_PER_RUN assets to drop their deleted environment, and forgets each
 * publication whose asset did. Returns when to run again: now when more are waiting, after
 * DROP_RETRY_MS when an asset failed, null when everything is done.
 */
export async function runDrops(
  sql: SqlStorage,
  drop: (d: Drop) => Promise<void>,
  now: number = Date.now(),
): Promise<number | null> {
  const batch = pendingDrops(sql, DROPS_PER_RUN);
  const results = await Promise.allSettled(batch.map(drop));
  let failed = false;
  results.forEach((result, i) => {
    const d = batch[i] as Drop;
    if (result.status === "fulfilled") {
      sql.exec(
        "DELETE FROM publications WHERE environment_uid = ? AND asset_uid = ?",
        d.environmentUid,
        d.assetUid,
      );
    } else {
      failed = true;
      console.error(
        "could not drop a deleted environment from an asset; will retry",
        result.reason,
      );
    }
  });
  if (settle(sql)) return null;
  return failed ? now + DROP_RETRY_MS : now;
}
