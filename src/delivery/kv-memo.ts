// An in-isolate memo of the KV records the public host reads (an asset's read model, a stack's
// environment index, a delivery token's grant), so a busy one costs a KV read once per isolate
// every few seconds instead of once per request.
//
// The staleness it can add is bounded by READ_MODEL_MEMO_SECONDS (default 5 s; 0 turns it off),
// on top of KV's own propagation delay (docs/HTTP.md). A change made through this isolate
// forgets the asset's entry at once, which is why the local runtime (one isolate) shows a
// replace on the very next request. Misses are remembered too, so a flood of requests for an
// unknown asset costs one KV read per interval. At most MEMO_MAX_ENTRIES are kept (oldest
// first out), so random asset ids cannot grow it without bound.

import { readModelKey } from "../domain/kv-records";

export const MEMO_MAX_ENTRIES = 10_000;

interface Entry {
  value: unknown;
  until: number;
}

interface Memo {
  entries: Map<string, Entry>;
  /** Bumped by forgetAsset: a read that started before a forget must not be kept. */
  generation: number;
}

// One memo per KV binding object (an isolate has one per namespace; the key is only its identity).
const memos = new WeakMap<object, Memo>();

function memoOf(kv: object): Memo {
  let memo = memos.get(kv);
  if (!memo) {
    memo = { entries: new Map(), generation: 0 };
    memos.set(kv, memo);
  }
  return memo;
}

/** KV `key`'s record (of the type its key prefix holds), from the memo or `load`. */
export async function memoized<T>(
  kv: object,
  key: string,
  ttlMs: number,
  load: () => Promise<T | null>,
  now: number = Date.now(),
): Promise<T | null> {
  if (ttlMs <= 0) return load();
  const memo = memoOf(kv);
  const { entries } = memo;
  const hit = entries.get(key);
  if (hit && hit.until > now) return hit.value as T | null;
  const generation = memo.generation;
  const value = await load();
  if (memo.generation !== generation) return value; // a change landed while KV was read
  entries.delete(key); // re-inserted last, so the oldest entries leave first
  entries.set(key, { value, until: now + ttlMs });
  if (entries.size > MEMO_MAX_ENTRIES) {
    const oldest = entries.keys().next().value;
    if (oldest !== undefined) entries.delete(oldest);
  }
  return value;
}

/** Drops the entry of KV `key` after a change made through this isolate. */
export function forgetKey(kv: object, key: string): void {
  const memo = memos.get(kv);
  if (!memo) return;
  memo.entries.delete(key);
  memo.generation++;
}

/** Drops the asset's entry after a change made through this isolate. */
export function forgetAsset(kv: object, apiKey: string, assetUid: string): void {
  forgetKey(kv, readModelKey(apiKey, assetUid));
}
