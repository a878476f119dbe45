// The asset's Durable Object keeps KV and the stack catalogue in step with its commits, and
// repairs them by alarm when a push did not happen (e.g. the instance died after the commit).

import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AssetObject } from "../src/objects/asset-object";
import { assetStub } from "../src/objects/stubs";
import {
  auth,
  call,
  createStack,
  replaceAsset,
  runWorker,
  setPermanentUrl,
  uploadAsset,
} from "./helpers";

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
    const asset = await uploadAsset(stack, "crash.txt", "before");
    const permanent = (
      (await (await setPermanentUrl(stack, asset.uid, "crash")).json()) as {
        asset: { permanent_url: string };
      }
    ).asset.permanent_url;
    const replaced = await replaceAsset(stack, asset.uid, "crash.txt", "after");
    const key = `asset:${stack.apiKey}/${asset.uid}`;
    const good = await env.ASSET_INDEX.get(key);

    // Simulate the crash: the commit is durable (revision 3) and its record staged, but KV still
    // holds what was written at revision 1 (no slug yet) and the catalogue revision 1; the alarm
    // set with the commit is pending. (Storage keys as docs/STORAGE.md lists them.)
    const stub = assetStub(env, stack.apiKey, asset.uid);
    const stale = JSON.stringify({ ...JSON.parse(good as string), slug: null });
    await runInDurableObject(stub, async (_obj: AssetObject, ctx) => {
      ctx.storage.kv.put("synced_revision", 1);
      ctx.storage.kv.put(`kv-write:written:${key}`, { value: stale, known: true, at: 0 });
      ctx.storage.kv.put(`kv-write:staged:${key}`, { value: good, notBefore: 0 });
      await ctx.storage.setAlarm(Date.now() + 10_000);
    });
    await env.ASSET_INDEX.put(key, stale);
    expect((await fetchFromKv(permanent)).status).toBe(404);

    expect(await runDurableObjectAlarm(stub)).toBe(true);

    expect(await env.ASSET_INDEX.get(key)).toBe(good);
    const served = await fetchFromKv(permanent);
    expect(served.status).toBe(200);
    expect(served.text).toBe("after");
    expect(await runInDurableObject(stub, (obj: AssetObject) => obj.isSynced())).toBe(true);
    const list = await call("/v3/assets", { headers: auth(stack) });
    const listed = (await list.json()) as { assets: { uid: string; url: string }[] };
    expect(listed.assets.find((a) => a.uid === asset.uid)?.url).toBe(replaced.url);
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
