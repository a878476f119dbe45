// The Images binding's limits as production has them (src/images/engine-limits.ts): a source the
// engine would refuse is served as stored without calling it; a quota or size refusal from the
// engine serves the original (briefly cached for a quota) instead of a 502; AVIF over 1,200
// pixels a side is asked as WebP; and a variant is labelled with the type the engine returned.

import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { BothEnv } from "./both-workers";
import { imageFixture } from "./fixtures/images/decoded";
import {
  type AssetJson,
  countCalls,
  createStack,
  runWorker,
  type Stack,
  uploadAsset,
} from "./helpers";

const PNG = imageFixture("png-123x45.png");
const streamOf = (bytes: Uint8Array) => new Response(bytes).body as ReadableStream<Uint8Array>;

let stack: Stack;
let image: AssetJson;
beforeAll(async () => {
  stack = await createStack();
  image = await uploadAsset(stack, "photo.png", PNG, {}, "image/png");
});

/** A PNG of the given size, drawn by the local engine. */
async function pngOf(width: number, height: number): Promise<Uint8Array> {
  const made = await (env as BothEnv).IMAGES.input(streamOf(PNG))
    .transform({ width, height, fit: "squeeze" })
    .output({ format: "image/png" });
  return new Uint8Array(await new Response(made.image()).arrayBuffer());
}

/** An Images binding whose every transformation fails with Cloudflare's `code`. */
const refusing = (code: number) =>
  ({
    input: (stream: ReadableStream) => ({
      transform() {
        return this;
      },
      output: async () => {
        await stream.cancel();
        throw Object.assign(new Error(`IMAGES_TRANSFORM_ERROR ${code}: refused`), { code });
      },
    }),
  }) as unknown as ImagesBinding;

describe("a refusal from the engine", () => {
  it("for its quota (9422) serves the original, cached a minute, and the variant comes back", async () => {
    const url = `${image.url}?width=50&format=webp`;
    const spent = await runWorker(url, {}, { IMAGES: refusing(9422) });
    expect(spent.status).toBe(200);
    expect(spent.headers.get("content-type")).toBe("image/png");
    expect(spent.headers.get("x-image-transform")).toMatch(/^original; .*quota.*\(9422\)$/);
    expect(spent.headers.get("cache-control")).toBe("public, max-age=60");
    expect(spent.headers.get("content-length")).toBe(String(PNG.length));
    // Nothing was cached under the variant's key: the engine makes it once it can.
    const made = await countCalls(url);
    expect(made.headers.get("content-type")).toBe("image/webp");
    expect(made.counts["images.input"]).toBe(1);
    expect(made.headers.get("x-image-transform")).toBeNull();
  });

  it("for the image's size (9413, 9402) serves the original with the URL's own caching", async () => {
    for (const code of [9413, 9402]) {
      const res = await runWorker(
        `${image.url}?width=${40 + (code % 10)}`,
        {},
        { IMAGES: refusing(code) },
      );
      expect(res.status, String(code)).toBe(200);
      expect(res.headers.get("x-image-transform")).toContain(`(${code})`);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    }
  });

  it("of another kind is still a 502 (the engine cannot read the image)", async () => {
    const res = await runWorker(`${image.url}?width=33`, {}, { IMAGES: refusing(9412) });
    expect(res.status).toBe(502);
  });
});

describe("limits checked before calling the engine", () => {
  it("serve a source over 12,000 pixels a side as stored, without a transformation", async () => {
    const wide = await uploadAsset(stack, "wide.png", await pngOf(12_001, 2), {}, "image/png");
    const res = await countCalls(`${wide.url}?width=100&format=webp`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("x-image-transform")).toBe("original; source over 12000 pixels a side");
    expect(res.counts["images.input"]).toBeUndefined();
  });

  it("ask for WebP when AVIF would be over 1,200 pixels a side, and say so", async () => {
    const big = await uploadAsset(stack, "big.png", await pngOf(1_300, 20), {}, "image/png");
    const res = await countCalls(`${big.url}?format=avif&dl`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/webp");
    expect(res.headers.get("content-disposition")).toContain('filename="big.webp"');
    expect(new TextDecoder().decode(res.bytes.subarray(8, 12))).toBe("WEBP");
    // Within the limit it is AVIF; the same variant again comes from the cache with its type.
    const small = await countCalls(`${big.url}?format=avif&width=1200`);
    expect(small.headers.get("content-type")).toBe("image/avif");
    const again = await countCalls(`${big.url}?format=avif&dl`);
    expect(again.counts).toEqual({});
    expect(again.headers.get("content-type")).toBe("image/webp");
  });
});

describe("the variant's type", () => {
  it("is the one the engine returned, not the one asked for (the format is best effort)", async () => {
    const real = (env as BothEnv).IMAGES;
    // An engine that answers PNG whatever it is asked, as Cloudflare may for a format it skips.
    const pngOnly = {
      input: (stream: ReadableStream) => {
        let t = real.input(stream);
        const self = {
          transform(step: ImageTransform) {
            t = t.transform(step);
            return self;
          },
          output: (options: ImageOutputOptions) => t.output({ ...options, format: "image/png" }),
        };
        return self;
      },
    } as unknown as ImagesBinding;
    const url = `${image.url}?width=30&format=webp&dl`;
    const res = await runWorker(url, {}, { IMAGES: pngOnly });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("content-disposition")).toContain('filename="photo.png"');
    // The cached variant keeps the type it was made in.
    const cached = await countCalls(url);
    expect(cached.counts).toEqual({});
    expect(cached.headers.get("content-type")).toBe("image/png");
  });
});
