// GET/HEAD /v3/assets/{api_key}/{uid}/{slug} on the management host with a management token: the
// CMA's download with a permanent URL, read from the asset's Durable Object (never KV), with the
// public URLs' HTTP semantics.

import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { readModelKey } from "../src/domain/kv-records";
import { MANAGEMENT_HOST } from "./both-workers";
import {
  type AssetJson,
  auth,
  call,
  countCalls,
  createStack,
  fetchText,
  publishAsset,
  replaceAsset,
  type Stack,
  uploadAsset,
} from "./helpers";
import { assetWithVersions, createEnvironments } from "./publishing-fixtures";

const API = `https://${MANAGEMENT_HOST}`;

let stack: Stack;
let other: Stack;
let asset: AssetJson;
let path: string;

beforeAll(async () => {
  stack = await createStack("Downloads");
  other = await createStack("Someone else");
  [asset] = (
    await assetWithVersions(stack, "notes", [{ name: "notes.txt", bytes: "first version" }])
  ).versions;
  path = `/v3/assets/${stack.apiKey}/${asset.uid}/notes`;
});

const download = (p: string, headers: Record<string, string> = auth(stack), init?: RequestInit) =>
  fetchText(`${API}${p}`, { headers, ...init });

describe("the download with a permanent URL", () => {
  it("serves the latest version's bytes and validators, cached privately", async () => {
    const res = await download(path);
    expect(res.status).toBe(200);
    expect(res.text).toBe("first version");
    const versioned = await fetchText(asset.url);
    for (const h of ["etag", "last-modified", "content-type", "content-length"]) {
      expect(res.headers.get(h), h).toBe(versioned.headers.get(h));
    }
    expect(res.headers.get("cache-control")).toBe("private, no-cache");
    expect(res.headers.get("accept-ranges")).toBe("bytes");
  });

  it("is the same URL the delivery Worker serves publicly", async () => {
    expect(asset.permanent_url).toBeUndefined();
    const got = await call(`/v3/assets/${asset.uid}`, { headers: auth(stack) });
    const { permanent_url } = ((await got.json()) as { asset: AssetJson }).asset;
    expect(new URL(permanent_url ?? "").pathname).toBe(path);
  });

  it("takes the stack from the path; an api_key header must name the same stack", async () => {
    expect((await download(path, { authorization: stack.token })).status).toBe(200);
    const res = await download(path, { api_key: other.apiKey, authorization: stack.token });
    expect(res.status).toBe(412);
    expect(JSON.parse(res.text)).toMatchObject({ error_code: 109 });
  });

  it("answers HEAD with the GET's headers and no body", async () => {
    const get = await download(path);
    const head = await download(path, auth(stack), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    for (const h of ["etag", "last-modified", "content-type", "content-length", "cache-control"]) {
      expect(head.headers.get(h), h).toBe(get.headers.get(h));
    }
  });

  it("serves ranges, 304s, 412s and 416s as the public URLs do", async () => {
    const etag = (await download(path)).headers.get("etag") ?? "";
    const range = await download(path, auth(stack, { range: "bytes=6-12" }));
    expect(range.status).toBe(206);
    expect(range.text).toBe("version");
    expect(range.headers.get("content-range")).toBe("bytes 6-12/13");
    const suffix = await download(path, auth(stack, { range: "bytes=-7" }));
    expect(suffix.text).toBe("version");
    const beyond = await download(path, auth(stack, { range: "bytes=13-" }));
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe("bytes */13");
    const same = await download(path, auth(stack, { "if-none-match": etag }));
    expect(same.status).toBe(304);
    expect(same.text).toBe("");
    expect(same.headers.get("etag")).toBe(etag);
    expect(same.headers.get("cache-control")).toBe("private, no-cache");
    const failed = await download(path, auth(stack, { "if-match": '"other"' }));
    expect(failed.status).toBe(412);
    expect(JSON.parse(failed.text)).toMatchObject({ error_code: 152 });
  });

  it("names the download with ?dl", async () => {
    const named = await download(`${path}?dl=my%20notes.txt`);
    expect(named.headers.get("content-disposition")).toBe(
      `attachment; filename="my notes.txt"; filename*=UTF-8''my%20notes.txt`,
    );
    const own = await download(`${path}?dl`);
    expect(own.headers.get("content-disposition")).toContain('filename="notes.txt"');
  });

  it("ignores image parameters: the file's own bytes", async () => {
    const res = await download(`${path}?width=100&format=webp`);
    expect(res.status).toBe(200);
    expect(res.text).toBe("first version");
  });

  it("reads the asset's Durable Object, not KV, and R2 once", async () => {
    const res = await countCalls(`${API}${path}`, { headers: auth(stack) });
    expect(res.status).toBe(200);
    expect(res.counts["kv.get"] ?? 0).toBe(0);
    expect(res.counts["r2.get"]).toBe(1);
    expect(res.counts["r2.head"] ?? 0).toBe(0);
    expect(res.counts["do.idFromName"]).toBeGreaterThanOrEqual(2); // the stack's, the asset's
  });

  it("shows a replace at once, even while KV still holds the old record", async () => {
    const key = readModelKey(stack.apiKey, asset.uid);
    const before = await env.ASSET_INDEX.get(key);
    await replaceAsset(stack, asset.uid, "notes.txt", "second version");
    // KV lags in production; put the old record back to show that it is not read.
    await env.ASSET_INDEX.put(key, before ?? "");
    const res = await download(path);
    expect(res.text).toBe("second version");
    await replaceAsset(stack, asset.uid, "notes.txt", "third version");
  });

  it("sandboxes a file a browser would run as a page", async () => {
    const [page] = (
      await assetWithVersions(stack, "page", [
        { name: "page.html", bytes: "<script>alert(1)</script>", type: "text/html" },
      ])
    ).versions;
    const res = await download(`/v3/assets/${stack.apiKey}/${page.uid}/page`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toBe("sandbox");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("what it refuses", () => {
  it("answers 401 without a token, or with a wrong or another stack's token", async () => {
    const cases: Record<string, string>[] = [
      {},
      { authorization: "cs00000000000000000000000000000000" },
      { authorization: other.token },
      { api_key: stack.apiKey, authorization: other.token },
    ];
    for (const headers of cases) {
      const res = await download(path, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(JSON.parse(res.text)).toMatchObject({ error_code: 105 });
    }
  });

  it("answers 412 for a path whose api_key is no stack", async () => {
    for (const key of ["blt0000000000000000", "not-a-key"]) {
      const res = await download(`/v3/assets/${key}/${asset.uid}/notes`, {
        authorization: stack.token,
      });
      expect(res.status, key).toBe(412);
    }
  });

  it("cannot read another stack's asset with its own token", async () => {
    const theirs = `/v3/assets/${other.apiKey}/${asset.uid}/notes`;
    expect((await download(theirs, { authorization: other.token })).status).toBe(404);
  });

  it("answers 404 for a wrong slug, an asset without a permanent URL, or a bad uid", async () => {
    const plain = await uploadAsset(stack, "plain.txt", "no slug");
    for (const p of [
      `/v3/assets/${stack.apiKey}/${asset.uid}/Notes`,
      `/v3/assets/${stack.apiKey}/${asset.uid}/other`,
      `/v3/assets/${stack.apiKey}/${plain.uid}/plain`,
      `/v3/assets/${stack.apiKey}/blt0000000000000000/notes`,
      `/v3/assets/${stack.apiKey}/not-a-uid/notes`,
    ]) {
      const res = await download(p);
      expect(res.status, p).toBe(404);
      expect(JSON.parse(res.text)).toMatchObject({ error_code: 145 });
    }
  });

  it("serves the version published to an environment, and 404s where there is none", async () => {
    await createEnvironments(stack, ["production", "staging"]);
    const [doc] = (
      await assetWithVersions(stack, null, [
        {
          name: "doc.txt",
          bytes: "published",
          fields: { "asset[permanent_url]": "doc" },
          publish: { environments: ["production"] },
        },
        { name: "doc.txt", bytes: "draft" },
      ])
    ).versions;
    const p = `/v3/assets/${stack.apiKey}/${doc.uid}/doc`;
    expect((await download(`${p}?environment=production`)).text).toBe("published");
    expect((await download(p)).text).toBe("draft");
    const range = await download(
      `${p}?environment=production`,
      auth(stack, { range: "bytes=0-2" }),
    );
    expect(range.status).toBe(206);
    expect(range.text).toBe("pub");
    const nothing = await download(`${p}?environment=staging`);
    expect(nothing.status).toBe(404);
    expect(JSON.parse(nothing.text)).toMatchObject({ error_code: 145 });
    const unknown = await download(`${p}?environment=nowhere`);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toMatchObject({ error_code: 162 });
    // Strongly consistent: an unpublish shows at once.
    await publishAsset(stack, doc.uid, { environments: ["production"] }, { action: "unpublish" });
    expect((await download(`${p}?environment=production`)).status).toBe(404);
  });

  it("serves no versioned URL and takes no other method", async () => {
    const versioned = new URL(asset.url).pathname;
    expect((await download(versioned)).status).toBe(404);
    for (const method of ["POST", "PUT", "DELETE"]) {
      const res = await download(path, auth(stack), { method });
      expect(res.status, method).toBe(404);
    }
  });

  it("answers 404 once the asset is deleted", async () => {
    const gone = await uploadAsset(stack, "gone.txt", "bye", { "asset[permanent_url]": "gone" });
    const p = `/v3/assets/${stack.apiKey}/${gone.uid}/gone`;
    expect((await download(p)).status).toBe(200);
    const deleted = await call(`/v3/assets/${gone.uid}`, {
      method: "DELETE",
      headers: auth(stack),
    });
    expect(deleted.status).toBe(200);
    expect((await download(p)).status).toBe(404);
  });
});
