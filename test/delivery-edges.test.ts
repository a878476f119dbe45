// Edge cases of the delivery Worker's caches and image path, each found by an independent review
// as a failing test first: a large source's variants, HEAD, `auto` with nothing accepted, a cache
// fill racing a delete, the width policy on a box, CORS on every 404, a truncated image, and the
// validators of an original served in a variant's place.

import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { parseImageParams } from "../src/images/parse-params";
import { planTransform } from "../src/images/transform-plan";
import worker, { type BothEnv } from "./both-workers";
import { imageFixture as fixture } from "./fixtures/images/decoded";
import {
  type AssetJson,
  auth,
  call,
  countCalls,
  createStack,
  fetchText,
  type Stack,
  setPermanentUrl,
  uploadAsset,
} from "./helpers";

const PNG = fixture("png-123x45.png");

let stack: Stack;

async function imageAsset(name: string, slug: string) {
  const uploaded = await uploadAsset(stack, name, PNG, {}, "image/png");
  const res = await setPermanentUrl(stack, uploaded.uid, slug);
  expect(res.status).toBe(200);
  return ((await res.json()) as { asset: AssetJson }).asset as AssetJson & {
    permanent_url: string;
  };
}

beforeAll(async () => {
  stack = await createStack();
});

describe("a cached variant of a source over EDGE_CACHE_MAX_BYTES (versioned URL)", () => {
  it("is answered from the edge cache alone (no R2 read)", async () => {
    const asset = await imageAsset("big.png", "big");
    // The PNG is 276 bytes: a limit of 100 makes it a "large" source, as a 5-25 MiB photo is
    // over the default 4 MiB limit.
    const vars = { EDGE_CACHE_MAX_BYTES: "100" } as Partial<BothEnv>;
    const url = `${asset.url}?width=4&format=png`; // a variant of a few dozen bytes
    const made = await countCalls(url, {}, vars);
    expect(made.status).toBe(200);
    expect(made.counts["images.input"]).toBe(1);
    const hit = await countCalls(url, {}, vars);
    expect(hit.status).toBe(200);
    expect(hit.counts).toEqual({}); // the version's metadata entry says it exists
  });
});

describe("a variant larger than EDGE_CACHE_MAX_BYTES", () => {
  it("is served whole but not kept (its cache copy could run ahead of a slow client)", async () => {
    const asset = await imageAsset("wide-variant.png", "wide-variant");
    const vars = { EDGE_CACHE_MAX_BYTES: "100" } as Partial<BothEnv>;
    const url = `${asset.url}?width=120&format=png`;
    const first = await countCalls(url, {}, vars);
    expect(first.status).toBe(200);
    expect(first.bytes.length).toBeGreaterThan(100);
    const second = await countCalls(url, {}, vars);
    expect(second.bytes).toEqual(first.bytes);
    expect(second.counts["images.input"]).toBe(1); // made again: nothing was kept
  });
});

describe("HEAD of an image variant (docs/CONTRACT.md: HEAD never reads the object's bytes)", () => {
  it("does not open the object's bytes", async () => {
    const asset = await imageAsset("head.png", "head");
    const permanent = await countCalls(`${asset.permanent_url}?width=17&format=png`, {
      method: "HEAD",
    });
    expect(permanent.status).toBe(200);
    expect(permanent.counts["r2.get"]).toBeUndefined();
    const versioned = await countCalls(`${asset.url}?width=18&format=png`, { method: "HEAD" });
    expect(versioned.status).toBe(200);
    expect(versioned.counts["r2.get"]).toBeUndefined();
  });
});

describe("?auto=webp from a client whose Accept names no WebP", () => {
  it("gets the original (no transform, same bytes), not a re-encoded copy", async () => {
    const asset = await imageAsset("auto.png", "auto");
    const res = await countCalls(`${asset.url}?auto=webp`, { headers: { Accept: "image/png" } });
    expect(res.status).toBe(200);
    expect(res.counts["images.input"]).toBeUndefined();
    expect(res.bytes).toEqual(PNG);
  });
});

describe("a cache fill under way when the asset is deleted", () => {
  it("does not bring the deleted bytes back under the versioned URL", async () => {
    const asset = await uploadAsset(stack, "race.txt", "secret bytes");
    // An R2 read that started before the DELETE and whose bytes are still streaming when the
    // DELETE evicts (a few MiB from R2 take that long in production).
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow = {
      head: (key: string) => env.FILES.head(key),
      get: async (key: string, options?: R2GetOptions) => {
        const object = await env.FILES.get(key, options);
        if (!object) return null;
        const bytes = new Uint8Array(await object.arrayBuffer());
        return {
          key: object.key,
          size: object.size,
          httpEtag: object.httpEtag,
          uploaded: object.uploaded,
          httpMetadata: object.httpMetadata,
          customMetadata: object.customMetadata,
          // A stream of known length, as R2's own bodies are.
          body: (() => {
            const { readable, writable } = new FixedLengthStream(bytes.length);
            void gate.then(async () => {
              const writer = writable.getWriter();
              await writer.write(bytes);
              await writer.close();
            });
            return readable;
          })(),
        };
      },
    } as unknown as R2Bucket;
    const ctx = createExecutionContext();
    const reading = await worker.fetch(
      new Request(asset.url),
      { ...(env as BothEnv), FILES: slow } as BothEnv,
      ctx,
    );
    expect(reading.status).toBe(200);

    const del = await call(`/v3/assets/${asset.uid}`, { method: "DELETE", headers: auth(stack) });
    expect(del.status).toBe(200);
    await del.arrayBuffer();
    expect((await fetchText(asset.url)).status).toBe(404); // evicted, R2 empty

    release();
    expect(await reading.text()).toBe("secret bytes");
    await waitOnExecutionContext(ctx); // the fill's cache.put lands after the eviction...

    const after = await fetchText(asset.url); // ...and removes itself, the object being gone
    expect(after.text).not.toBe("secret bytes");
    expect(after.status).toBe(404);
  });
});

describe("IMAGE_WIDTHS on an exact box", () => {
  it("keeps the aspect ratio that width and height asked for", () => {
    const parsed = parseImageParams(new URLSearchParams("width=250&height=150"), {
      kind: "step",
      step: 100,
    });
    if (!parsed.ok || !parsed.params) throw new Error("parse failed");
    const planned = planTransform(
      parsed.params,
      { width: 500, height: 300, orientation: 1, format: "png" },
      undefined,
      { maxSide: 8192, maxArea: 50_000_000 },
    );
    if (!planned.ok) throw new Error(planned.reason);
    // A 500x300 (5:3) photo asked for at 250x150 (5:3) keeps 5:3 once the width is rounded.
    expect(planned.plan.width).toBe(300);
    expect(planned.plan.width / planned.plan.height).toBeCloseTo(250 / 150, 2);
  });
});

describe("CORS on every answer of the delivery Worker", () => {
  it("carries Access-Control-Allow-Origin on a 404 for a path of another shape", async () => {
    const res = await fetchText(
      `https://assets.test/v3/assets/${stack.apiKey}/blt0000000000000000/a/b/c`,
      { headers: { Origin: "https://site.example" } },
    );
    expect(res.status).toBe(404);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});

describe("a stored raster image the engine cannot decode (a truncated upload)", () => {
  it("never answers an empty 200 variant, and never keeps it in the edge cache", async () => {
    const truncated = PNG.slice(0, 60); // signature and IHDR intact, image data cut short
    const asset = await uploadAsset(stack, "cut.png", truncated, {}, "image/png");
    const url = `${asset.url}?width=10&format=png`;
    const first = await countCalls(url);
    expect(first.status).toBe(502);
    expect(first.headers.get("cache-control")).toBe("no-store");
    const second = await countCalls(url);
    expect(second.counts["images.input"]).toBe(1); // nothing was kept
  });
});

describe("validators of an original served in place of a variant", () => {
  it("honours If-Match with the ETag that URL answered with", async () => {
    const fake = await uploadAsset(stack, "fake.png", "not a png at all", {}, "image/png");
    const url = `${fake.url}?width=10`;
    const first = await countCalls(url);
    expect(first.headers.get("x-image-transform")).toBe("original; unreadable image");
    const etag = first.headers.get("etag") as string;
    const again = await countCalls(url, { headers: { "If-Match": etag } });
    expect(again.status).toBe(200); // judged against the original's ETag, which it answers with
  });
});
