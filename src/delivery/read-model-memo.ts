// An in-isolate memo of KV read-model records for the permanent URL, so a busy asset costs a
// KV read once per isolate every few seconds instead of once per request.
//
// The staleness it can add is bounded by READ_MODEL_MEMO_SECONDS (default 5 s; 0 turns it off),
// on top of KV's own propagation delay (docs/HTTP.md). A change made through this isolate
// forgets the asset's entry at once, which is why the local runtime (one isolate) shows a
// replace on the very next request. Misses are remembered too, so a flood of requests for an
// unknown asset costs one KV read per interval. At most MEMO_MAX_ENTRIES are kept (oldest
// first out), so random asset ids cannot grow it without bound.

import { type ReadModel, readModelKey } from "../objects/read-model";

export const MEMO_MAX_ENTRIES = 10_000;

interface Entry {
  value: ReadModel | null;
  until: number;
}

// One memo per KV binding object (an isolate has one per namespace).
const memos = new WeakMap<object, Map<string, Entry>>();

function memoOf(kv: KVNamespace): Map<string, Entry> {
  let memo = memos.get(kv);
  if (!memo) {
    memo = new Map();
    memos.set(kv, memo);
  }
  return memo;
}

export async function memoized(
  kv: KVNamespace,
  key: string,
  ttlMs: number,
  load: () => Promise<ReadModel | null>,
  now: number = Date.now(),
): Promise<ReadModel | null> {
  if (ttlMs <= 0) return load();
  const memo = memoOf(kv);
  const hit = memo.get(key);
  if (hit && hit.until > now) return hit.value;
  const value = await load();
  memo.delete(key); // re-inserted last, so the oldest entries leave first
  memo.set(key, { value, until: now + ttlMs });
  if (memo.size > MEMO_MAX_ENTRIES) {
    const oldest = memo.keys().next().value;
    if (oldest !== undefined) memo.delete(oldest);
  }
  return value;
}

/** Drops the asset's entry after a change made through this isolate. */
export function forgetAsset(kv: KVNamespace, apiKey: string, assetUid: string): void {
  memos.get(kv)?.delete(readModelKey(apiKey, assetUid));
}
