// How many KV, R2 and Durable Object calls each public request makes, counted on wrapped
// bindings, so a regression that adds a read (or touches a Durable Object) fails here,
// independently of timing. The hot path's budget: at most one KV read and one R2 read for the
// permanent URL, a single R2 read for the versioned URL, never a Durable Object.

import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import worker, { type BothEnv } from "./both-workers";
import {
  ADMIN_TOKEN,
  type AssetJson,
  auth,
  type Counts,
  call,
  countCalls,
  counted,
  createStack,
  type Stack,
  setPermanentUrl,
  uploadAsset,
} from "./helpers";

const etagOf = (res: { headers: Headers }) => res.headers.get("etag") as string;

let stack: Stack;
let asset: AssetJson & { permanent_url: string };
let etag: string;
const noCache = { EDGE_CACHE_MAX_BYTES: "0" };

beforeAll(async () => {
  stack = await createStack();
  const uploaded = await uploadAsset(stack, "counted.txt", "counted bytes");
  const res = await setPermanentUrl(stack, uploaded.uid, "counted");
  asset = ((await res.json()) as { asset: AssetJson & { permanent_url: string } }).asset;
  etag = (
    await countCalls(asset.url, { method: "HEAD" }).then(() =>
      env.FILES.head(new URL(asset.url).pathname.slice("/v3/assets/".length)),
    )
  )?.httpEtag as string;
});

describe("the permanent URL", () => {
  it.each([
    ["GET, edge cache off", {}, noCache, 200, { "kv.get": 1, "r2.get": 1 }],
    ["HEAD", { method: "HEAD" }, {}, 200, { "kv.get": 1 }],
    ["If-None-Match (304)", { headers: { "If-None-Match": "ETAG" } }, {}, 304, { "kv.get": 1 }],
    ["a Range", { headers: { Range: "bytes=0-3" } }, {}, 206, { "kv.get": 1, "r2.get": 1 }],
    ["redirect mode", {}, { PERMANENT_URL_MODE: "redirect" }, 302, { "kv.get": 1 }],
  ] as const)("%s: %j calls", async (_, init, vars, status, expected) => {
    const headers: Record<string, string> = "headers" in init ? { ...init.headers } : {};
    if ("If-None-Match" in headers) headers["If-None-Match"] = etag;
    const res = await countCalls(asset.permanent_url, { ...init, headers }, vars);
    expect(res.status).toBe(status);
    expect(res.counts).toEqual(expected);
  });

  it("reads R2 once to fill the edge cache, then only KV", async () => {
    const first = await countCalls(asset.permanent_url);
    // The head, in the background once the copy is stored, checks a delete did not run meanwhile.
    expect(first.counts).toEqual({ "kv.get": 1, "r2.get": 1, "r2.head": 1 });
    const second = await countCalls(asset.permanent_url);
    expect(second.status).toBe(200);
    expect(second.counts).toEqual({ "kv.get": 1 });
  });

  it("answers an unknown slug with one KV read", async () => {
    const res = await countCalls(asset.permanent_url.replace(/counted$/, "nope"));
    expect(res.status).toBe(404);
    expect(res.counts).toEqual({ "kv.get": 1 });
  });
});

describe("the versioned URL", () => {
  // Edge cache off: what a miss costs.
  it.each([
    ["GET", {}, 200, { "r2.get": 1 }],
    ["HEAD", { method: "HEAD" }, 200, { "r2.head": 1 }],
    ["If-None-Match (304)", { headers: { "If-None-Match": "ETAG" } }, 304, { "r2.head": 1 }],
    ["a Range", { headers: { Range: "bytes=0-3" } }, 206, { "r2.head": 1, "r2.get": 1 }],
    ["?dl", { dl: true }, 200, { "r2.get": 1 }],
  ] as const)("%s: %j calls, no KV", async (_, init, status, expected) => {
    const headers: Record<string, string> = "headers" in init ? { ...init.headers } : {};
    if ("If-None-Match" in headers) headers["If-None-Match"] = etag;
    const url = "dl" in init ? `${asset.url}?dl` : asset.url;
    const method = "method" in init ? init.method : "GET";
    const res = await countCalls(url, { method, headers }, noCache);
    expect(res.status).toBe(status);
    expect(res.counts).toEqual(expected);
  });

  it("reads R2 once to fill the edge cache; then HEAD, 304, 412 and ?dl read nothing", async () => {
    const uploaded = await uploadAsset(stack, "cached.txt", "cached versioned bytes");
    const first = await countCalls(uploaded.url);
    expect(first.counts).toEqual({ "r2.get": 1, "r2.head": 1 }); // the head: after the fill
    for (const [init, status] of [
      [{}, 200],
      [{ method: "HEAD" }, 200],
      [{ headers: { "If-None-Match": etagOf(first) } }, 304],
      [{ headers: { "If-Match": '"other"' } }, 412],
    ] as const) {
      const res = await countCalls(uploaded.url, init);
      expect(res.status).toBe(status);
      expect(res.counts).toEqual({});
    }
    const download = await countCalls(`${uploaded.url}?dl`);
    expect(download.counts).toEqual({});
  });

  it("keeps a large file's metadata alone, so its HEAD and 304 read nothing the second time", async () => {
    const uploaded = await uploadAsset(stack, "large.txt", "larger than ten bytes");
    const small = { EDGE_CACHE_MAX_BYTES: "10" };
    const first = await countCalls(uploaded.url, {}, small);
    expect(first.counts).toEqual({ "r2.get": 1, "r2.head": 1 });
    const head = await countCalls(uploaded.url, { method: "HEAD" }, small);
    expect(head.counts).toEqual({});
    const notModified = await countCalls(
      uploaded.url,
      { headers: { "If-None-Match": etagOf(first) } },
      small,
    );
    expect(notModified.status).toBe(304);
    expect(notModified.counts).toEqual({});
    const again = await countCalls(uploaded.url, {}, small);
    expect(again.counts).toEqual({ "r2.get": 1 }); // its bytes always come from R2
  });

  it("serves a range on a cache hit with one R2 read of those bytes", async () => {
    const uploaded = await uploadAsset(stack, "ranged.txt", "0123456789");
    await countCalls(uploaded.url);
    const res = await countCalls(uploaded.url, { headers: { Range: "bytes=2-4" } });
    expect(res.status).toBe(206);
    expect(res.counts).toEqual({ "r2.get": 1 });
  });

  it("answers a wrong file_uid with one R2 read", async () => {
    const res = await countCalls(asset.url.replace(/\/[0-9a-f]{24}\//, `/${"0".repeat(24)}/`));
    expect(res.status).toBe(404);
    expect(res.counts).toEqual({ "r2.get": 1 });
  });
});

describe("the health route", () => {
  it("answers a constant 200 without touching any binding", async () => {
    const res = await countCalls("https://assets.test/health");
    expect(res.status).toBe(200);
    expect(res.counts).toEqual({});
  });
});

describe("the isolate's read-model memo", () => {
  /** Like countCalls, but with the same KV binding object across calls, as in one isolate. */
  async function sameIsolate(kv: KVNamespace, url: string, vars: Partial<BothEnv> = {}) {
    const counts: Counts = {};
    const wrapped = { ...env, ...vars, ASSET_INDEX: kv, FILES: counted(env.FILES, "r2", counts) };
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(url), wrapped as BothEnv, ctx);
    await res.arrayBuffer();
    await waitOnExecutionContext(ctx);
    return res.status;
  }

  it("reads KV once per interval for a busy asset, hit or miss", async () => {
    const counts: Counts = {};
    const kv = counted(env.ASSET_INDEX, "kv", counts);
    for (let i = 0; i < 5; i++) expect(await sameIsolate(kv, asset.permanent_url)).toBe(200);
    const unknown = asset.permanent_url.replace(
      /blt[0-9a-f]{16}\/counted$/,
      "blt0123456789abcdef/x",
    );
    for (let i = 0; i < 5; i++) expect(await sameIsolate(kv, unknown)).toBe(404);
    expect(counts["kv.get"]).toBe(2);
  });

  it("is off with READ_MODEL_MEMO_SECONDS=0", async () => {
    const counts: Counts = {};
    const kv = counted(env.ASSET_INDEX, "kv", counts);
    for (let i = 0; i < 3; i++)
      await sameIsolate(kv, asset.permanent_url, { READ_MODEL_MEMO_SECONDS: "0" });
    expect(counts["kv.get"]).toBe(3);
  });
});

describe("GET /v3/admin/metrics", () => {
  const metrics = async () => {
    const res = await SELF.fetch("https://assets.test/v3/admin/metrics", {
      headers: { authorization: ADMIN_TOKEN },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { durable_object_stubs: number }).durable_object_stubs;
  };

  it("counts Durable Object stubs: public reads add none, a management read adds some", async () => {
    const before = await metrics();
    for (const url of [asset.url, asset.permanent_url, `${asset.permanent_url}x`]) {
      await (await SELF.fetch(url)).arrayBuffer();
    }
    expect(await metrics()).toBe(before);
    await (await call("/v3/assets", { headers: auth(stack) })).arrayBuffer();
    expect(await metrics()).toBeGreaterThan(before);
  });

  it("needs the admin token", async () => {
    const res = await SELF.fetch("https://assets.test/v3/admin/metrics");
    expect(res.status).toBe(401);
  });
});
