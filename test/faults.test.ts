// Fault injection against the real local bindings: R2, KV and Durable Object calls fail at
// chosen points. A failed write commits nothing, a failed push after a commit is repaired by the
// alarm, and a retry after a lost response loses nothing (the orphan sweep: orphan-sweep.test.ts).

import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { AssetObject } from "../src/objects/asset-object";
import { assetStub } from "../src/objects/stubs";
import {
  type AssetJson,
  auth,
  call,
  createStack,
  form,
  replaceAsset,
  runWorker,
  type Stack,
  setPermanentUrl,
  uploadAsset,
} from "./helpers";

const run = runWorker;

/** Public reads straight from KV (the isolate's memo would hide a change made behind its back). */
const fresh = (url: string) => run(url, {}, { READ_MODEL_MEMO_SECONDS: "0" });

const failing = (what: string) => () => Promise.reject(new Error(`injected ${what} failure`));

/** R2 whose writes fail, reads still work. */
const r2WritesFail = () =>
  new Proxy(env.FILES, {
    get(target, prop) {
      if (prop === "put" || prop === "createMultipartUpload") return failing(`R2 ${prop}`);
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });

let stack: Stack;
let asset: AssetJson & { permanent_url: string };

beforeAll(async () => {
  stack = await createStack();
});

async function freshAsset(name: string, text: string, slug: string) {
  const uploaded = await uploadAsset(stack, name, text);
  const res = await setPermanentUrl(stack, uploaded.uid, slug);
  return ((await res.json()) as { asset: AssetJson & { permanent_url: string } }).asset;
}

async function expectUnchanged(a: AssetJson & { permanent_url: string }, text: string) {
  const now = await call(`/v3/assets/${a.uid}`, { headers: auth(stack) });
  expect(((await now.json()) as { asset: AssetJson }).asset).toEqual(a);
  expect((await fresh(a.permanent_url)).text).toBe(text);
  const objects = await env.FILES.list({ prefix: `${stack.apiKey}/${a.uid}/` });
  expect(objects.objects).toHaveLength(1);
}

describe("a failed R2 write", () => {
  it("answers 503 and commits nothing (raw body)", async () => {
    asset = await freshAsset("r2.txt", "kept", "r2-raw");
    const res = await run(
      `${new URL(asset.url).origin}/v3/assets/${asset.uid}?filename=new.txt`,
      {
        method: "PUT",
        headers: auth(stack, { "content-type": "text/plain", "content-length": "9" }),
        body: "new bytes",
      },
      { FILES: r2WritesFail() },
    );
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text).error_code).toBe(154);
    await expectUnchanged(asset, "kept");
  });

  it("answers 503 and commits nothing (multipart form)", async () => {
    asset = await freshAsset("r2f.txt", "kept too", "r2-form");
    const res = await run(
      `${new URL(asset.url).origin}/v3/assets/${asset.uid}`,
      {
        method: "PUT",
        headers: auth(stack),
        body: form({}, { name: "n.txt", bytes: "form bytes" }),
      },
      { FILES: r2WritesFail() },
    );
    expect(res.status).toBe(503);
    await expectUnchanged(asset, "kept too");
  });
});

describe("a failed push after a commit", () => {
  it("keeps the commit, and the alarm brings KV and the listing in step", async () => {
    asset = await freshAsset("kv.txt", "old", "kv-push");
    const stub = assetStub(env, stack.apiKey, asset.uid);
    // Inject: this object's KV puts fail from now on.
    await runInDurableObject(stub, (obj: AssetObject) => {
      const holder = obj as unknown as { env: Env };
      holder.env = {
        ...holder.env,
        ASSET_INDEX: { ...holder.env.ASSET_INDEX, put: failing("KV put") } as KVNamespace,
      };
    });
    const replaced = await replaceAsset(stack, asset.uid, "kv.txt", "new");
    expect(replaced._version).toBe(2);
    expect((await fresh(asset.permanent_url)).text).toBe("old"); // KV missed the push
    expect(await runInDurableObject(stub, (obj: AssetObject) => obj.isSynced())).toBe(false);

    // The fault clears; the alarm, armed for the retry 10 s on, repairs the read model. (The
    // writer's times are moved 10 s back, as if the alarm fired at its time.)
    await runInDurableObject(stub, async (obj: AssetObject, ctx) => {
      (obj as unknown as { env: Env }).env = env;
      expect((await ctx.storage.getAlarm()) ?? 0).toBeGreaterThan(Date.now() + 9000);
      for (const [name, entry] of ctx.storage.kv.list<Record<string, number>>({
        prefix: "kv-write:",
      })) {
        const aged = { ...entry };
        for (const field of ["at", "notBefore"])
          if (field in aged) aged[field] = (aged[field] as number) - 10_000;
        ctx.storage.kv.put(name, aged);
      }
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await runInDurableObject(stub, (obj: AssetObject) => obj.isSynced())).toBe(true);
    expect((await fresh(asset.permanent_url)).text).toBe("new");
  });
});

describe("a failed Durable Object call", () => {
  it("answers 503 when the object is overloaded, and keeps no uploaded bytes", async () => {
    asset = await freshAsset("do.txt", "as it was", "do-down");
    const overloaded = Object.assign(new Error("Durable Object is overloaded."), {
      retryable: true,
      overloaded: true,
    });
    const assets = {
      idFromName: (name: string) => env.ASSETS.idFromName(name),
      get: (id: DurableObjectId) => {
        const real = env.ASSETS.get(id) as unknown as Record<string, unknown>;
        return new Proxy(real, {
          get(target, prop) {
            if (prop === "update") return () => Promise.reject(overloaded);
            return Reflect.get(target, prop);
          },
        });
      },
    } as unknown as Env["ASSETS"];
    const res = await run(
      `${new URL(asset.url).origin}/v3/assets/${asset.uid}?filename=x.txt`,
      {
        method: "PUT",
        headers: auth(stack, { "content-type": "text/plain", "content-length": "5" }),
        body: "bytes",
      },
      { ASSETS: assets },
    );
    expect(res.status).toBe(503);
    await expectUnchanged(asset, "as it was");
  });
});

describe("a retry after a lost response", () => {
  it("loses nothing: a repeated replace adds a version, every version stays served", async () => {
    asset = await freshAsset("lost.txt", "v1", "lost");
    const first = await replaceAsset(stack, asset.uid, "lost.txt", "v2");
    const retry = await replaceAsset(stack, asset.uid, "lost.txt", "v2");
    expect(retry._version).toBe(3);
    for (const [url, text] of [
      [asset.url, "v1"],
      [first.url, "v2"],
      [retry.url, "v2"],
      [asset.permanent_url, "v2"],
    ]) {
      expect((await fresh(url as string)).text).toBe(text);
    }
  });

  it("is idempotent for the permanent URL: the same body again", async () => {
    const uploaded = await uploadAsset(stack, "again.txt", "x");
    const a = await setPermanentUrl(stack, uploaded.uid, "again");
    const b = await setPermanentUrl(stack, uploaded.uid, "again");
    expect(b.status).toBe(200);
    expect(await b.text()).toBe(await a.text());
  });
});
