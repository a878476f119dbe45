// Publishing across the asset's life and the stack's: bulk publish and unpublish (checked
// entirely before anything is applied), an environment deleted while assets are published or
// scheduled to it (or published to it at that very moment), and a deleted asset leaving the
// published catalogue and the publish queue.

import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { type ReadModel, readModelKey } from "../src/domain/kv-records";
import { MAX_SCHEDULED_PER_ASSET } from "../src/domain/schedule";
import { bulkPublishedSchema, publishQueueSchema } from "../src/http/publish-response-schemas";
import { MAX_BULK_ASSETS } from "../src/http/publish-schemas";
import type { StackObject } from "../src/objects/stack-object";
import { assetStub, stackStub } from "../src/objects/stubs";
import {
  type AssetJson,
  auth,
  call,
  createEnvironment,
  createStack,
  replaceAsset,
  type Stack,
  uploadAsset,
} from "./helpers";

let stack: Stack;
let production: string;

beforeAll(async () => {
  stack = await createStack("Lifecycle");
  production = await createEnvironment(stack, "production");
});

const send = (method: string, path: string, body?: unknown) =>
  call(path, {
    method,
    headers: auth(stack, { "content-type": "application/json" }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const kvRecord = async (uid: string) =>
  (await env.ASSET_INDEX.get<ReadModel>(readModelKey(stack.apiKey, uid), "json")) ?? null;

async function d1Environments(uid: string): Promise<string[]> {
  const { results } = await env.PUBLISHED.prepare(
    "SELECT environment_uid FROM published_assets WHERE api_key = ? AND uid = ? ORDER BY 1",
  )
    .bind(stack.apiKey, uid)
    .all<{ environment_uid: string }>();
  return results.map((r) => r.environment_uid);
}

async function queue() {
  const res = await send("GET", "/v3/publish-queue");
  return publishQueueSchema.parse(await res.json()).queue;
}

const uploads = (n: number, prefix: string) =>
  Promise.all(
    Array.from({ length: n }, (_, i) => uploadAsset(stack, `${prefix}-${i}.txt`, `${i}`)),
  );

describe("bulk publish and unpublish", () => {
  it("publishes and unpublishes several assets at once, each its own version", async () => {
    const assets = await uploads(3, "bulk");
    await replaceAsset(stack, (assets[0] as AssetJson).uid, "bulk-0.txt", "new");
    const staging = await createEnvironment(stack, "bulk-staging");
    const res = await send("POST", "/v3/bulk/publish", {
      assets: [
        { uid: (assets[0] as AssetJson).uid, version: 1 },
        { uid: (assets[1] as AssetJson).uid },
        { uid: (assets[2] as AssetJson).uid },
      ],
      // By name, or by uid as the CMA's bulk examples do.
      environments: ["production", staging],
      locales: ["en-us"],
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = bulkPublishedSchema.parse(await res.json());
    expect(body.notice).toBe("Bulk publish applied to 3 assets.");
    expect(body.assets.map((a) => a.status)).toEqual(["done", "done", "done"]);
    for (const [i, asset] of assets.entries()) {
      const record = await kvRecord(asset.uid);
      expect(record?.published?.[staging]?.version).toBe(i === 0 ? 1 : 1);
      expect((await d1Environments(asset.uid)).length).toBe(2);
    }
    const again = await send("POST", "/v3/bulk/publish", {
      assets: assets.map((a) => ({ uid: a.uid })).slice(1),
      environments: ["production"],
    });
    const repeated = bulkPublishedSchema.parse(await again.json());
    expect(repeated.assets.map((a) => a.status)).toEqual(["unchanged", "unchanged"]);
    const off = await send("POST", "/v3/bulk/unpublish", {
      assets: assets.map((a) => ({ uid: a.uid })),
      environments: [staging],
      locales: ["en-us"],
    });
    expect(off.status).toBe(200);
    for (const asset of assets) {
      expect(await d1Environments(asset.uid)).not.toContain(staging);
    }
  });

  it("schedules each asset's action, listed in the publish queue", async () => {
    const assets = await uploads(2, "bulk-later");
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const res = await send("POST", "/v3/bulk/publish", {
      assets: assets.map((a) => ({ uid: a.uid })),
      environments: ["production"],
      scheduled_at: at,
    });
    const body = bulkPublishedSchema.parse(await res.json());
    expect(body.assets.every((a) => a.status === "scheduled" && a.publish_queue_uid)).toBe(true);
    const listed = await queue();
    for (const asset of assets) {
      expect(listed.some((q) => q.asset.uid === asset.uid && q.scheduled_at === at)).toBe(true);
    }
  });

  it.each([
    [
      "an unknown asset",
      (ok: string) => ({ assets: [{ uid: ok }, { uid: "blt0000000000000bad" }] }),
      "assets",
    ],
    ["a version an asset lacks", (ok: string) => ({ assets: [{ uid: ok, version: 7 }] }), "assets"],
    ["a malformed uid", (ok: string) => ({ assets: [{ uid: ok }, { uid: "../x" }] }), "assets"],
    ["an asset named twice", (ok: string) => ({ assets: [{ uid: ok }, { uid: ok }] }), "assets"],
    [
      "an unknown environment",
      (ok: string) => ({ assets: [{ uid: ok }], environments: ["nowhere"] }),
      "environments",
    ],
    ["entries", (ok: string) => ({ assets: [{ uid: ok }], entries: [{ uid: "x" }] }), "entries"],
    ["no assets", () => ({ assets: [] }), "assets"],
    [
      `${MAX_BULK_ASSETS + 1} assets`,
      (ok: string) => ({
        assets: Array.from({ length: MAX_BULK_ASSETS + 1 }, () => ({ uid: ok })),
      }),
      "assets",
    ],
  ])(
    "refuses %s with a 422 naming the field, before touching any asset",
    async (_, body, field) => {
      const [ok] = await uploads(1, "bulk-refused");
      const uid = (ok as AssetJson).uid;
      for (const action of ["publish", "unpublish"]) {
        const res = await send("POST", `/v3/bulk/${action}`, {
          environments: ["production"],
          ...body(uid),
        });
        expect(res.status).toBe(422);
        expect(Object.keys(((await res.json()) as { errors: object }).errors)).toContain(field);
      }
      expect(await kvRecord(uid)).toBeNull();
      expect(await d1Environments(uid)).toEqual([]);
    },
  );

  it("refuses a scheduled bulk action when one asset's schedule is full, scheduling none", async () => {
    const [full, free] = await uploads(2, "bulk-full");
    const fullUid = (full as AssetJson).uid;
    const freeUid = (free as AssetJson).uid;
    const object = assetStub(env, stack.apiKey, fullUid);
    for (let i = 0; i < MAX_SCHEDULED_PER_ASSET; i++) {
      const waiting = await object.publishing({
        action: "publish",
        environments: [production],
        locales: ["en-us"],
        version: null,
        scheduledAt: new Date(Date.now() + 3_600_000 + i * 60_000).toISOString(),
        by: stack.tokenUid,
      });
      expect(waiting.ok).toBe(true);
    }
    const before = await queue();
    const res = await send("POST", "/v3/bulk/publish", {
      assets: [{ uid: freeUid }, { uid: fullUid }],
      environments: ["production"],
      scheduled_at: new Date(Date.now() + 7_200_000).toISOString(),
    });
    expect(res.status).toBe(422);
    const errors = ((await res.json()) as { errors: Record<string, string[]> }).errors;
    expect(Object.keys(errors)).toEqual(["scheduled_at"]);
    expect(errors.scheduled_at?.[0]).toContain(fullUid);
    expect(errors.scheduled_at?.[0]).not.toContain(freeUid);
    expect(await queue()).toEqual(before);
  });
});

describe("a deleted environment", () => {
  it("is dropped from every asset published or scheduled to it by the stack's alarm", async () => {
    const gone = await createEnvironment(stack, "doomed");
    const assets = await uploads(3, "doomed");
    for (const asset of assets) {
      const res = await send("POST", `/v3/assets/${asset.uid}/publish`, {
        asset: { environments: ["doomed", "production"] },
      });
      expect(res.status).toBe(200);
    }
    const later = await uploadAsset(stack, "doomed-later.txt", "l");
    await send("POST", `/v3/assets/${later.uid}/publish`, {
      asset: { environments: ["doomed"] },
      scheduled_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const deleted = await send("DELETE", "/v3/environments/doomed");
    expect(deleted.status).toBe(200);
    // The delete armed the stack's alarm for now, which asks each asset to drop it; the runtime
    // may be running it already. Run whatever is armed until no asset names the environment.
    const stub = stackStub(env, stack.apiKey);
    await vi.waitFor(
      async () => {
        await runDurableObjectAlarm(stub);
        const left = await runInDurableObject(stub, (_: StackObject, state) =>
          state.storage.sql.exec("SELECT 1 FROM environment_drops").toArray(),
        );
        expect(left).toEqual([]);
      },
      { timeout: 10_000, interval: 20 },
    );
    for (const asset of assets) {
      const record = await kvRecord(asset.uid);
      expect(Object.keys(record?.published ?? {})).not.toContain(gone);
      expect(await d1Environments(asset.uid)).not.toContain(gone);
      expect((await d1Environments(asset.uid)).length).toBe(1);
    }
    expect((await queue()).some((q) => q.asset.uid === later.uid)).toBe(false);
  });

  it("published to at the moment it is deleted, is forgotten by the asset itself", async () => {
    const racing = await createEnvironment(stack, "racing");
    const asset = await uploadAsset(stack, "racing.txt", "r");
    const deleted = await send("DELETE", "/v3/environments/racing");
    expect(deleted.status).toBe(200);
    // The route resolved the name just before the delete: the object gets the uid anyway.
    const result = await assetStub(env, stack.apiKey, asset.uid).publishing({
      action: "publish",
      environments: [racing],
      locales: ["en-us"],
      version: null,
      scheduledAt: null,
      by: stack.tokenUid,
    });
    expect(result).toMatchObject({ ok: true, changed: true });
    // Its sync told it the environment is gone; it dropped it before writing KV and D1.
    expect(await kvRecord(asset.uid)).toBeNull();
    expect(await d1Environments(asset.uid)).toEqual([]);
    const publications = await assetStub(env, stack.apiKey, asset.uid).publications();
    expect(publications?.publications).toEqual({});
  });
});

describe("a deleted asset", () => {
  it("leaves the published catalogue and the publish queue", async () => {
    const asset = await uploadAsset(stack, "deleted.txt", "d");
    await send("POST", `/v3/assets/${asset.uid}/publish`, {
      asset: { environments: ["production"] },
    });
    await send("POST", `/v3/assets/${asset.uid}/unpublish`, {
      asset: { environments: ["production"] },
      scheduled_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(await d1Environments(asset.uid)).toHaveLength(1);
    expect((await queue()).some((q) => q.asset.uid === asset.uid)).toBe(true);
    const res = await send("DELETE", `/v3/assets/${asset.uid}`);
    expect(res.status).toBe(200);
    expect(await d1Environments(asset.uid)).toEqual([]);
    expect((await queue()).some((q) => q.asset.uid === asset.uid)).toBe(false);
    expect(await kvRecord(asset.uid)).toBeNull();
  });
});
