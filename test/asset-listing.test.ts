// GET /v3/assets as the CMA lists assets: the `query` filter, asc/desc, skip/limit, folders
// (folder=, include_folders=true), count=true and relative_urls=true, over a small stack.

import { beforeAll, describe, expect, it } from "vitest";
import type { FolderJson } from "../src/http/response-schemas";
import { type AssetJson, auth, call, createStack, type Stack, uploadAsset } from "./helpers";

type Item = AssetJson | FolderJson;

let stack: Stack;
let folder: FolderJson;
let subfolder: FolderJson;
let alpha: AssetJson;
let beta: AssetJson;
let gamma: AssetJson;

async function createFolder(name: string, parent?: string) {
  const res = await call("/v3/assets/folders", {
    method: "POST",
    headers: auth(stack, { "content-type": "application/json" }),
    body: JSON.stringify({ asset: { name, ...(parent ? { parent_uid: parent } : {}) } }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { asset: FolderJson }).asset;
}

async function list(query: Record<string, string | object>) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    params.set(k, typeof v === "string" ? v : JSON.stringify(v));
  }
  const res = await call(`/v3/assets?${params}`, { headers: auth(stack) });
  const body = (await res.json()) as {
    assets: Item[];
    count: number;
    error_message?: string;
    errors?: Record<string, string[]>;
  };
  return { status: res.status, body };
}

const uids = async (query: Record<string, string | object>) => {
  const { status, body } = await list(query);
  expect(status, JSON.stringify(body)).toBe(200);
  return body.assets.map((a) => a.uid);
};

const sortKey = (item: Item, field: string): string | number => {
  if (field === "file_size") return "file_size" in item ? Number(item.file_size) : -1;
  if (field === "title") return "title" in item ? item.title : item.name;
  return item[field as "created_at" | "updated_at"];
};

/** The order the service must give: by the field, then by uid, in one direction. */
function expectedOrder(items: Item[], field: string, direction: "asc" | "desc") {
  const sign = direction === "asc" ? 1 : -1;
  return [...items]
    .sort((a, b) => {
      const [x, y] = [sortKey(a, field), sortKey(b, field)];
      if (x !== y) return (x < y ? -1 : 1) * sign;
      return (a.uid < b.uid ? -1 : 1) * sign;
    })
    .map((i) => i.uid);
}

beforeAll(async () => {
  stack = await createStack("Listing");
  folder = await createFolder("Images");
  subfolder = await createFolder("Old images", folder.uid);
  alpha = await uploadAsset(
    stack,
    "Alpha.png",
    "12345",
    { "asset[tags]": "home, hero", "asset[parent_uid]": folder.uid },
    "image/png",
  );
  beta = await uploadAsset(stack, "beta.txt", "b".repeat(50), {
    "asset[title]": "beta",
    "asset[tags]": "home",
  });
  gamma = await uploadAsset(stack, "Gamma.txt", "g".repeat(500), {
    "asset[parent_uid]": subfolder.uid,
  });
});

describe("the query filter", () => {
  it.each([
    ["title equality", { title: "beta" }, () => [beta]],
    ["filename equality", { filename: "Gamma.txt" }, () => [gamma]],
    ["content_type equality", { content_type: "image/png" }, () => [alpha]],
    ["parent_uid of a folder", () => ({ parent_uid: folder.uid }), () => [alpha]],
    ["parent_uid null (the root)", { parent_uid: null }, () => [beta]],
    ["one tag", { tags: "hero" }, () => [alpha]],
    ["tags $in", { tags: { $in: ["hero", "home"] } }, () => [alpha, beta]],
    ["tags $all", { tags: { $all: ["hero", "home"] } }, () => [alpha]],
    ["file_size $gt", { file_size: { $gt: 5 } }, () => [beta, gamma]],
    ["file_size range", { file_size: { $gte: "50", $lt: 500 } }, () => [beta]],
    ["$regex", { filename: { $regex: "\\.txt$" } }, () => [beta, gamma]],
    ["$regex with $options i", { title: { $regex: "^a", $options: "i" } }, () => [alpha]],
    ["$regex, case-sensitive", { title: { $regex: "^a" } }, () => []],
    ["$regex on content_type", { content_type: { $regex: "image" } }, () => [alpha]],
    [
      "$regex on content_type, anchored",
      { content_type: { $regex: "^text/" } },
      () => [beta, gamma],
    ],
    ["two fields", { tags: "home", content_type: "text/plain" }, () => [beta]],
  ])("filters by %s", async (_name, query, expected) => {
    const q = typeof query === "function" ? query() : query;
    const found = await uids({ query: q });
    expect(found.sort()).toEqual(
      expected()
        .map((a) => a.uid)
        .sort(),
    );
    expect((await list({ query: q })).body.count).toBe(expected().length);
  });

  it("filters by created_at against the assets' own dates", async () => {
    const all = [alpha, beta, gamma];
    const since = beta.created_at;
    const expected = all.filter((a) => a.created_at >= since).map((a) => a.uid);
    expect((await uids({ query: { created_at: { $gte: since } } })).sort()).toEqual(
      expected.sort(),
    );
    expect(await uids({ query: { created_at: { $lt: "2000-01-01" } } })).toEqual([]);
    expect((await uids({ query: { updated_at: { $gt: "2000-01-01T00:00:00Z" } } })).length).toBe(3);
  });

  it.each([
    [{ $where: "sleep(1000)" }, "$where is not a supported operator"],
    [{ title: { $ne: "x" } }, "$ne is not a supported operator on title"],
    [{ secret: 1 }, "secret is not a field a query can filter on"],
  ])("refuses %j with a 422 that names it", async (query, reason) => {
    const { status, body } = await list({ query });
    expect(status).toBe(422);
    expect(body.errors?.query?.[0]).toContain(reason);
  });

  it("refuses a query that is not JSON", async () => {
    const res = await call("/v3/assets?query=%7Btitle", { headers: auth(stack) });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ errors: { query: ["must be a JSON object"] } });
  });
});

describe("order and pages", () => {
  it.each(["created_at", "updated_at", "title", "file_size"])(
    "sorts by %s both ways",
    async (field) => {
      const items = (await list({ include_folders: "true" })).body.assets;
      for (const direction of ["asc", "desc"] as const) {
        expect(await uids({ [direction]: field, include_folders: "true" })).toEqual(
          expectedOrder(items, field, direction),
        );
      }
    },
  );

  it("is newest first by default", async () => {
    const items = (await list({})).body.assets;
    expect(items.map((i) => i.uid)).toEqual(expectedOrder(items, "created_at", "desc"));
  });

  it("pages through everything with skip and limit, without overlap", async () => {
    const whole = await uids({ asc: "title", include_folders: "true" });
    const pages: string[] = [];
    for (let skip = 0; skip < whole.length; skip += 2) {
      const { body } = await list({
        asc: "title",
        include_folders: "true",
        skip: String(skip),
        limit: "2",
        include_count: "true",
      });
      expect(body.count).toBe(5);
      pages.push(...body.assets.map((a) => a.uid));
    }
    expect(pages).toEqual(whole);
  });

  it("refuses asc and desc together, and an unknown sort field", async () => {
    expect((await list({ asc: "title", desc: "title" })).status).toBe(422);
    const { status, body } = await list({ asc: "sha256" });
    expect(status).toBe(422);
    expect(body.errors).toHaveProperty("asc");
  });
});

describe("folders in the listing", () => {
  it("lists folders only with include_folders=true, as is_dir items", async () => {
    const without = await list({});
    expect(without.body.count).toBe(3);
    expect(without.body.assets.every((a) => a.is_dir === false)).toBe(true);
    const withFolders = await list({ include_folders: "true" });
    expect(withFolders.body.count).toBe(5);
    const folders = withFolders.body.assets.filter((a) => a.is_dir);
    expect(folders.map((f) => f.uid).sort()).toEqual([folder.uid, subfolder.uid].sort());
    expect(folders.find((f) => f.uid === subfolder.uid)).toEqual(subfolder);
  });

  it("lists what is directly in one folder, or at the root with cs_root", async () => {
    expect(await uids({ folder: folder.uid })).toEqual([alpha.uid]);
    expect((await uids({ folder: folder.uid, include_folders: "true" })).sort()).toEqual(
      [alpha.uid, subfolder.uid].sort(),
    );
    expect(await uids({ folder: subfolder.uid })).toEqual([gamma.uid]);
    expect(await uids({ folder: "cs_root" })).toEqual([beta.uid]);
    expect((await uids({ folder: "cs_root", include_folders: "true" })).sort()).toEqual(
      [beta.uid, folder.uid].sort(),
    );
  });

  it("refuses a folder the stack does not have", async () => {
    for (const value of ["blt0000000000000000", alpha.uid, "../x"]) {
      const { status, body } = await list({ folder: value });
      expect(status).toBe(422);
      expect(body.errors).toEqual({ folder: ["is not a folder of this stack"] });
    }
  });
});

describe("count=true and relative_urls=true", () => {
  it("answers only how many match with count=true", async () => {
    const res = await call(
      `/v3/assets?count=true&query=${encodeURIComponent('{"tags": "home"}')}`,
      { headers: auth(stack) },
    );
    expect(await res.json()).toEqual({ assets: 2 });
  });

  it("gives paths without the origin with relative_urls=true", async () => {
    const { body } = await list({ relative_urls: "true", query: { title: "beta" } });
    const [asset] = body.assets as AssetJson[];
    expect(asset?.url).toBe(new URL(beta.url).pathname);
    const one = await call(`/v3/assets/${beta.uid}?relative_urls=true`, { headers: auth(stack) });
    expect(((await one.json()) as { asset: AssetJson }).asset.url).toBe(new URL(beta.url).pathname);
  });
});

describe("the listing follows changes", () => {
  it("finds an asset by a tag given after upload, and no longer after delete", async () => {
    const asset = await uploadAsset(stack, "later.txt", "later");
    expect(await uids({ query: { tags: "later-tag" } })).toEqual([]);
    const put = await call(`/v3/assets/${asset.uid}`, {
      method: "PUT",
      headers: auth(stack, { "content-type": "application/json" }),
      body: JSON.stringify({ asset: { tags: ["later-tag"] } }),
    });
    expect(put.status).toBe(200);
    expect(await uids({ query: { tags: "later-tag" } })).toEqual([asset.uid]);
    await call(`/v3/assets/${asset.uid}`, { method: "DELETE", headers: auth(stack) });
    expect(await uids({ query: { tags: "later-tag" } })).toEqual([]);
  });
});
