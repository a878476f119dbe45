// Publishing under concurrency and faults (issue 17's done-when): 50 publishes racing 20 replaces
// and 10 unpublishes of one asset end with KV, the stack's catalogue and D1 showing exactly the
// publications the asset's Durable Object committed last; a KV write or a D1 batch failing during
// a publish leaves KV showing a state the object committed (never a torn one) and is retried by
// the alarm until every copy agrees.

import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type ReadModel, readModelKey } from "../src/domain/kv-records";
import type { VersionRecord } from "../src/domain/records";
import type { AssetObject } from "../src/objects/asset-object";
import { assetStub } from "../src/objects/stubs";
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
let environments: Record<string, string>;

beforeAll(async () => {
  stack = await createStack("Publishing faults");
  environments = {
    production: await createEnvironment(stack, "production"),
    staging: await createEnvironment(stack, "staging"),
  };
});

afterEach(() => {
  vi.useRealTimers();
});

const send = (path: string, body: unknown) =>
  call(path, {
    method: "POST",
    headers: auth(stack, { "content-type": "application/json" }),
    body: JSON.stringify(body),
  });

const kvRecord = async (uid: string) =>
  (await env.ASSET_INDEX.get<ReadModel>(readModelKey(stack.apiKey, uid), "json")) ?? null;

/** What the asset's object holds: each environment's version record, and whether it is synced. */
const objectState = (uid: string) =>
  runInDurableObject(assetStub(env, stack.apiKey, uid), (obj: AssetObject, ctx) => {
    const held: Record<string, VersionRecord> = {};
    for (const [environment, p] of Object.entries(obj.publications()?.publications ?? {})) {
      const key = `version:${String(p.version).padStart(10, "0")}`;
      held[environment] = ctx.storage.kv.get<VersionRecord>(key) as VersionRecord;
    }
    return { held, synced: obj.isSynced() };
  });

async function d1Versions(uid: string): Promise<Record<string, number>> {
  const { results } = await env.PUBLISHED.prepare(
    "SELECT environment_uid, version FROM published_assets WHERE api_key = ? AND uid = ?",
  )
    .bind(stack.apiKey, uid)
    .all<{ environment_uid: string; version: number }>();
  return Object.fromEntries(results.map((r) => [r.environment_uid, r.version]));
}

async function catalogueDetails(uid: string) {
  const res = await call(`/v3/assets/${uid}?include_publish_details=true`, {
    headers: auth(stack),
  });
  const { asset } = (await res.json()) as {
    asset: AssetJson & { publish_details: { environment: string; version: number }[] };
  };
  return asset.publish_details;
}

/** Runs the asset's alarm until its object says every copy shows its last commit. */
async function settle(uid: string) {
  await vi.waitFor(
    async () => {
      await runDurableObjectAlarm(assetStub(env, stack.apiKey, uid));
      expect((await objectState(uid)).synced).toBe(true);
    },
    { timeout: 15_000, interval: 50 },
  );
}

/** KV, D1 and the object agree on every environment's version, to the file. */
async function expectAgreement(uid: string) {
  const { held } = await objectState(uid);
  const record = await kvRecord(uid);
  const kv = Object.fromEntries(
    Object.entries(record?.published ?? {}).map(([e, v]) => [e, [v.version, v.fileUid]]),
  );
  const object = Object.fromEntries(
    Object.entries(held).map(([e, v]) => [e, [v.version, v.fileUid]]),
  );
  expect(kv).toEqual(object);
  expect(await d1Versions(uid)).toEqual(
    Object.fromEntries(Object.entries(held).map(([e, v]) => [e, v.version])),
  );
  return held;
}

describe("concurrency", () => {
  it("50 publishes racing 20 replaces and 10 unpublishes: every copy shows the last commit", async () => {
    const asset = await uploadAsset(stack, "race.txt", "v1");
    const names = ["production", "staging"];
    const requests: Promise<Response | AssetJson>[] = [];
    for (let i = 0; i < 50; i++) {
      const name = names[i % 2] as string;
      // Some publish the latest version, some a chosen older one.
      const version = i % 3 === 0 ? { version: 1 } : {};
      requests.push(
        send(`/v3/assets/${asset.uid}/publish`, { asset: { environments: [name] }, ...version }),
      );
      if (i < 20) requests.push(replaceAsset(stack, asset.uid, "race.txt", `v${i + 2}`));
      if (i < 10) {
        requests.push(
          send(`/v3/assets/${asset.uid}/unpublish`, { asset: { environments: [names[i % 2]] } }),
        );
      }
    }
    const answers = await Promise.all(requests);
    for (const answer of answers) {
      if (answer instanceof Response) {
        expect(answer.status).toBe(200);
        await answer.arrayBuffer();
      }
    }
    await settle(asset.uid);
    await expectAgreement(asset.uid);
    const details = await catalogueDetails(asset.uid);
    const { held } = await objectState(asset.uid);
    expect(Object.fromEntries(details.map((d) => [d.environment, d.version]))).toEqual(
      Object.fromEntries(Object.entries(held).map(([e, v]) => [e, v.version])),
    );
    // And a publish after the storm is what both environments serve.
    for (const name of names) {
      const res = await send(`/v3/assets/${asset.uid}/publish`, {
        asset: { environments: [name] },
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    await settle(asset.uid);
    const final = await expectAgreement(asset.uid);
    expect(Object.values(final).map((v) => v.version)).toEqual([21, 21]);
  });
});

/** Makes the asset object's KV puts fail with `error` until the returned heal() is called. */
async function failKvPuts(uid: string, error: Error) {
  let failing = true;
  await runInDurableObject(assetStub(env, stack.apiKey, uid), (obj: AssetObject) => {
    const holder = obj as unknown as { env: Env };
    const kv = holder.env.ASSET_INDEX;
    const broken = {
      get: kv.get.bind(kv),
      delete: kv.delete.bind(kv),
      put: async (key: string, value: string) => {
        if (failing) throw error;
        return kv.put(key, value);
      },
    } as unknown as KVNamespace;
    holder.env = { ...holder.env, ASSET_INDEX: broken };
  });
  return () => {
    failing = false;
  };
}

/** Makes the asset object's D1 batches fail until the returned heal() is called. */
async function failD1Batches(uid: string) {
  let failing = true;
  await runInDurableObject(assetStub(env, stack.apiKey, uid), (obj: AssetObject) => {
    const holder = obj as unknown as { env: Env };
    const db = holder.env.PUBLISHED;
    const broken = {
      prepare: db.prepare.bind(db),
      batch: async (statements: D1PreparedStatement[]) => {
        if (failing) throw new Error("D1_ERROR: injected: the database is unavailable");
        return db.batch(statements);
      },
    } as unknown as D1Database;
    holder.env = { ...holder.env, PUBLISHED: broken };
  });
  return () => {
    failing = false;
  };
}

/**
 * Makes the asset object's next D1 batch land and then throw, as a batch whose answer was lost
 * does; while it is out, `meanwhile` runs against the object (a request that commits then).
 */
async function loseNextD1Answer(uid: string, meanwhile: (obj: AssetObject) => void) {
  await runInDurableObject(assetStub(env, stack.apiKey, uid), (obj: AssetObject) => {
    const holder = obj as unknown as { env: Env };
    const db = holder.env.PUBLISHED;
    let lost = false;
    const losing = {
      prepare: db.prepare.bind(db),
      batch: async (statements: D1PreparedStatement[]) => {
        const result = await db.batch(statements);
        if (lost) return result;
        lost = true;
        meanwhile(obj);
        throw new Error("D1_ERROR: Network connection lost.");
      },
    } as unknown as D1Database;
    holder.env = { ...holder.env, PUBLISHED: losing };
  });
}

/** Past the 10 s retry of a failed write: the alarm, until every copy agrees. */
async function retryLater(uid: string) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now() + 11_000);
  try {
    await settle(uid);
  } finally {
    vi.useRealTimers();
  }
}

describe("faults", () => {
  it("a KV write failing during a publish: KV keeps the last state it took whole, the alarm catches up", async () => {
    const asset = await uploadAsset(stack, "kv-fails.txt", "v1");
    const ok = await send(`/v3/assets/${asset.uid}/publish`, {
      asset: { environments: ["production"] },
    });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    const before = await kvRecord(asset.uid);
    await replaceAsset(stack, asset.uid, "kv-fails.txt", "v2");
    const heal = await failKvPuts(asset.uid, new Error("KV PUT failed: 500 Internal Server Error"));
    const res = await send(`/v3/assets/${asset.uid}/publish`, {
      asset: { environments: ["production", "staging"] },
    });
    // The publish is committed in the asset's object, and answered as such.
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const during = await kvRecord(asset.uid);
    // Not torn: KV holds a record the object committed before (the replace's, or the first).
    expect(during?.published?.[environments.production as string]?.version).toBe(1);
    expect(during?.published?.[environments.staging as string]).toBeUndefined();
    expect(during?.published).toEqual(before?.published);
    expect((await objectState(asset.uid)).synced).toBe(false);
    heal();
    await retryLater(asset.uid);
    const held = await expectAgreement(asset.uid);
    expect(Object.values(held).map((v) => v.version)).toEqual([2, 2]);
  });

  it("a D1 batch failing during a publish is retried by the alarm until D1 agrees", async () => {
    const asset = await uploadAsset(stack, "d1-fails.txt", "v1");
    const heal = await failD1Batches(asset.uid);
    const res = await send(`/v3/assets/${asset.uid}/publish`, {
      asset: { environments: ["production"] },
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect(await d1Versions(asset.uid)).toEqual({});
    expect((await objectState(asset.uid)).synced).toBe(false);
    heal();
    await retryLater(asset.uid);
    await expectAgreement(asset.uid);
    expect((await objectState(asset.uid)).synced).toBe(true);
  });

  it("while D1 fails, a publish and an edit are answered 200, KV takes them, the alarm waits to retry", async () => {
    const asset = await uploadAsset(stack, "d1-down.txt", "v1");
    const stub = assetStub(env, stack.apiKey, asset.uid);
    const alarm = () => runInDurableObject(stub, (_, ctx) => ctx.storage.getAlarm());
    const heal = await failD1Batches(asset.uid);
    const publish = await send(`/v3/assets/${asset.uid}/publish`, {
      asset: { environments: ["production"] },
    });
    expect(publish.status).toBe(200);
    await publish.arrayBuffer();
    // The edge is not held back by D1, and the retry waits its 10 s: an alarm armed for a time
    // already past would run again at once, round after round, for as long as D1 is down.
    expect(
      (await kvRecord(asset.uid))?.published?.[environments.production as string],
    ).toMatchObject({ version: 1 });
    expect(await alarm()).toBeGreaterThan(Date.now() + 5_000);
    // A title does not change the edge record: what is staged for KV is what KV holds.
    const edit = await call(`/v3/assets/${asset.uid}`, {
      method: "PUT",
      headers: auth(stack, { "content-type": "application/json" }),
      body: JSON.stringify({ asset: { title: "Edited while D1 is down" } }),
    });
    expect(edit.status, await edit.clone().text()).toBe(200);
    await edit.arrayBuffer();
    expect(await alarm()).toBeGreaterThan(Date.now() + 5_000);
    heal();
    await retryLater(asset.uid);
    await expectAgreement(asset.uid);
    expect((await objectState(asset.uid)).synced).toBe(true);
  });

  it("a D1 batch that landed but whose answer was lost: an unpublish meanwhile still empties D1", async () => {
    const asset = await uploadAsset(stack, "d1-lost.txt", "v1");
    // The publish's rows land in D1, but the object never hears so; before it retries, the
    // asset is unpublished (a request the object takes while the batch is out).
    await loseNextD1Answer(asset.uid, (obj) => {
      void obj.publishing({
        action: "unpublish",
        environments: [environments.production as string],
        locales: ["en-us"],
        version: null,
        scheduledAt: null,
        by: stack.tokenUid,
      });
    });
    const res = await send(`/v3/assets/${asset.uid}/publish`, {
      asset: { environments: ["production"] },
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    await settle(asset.uid);
    // The object publishes nothing; D1 must not go on listing the asset as published.
    expect((await objectState(asset.uid)).held).toEqual({});
    await expectAgreement(asset.uid);
  });
});
