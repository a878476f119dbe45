// Publishing an asset (routes/publishing.ts, objects/asset-publishing.ts): publish and unpublish
// per environment and version, publish_details, what reaches KV (the edge record's `published`),
// the stack's catalogue and the published catalogue in D1, retries that change nothing, and the
// refusals, each leaving the asset as it was.

import { env, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { type ReadModel, readModelKey } from "../src/domain/kv-records";
import { publishDetailSchema, publishedSchema } from "../src/http/publish-response-schemas";
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
let production: string;
let staging: string;

const send = (of: Stack, method: string, path: string, body?: unknown) =>
  call(path, {
    method,
    headers: auth(of, { "content-type": "application/json" }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

beforeAll(async () => {
  stack = await createStack("Publishing");
  production = await createEnvironment(stack, "production");
  staging = await createEnvironment(stack, "staging");
});

const publish = (uid: string, body: unknown, action = "publish") =>
  send(stack, "POST", `/v3/assets/${uid}/${action}`, body);

async function published(uid: string, body: unknown, action = "publish") {
  const res = await publish(uid, body, action);
  expect(res.status, await res.clone().text()).toBe(200);
  return publishedSchema.parse(await res.json());
}

const kvRecord = async (uid: string) =>
  (await env.ASSET_INDEX.get<ReadModel>(readModelKey(stack.apiKey, uid), "json")) ?? null;

async function details(uid: string) {
  const res = await call(`/v3/assets/${uid}?include_publish_details=true`, {
    headers: auth(stack),
  });
  expect(res.status).toBe(200);
  const { asset } = (await res.json()) as { asset: AssetJson & { publish_details: unknown[] } };
  return asset.publish_details.map((d) => publishDetailSchema.parse(d));
}

async function d1Rows(uid: string) {
  const { results } = await env.PUBLISHED.prepare(
    `SELECT environment_uid, version, title, locales FROM published_assets
     WHERE api_key = ? AND uid = ? ORDER BY environment_uid`,
  )
    .bind(stack.apiKey, uid)
    .all<{ environment_uid: string; version: number; title: string; locales: string }>();
  return results.map((r) => ({ ...r, locales: JSON.parse(r.locales) as string[] }));
}

const revision = (uid: string) =>
  runInDurableObject(assetStub(env, stack.apiKey, uid), (obj: AssetObject, ctx) => ({
    revision: (ctx.storage.kv.get("asset") as { revision: number }).revision,
    synced: obj.isSynced(),
  }));

describe("publishing an asset", () => {
  it("publishes the latest version to an environment: KV, publish_details and D1 show it", async () => {
    const asset = await uploadAsset(stack, "boy.txt", "version one", { "asset[title]": "Boy" });
    const answer = await published(asset.uid, {
      asset: { environments: ["production"], locales: ["en-us"] },
    });
    expect(answer).toEqual({ notice: "Asset sent for publishing." });
    const record = await kvRecord(asset.uid);
    // No permanent URL yet: the record exists for the publication alone.
    expect(record?.slug).toBeNull();
    expect(record?.published?.[production]).toMatchObject({ version: 1, filename: "boy.txt" });
    expect(await details(asset.uid)).toEqual([
      {
        environment: production,
        locale: "en-us",
        version: 1,
        time: expect.any(String),
        user: stack.tokenUid,
      },
    ]);
    expect(await d1Rows(asset.uid)).toEqual([
      { environment_uid: production, version: 1, title: "Boy", locales: ["en-us"] },
    ]);
    expect((await revision(asset.uid)).synced).toBe(true);
  });

  it("keeps production on its version when the file is replaced, until it is published", async () => {
    const asset = await uploadAsset(stack, "logo.txt", "v1");
    await published(asset.uid, { asset: { environments: ["production"] } });
    await replaceAsset(stack, asset.uid, "logo.txt", "v2");
    let record = await kvRecord(asset.uid);
    expect(record?.published?.[production]?.version).toBe(1);
    expect(record?.published?.[production]?.fileUid).not.toBe(record?.fileUid);
    await published(asset.uid, { asset: { environments: ["production"] } });
    record = await kvRecord(asset.uid);
    expect(record?.published?.[production]?.version).toBe(2);
    expect(record?.published?.[production]?.fileUid).toBe(record?.fileUid);
  });

  it("publishes a chosen version: staging and production hold different ones", async () => {
    const asset = await uploadAsset(stack, "doc.txt", "one");
    await replaceAsset(stack, asset.uid, "doc.txt", "two");
    await replaceAsset(stack, asset.uid, "doc.txt", "three");
    await published(asset.uid, { asset: { environments: ["staging"] }, version: 1 });
    await published(asset.uid, { asset: { environments: ["production"] }, version: "2" });
    const record = await kvRecord(asset.uid);
    expect(record?.published?.[staging]?.version).toBe(1);
    expect(record?.published?.[production]?.version).toBe(2);
    const rows = await d1Rows(asset.uid);
    expect(rows.map((r) => [r.environment_uid, r.version]).sort()).toEqual(
      [
        [production, 2],
        [staging, 1],
      ].sort(),
    );
  });

  it("shows the fields as they were when published, until published again", async () => {
    const asset = await uploadAsset(stack, "title.txt", "t", { "asset[title]": "Before" });
    await published(asset.uid, { asset: { environments: ["production"] } });
    await send(stack, "PUT", `/v3/assets/${asset.uid}`, { asset: { title: "After" } });
    expect((await d1Rows(asset.uid))[0]?.title).toBe("Before");
    await published(asset.uid, { asset: { environments: ["production"] } });
    expect((await d1Rows(asset.uid))[0]?.title).toBe("After");
  });

  it("adds locales, and unpublishes them one by one until nothing is left", async () => {
    const asset = await uploadAsset(stack, "loc.txt", "l");
    await published(asset.uid, { asset: { environments: ["production"], locales: ["en-us"] } });
    await published(asset.uid, { asset: { environments: ["production"], locales: ["fr-fr"] } });
    expect((await details(asset.uid)).map((d) => d.locale)).toEqual(["en-us", "fr-fr"]);
    const answer = await published(
      asset.uid,
      { asset: { environments: ["production"], locales: ["en-us"] } },
      "unpublish",
    );
    expect(answer).toEqual({ notice: "Asset sent for unpublishing." });
    expect((await details(asset.uid)).map((d) => d.locale)).toEqual(["fr-fr"]);
    expect((await d1Rows(asset.uid))[0]?.locales).toEqual(["fr-fr"]);
    await published(
      asset.uid,
      { asset: { environments: ["production"], locales: ["fr-fr"] } },
      "unpublish",
    );
    expect(await details(asset.uid)).toEqual([]);
    expect(await d1Rows(asset.uid)).toEqual([]);
    // Published nowhere and no permanent URL: the edge needs no record.
    expect(await kvRecord(asset.uid)).toBeNull();
  });

  it("answers a retry exactly as the first time and changes nothing", async () => {
    const asset = await uploadAsset(stack, "retry.txt", "r");
    const body = { asset: { environments: ["production", "staging"], locales: ["en-us"] } };
    const first = await published(asset.uid, body);
    const before = await revision(asset.uid);
    const again = await published(asset.uid, body);
    expect(again).toEqual(first);
    expect(await revision(asset.uid)).toEqual(before);
    // Unpublishing what is not published is harmless too.
    const unpublish = { asset: { environments: ["production"], locales: ["de-de"] } };
    await published(asset.uid, unpublish, "unpublish");
    expect(await revision(asset.uid)).toEqual(before);
  });

  it("unpublishes only the version named, when one is", async () => {
    const asset = await uploadAsset(stack, "only.txt", "1");
    await replaceAsset(stack, asset.uid, "only.txt", "2");
    await published(asset.uid, { asset: { environments: ["production"] } });
    const body = { asset: { environments: ["production"] }, version: 1 };
    await published(asset.uid, body, "unpublish");
    expect((await kvRecord(asset.uid))?.published?.[production]?.version).toBe(2);
  });

  it("takes the SDK's body: `locale` beside the asset's locales", async () => {
    const asset = await uploadAsset(stack, "sdk.txt", "s");
    await published(asset.uid, {
      asset: { environments: ["production"], locales: ["en-us"] },
      locale: "hi-in",
    });
    expect((await details(asset.uid)).map((d) => d.locale)).toEqual(["en-us", "hi-in"]);
  });
});

describe("refused publishing requests", () => {
  let asset: AssetJson;
  beforeAll(async () => {
    asset = await uploadAsset(stack, "refused.txt", "x");
  });

  it.each([
    [{ asset: { environments: ["nowhere"] } }, "environments"],
    [{ asset: { environments: ["production"] }, version: 99 }, "version"],
    [{ asset: { environments: ["production"] }, version: 0 }, "version"],
    [{ asset: { environments: ["production"] }, version: -1 }, "version"],
    [{ asset: { environments: ["production"] }, version: 1.5 }, "version"],
    [
      { asset: { environments: ["production"] }, scheduled_at: "2001-01-01T00:00:00Z" },
      "scheduled_at",
    ],
    [{ asset: { environments: ["production"] }, scheduled_at: "soon" }, "scheduled_at"],
    [{ asset: { environments: ["production"], locales: ["EN_US"] } }, "locales"],
    [{ asset: { environments: ["production"], locales: [] } }, "locales"],
    [{ asset: { environments: [] } }, "environments"],
    [{ asset: { environments: ["production"] }, extra: 1 }, "extra"],
  ])("%j is a 422 naming %s, and changes nothing", async (body, field) => {
    const before = await revision(asset.uid);
    for (const action of ["publish", "unpublish"]) {
      const res = await publish(asset.uid, body, action);
      expect(res.status).toBe(422);
      const error = (await res.json()) as { errors: Record<string, string[]> };
      expect(Object.keys(error.errors)).toContain(field);
    }
    expect(await revision(asset.uid)).toEqual(before);
    expect(await kvRecord(asset.uid)).toBeNull();
  });

  it("is a 404 for an asset that does not exist, or another stack's", async () => {
    const other = await createStack("Other");
    await createEnvironment(other, "production");
    const res = await send(other, "POST", `/v3/assets/${asset.uid}/publish`, {
      asset: { environments: ["production"] },
    });
    expect(res.status).toBe(404);
    await res.body?.cancel();
    const missing = await publish("blt0123456789abcdef", {
      asset: { environments: ["production"] },
    });
    expect(missing.status).toBe(404);
    await missing.body?.cancel();
  });

  it("names another stack's environment as unknown", async () => {
    const other = await createStack("Other envs");
    await createEnvironment(other, "elsewhere");
    const res = await publish(asset.uid, { asset: { environments: ["elsewhere"] } });
    expect(res.status).toBe(422);
    await res.body?.cancel();
  });
});
