// The strict local mode (strict/): the local bindings enforce what production enforces and
// Miniflare does not. KV's one write a second per key, the subrequest cap per invocation (a
// Durable Object call counting once for its caller, and starting its own count), the plan's
// body limit with Cloudflare's own 413, and the Images binding's quota and size limits.

import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_UPLOAD_BYTES } from "../src/config";
import { MAX_PART_BYTES } from "../src/domain/upload-parts";
import type { assetStub } from "../src/objects/stubs";
import { FORM_OVERHEAD_BYTES } from "../src/upload/read-multipart-form";
import { strictEnv } from "../strict/bindings";
import { imageTransformations } from "../strict/images";
import { enter } from "../strict/invocation";
import { PRODUCTION_LIMITS, type StrictLimits } from "../strict/limits";
import type { BothEnv } from "./both-workers";
import { imageFixture } from "./fixtures/images/decoded";
import { auth, call, createStack, ORIGIN, runWorker, type Stack, uploadAsset } from "./helpers";

const strict = (limits: Partial<StrictLimits> = {}) =>
  strictEnv(env, { ...PRODUCTION_LIMITS, ...limits }) as Env & { IMAGES: ImagesBinding };

const streamOf = (bytes: Uint8Array) => new Response(bytes).body as ReadableStream<Uint8Array>;

let stack: Stack;
beforeAll(async () => {
  stack = await createStack();
});

async function assetCount(): Promise<number> {
  const res = await call("/v3/assets?count=true", { headers: auth(stack) });
  return ((await res.json()) as { count: number }).count;
}

describe("KV", () => {
  it("answers 429 to a second write of a key within a second, and takes other keys", async () => {
    const kv = strict().ASSET_INDEX;
    const key = `strict:${crypto.randomUUID()}`;
    await kv.put(key, "first");
    await expect(kv.put(key, "second")).rejects.toThrow(/429 Too Many Requests/);
    await expect(kv.delete(key)).rejects.toThrow(/429/);
    expect(await kv.get(key)).toBe("first");
    await kv.put(`${key}:other`, "fine");
    expect(await kv.get(`${key}:other`)).toBe("fine");
  });
});

describe("subrequests", () => {
  it("fails the call past the cap of an invocation", async () => {
    const files = strict().FILES;
    await enter("a test", null, 3, async () => {
      for (let i = 0; i < 3; i++) await files.head("nothing-here");
      await expect(async () => files.head("nothing-here")).rejects.toThrow(
        /Too many subrequests: R2 FILES.head would be subrequest 4 of a test/,
      );
    });
  });

  it("counts a Durable Object call once for its caller; the object counts its own calls", async () => {
    const asset = await uploadAsset(stack, "counted.txt", "counted");
    const objects = strict().ASSETS;
    await enter("a test", null, 1, async () => {
      const id = objects.idFromName(`${stack.apiKey}/${asset.uid}`);
      const stub = objects.get(id) as unknown as ReturnType<typeof assetStub>;
      // The object's update pushes to the stack's catalogue and writes KV: its own subrequests.
      const updated = await stub.update({ slug: "counted", by: stack.tokenUid });
      expect(updated).toMatchObject({ ok: true, synced: true });
      await expect(async () => stub.get()).rejects.toThrow(/Too many subrequests/);
    });
  });

  it("fails a request that needs more than the cap, and it stores nothing", async () => {
    const before = await assetCount();
    const res = await runWorker(
      `${ORIGIN}/v3/assets?filename=capped.txt`,
      {
        method: "POST",
        headers: auth(stack, { "content-type": "text/plain", "content-length": "6" }),
        body: "capped",
      },
      { STRICT_SUBREQUESTS: "1" } as Partial<Env>,
    );
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(await assetCount()).toBe(before);
    const stored = await env.FILES.list({ prefix: `${stack.apiKey}/` });
    expect(stored.objects.filter((o) => o.key.endsWith("/capped.txt"))).toEqual([]);
  });
});

describe("the plan's body limit", () => {
  it("answers a larger declared body with Cloudflare's own HTML 413; no code runs", async () => {
    const before = await assetCount();
    const res = await runWorker(
      `${ORIGIN}/v3/assets?filename=big.txt`,
      {
        method: "POST",
        headers: auth(stack, { "content-type": "text/plain", "content-length": "200" }),
        body: "x".repeat(200),
      },
      { STRICT_BODY_BYTES: "100" } as Partial<Env>,
    );
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toBe("text/html");
    expect(res.text).toContain("<center>cloudflare</center>");
    expect(await assetCount()).toBe(before);
  });

  it("lies above the default upload, form and part limits: each gets the API's JSON 413", async () => {
    expect(DEFAULT_MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES).toBeLessThan(
      PRODUCTION_LIMITS.bodyBytes,
    );
    expect(MAX_PART_BYTES).toBe(5 * 1024 ** 3 - 5 * 1024 ** 2); // R2's largest part
    const vars = { MAX_UPLOAD_BYTES: String(DEFAULT_MAX_UPLOAD_BYTES) } as Partial<Env>;
    const over = (limit: number) => ({ "content-length": String(limit + 1) });
    const started = await runWorker(
      `${ORIGIN}/v3/uploads`,
      {
        method: "POST",
        headers: auth(stack, { "content-type": "application/json" }),
        body: JSON.stringify({ upload: { filename: "big.bin", file_size: 200 * 1024 * 1024 } }),
      },
      vars,
    );
    expect(started.status).toBe(201);
    const session = (JSON.parse(started.text) as { upload: { uid: string } }).upload.uid;
    const before = await assetCount();
    for (const [path, headers] of [
      ["/v3/assets?filename=big.bin", over(DEFAULT_MAX_UPLOAD_BYTES)],
      [
        "/v3/assets",
        {
          ...over(DEFAULT_MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES),
          "content-type": "multipart/form-data; boundary=x",
        },
      ],
      [`/v3/uploads/${session}/parts/1`, over(DEFAULT_MAX_UPLOAD_BYTES)],
    ] as const) {
      const method = path.includes("/parts/") ? "PUT" : "POST";
      const res = await runWorker(
        `${ORIGIN}${path}`,
        { method, headers: auth(stack, { "content-type": "text/plain", ...headers }), body: "x" },
        vars,
      );
      expect(res.status, path).toBe(413);
      expect(res.headers.get("content-type"), path).toMatch(/^application\/json/);
      expect(JSON.parse(res.text), path).toMatchObject({ error_code: 149 });
    }
    expect(await assetCount()).toBe(before);
  });

  it("cuts off a body of no declared length once it passes the limit; nothing is stored", async () => {
    const before = await assetCount();
    const chunk = new TextEncoder().encode("y".repeat(64));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 4) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await runWorker(
      `${ORIGIN}/v3/assets?filename=chunked.txt`,
      {
        method: "POST",
        headers: auth(stack, { "content-type": "text/plain" }),
        body,
        duplex: "half",
      } as RequestInit,
      { STRICT_BODY_BYTES: "100" } as Partial<Env>,
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain("the upload stream ended with an error");
    expect(await assetCount()).toBe(before);
  });
});

describe("the Images binding", () => {
  const png = imageFixture("png-123x45.png");
  /** A PNG of the given size, made by the local engine from a fixture. */
  async function pngOf(width: number, height: number): Promise<Uint8Array> {
    const made = await (env as BothEnv).IMAGES.input(streamOf(png))
      .transform({ width, height })
      .output({ format: "image/png" });
    return new Uint8Array(await new Response(made.image()).arrayBuffer());
  }

  it("answers 9422 once the quota of transformations is spent", async () => {
    const quota = imageTransformations.count; // none left from here on
    const images = strict({ imagesQuota: quota }).IMAGES;
    const attempt = images
      .input(streamOf(png))
      .transform({ width: 10 })
      .output({ format: "image/png" });
    await expect(attempt).rejects.toMatchObject({ code: 9422 });
    await expect(attempt).rejects.toThrow(/usage limit was reached/);
  });

  it("refuses an input over 12,000 pixels a side with 9402", async () => {
    const wide = await pngOf(12_001, 2);
    const attempt = strict()
      .IMAGES.input(streamOf(wide))
      .transform({ width: 100 })
      .output({ format: "image/png" });
    await expect(attempt).rejects.toMatchObject({ code: 9402 });
  });

  it("answers WebP for AVIF over 1,200 pixels a side, and AVIF below", async () => {
    const source = await pngOf(1_300, 20);
    const big = await strict().IMAGES.input(streamOf(source)).output({ format: "image/avif" });
    expect(big.contentType()).toBe("image/webp");
    const small = await strict()
      .IMAGES.input(streamOf(source))
      .transform({ width: 1_200 })
      .output({ format: "image/avif" });
    expect(small.contentType()).toBe("image/avif");
    await small.image().cancel();
    await big.image().cancel();
  });
});
