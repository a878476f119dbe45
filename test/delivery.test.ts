// Public delivery of both URL kinds through the worker's fetch handler.

import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type AssetJson,
  auth,
  call,
  createStack,
  fetchText,
  replaceAsset,
  type Stack,
  setPermanentUrl,
  uploadAsset,
} from "./helpers";

let stack: Stack;
let v1: AssetJson;
let v2: AssetJson;
let permanent: string;

beforeAll(async () => {
  stack = await createStack();
  v1 = await uploadAsset(stack, "report.txt", "first version");
  const res = await setPermanentUrl(stack, v1.uid, "annual-report");
  expect(res.status).toBe(200);
  permanent = ((await res.json()) as { asset: AssetJson }).asset.permanent_url as string;
});

describe("before a replace", () => {
  it("serves the version on its auto-generated URL with immutable caching", async () => {
    const res = await fetchText(v1.url);
    expect(res.status).toBe(200);
    expect(res.text).toBe("first version");
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(res.headers.get("content-length")).toBe("13");
    expect(res.headers.get("etag")).toMatch(/^"[0-9a-f]{32}"$/);
    const versions = await call(`/v3/assets/${v1.uid}/versions`, { headers: auth(stack) });
    const [version] = ((await versions.json()) as { versions: { created_at: string }[] }).versions;
    expect(res.headers.get("last-modified")).toBe(
      new Date(version?.created_at ?? "").toUTCString(),
    );
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("serves the current version on the permanent URL with short caching and a canonical link", async () => {
    const res = await fetchText(permanent);
    expect(res.status).toBe(200);
    expect(res.text).toBe("first version");
    expect(res.headers.get("cache-control")).toBe("public, max-age=60");
    expect(res.headers.get("link")).toBe(`<${v1.url}>; rel="canonical"`);
    const versioned = await fetchText(v1.url);
    for (const h of ["etag", "last-modified", "content-type", "content-length"]) {
      expect(res.headers.get(h), h).toBe(versioned.headers.get(h));
    }
  });

  it("answers HEAD with the GET headers and no body, for both URL kinds", async () => {
    for (const url of [v1.url, permanent]) {
      const get = await fetchText(url);
      const head = await fetchText(url, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.text).toBe("");
      for (const h of [
        "etag",
        "last-modified",
        "content-type",
        "content-length",
        "cache-control",
      ]) {
        expect(head.headers.get(h), `${url} ${h}`).toBe(get.headers.get(h));
      }
    }
  });
});

describe("after a replace", () => {
  beforeAll(async () => {
    v2 = await replaceAsset(stack, v1.uid, "report-2026.txt", "second version, longer");
  });

  it("serves the new bytes on the permanent URL, with the new validators", async () => {
    const res = await fetchText(permanent);
    expect(res.text).toBe("second version, longer");
    expect(res.headers.get("content-length")).toBe("22");
    expect(res.headers.get("link")).toBe(`<${v2.url}>; rel="canonical"`);
    expect(res.headers.get("etag")).toBe((await fetchText(v2.url)).headers.get("etag"));
  });

  it("keeps serving the old version on its own URL, and the new one on its URL", async () => {
    expect((await fetchText(v1.url)).text).toBe("first version");
    expect((await fetchText(v2.url)).text).toBe("second version, longer");
    expect(v2.url).toMatch(/\/report-2026\.txt$/);
  });

  it("keeps the permanent URL and counts the version", async () => {
    expect(v2.permanent_url).toBe(permanent);
    expect(v2._version).toBe(2);
  });
});

describe("not found", () => {
  it.each([
    ["a wrong filename", () => v1.url.replace(/report\.txt$/, "other.txt")],
    ["a wrong file_uid", () => v1.url.replace(/\/[0-9a-f]{24}\//, "/0123456789abcdef01234567/")],
    ["a wrong slug", () => permanent.replace(/annual-report$/, "annual-Report")],
    ["an unknown asset", () => permanent.replace(v1.uid, "blt0000000000000000")],
    ["an unknown api_key", () => permanent.replace(stack.apiKey, "blt0000000000000000")],
    ["a malformed api_key", () => permanent.replace(stack.apiKey, "not-a-key")],
    [
      "a malformed percent-encoding",
      () => `${permanent.slice(0, permanent.lastIndexOf("/"))}/%E0%A4%A`,
    ],
    ["an empty last segment", () => `${permanent.slice(0, permanent.lastIndexOf("/"))}/`],
    [
      "a dot-dot slug (resolved by the URL parser)",
      () => `${permanent.slice(0, permanent.lastIndexOf("/"))}/%2e%2e`,
    ],
    ["five segments", () => `${v1.url}/extra`],
  ])("answers 404 JSON for %s", async (_name, url) => {
    const res = await fetchText(url());
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(JSON.parse(res.text)).toEqual({
      error_message: "The requested resource was not found.",
      error_code: 404,
    });
  });

  it("answers 404 on the permanent URL of an asset that has no slug yet", async () => {
    const other = await uploadAsset(stack, "plain.txt", "no slug");
    const res = await fetchText(
      `https://assets.test/v3/assets/${stack.apiKey}/${other.uid}/anything`,
    );
    expect(res.status).toBe(404);
  });
});

describe("methods", () => {
  it.each(["POST", "PUT", "DELETE", "PATCH"])("answers %s with 405 and Allow", async (method) => {
    const res = await fetchText(permanent, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(JSON.parse(res.text).error_code).toBe(151);
  });
});

describe("content types", () => {
  it("serves uploaded HTML and SVG in a CSP sandbox with nosniff", async () => {
    const html = await uploadAsset(
      stack,
      "page.html",
      "<script>alert(1)</script>",
      {},
      "text/html",
    );
    const res = await fetchText(html.url);
    expect(res.headers.get("content-type")).toBe("text/html");
    expect(res.headers.get("content-security-policy")).toBe("sandbox");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it.each([
    ["image/svg+xml", "sandbox"],
    ["application/xhtml+xml", "sandbox"],
    ["application/rss+xml", "sandbox"],
    ["text/xsl", "sandbox"],
    ["application/ecmascript", "sandbox"],
    ["text/javascript", "sandbox"],
    ["image/png", null],
    ["application/pdf", null],
    ["text/plain", null],
  ])("serves %s with Content-Security-Policy %s", async (type, csp) => {
    const asset = await uploadAsset(stack, "doc.bin", "<x/>", {}, type);
    const res = await fetchText(asset.url);
    expect(res.headers.get("content-type")).toBe(type);
    expect(res.headers.get("content-security-policy")).toBe(csp);
  });

  it("guesses the type from the filename when the upload declares none", async () => {
    const png = await uploadAsset(
      stack,
      "pixel.png",
      "not really a png",
      {},
      "application/octet-stream",
    );
    expect(png.content_type).toBe("image/png");
    expect((await fetchText(png.url)).headers.get("content-type")).toBe("image/png");
  });
});

describe("delete", () => {
  it("makes every URL of the asset answer 404, and the management API too", async () => {
    const doomed = await uploadAsset(stack, "doomed.txt", "bye", {
      "asset[permanent_url]": "doomed",
    });
    expect(doomed.permanent_url).toMatch(/\/doomed$/);
    const doomedV2 = await replaceAsset(stack, doomed.uid, "doomed.txt", "bye again");
    const urls = [doomed.url, doomedV2.url, doomed.permanent_url as string];
    for (const url of urls) expect((await fetchText(url)).status, url).toBe(200);

    const del = await call(`/v3/assets/${doomed.uid}`, { method: "DELETE", headers: auth(stack) });
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ notice: "Asset deleted successfully." });

    for (const url of urls) {
      expect((await fetchText(url)).status, url).toBe(404);
      expect((await fetchText(url, { method: "HEAD" })).status, url).toBe(404);
    }
    const get = await call(`/v3/assets/${doomed.uid}`, { headers: auth(stack) });
    expect(get.status).toBe(404);
    await get.arrayBuffer();
    const listed = await env.FILES.list({ prefix: `${stack.apiKey}/${doomed.uid}/` });
    expect(listed.objects).toEqual([]);
    expect(await env.ASSET_INDEX.get(`asset:${stack.apiKey}/${doomed.uid}`)).toBeNull();
  });
});

it("never lets the public path reach a Durable Object (SELF is the only entry used)", async () => {
  // A sanity check that the public URL works with only KV and R2 populated: the read model
  // record alone (no call to the object) is enough to serve the permanent URL.
  const record = await env.ASSET_INDEX.get(`asset:${stack.apiKey}/${v1.uid}`, { type: "json" });
  expect(record).toMatchObject({ slug: "annual-report", fileUid: expect.any(String) });
  const res = await SELF.fetch(permanent);
  expect(res.status).toBe(200);
  await res.arrayBuffer();
});
