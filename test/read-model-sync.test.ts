// The asset's Durable Object keeps KV and the stack catalogue in step with its commits, and
// repairs them by alarm when a push did not happen (e.g. the instance died after the commit).

import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { readModelKey, toReadModel } from "../src/domain/kv-records";
import type { AssetRecord, VersionRecord } from "../src/domain/records";
import type { AssetObject } from "../src/objects/asset-object";
import { assetStub } from "../src/objects/stubs";
import { auth, call, createStack, runWorker, uploadAsset } from "./helpers";

/**
 * Fetches a public URL with the isolate's read-model memo off: these tests change KV behind the
 * worker's back, and the memo may serve what it read up to READ_MODEL_MEMO_SECONDS earlier.
 */
const fetchFromKv = (url: string) => runWorker(url, {}, { READ_MODEL_MEMO_SECONDS: "0" });
const noCache = { EDGE_CACHE_MAX_BYTES: "0" };

describe("read model sync", () => {
  it("leaves no alarm pending once KV and the catalogue are in step", async () => {
    const stack = await createStack();
    const asset = await uploadAsset(stack, "sync.txt", "in step");
    const stub = assetStub(env, stack.apiKey, asset.uid);
    const state = await runInDurableObject(stub, async (obj: AssetObject, ctx) => ({
      synced: obj.isSynced(),
      alarm: await ctx.storage.getAlarm(),
    }));
    expect(state).toEqual({ synced: true, alarm: null });
  });

  it("repairs KV and the catalogue by alarm after a crash between commit and push", async () => {
    const stack = await createStack();
    const asset = await uploadAsset(stack, "crash.txt", "kept");
    const key = readModelKey(stack.apiKey, asset.uid);
    const stub = assetStub(env, stack.apiKey, asset.uid);
    // Simulate the crash: the commit giving the asset its permanent URL is durable, its KV
    // record staged in the same transaction, the backstop alarm set; nothing else happened.
    // (Storage keys as docs/STORAGE.md lists them.)
    await runInDurableObject(stub, async (_obj: AssetObject, ctx) => {
      ctx.storage.transactionSync(() => {
        const record = ctx.storage.kv.get<AssetRecord>("asset") as AssetRecord;
        const next = { ...record, slug: "crash", revision: record.revision + 1 };
        ctx.storage.kv.put("asset", next);
        const current = ctx.storage.kv.get<VersionRecord>("version:0000000001") as VersionRecord;
        const model = toReadModel({ asset: next, current });
        ctx.storage.kv.put(`kv-write:staged:${key}`, {
          value: JSON.stringify(model),
          notBefore: 0,
        });
      });
      await ctx.storage.setAlarm(Date.now() + 10_000);
    });
    const permanent = `${new URL(asset.url).origin}/v3/assets/${stack.apiKey}/${asset.uid}/crash`;
    expect((await fetchFromKv(permanent)).status).toBe(404);
    expect(await runInDurableObject(stub, (obj: AssetObject) => obj.isSynced())).toBe(false);

    expect(await runDurableObjectAlarm(stub)).toBe(true);

    const served = await fetchFromKv(permanent);
    expect(served.status).toBe(200);
    expect(served.text).toBe("kept");
    const state = await runInDurableObject(stub, async (obj: AssetObject, ctx) => ({
      synced: obj.isSynced(),
      alarm: await ctx.storage.getAlarm(),
    }));
    expect(state).toEqual({ synced: true, alarm: null });
    const list = await call("/v3/assets", { headers: auth(stack) });
    const listed = (await list.json()) as { assets: { uid: string; permanent_url?: string }[] };
    expect(listed.assets.find((a) => a.uid === asset.uid)?.permanent_url).toBe(permanent);
  });

  it("finishes a delete by alarm: KV record, catalogue entry and R2 objects all go", async () => {
    const stack = await createStack();
    const asset = await uploadAsset(stack, "half.txt", "half-deleted");
    const stub = assetStub(env, stack.apiKey, asset.uid);
    // Commit the delete inside the object without letting it push (as if it died right after).
    await runInDurableObject(stub, async (_obj: AssetObject, ctx) => {
      const record = ctx.storage.kv.get<Record<string, unknown>>("asset") as Record<
        string,
        unknown
      >;
      ctx.storage.kv.put("asset", {
        ...record,
        deleted: true,
        revision: (record.revision as number) + 1,
      });
      await ctx.storage.setAlarm(Date.now() + 10_000);
    });
    // (The edge cache is kept out: a copy it held would outlive this delete's bytes here until
    // the client's retried DELETE evicts it, which the last lines check.)
    expect((await runWorker(asset.url, {}, noCache)).status).toBe(200);

    expect(await runDurableObjectAlarm(stub)).toBe(true);

    expect((await runWorker(asset.url, {}, noCache)).status).toBe(404);
    expect(await env.ASSET_INDEX.get(`asset:${stack.apiKey}/${asset.uid}`)).toBeNull();
    expect((await env.FILES.list({ prefix: `${stack.apiKey}/${asset.uid}/` })).objects).toEqual([]);
    const list = await call("/v3/assets", { headers: auth(stack) });
    expect(((await list.json()) as { count: number }).count).toBe(0);
  });

  it("evicts the edge cache when a DELETE is retried after one that died before evicting", async () => {
    const stack = await createStack();
    const asset = await uploadAsset(stack, "cached-half.txt", "cached, half-deleted");
    const stub = assetStub(env, stack.apiKey, asset.uid);
    expect((await runWorker(asset.url)).status).toBe(200); // now in the edge cache
    expect(await stub.delete()).toMatchObject({ now: true }); // the request died after this
    expect((await runWorker(asset.url)).status).toBe(200); // served from the cache here
    const retry = await call(`/v3/assets/${asset.uid}`, {
      method: "DELETE",
      headers: auth(stack),
    });
    expect(retry.status).toBe(404);
    await retry.arrayBuffer();
    expect((await runWorker(asset.url)).status).toBe(404);
  });
});
