// The delivery Worker's per-request work that is now done once and reused (docs/PERFORMANCE.md):
// each memo must give what the work it replaces gave, never an answer of another request, a
// changed entry or another setting.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cachedBytes,
  cachedVersion,
  storeMetadata,
  storeWhileStreaming,
} from "../src/delivery/edge-cache";
import { pathOf } from "../src/delivery/file-route";
import {
  contentHeaders,
  IMMUTABLE_CACHE_CONTROL,
  notModifiedHeaders,
  type ServedVersion,
  variantHeaders,
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
    expect(a.extra).toEqual([["Link", `<${a.versionedUrl}>; rel="canonical"`]]);
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
    // A 200's Headers are shared: the Response they are given to holds a copy, which CORS changes.
    const answered = new Response("x", { headers: first });
    answered.headers.set("Access-Control-Allow-Origin", "*");
    answered.headers.set("Content-Length", "1");
    const ranged0 = contentHeaders(version, IMMUTABLE_CACHE_CONTROL, { start: 0, end: 0 });
    ranged0.set("Content-Disposition", "attachment");
    const second = contentHeaders(version, IMMUTABLE_CACHE_CONTROL, null);
    expect(second).toBe(first);
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

describe("variantHeaders", () => {
  it("are built once per variant, policy and extra headers, and a Response changes only its copy", () => {
    const meta = {
      contentType: "image/webp",
      etag: '"v1"',
      uploaded: new Date("2026-01-02T03:04:05.000Z"),
      filename: "a.webp",
    };
    const link: [string, string][] = [["Link", "<x>"]];
    const first = variantHeaders(meta, "public, max-age=60", link);
    expect(variantHeaders(meta, "public, max-age=60", link)).toBe(first);
    new Response(null, { headers: first }).headers.set("Access-Control-Allow-Origin", "*");
    expect([...first]).toEqual(
      [
        ["accept-ranges", "none"],
        ["cache-control", "public, max-age=60"],
        ["content-type", "image/webp"],
        ["etag", '"v1"'],
        ["last-modified", "Fri, 02 Jan 2026 03:04:05 GMT"],
        ["link", "<x>"],
        ["x-content-type-options", "nosniff"],
      ].sort(),
    );
    const other = variantHeaders(meta, IMMUTABLE_CACHE_CONTROL, null);
    expect(other.get("Cache-Control")).toBe(IMMUTABLE_CACHE_CONTROL);
    expect(other.has("Link")).toBe(false);
    expect(variantHeaders(meta, "public, max-age=60", [["Link", "<y>"]]).get("Link")).toBe("<y>");
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
  const pending: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p) };
  const version = (etag: string, filename = "a b.txt"): ServedVersion => ({
    contentType: "text/plain; charset=utf-8",
    etag,
    uploaded: new Date("2026-01-02T03:04:05.000Z"),
    filename,
    size: 5,
  });
  /** An entry as the delivery Worker writes it: the bytes held, or the metadata alone. */
  async function store(key: string, v: ServedVersion, held: boolean) {
    const stillThere = async () => true;
    if (held) {
      const body = new Response("hello").body as ReadableStream;
      await new Response(storeWhileStreaming(ctx, key, "blt1/blt2", body, v, stillThere)).text();
    } else storeMetadata(ctx, key, "blt1/blt2", v, stillThere);
    await Promise.all(pending.splice(0));
  }

  it("read a changed entry as it is now, never as it was parsed before", async () => {
    const key = "https://memo.example/v3/assets/blt1/blt2/bltf1/a%20b.txt";
    await store(key, version('"one"'), true);
    const first = await cachedVersion(key);
    expect(first?.version).toEqual(version('"one"'));
    expect(await new Response(first?.body).text()).toBe("hello");
    await store(key, version('"two"', 'ü %20 ;"x".txt'), false);
    const second = await cachedVersion(key);
    expect(second?.version).toEqual(version('"two"', 'ü %20 ;"x".txt'));
    expect(second?.body).toBeNull();
    expect(await cachedBytes(key)).toBeNull();
    await store(key, version('"two"'), true);
    expect(await new Response(await cachedBytes(key)).text()).toBe("hello");
    expect(await cachedBytes(`${key}-missing`)).toBeNull();
  });

  it("keeps an entry to four headers, the version's metadata in one", async () => {
    const key = "https://memo.example/v3/assets/blt1/blt2/bltf2/a.txt";
    await store(key, version('"one"'), true);
    const hit = await caches.default.match(key);
    await hit?.body?.cancel();
    const own = [...(hit?.headers.keys() ?? [])].filter(
      // What the cache itself adds to a hit, locally and in production.
      (name) => !["age", "date", "cf-cache-status"].includes(name),
    );
    expect(own.sort()).toEqual(["cache-control", "cache-tag", "content-length", "x-version"]);
  });

  it("counts an entry of an older release, or one it cannot read, as a miss", async () => {
    const key = "https://memo.example/v3/assets/blt1/blt2/bltf3/a.txt";
    const headers = (h: Record<string, string>) => ({
      headers: { "Cache-Control": "max-age=60", ...h },
    });
    const unreadable: Record<string, string>[] = [
      { "X-Version-Uploaded": "2026-01-02T03:04:05.000Z", "X-Version-Size": "5", ETag: '"e"' },
      { "X-Version": "held 5 2026-01-02T03:04:05.000Z %22e%22 text%2Fplain" },
      { "X-Version": "kept 5 2026-01-02T03:04:05.000Z %22e%22 text%2Fplain a.txt" },
      { "X-Version": "held -1 2026-01-02T03:04:05.000Z %22e%22 text%2Fplain a.txt" },
      { "X-Version": "held 5 yesterday %22e%22 text%2Fplain a.txt" },
      { "X-Version": "held 5 2026-01-02T03:04:05.000Z %22e%22 text%2Fplain %E0%A4%A" },
    ];
    for (const h of unreadable) {
      await caches.default.put(key, new Response("hello", headers(h)));
      expect(await cachedVersion(key), JSON.stringify(h)).toBeNull();
    }
  });
});

describe("pathOf", () => {
  it("gives the path new URL() gives, with or without the parser", () => {
    const char = fc.constantFrom(
      ..."aZ09-._~%!$&'()*+,;=:@/?#[]{}|\\^` \"<>\u00e9\u4e2d2eE".split(""),
    );
    const text = fc.array(char, { maxLength: 40 }).map((cs) => cs.join(""));
    fc.assert(
      fc.property(text, (rest) => {
        const href = `https://assets.example/v3/assets/${rest}`;
        const serialised = new URL(href).href;
        expect(pathOf(href)).toBe(new URL(href).pathname);
        expect(pathOf(serialised)).toBe(new URL(serialised).pathname);
      }),
      { numRuns: 2000 },
    );
  });
});
