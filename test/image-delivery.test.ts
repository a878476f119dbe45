// Image parameters through the delivery Worker's fetch handler, with the real local bindings
// (the Images binding runs on sharp here): which bindings a variant costs made and cached, the
// variant's HTTP, originals served untouched, and failures that are never cached.

import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { imageFixture as fixture } from "./fixtures/images/decoded";
import {
  type AssetJson,
  auth,
  call,
  countCalls,
  createStack,
  replaceAsset,
  runWorker,
  type Stack,
  setPermanentUrl,
  uploadAsset,
} from "./helpers";

const PNG = fixture("png-123x45.png");
const WIDE_PNG = fixture("png-interlaced-300x2.png");

/** The size an image answer declares, read back with the project's own header reader. */
async function sizeOf(bytes: Uint8Array) {
  const { createDimensionReader } = await import("../src/images/dimension-reader");
  const reader = createDimensionReader();
  reader.write(bytes);
  return reader.dimensions;
}

let stack: Stack;
let image: AssetJson & { permanent_url: string };

async function imageAsset(name: string, bytes: Uint8Array, type: string, slug: string) {
  const uploaded = await uploadAsset(stack, name, bytes, {}, type);
  const res = await setPermanentUrl(stack, uploaded.uid, slug);
  expect(res.status).toBe(200);
  return ((await res.json()) as { asset: AssetJson }).asset as AssetJson & {
    permanent_url: string;
  };
}

beforeAll(async () => {
  stack = await createStack();
  image = await imageAsset("banner.png", PNG, "image/png", "banner");
});

describe("a variant", () => {
  it("is made once from the selected version, then served from the edge cache alone", async () => {
    const url = `${image.url}?width=60&format=webp`;
    const made = await countCalls(url);
    expect(made.status).toBe(200);
    expect(made.counts["images.input"]).toBe(1);
    expect(await sizeOf(made.bytes)).toEqual({ width: 60, height: 22 });
    const again = await countCalls(url);
    expect(again.status).toBe(200);
    expect(again.counts).toEqual({});
    expect(again.bytes).toEqual(made.bytes);
  });

  it("is shared by both URL kinds, and the permanent URL's hit costs only its KV read", async () => {
    const q = "?width=40&format=png";
    const made = await countCalls(`${image.permanent_url}${q}`);
    expect(made.counts["images.input"]).toBe(1);
    const permanent = await countCalls(`${image.permanent_url}${q}`);
    expect(permanent.counts).toEqual({ "kv.get": 1 });
    const versioned = await countCalls(`${image.url}${q}`);
    expect(versioned.counts).toEqual({});
    expect(versioned.headers.get("etag")).toBe(permanent.headers.get("etag"));
  });

  it("has one cache entry for equivalent queries, whatever their order and defaults", async () => {
    const first = await countCalls(`${image.url}?width=50&format=webp&quality=`);
    expect(first.counts["images.input"]).toBe(1);
    for (const q of [
      "?format=webp&width=50",
      "?width=25&dpr=2&format=webply",
      "?utm=x&width=50&format=webp",
    ]) {
      const res = await countCalls(`${image.url}${q}`);
      expect(res.counts, q).toEqual({});
      expect(res.headers.get("etag"), q).toBe(first.headers.get("etag"));
    }
  });

  it("answers If-None-Match with 304, and HEAD with headers only, without transforming", async () => {
    const url = `${image.permanent_url}?width=30&format=jpg`;
    const made = await countCalls(url);
    const etag = made.headers.get("etag") as string;
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]{16}"$/);
    const fresh = await countCalls(`${image.permanent_url}?width=31&format=jpg`, {
      headers: { "If-None-Match": `"x", ${etag.replace(/[0-9a-f]{16}"$/, '0000000000000000"')}` },
    });
    expect(fresh.status).toBe(200); // another variant's tag does not match
    const notModified = await countCalls(url, { headers: { "If-None-Match": etag } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("etag")).toBe(etag);
    expect(notModified.bytes.length).toBe(0);
    const head = await countCalls(`${image.permanent_url}?width=29&format=jpg`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.bytes.length).toBe(0);
    expect(head.headers.get("content-type")).toBe("image/jpeg");
    expect(head.counts["images.input"]).toBeUndefined();
  });

  it("carries the URL kind's caching, its own type and ETag, and ignores Range", async () => {
    const versioned = await runWorker(`${image.url}?width=20&format=avif`, {
      headers: { Range: "bytes=0-9" },
    });
    expect(versioned.status).toBe(200);
    expect(versioned.headers.get("content-type")).toBe("image/avif");
    expect(versioned.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(versioned.headers.get("accept-ranges")).toBe("none");
    expect(versioned.headers.get("content-range")).toBeNull();
    expect(versioned.headers.get("etag")).not.toBe(image.url); // its own, not the source's
    const permanent = await runWorker(`${image.permanent_url}?width=20&format=avif`);
    expect(permanent.headers.get("cache-control")).toBe("public, max-age=60");
    expect(permanent.headers.get("link")).toBe(`<${image.url}>; rel="canonical"`);
  });

  it("downloads under the output format's extension with ?dl", async () => {
    const res = await runWorker(`${image.url}?width=20&format=webp&dl`);
    expect(res.headers.get("content-disposition")).toContain('filename="banner.webp"');
  });

  it("chooses the format auto names from Accept, and varies on it", async () => {
    const q = `${image.permanent_url}?width=44&auto=webp`;
    const webp = await runWorker(q, { headers: { Accept: "image/avif,image/webp,*/*" } });
    expect(webp.headers.get("content-type")).toBe("image/webp");
    expect(webp.headers.get("vary")).toMatch(/Accept/);
    const plain = await runWorker(q, { headers: { Accept: "image/*,*/*;q=0.8" } });
    expect(plain.headers.get("content-type")).toBe("image/png");
    expect(plain.headers.get("vary")).toMatch(/Accept/);
    expect(plain.headers.get("etag")).not.toBe(webp.headers.get("etag"));
    const avif = await runWorker(`${image.permanent_url}?width=44&auto=avif,webp`, {
      headers: { Accept: "image/avif,image/webp" },
    });
    expect(avif.headers.get("content-type")).toBe("image/avif");
  });

  it("is never an old version's through the permanent URL after a replace", async () => {
    const asset = await imageAsset("swap.png", PNG, "image/png", "swap");
    const q = "?width=0.5&format=png";
    const before = await countCalls(`${asset.permanent_url}${q}`);
    expect(await sizeOf(before.bytes)).toEqual({ width: 62, height: 23 });
    const res = await call(`/v3/assets/${asset.uid}`, {
      method: "PUT",
      headers: auth(stack),
      body: (() => {
        const fd = new FormData();
        fd.append("asset[upload]", new Blob([WIDE_PNG], { type: "image/png" }), "swap.png");
        return fd;
      })(),
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const after = await countCalls(`${asset.permanent_url}${q}`);
    expect(after.counts["images.input"]).toBe(1);
    expect(after.headers.get("etag")).not.toBe(before.headers.get("etag"));
    expect(await sizeOf(after.bytes)).toEqual({ width: 150, height: 1 });
  });
});

describe("what is not transformed", () => {
  it("serves a file that is not a raster image as stored, whatever the parameters", async () => {
    const text = await uploadAsset(stack, "notes.txt", "just text");
    const res = await countCalls(`${text.url}?width=100&format=webp`);
    expect(res.status).toBe(200);
    expect(new TextDecoder().decode(res.bytes)).toBe("just text");
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(res.counts["images.input"]).toBeUndefined();
    const svg = await uploadAsset(
      stack,
      "logo.svg",
      "<svg xmlns='http://www.w3.org/2000/svg'/>",
      {},
      "image/svg+xml",
    );
    const vector = await runWorker(`${svg.url}?width=10`);
    expect(vector.text).toContain("<svg");
    expect(vector.headers.get("content-security-policy")).toBe("sandbox");
  });

  it("serves an image over IMAGE_MAX_INPUT_BYTES as stored, and says so", async () => {
    const res = await runWorker(`${image.url}?width=10`, {}, { IMAGE_MAX_INPUT_BYTES: "100" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("x-image-transform")).toBe("original; source over 100 bytes");
    expect(res.headers.get("content-length")).toBe(String(PNG.length));
  });

  it("serves bytes that claim to be an image but are not, as stored", async () => {
    const fake = await uploadAsset(stack, "fake.png", "not a png at all", {}, "image/png");
    const res = await runWorker(`${fake.url}?width=10`);
    expect(res.status).toBe(200);
    expect(res.text).toBe("not a png at all");
    expect(res.headers.get("x-image-transform")).toBe("original; unreadable image");
  });

  it("ignores unknown parameters: the original, untouched", async () => {
    const res = await countCalls(`${image.url}?utm_source=mail&v=3`);
    expect(res.status).toBe(200);
    expect(res.bytes).toEqual(PNG);
  });
});

describe("refusals and failures", () => {
  it.each([
    ["width=99999", "width"],
    ["width=-1", "width"],
    ["quality=0", "quality"],
    ["format=bmp", "format"],
    ["crop=a,b", "crop"],
    ["width=5000&dpr=2", "dpr"],
  ])("answers ?%s with a 400 naming %s, cached nowhere", async (query, param) => {
    for (const base of [image.url, image.permanent_url]) {
      const res = await countCalls(`${base}?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const body = JSON.parse(new TextDecoder().decode(res.bytes));
      expect(body.error_code).toBe(170);
      expect(Object.keys(body.errors)).toEqual([param]);
      expect(res.counts["images.input"]).toBeUndefined();
    }
  });

  it("answers a size that only the source makes too large with a 400, before transforming", async () => {
    const res = await countCalls(`${image.url}?crop=500,10&format=png`);
    expect(res.status).toBe(400);
    expect(JSON.parse(new TextDecoder().decode(res.bytes)).errors.crop[0]).toMatch(/larger/);
    expect(res.counts["images.input"]).toBeUndefined();
  });

  it("answers 429 when the stack's transform budget is spent, but never for a cached variant", async () => {
    const spent = { limit: async () => ({ success: false }) } as unknown as RateLimit;
    const cached = `${image.url}?width=60&format=webp`;
    await runWorker(cached);
    expect((await runWorker(cached, {}, { IMAGE_TRANSFORMS: spent })).status).toBe(200);
    const fresh = await runWorker(
      `${image.url}?width=61&format=webp`,
      {},
      { IMAGE_TRANSFORMS: spent },
    );
    expect(fresh.status).toBe(429);
    expect(fresh.headers.get("retry-after")).toBe("60");
    expect(JSON.parse(fresh.text).error_code).toBe(173);
  });

  it("answers 502 when the engine refuses the image, 503 when it is unreachable, never cached", async () => {
    const failing = (error: Error) =>
      ({
        input: () => ({
          transform() {
            return this;
          },
          output: async () => {
            throw error;
          },
        }),
      }) as unknown as ImagesBinding;
    const refused = Object.assign(new Error("IMAGES_TRANSFORM_ERROR 9412: not an image"), {
      code: 9412,
    });
    const url = `${image.url}?width=70&format=webp`;
    const bad = await runWorker(url, {}, { IMAGES: failing(refused) });
    expect(bad.status).toBe(502);
    expect(JSON.parse(bad.text)).toMatchObject({ error_code: 171 });
    expect(bad.headers.get("cache-control")).toBe("no-store");
    const down = await runWorker(
      url,
      {},
      { IMAGES: failing(new Error("Network connection lost.")) },
    );
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBe("1");
    // Neither failure was stored: the real engine makes it on the next request.
    const ok = await countCalls(url);
    expect(ok.status).toBe(200);
    expect(ok.counts["images.input"]).toBe(1);
  });

  it("answers 503 when the bytes stop coming while the header is read", async () => {
    const asset = await imageAsset("broken.png", PNG, "image/png", "broken");
    const breaking = {
      head: (key: string) => env.FILES.head(key),
      get: async () => ({
        body: new ReadableStream({
          pull(controller) {
            controller.error(new Error("Network connection lost."));
          },
        }),
      }),
    } as unknown as R2Bucket;
    const vars = { FILES: breaking, EDGE_CACHE_MAX_BYTES: "0" };
    for (const url of [asset.url, asset.permanent_url]) {
      const res = await runWorker(`${url}?width=20&format=png`, {}, vars);
      expect(res.status, url).toBe(503);
      expect(JSON.parse(res.text).error_code).toBe(154);
    }
  });

  it("answers a deleted asset's variants 404 at once, cached or not", async () => {
    const asset = await imageAsset("gone.png", PNG, "image/png", "gone");
    const q = "?width=12&format=png";
    expect((await runWorker(`${asset.url}${q}`)).status).toBe(200);
    const del = await call(`/v3/assets/${asset.uid}`, { method: "DELETE", headers: auth(stack) });
    expect(del.status).toBe(200);
    await del.arrayBuffer();
    expect((await runWorker(`${asset.url}${q}`)).status).toBe(404);
    expect((await runWorker(`${asset.permanent_url}${q}`)).status).toBe(404);
  });

  it("keeps replace semantics for the versioned URL: an old version's variants stay its own", async () => {
    const asset = await imageAsset("kept.png", PNG, "image/png", "kept");
    const q = "?width=10&format=png";
    const old = await runWorker(`${asset.url}${q}`);
    await replaceAsset(stack, asset.uid, "kept.txt", "now text");
    const again = await runWorker(`${asset.url}${q}`);
    expect(again.status).toBe(200);
    expect(again.headers.get("etag")).toBe(old.headers.get("etag"));
    // The permanent URL now names a text file: its own bytes.
    expect((await runWorker(`${asset.permanent_url}${q}`)).text).toBe("now text");
  });
});
