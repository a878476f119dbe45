// The asset's edge record is written to KV at most once a second (Cloudflare's per-key limit):
// nothing is written for a change the edge does not read, a burst collapses into its last state,
// a 429 is retried a second later, and each management answer waits for its own write, so the
// permanent URL serves what the answer says. Every KV call the asset's object makes is recorded
// here with its time.

import { env, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { readModelKey } from "../src/domain/kv-records";
import type { AssetObject } from "../src/objects/asset-object";
import { KvWriter } from "../src/objects/kv-writer";
import { assetStub } from "../src/objects/stubs";
import {
  type AssetJson,
  auth,
  call,
  createStack,
  replaceAsset,
  runWorker,
  type Stack,
  setPermanentUrl,
  uploadAsset,
} from "./helpers";

interface KvCall {
  op: "put" | "delete";
  key: string;
  value: string | null;
  at: number;
}

/** Answers the asset object's KV writes with these errors first, then writes for real. */
type Failures = Error[];

let stack: Stack;
beforeAll(async () => {
  stack = await createStack();
});

/** Records every KV write the asset's object makes from now on (failing the first `failures`). */
async function recordKvWrites(uid: string, failures: Failures = []): Promise<KvCall[]> {
  const calls: KvCall[] = [];
  const kv = env.ASSET_INDEX;
  const recording = {
    get: kv.get.bind(kv),
    put: async (key: string, value: string) => {
      calls.push({ op: "put", key, value, at: Date.now() });
      const failure = failures.shift();
      if (failure) throw failure;
      return kv.put(key, value);
    },
    delete: async (key: string) => {
      calls.push({ op: "delete", key, value: null, at: Date.now() });
      return kv.delete(key);
    },
  } as unknown as KVNamespace;
  await runInDurableObject(assetStub(env, stack.apiKey, uid), (obj: AssetObject) => {
    const holder = obj as unknown as { env: Env };
    holder.env = { ...holder.env, ASSET_INDEX: recording };
  });
  return calls;
}

const permanentOf = async (res: Response) =>
  ((await res.json()) as { asset: AssetJson & { permanent_url: string } }).asset.permanent_url;

/** The permanent URL read straight from KV (the isolate's memo off). */
const served = (url: string) => runWorker(url, {}, { READ_MODEL_MEMO_SECONDS: "0" });

const gaps = (calls: KvCall[]) => calls.slice(1).map((c, i) => c.at - (calls[i] as KvCall).at);

const state = (uid: string) =>
  runInDurableObject(assetStub(env, stack.apiKey, uid), async (obj: AssetObject, ctx) => ({
    synced: obj.isSynced(),
    alarm: await ctx.storage.getAlarm(),
  }));

describe("the asset's KV record", () => {
  it("is not written for an asset without a permanent URL, nor for titles, tags or folders", async () => {
    const created = await uploadAsset(stack, "quiet.txt", "quiet");
    expect(await env.ASSET_INDEX.get(readModelKey(stack.apiKey, created.uid))).toBeNull();
    const calls = await recordKvWrites(created.uid);
    await replaceAsset(stack, created.uid, "quiet.txt", "still no slug");
    expect(calls).toEqual([]); // the edge has nothing to serve either way

    await setPermanentUrl(stack, created.uid, "quiet");
    expect(calls.map((c) => c.op)).toEqual(["put"]);
    for (const change of [{ title: "New title" }, { tags: ["a", "b"] }, { description: "d" }]) {
      const res = await call(`/v3/assets/${created.uid}`, {
        method: "PUT",
        headers: auth(stack, { "content-type": "application/json" }),
        body: JSON.stringify({ asset: change }),
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    expect(calls).toHaveLength(1);
    expect(await state(created.uid)).toEqual({ synced: true, alarm: null });
  });

  it("takes 20 edits in a second as writes a second apart, the last edit winning", async () => {
    const created = await uploadAsset(stack, "burst.txt", "v1");
    const permanent = await permanentOf(await setPermanentUrl(stack, created.uid, "burst"));
    const calls = await recordKvWrites(created.uid);
    const started = Date.now();

    const edits = await Promise.all(
      Array.from({ length: 20 }, (_, i) => replaceAsset(stack, created.uid, "burst.txt", `e${i}`)),
    );

    const last = edits.reduce((a, b) => (b._version > a._version ? b : a));
    expect(last._version).toBe(21);
    const record = JSON.parse(
      (await env.ASSET_INDEX.get(readModelKey(stack.apiKey, created.uid))) ?? "{}",
    );
    expect(record.fileUid).toBe(new URL(last.url).pathname.split("/")[5]);
    const now = await served(permanent);
    expect(now.status).toBe(200);
    expect(now.text).toBe(`e${edits.indexOf(last)}`);
    // Coalesced: a handful of writes, never two within a second, all answered within 3 s.
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeLessThanOrEqual(4);
    for (const gap of gaps(calls)) expect(gap).toBeGreaterThanOrEqual(1000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await state(created.uid)).toEqual({ synced: true, alarm: null });
  });

  it("answers a change that follows another within a second once its own write is made", async () => {
    const created = await uploadAsset(stack, "quick.txt", "one");
    const setRes = await setPermanentUrl(stack, created.uid, "quick");
    const permanent = await permanentOf(setRes);
    const calls = await recordKvWrites(created.uid);
    const replaced = await replaceAsset(stack, created.uid, "quick.txt", "two");
    expect(replaced._version).toBe(2);
    expect((await served(permanent)).text).toBe("two");
    const del = await call(`/v3/assets/${created.uid}`, { method: "DELETE", headers: auth(stack) });
    expect(del.status).toBe(200);
    await del.arrayBuffer();
    expect(calls.map((c) => c.op)).toEqual(["put", "delete"]);
    for (const gap of gaps(calls)) expect(gap).toBeGreaterThanOrEqual(1000);
    expect(await env.ASSET_INDEX.get(readModelKey(stack.apiKey, created.uid))).toBeNull();
    expect((await served(permanent)).status).toBe(404);
  });

  it("retries a 429 a second later, within the request that made the change", async () => {
    const created = await uploadAsset(stack, "limited.txt", "before");
    const permanent = await permanentOf(await setPermanentUrl(stack, created.uid, "limited"));
    const calls = await recordKvWrites(created.uid, [
      new Error("KV PUT failed: 429 Too Many Requests"),
    ]);
    const replaced = await replaceAsset(stack, created.uid, "limited.txt", "after");
    expect(replaced._version).toBe(2);

    expect(calls.map((c) => c.op)).toEqual(["put", "put"]);
    const [gap] = gaps(calls);
    expect(gap).toBeGreaterThanOrEqual(1000);
    expect(gap).toBeLessThan(2000);
    expect((await served(permanent)).text).toBe("after");
    expect(await state(created.uid)).toEqual({ synced: true, alarm: null });
  });
});

describe("KvWriter", () => {
  it("needs no write, and no alarm, for a value staged again that KV holds already", async () => {
    const asset = await uploadAsset(stack, "writer.txt", "w");
    const state = await runInDurableObject(
      assetStub(env, stack.apiKey, asset.uid),
      async (_: AssetObject, ctx) => {
        const writer = new KvWriter(ctx.storage, () => env.ASSET_INDEX);
        const key = `review-test:${asset.uid}`;
        writer.stage(key, "same");
        const written = await writer.settle(key, 2_500);
        // Staged again, as a commit that leaves the edge record as it is does, with no flush yet.
        writer.stage(key, "same");
        return { written, settled: writer.isSettled(key), due: writer.nextDue() };
      },
    );
    // Not "due at 0": an alarm cannot be set for that time (setAlarm throws), and nothing waits.
    expect(state).toEqual({ written: true, settled: true, due: null });
  });

  it("is due now, not at time 0, for a key staged and never written yet", async () => {
    const asset = await uploadAsset(stack, "writer-new.txt", "w");
    const due = await runInDurableObject(
      assetStub(env, stack.apiKey, asset.uid),
      async (_: AssetObject, ctx) => {
        const writer = new KvWriter(ctx.storage, () => env.ASSET_INDEX);
        const before = Date.now();
        writer.stage(`never-written:${asset.uid}`, "first");
        const at = writer.nextDue();
        // The owner arms its alarm with it: this throws for a time <= 0.
        if (at !== null) await ctx.storage.setAlarm(at);
        await ctx.storage.deleteAlarm();
        return { at, before };
      },
    );
    expect(due.at).not.toBeNull();
    expect(due.at as number).toBeGreaterThanOrEqual(due.before);
  });
});
