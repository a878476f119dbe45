// The delivery Worker's per-request work that is now done once and reused (docs/PERFORMANCE.md):
// each memo must give what the work it replaces gave, never an answer of another request, a
// changed entry or another setting.

import { describe, expect, it } from "vitest";
import { cachedBytes, cachedVersion } from "../src/delivery/edge-cache";
import {
  contentHeaders,
  IMMUTABLE_CACHE_CONTROL,
  notModifiedHeaders,
  type ServedVersion,
} from "../src/delivery/headers";
import { imageQuery } from "../src/delivery/image-query";
import { preparedVersion } from "../src/delivery/prepared-version";
import type { ReadModel } from "../src/domain/kv-records";
import type { WidthPolicy } from "../src/images/params";

const record = (fileUid: string, safeFilename = "a b.png"): ReadModel => ({
  slug: "photo",
  fileUid,
  filename: safeFilename,
  safeFilename,
  contentType: "image/png",
  size: 10,
  etag: `"${fileUid}"`,
  uploaded: "2026-01-02T03:04:05.000Z",
});

describe("preparedVersion", () => {
  it("works a record out once, and again for another record or another origin", () => {
    const first = record("bltf1");
    const a = preparedVersion("https://a.example", "blt1", "blt2", first);
    expect(preparedVersion("https://a.example", "blt1", "blt2", first)).toBe(a);
    expect(a.versionedUrl).toBe("https://a.example/v3/assets/blt1/blt2/bltf1/a%20b.png");
    expect(a.objectKey).toBe("blt1/blt2/bltf1/a b.png");
    expect(a.extra.get("Link")).toBe(`<${a.versionedUrl}>; rel="canonical"`);
    expect(a.version).toEqual({
      contentType: "image/png",
      size: 10,
      etag: '"bltf1"',
      uploaded: new Date("2026-01-02T03:04:05.000Z"),
      filename: "a b.png",
    });

    const elsewhere = preparedVersion("http://127.0.0.1:8788", "blt1", "blt2", first);
    expect(elsewhere.versionedUrl).toBe(
      "http://127.0.0.1:8788/v3/assets/blt1/blt2/bltf1/a%20b.png",
    );
    // A replace is a new record (read from KV again): its own version, never the old one's.
    const replaced = preparedVersion("https://a.example", "blt1", "blt2", record("bltf2"));
    expect(replaced.objectKey).toBe("blt1/blt2/bltf2/a b.png");
    expect(replaced.version.etag).toBe('"bltf2"');
  });
});

describe("contentHeaders and notModifiedHeaders", () => {
  const version: ServedVersion = {
    contentType: "text/html",
    size: 100,
    etag: '"e1"',
    uploaded: new Date("2026-01-02T03:04:05.000Z"),
    filename: "page.html",
  };

  it("give each answer Headers of its own, right for its cache policy and range", () => {
    const first = contentHeaders(version, IMMUTABLE_CACHE_CONTROL, null);
    first.set("Content-Disposition", "attachment");
    first.set("Access-Control-Allow-Origin", "*");
    const second = contentHeaders(version, IMMUTABLE_CACHE_CONTROL, null);
    expect([...second]).toEqual(
      [
        ["accept-ranges", "bytes"],
        ["cache-control", IMMUTABLE_CACHE_CONTROL],
        ["content-length", "100"],
        ["content-security-policy", "sandbox"],
        ["content-type", "text/html"],
        ["etag", '"e1"'],
        ["last-modified", "Fri, 02 Jan 2026 03:04:05 GMT"],
        ["x-content-type-options", "nosniff"],
      ].sort(),
    );
    const ranged = contentHeaders(version, IMMUTABLE_CACHE_CONTROL, { start: 10, end: 19 });
    expect(ranged.get("Content-Range")).toBe("bytes 10-19/100");
    expect(ranged.get("Content-Length")).toBe("10");
    const after = contentHeaders(version, "public, max-age=60", null);
    expect(after.get("Cache-Control")).toBe("public, max-age=60");
    expect(after.get("Content-Length")).toBe("100");
    expect(after.has("Content-Range")).toBe(false);

    const notModified = notModifiedHeaders(version, "public, max-age=60");
    notModified.set("Link", "<x>");
    expect([...notModifiedHeaders(version, "public, max-age=60")]).toEqual([
      ["cache-control", "public, max-age=60"],
      ["etag", '"e1"'],
      ["last-modified", "Fri, 02 Jan 2026 03:04:05 GMT"],
    ]);
  });
});

describe("imageQuery", () => {
  it("parses a query once per width policy, and refuses what parsing refuses", () => {
    const any: WidthPolicy = { kind: "any" };
    const stepped: WidthPolicy = { kind: "step", step: 100 };
    const url = new URL("https://a.example/x?width=150&format=webp");
    const first = imageQuery(url, any);
    expect(imageQuery(new URL(url), any)).toBe(first);
    expect(first).toEqual({ ok: true, params: { width: { px: 150 }, format: "webp" } });
    const rounded = imageQuery(url, stepped);
    expect(rounded).toEqual({ ok: true, params: { width: { px: 200 }, format: "webp" } });
    expect(imageQuery(new URL("https://a.example/x?width=-1"), any)).toMatchObject({
      ok: false,
      param: "width",
    });
  });

  it("keeps answering right past its size, and for queries too long to keep", () => {
    const any: WidthPolicy = { kind: "any" };
    for (let width = 1; width <= 300; width++) {
      const url = new URL(`https://a.example/x?width=${width}`);
      expect(imageQuery(url, any)).toEqual({ ok: true, params: { width: { px: width } } });
    }
    const others = Array.from({ length: 60 }, (_, i) => `p${i}=1`).join("&");
    const long = new URL(`https://a.example/x?width=20&${others}`);
    expect(long.search.length).toBeGreaterThan(256);
    expect(imageQuery(long, any)).toEqual({ ok: true, params: { width: { px: 20 } } });
  });
});

describe("cachedVersion and cachedBytes", () => {
  const entry = (etag: string, bytes: "held" | "none", body: string | null) =>
    new Response(body, {
      headers: {
        "Content-Type": "text/plain",
        ETag: etag,
        "Cache-Control": "public, max-age=600",
        "X-Version-Uploaded": "2026-01-02T03:04:05.000Z",
        "X-Version-Filename": encodeURIComponent("a b.txt"),
        "X-Version-Size": "5",
        "X-Version-Bytes": bytes,
      },
    });

  it("read a changed entry as it is now, never as it was parsed before", async () => {
    const key = "https://memo.example/v3/assets/blt1/blt2/bltf1/a%20b.txt";
    await caches.default.put(key, entry('"one"', "held", "hello"));
    const first = await cachedVersion(key);
    expect(first?.version.etag).toBe('"one"');
    expect(await new Response(first?.body).text()).toBe("hello");
    await caches.default.put(key, entry('"two"', "none", null));
    const second = await cachedVersion(key);
    expect(second?.version).toMatchObject({ etag: '"two"', size: 5, filename: "a b.txt" });
    expect(second?.body).toBeNull();
    expect(await cachedBytes(key)).toBeNull();
    await caches.default.put(key, entry('"two"', "held", "hello"));
    expect(await new Response(await cachedBytes(key)).text()).toBe("hello");
    expect(await cachedBytes(`${key}-missing`)).toBeNull();
  });
});
