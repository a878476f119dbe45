// The orphan sweep, run by the cron trigger: deletes R2 objects that no committed version names.
// Orphans come from a crash between storing an upload's bytes and committing its version (or
// from a failed best-effort discard), so only objects older than ORPHAN_MIN_AGE_SECONDS are
// considered: far longer than any upload request, so an upload in flight is never touched.
// For each asset with candidates, the asset's Durable Object says which file_uids it committed.

import { assetStub } from "../objects/stubs";

export interface SweepResult {
  scanned: number;
  deleted: string[];
}

/** Splits `{api_key}/{uid}/{file_uid}/{name}` into its asset and file_uid. */
function parseKey(
  key: string,
): { asset: string; apiKey: string; uid: string; fileUid: string } | null {
  const [apiKey, uid, fileUid, name] = key.split("/");
  if (!apiKey || !uid || !fileUid || !name) return null;
  return { asset: `${apiKey}/${uid}`, apiKey, uid, fileUid };
}

export async function sweepOrphans(env: Env, olderThan: Date): Promise<SweepResult> {
  const candidates = new Map<string, { apiKey: string; uid: string; objects: R2Object[] }>();
  let scanned = 0;
  let cursor: string | undefined;
  do {
    const page = await env.FILES.list({ limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const object of page.objects) {
      scanned++;
      const parsed = parseKey(object.key);
      if (!parsed || object.uploaded >= olderThan) continue;
      const entry = candidates.get(parsed.asset) ?? {
        apiKey: parsed.apiKey,
        uid: parsed.uid,
        objects: [],
      };
      entry.objects.push(object);
      candidates.set(parsed.asset, entry);
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);

  const deleted: string[] = [];
  for (const { apiKey, uid, objects } of candidates.values()) {
    // null: the asset never existed (a create that failed) or is deleted: nothing is committed.
    const committed = new Set((await assetStub(env, apiKey, uid).fileUids()) ?? []);
    const orphans = objects.filter((o) => !committed.has(parseKey(o.key)?.fileUid ?? ""));
    if (orphans.length === 0) continue;
    await env.FILES.delete(orphans.map((o) => o.key));
    deleted.push(...orphans.map((o) => o.key));
  }
  if (deleted.length > 0) console.warn("orphan sweep deleted", deleted.length, "objects");
  return { scanned, deleted };
}
