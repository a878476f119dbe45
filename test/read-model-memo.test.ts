// The read-model memo's bounds, on the pure function: entries expire after the TTL, misses are
// remembered too, the oldest entries leave first past MEMO_MAX_ENTRIES, and forgetAsset drops one.

import { describe, expect, it } from "vitest";
import { forgetAsset, MEMO_MAX_ENTRIES, memoized } from "../src/delivery/kv-memo";
import type { ReadModel } from "../src/domain/kv-records";

const record = (revision: number) => ({ revision }) as unknown as ReadModel;

function counter(value: ReadModel | null) {
  let calls = 0;
  return {
    load: async () => {
      calls++;
      return value;
    },
    calls: () => calls,
  };
}

describe("memoized", () => {
  it("reuses a record until the TTL ends, then reads again", async () => {
    const kv = {} as KVNamespace;
    const source = counter(record(1));
    await memoized(kv, "k", 5000, source.load, 1000);
    await memoized(kv, "k", 5000, source.load, 5999);
    expect(source.calls()).toBe(1);
    await memoized(kv, "k", 5000, source.load, 6000);
    expect(source.calls()).toBe(2);
  });

  it("remembers a miss, and forgets an asset on demand", async () => {
    const kv = {} as KVNamespace;
    const source = counter(null);
    expect(await memoized(kv, "asset:blt1/blt2", 5000, source.load, 0)).toBeNull();
    await memoized(kv, "asset:blt1/blt2", 5000, source.load, 1);
    expect(source.calls()).toBe(1);
    forgetAsset(kv, "blt1", "blt2");
    await memoized(kv, "asset:blt1/blt2", 5000, source.load, 2);
    expect(source.calls()).toBe(2);
  });

  it("keeps at most MEMO_MAX_ENTRIES, dropping the oldest", async () => {
    const kv = {} as KVNamespace;
    const source = counter(record(1));
    for (let i = 0; i <= MEMO_MAX_ENTRIES; i++) await memoized(kv, `k${i}`, 5000, source.load, 0);
    expect(source.calls()).toBe(MEMO_MAX_ENTRIES + 1);
    await memoized(kv, `k${MEMO_MAX_ENTRIES}`, 5000, source.load, 1); // newest: still there
    expect(source.calls()).toBe(MEMO_MAX_ENTRIES + 1);
    await memoized(kv, "k0", 5000, source.load, 1); // oldest: dropped
    expect(source.calls()).toBe(MEMO_MAX_ENTRIES + 2);
  });

  it("does not keep a read that a forget overtook", async () => {
    const kv = {} as KVNamespace;
    let finish: (v: ReadModel | null) => void = () => undefined;
    const slow = () =>
      new Promise<ReadModel | null>((resolve) => {
        finish = resolve;
      });
    const pending = memoized(kv, "asset:blt1/blt2", 5000, slow, 0);
    forgetAsset(kv, "blt1", "blt2"); // a replace lands while KV is being read
    finish(record(1));
    expect(await pending).toEqual(record(1));
    const source = counter(record(2));
    expect(await memoized(kv, "asset:blt1/blt2", 5000, source.load, 1)).toEqual(record(2));
  });

  it("never keeps anything with a TTL of 0", async () => {
    const kv = {} as KVNamespace;
    const source = counter(record(1));
    await memoized(kv, "k", 0, source.load, 0);
    await memoized(kv, "k", 0, source.load, 0);
    expect(source.calls()).toBe(2);
  });
});
