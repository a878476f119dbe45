// Delivery behaviour that depends on configuration or on the runtime around the worker: the edge
// cache, redirect mode, a CORS allow-list, and R2 failing underneath. These call the worker's
// fetch handler directly, so each test can pass its own env and wait for its background work.

import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type AssetJson,
  auth,
  call,
  createStack,
  replaceAsset,
  runWorker,
  type Stack,
  setPermanentUrl,
  uploadAsset,
} from "./helpers";

const run = runWorker;

let stack: Stack;
beforeAll(async () => {
  stack = await createStack();
});

async function assetWithSlug(name: string, bytes: string, slug: string) {
  const asset = await uploadAsset(stack, name, bytes);
  const res = await setPermanentUrl(stack, asset.uid, slug);
  expect(res.status).toBe(200);
  return ((await res.json()) as { asset: AssetJson }).asset as AssetJson & {
    permanent_url: string;
  };
}

const objectKey = (versionedUrl: string) =>
  decodeURIComponent(new URL(versionedUrl).pathname.slice("/v3/assets/".length));

describe("edge cache", () => {
  it("serves the permanent URL's bytes from the cache, keyed by the versioned URL", async () => {
    const asset = await assetWithSlug("cached.txt", "cached bytes", "cached");
    expect((await run(asset.permanent_url)).text).toBe("cached bytes");
    expect(await caches.default.match(asset.url)).toBeDefined();
    // With the R2 object gone, only the cache can still answer the permanent URL...
    await env.FILES.delete(objectKey(asset.url));
    const again = await run(asset.permanent_url);
    expect(again.status).toBe(200);
    expect(again.text).toBe("cached bytes");
    expect(again.headers.get("content-length")).toBe("12");
    // ...and the versioned URL, whose key it is.
    const versioned = await run(asset.url);
    expect(versioned.status).toBe(200);
    expect(versioned.text).toBe("cached bytes");
  });

  it("fills the cache from the versioned URL too, with the version's metadata", async () => {
    const asset = await uploadAsset(stack, "versioned.txt", "versioned bytes");
    const first = await run(asset.url);
    expect(first.status).toBe(200);
    const entry = await caches.default.match(asset.url);
    expect(entry?.headers.get("cache-tag")).toBe(`${stack.apiKey}/${asset.uid}`);
    expect(entry?.headers.get("cache-control")).toBe("public, max-age=86400");
    await entry?.body?.cancel();
    await env.FILES.delete(objectKey(asset.url));
    // A hit answers exactly as R2 did: headers, ?dl, HEAD and revalidation.
    const hit = await run(`${asset.url}?dl`);
    expect(hit.status).toBe(200);
    expect(hit.text).toBe("versioned bytes");
    for (const name of [
      "etag",
      "last-modified",
      "content-type",
      "content-length",
      "cache-control",
    ]) {
      expect(hit.headers.get(name), name).toBe(first.headers.get(name));
    }
    expect(hit.headers.get("content-disposition")).toContain('filename="versioned.txt"');
    const head = await run(asset.url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    expect(head.headers.get("content-length")).toBe("15");
    const etag = first.headers.get("etag") as string;
    expect((await run(asset.url, { headers: { "If-None-Match": etag } })).status).toBe(304);
    expect((await run(asset.url, { headers: { "If-Match": '"x"' } })).status).toBe(412);
  });

  it("never stores a 206, a HEAD or a 304", async () => {
    const asset = await assetWithSlug("ranged.txt", "0123456789", "ranged");
    const ranged = await run(asset.permanent_url, { headers: { Range: "bytes=2-4" } });
    expect(ranged.status).toBe(206);
    expect(ranged.text).toBe("234");
    expect((await run(asset.permanent_url, { method: "HEAD" })).status).toBe(200);
    const etag = (await run(asset.url, { method: "HEAD" })).headers.get("etag") as string;
    expect((await run(asset.permanent_url, { headers: { "If-None-Match": etag } })).status).toBe(
      304,
    );
    // The versioned URL's HEAD kept the version's metadata, but no bytes were stored.
    const entry = await caches.default.match(asset.url);
    expect(entry?.headers.get("x-version")).toMatch(/^none /);
    expect(entry?.headers.get("content-length") ?? "0").toBe("0");
    await entry?.body?.cancel();
  });

  it("does not store files over EDGE_CACHE_MAX_BYTES", async () => {
    const asset = await assetWithSlug("big.txt", "more than five bytes", "big");
    const res = await run(asset.permanent_url, {}, { EDGE_CACHE_MAX_BYTES: "5" });
    expect(res.text).toBe("more than five bytes");
    expect(await caches.default.match(asset.url)).toBeUndefined();
  });

  it("is bypassed by a replace: the very next request gets the new bytes", async () => {
    const asset = await assetWithSlug("doc.txt", "old bytes", "doc");
    expect((await run(asset.permanent_url)).text).toBe("old bytes");
    const replaced = await replaceAsset(stack, asset.uid, "doc.txt", "new bytes");
    const next = await run(asset.permanent_url);
    expect(next.text).toBe("new bytes");
    expect(next.headers.get("link")).toBe(`<${replaced.url}>; rel="canonical"`);
    // The old version is still cached under its own (immutable) URL.
    expect(await (await caches.default.match(asset.url))?.text()).toBe("old bytes");
  });

  it("is evicted by a delete, and every URL answers 404", async () => {
    const asset = await assetWithSlug("gone.txt", "soon gone", "gone");
    await run(asset.permanent_url);
    expect(await caches.default.match(asset.url)).toBeDefined();
    const del = await call(`/v3/assets/${asset.uid}`, { method: "DELETE", headers: auth(stack) });
    expect(del.status).toBe(200);
    expect(await caches.default.match(asset.url)).toBeUndefined();
    expect((await run(asset.permanent_url)).status).toBe(404);
    expect((await run(asset.url)).status).toBe(404);
  });
});

describe("redirect mode", () => {
  const redirect = { PERMANENT_URL_MODE: "redirect" };

  it("answers 302 to the current versioned URL with the short Cache-Control", async () => {
    const asset = await assetWithSlug("moved.txt", "v1", "moved");
    for (const method of ["GET", "HEAD"]) {
      const res = await run(asset.permanent_url, { method }, redirect);
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe(asset.url);
      expect(res.headers.get("cache-control")).toBe("public, max-age=60");
      expect(res.text).toBe("");
    }
    const replaced = await replaceAsset(stack, asset.uid, "moved.txt", "v2");
    const after = await run(asset.permanent_url, {}, redirect);
    expect(after.headers.get("location")).toBe(replaced.url);
    const followed = await run(after.headers.get("location") as string, {}, redirect);
    expect(followed.text).toBe("v2");
  });

  it("carries ?dl over to the versioned URL, and 404s a wrong slug", async () => {
    const asset = await assetWithSlug("dl.txt", "x", "dl-me");
    const res = await run(`${asset.permanent_url}?dl=saved%20as.txt`, {}, redirect);
    expect(res.headers.get("location")).toBe(`${asset.url}?dl=saved%20as.txt`);
    const wrong = await run(asset.permanent_url.replace(/dl-me$/, "other"), {}, redirect);
    expect(wrong.status).toBe(404);
  });
});

describe("CORS allow-list", () => {
  const allowList = { CORS_ALLOWED_ORIGINS: "https://cms.example, https://www.example" };

  it("echoes an allowed origin and varies on Origin", async () => {
    const asset = await uploadAsset(stack, "cors.txt", "cors");
    const res = await run(asset.url, { headers: { Origin: "https://www.example" } }, allowList);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://www.example");
    expect(res.headers.get("vary")).toMatch(/Origin/);
    const preflight = await run(
      asset.url,
      {
        method: "OPTIONS",
        headers: { Origin: "https://cms.example", "Access-Control-Request-Method": "GET" },
      },
      allowList,
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://cms.example");
  });

  it("gives another origin no Access-Control-Allow-Origin", async () => {
    const asset = await uploadAsset(stack, "cors2.txt", "cors");
    const res = await run(asset.url, { headers: { Origin: "https://evil.example" } }, allowList);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("R2 failing underneath", () => {
  /** An R2 binding whose get/head throw `error` for the first `failures` calls. */
  function flakyBucket(
    failures: number,
    error = new Error("We encountered an internal error (10001)"),
  ) {
    let calls = 0;
    const maybeFail = () => {
      calls++;
      if (calls <= failures) throw error;
    };
    return {
      bucket: {
        get: async (...args: Parameters<R2Bucket["get"]>) => {
          maybeFail();
          return env.FILES.get(...args);
        },
        head: async (key: string) => {
          maybeFail();
          return env.FILES.head(key);
        },
      } as unknown as R2Bucket,
      calls: () => calls,
    };
  }

  it("retries transient errors on both URL kinds", async () => {
    const asset = await assetWithSlug("flaky.txt", "still here", "flaky");
    for (const url of [asset.url, asset.permanent_url]) {
      const flaky = flakyBucket(2);
      const res = await run(url, {}, { FILES: flaky.bucket, EDGE_CACHE_MAX_BYTES: "0" });
      expect(res.status).toBe(200);
      expect(res.text).toBe("still here");
      expect(flaky.calls()).toBe(3);
    }
    const head = flakyBucket(1);
    expect((await run(asset.url, { method: "HEAD" }, { FILES: head.bucket })).status).toBe(200);
  });

  it("answers 503 with Retry-After when R2 keeps failing", async () => {
    const asset = await uploadAsset(stack, "down.txt", "down");
    const flaky = flakyBucket(100);
    const res = await run(asset.url, {}, { FILES: flaky.bucket });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(JSON.parse(res.text).error_code).toBe(154);
    expect(flaky.calls()).toBe(3);
  });

  it("maps R2's range-not-satisfiable error to 416, never 500", async () => {
    const asset = await uploadAsset(stack, "range.txt", "0123456789");
    const flaky = flakyBucket(
      100,
      new Error("get: The requested range is not satisfiable (10039)"),
    );
    const real = flaky.bucket as unknown as { head: unknown };
    real.head = (key: string) => env.FILES.head(key);
    const res = await run(asset.url, { headers: { Range: "bytes=0-3" } }, { FILES: flaky.bucket });
    expect(res.status).toBe(416);
    expect(res.headers.get("content-range")).toBe("bytes */10");
  });

  it("does not retry an error a retry cannot fix", async () => {
    const asset = await uploadAsset(stack, "bug.txt", "bug");
    const flaky = flakyBucket(100, new Error("something unexpected"));
    const res = await run(asset.url, {}, { FILES: flaky.bucket });
    expect(res.status).toBe(500);
    expect(flaky.calls()).toBe(1);
  });

  it("answers 404 without asking R2 for a key longer than R2 allows", async () => {
    const asset = await uploadAsset(stack, "short.txt", "short");
    const flaky = flakyBucket(0);
    const long = asset.url.replace(/short\.txt$/, "x".repeat(1100));
    const res = await run(long, {}, { FILES: flaky.bucket });
    expect(res.status).toBe(404);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(flaky.calls()).toBe(0);
  });

  it("answers 503 when KV fails", async () => {
    const asset = await assetWithSlug("kv.txt", "kv", "kv-down");
    const kv = {
      get: async () => {
        throw new Error("KV GET failed: 500 Internal Server Error");
      },
    } as unknown as KVNamespace;
    const res = await run(asset.permanent_url, {}, { ASSET_INDEX: kv });
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text).error_code).toBe(154);
  });

  it("answers 404, not 500, when the KV record names a missing R2 object", async () => {
    const asset = await assetWithSlug("orphan.txt", "bytes", "orphan");
    await env.FILES.delete(objectKey(asset.url));
    const res = await run(asset.permanent_url, {}, { EDGE_CACHE_MAX_BYTES: "0" });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text).error_code).toBe(404);
  });
});
