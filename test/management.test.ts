// Shapes, status codes and error bodies of the asset management API.

import { beforeAll, describe, expect, it } from "vitest";
import {
  type AssetJson,
  auth,
  call,
  createStack,
  fetchText,
  replaceAsset,
  type Stack,
  uploadAsset,
} from "./helpers";

let stack: Stack;

beforeAll(async () => {
  stack = await createStack();
});

const json = (body: string) => ({
  method: "PUT",
  headers: auth(stack, { "content-type": "application/json" }),
  body,
});

describe("asset JSON", () => {
  it("has exactly the CMA fields, with file_size as a string", async () => {
    const asset = await uploadAsset(stack, "shape.txt", "shape", {
      "asset[description]": "A shape",
    });
    expect(Object.keys(asset).sort()).toEqual(
      [
        "_version",
        "content_type",
        "created_at",
        "created_by",
        "description",
        "file_size",
        "filename",
        "is_dir",
        "parent_uid",
        "sha256",
        "tags",
        "title",
        "uid",
        "updated_at",
        "updated_by",
        "url",
      ].sort(),
    );
    expect(asset).toMatchObject({
      tags: [],
      parent_uid: null,
      is_dir: false,
      created_by: stack.tokenUid,
      updated_by: stack.tokenUid,
    });
    expect(asset.uid).toMatch(/^blt[0-9a-f]{16}$/);
    expect(asset.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(asset.description).toBe("A shape");
    expect(asset.title).toBe("shape.txt");
    expect(new Date(asset.created_at).toISOString()).toBe(asset.created_at);
    const get = await call(`/v3/assets/${asset.uid}`, { headers: auth(stack) });
    expect(await get.json()).toEqual({ asset });
  });
});

describe("GET /v3/assets/{uid}", () => {
  it.each([
    ["an unknown uid", "blt0000000000000000"],
    ["a malformed uid", "not-a-uid"],
  ])("answers 404 with error_code 145 for %s", async (_name, uid) => {
    const res = await call(`/v3/assets/${uid}`, { headers: auth(stack) });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error_message: "Asset was not found.", error_code: 145 });
  });
});

describe("GET /v3/assets (list)", () => {
  it("lists newest first with skip and limit, and counts all", async () => {
    const own = await createStack("Lister");
    const made: AssetJson[] = [];
    for (const name of ["a.txt", "b.txt", "c.txt", "d.txt"])
      made.push(await uploadAsset(own, name, name));
    const page = async (query: string) => {
      const res = await call(`/v3/assets${query}`, { headers: auth(own) });
      expect(res.status).toBe(200);
      return (await res.json()) as { assets: AssetJson[]; count: number };
    };
    const all = await page("");
    expect(all.count).toBe(4);
    expect(all.assets.map((a) => a.filename)).toEqual(["d.txt", "c.txt", "b.txt", "a.txt"]);
    const second = await page("?skip=1&limit=2&include_count=true");
    expect(second.assets.map((a) => a.filename)).toEqual(["c.txt", "b.txt"]);
    expect(second.count).toBe(4);
    expect((await page("?skip=10")).assets).toEqual([]);

    // A replace shows the new version in the list; a delete removes the asset from it.
    await replaceAsset(own, made[0]?.uid as string, "a2.txt", "a2");
    await call(`/v3/assets/${made[1]?.uid}`, { method: "DELETE", headers: auth(own) }).then((r) =>
      r.arrayBuffer(),
    );
    const after = await page("");
    expect(after.count).toBe(3);
    expect(after.assets.map((a) => `${a.filename}@${a._version}`)).toEqual([
      "d.txt@1",
      "c.txt@1",
      "a2.txt@2",
    ]);
  });

  it("searches titles and current filenames, in any ASCII case, with wildcards taken literally", async () => {
    const own = await createStack("Searcher");
    await uploadAsset(own, "Hero-Banner.png", "x", { "asset[title]": "Homepage hero" });
    await uploadAsset(own, "team.jpg", "x", { "asset[title]": "Our TEAM" });
    const odd = await uploadAsset(own, "100%_real.txt", "x", { "asset[title]": "Odd" });
    await uploadAsset(own, "1000-real.txt", "x", { "asset[title]": "Plain" });
    const titles = async (search: string, extra = "") => {
      const res = await call(`/v3/assets?search=${encodeURIComponent(search)}${extra}`, {
        headers: auth(own),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { assets: AssetJson[]; count: number };
      return { titles: body.assets.map((a) => a.title), count: body.count };
    };
    expect(await titles("banner")).toEqual({ titles: ["Homepage hero"], count: 1 });
    expect(await titles("team")).toEqual({ titles: ["Our TEAM"], count: 1 });
    expect(await titles("0%_")).toEqual({ titles: ["Odd"], count: 1 });
    expect(await titles("_")).toEqual({ titles: ["Odd"], count: 1 });
    expect(await titles("real", "&limit=1")).toEqual({ titles: ["Plain"], count: 2 });
    expect(await titles("  ")).toMatchObject({ count: 4 });
    expect(await titles("nothing-like-it")).toEqual({ titles: [], count: 0 });
    // The current filename counts, not an old one.
    await replaceAsset(own, odd.uid, "renamed.txt", "y");
    expect(await titles("100%")).toEqual({ titles: [], count: 0 });
    expect(await titles("renamed")).toEqual({ titles: ["Odd"], count: 1 });
  });

  it.each([
    "?limit=0",
    "?limit=101",
    "?limit=abc",
    "?skip=-1",
    "?skip=1.5",
    "?skip=99999999999",
    `?search=${"x".repeat(256)}`,
  ])("answers 422 for %s", async (query) => {
    const res = await call(`/v3/assets${query}`, { headers: auth(stack) });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error_code: number }).error_code).toBe(141);
  });
});

describe("GET /v3/assets/{uid}/versions", () => {
  it("lists every version newest first, each with its own URL", async () => {
    const asset = await uploadAsset(stack, "v.txt", "one");
    const v2 = await replaceAsset(stack, asset.uid, "v.txt", "two!");
    const v3 = await replaceAsset(stack, asset.uid, "v-final.txt", "three");
    const res = await call(`/v3/assets/${asset.uid}/versions`, { headers: auth(stack) });
    const { versions } = (await res.json()) as { versions: Record<string, unknown>[] };
    expect(versions.map((v) => v._version)).toEqual([3, 2, 1]);
    expect(versions.map((v) => v.url)).toEqual([v3.url, v2.url, asset.url]);
    expect(versions[2]).toMatchObject({
      filename: "v.txt",
      content_type: "text/plain",
      file_size: "3",
    });
    expect(Object.keys(versions[0] ?? {}).sort()).toEqual(
      [
        "_version",
        "content_type",
        "created_at",
        "file_size",
        "file_uid",
        "filename",
        "sha256",
        "url",
      ].sort(),
    );
  });

  it("answers 404 for an unknown asset", async () => {
    const res = await call("/v3/assets/blt0000000000000000/versions", { headers: auth(stack) });
    expect(res.status).toBe(404);
    await res.arrayBuffer();
  });
});

describe("PUT /v3/assets/{uid} with ?filename=", () => {
  it("takes the body as the file's bytes even when they are JSON sent as application/json", async () => {
    const own = await createStack("Raw JSON file");
    const asset = await uploadAsset(own, "config.json", "{}", {}, "application/json");
    const bytes = '{"asset": {"permanent_url": "surprise"}}';
    const res = await call(`/v3/assets/${asset.uid}?filename=config.json`, {
      method: "PUT",
      headers: auth(own, { "content-type": "application/json" }),
      body: bytes,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { notice: string; asset: AssetJson };
    expect(body.notice).toBe("Asset updated successfully.");
    expect(body.asset._version).toBe(2);
    expect(body.asset.content_type).toBe("application/json");
    expect(body.asset.permanent_url).toBeUndefined();
    expect((await fetchText(body.asset.url)).text).toBe(bytes);
  });
});

describe("PUT /v3/assets/{uid} with JSON", () => {
  let asset: AssetJson;
  beforeAll(async () => {
    asset = await uploadAsset(stack, "json.txt", "json");
  });

  it.each([
    ["a body that is not JSON", "{not json", 400, 148],
    ["no asset object", "{}", 422, 141],
    ["an unknown field", '{"asset":{"permanent_url":"x","colour":"red"}}', 422, 141],
    ["an unknown top-level field", '{"asset":{"title":"x"},"extra":1}', 422, 141],
    ["a non-string title", '{"asset":{"title":5}}', 422, 141],
    ["an empty title", '{"asset":{"title":"   "}}', 422, 141],
    ["nothing to update", '{"asset":{}}', 422, 141],
    ["an array", "[]", 422, 141],
  ])("answers %s with the right error and changes nothing", async (_name, body, status, code) => {
    const res = await call(`/v3/assets/${asset.uid}`, json(body));
    expect(res.status).toBe(status);
    const error = (await res.json()) as { error_code: number; error_message: string };
    expect(error.error_code).toBe(code);
    expect(error.error_message).not.toMatch(/at |\.ts|stack/i);
    const get = await call(`/v3/assets/${asset.uid}`, { headers: auth(stack) });
    expect(((await get.json()) as { asset: AssetJson }).asset).toEqual(asset);
  });

  it("answers 400 for a JSON body that is not valid UTF-8", async () => {
    const res = await call(`/v3/assets/${asset.uid}`, {
      method: "PUT",
      headers: auth(stack, { "content-type": "application/json" }),
      body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), // {"\xff\xfe":1}
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_code: number }).error_code).toBe(148);
  });

  it("answers 413 for a JSON body over 64 KiB", async () => {
    const res = await call(
      `/v3/assets/${asset.uid}`,
      json(JSON.stringify({ asset: { description: "x".repeat(70_000) } })),
    );
    expect(res.status).toBe(413);
    await res.arrayBuffer();
  });

  it("answers 415 for a Content-Type it does not take", async () => {
    const res = await call(`/v3/assets/${asset.uid}`, {
      method: "PUT",
      headers: auth(stack, { "content-type": "text/xml" }),
      body: "<asset/>",
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error_code: number }).error_code).toBe(150);
  });

  it("answers 404 for an unknown asset before reading any upload", async () => {
    const res = await call("/v3/assets/blt0000000000000000?filename=x.txt", {
      method: "PUT",
      headers: auth(stack, { "content-type": "text/plain" }),
      body: "x",
    });
    expect(res.status).toBe(404);
    await res.arrayBuffer();
  });
});

describe("DELETE /v3/assets/{uid}", () => {
  it("deletes once, then answers 404, and a deleted asset cannot be updated", async () => {
    const asset = await uploadAsset(stack, "gone.txt", "gone");
    const first = await call(`/v3/assets/${asset.uid}`, { method: "DELETE", headers: auth(stack) });
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    const second = await call(`/v3/assets/${asset.uid}`, {
      method: "DELETE",
      headers: auth(stack),
    });
    expect(second.status).toBe(404);
    await second.arrayBuffer();
    const update = await call(
      `/v3/assets/${asset.uid}`,
      json('{"asset":{"permanent_url":"late"}}'),
    );
    expect(update.status).toBe(404);
    await update.arrayBuffer();
  });
});

describe("unknown routes", () => {
  it.each([
    ["POST", "/"],
    ["GET", "/v3"],
    ["GET", "/v3/unknown"],
    ["POST", "/v3/assets/blt0000000000000000/versions"],
  ])("answers %s %s with a 404 JSON error", async (method, path) => {
    const res = await call(path, { method, headers: auth(stack) });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error_code: number }).error_code).toBe(404);
  });
});
