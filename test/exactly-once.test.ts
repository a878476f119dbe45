// The permanent URL is written exactly once, whatever the concurrency (docs/CONTRACT.md).

import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AssetObject } from "../src/objects/asset-object";
import { assetStub } from "../src/objects/stubs";
import {
  type AssetJson,
  auth,
  call,
  createStack,
  fetchText,
  setPermanentUrl,
  uploadAsset,
} from "./helpers";

describe("generating the permanent URL", () => {
  it("lets exactly one of 50 concurrent different slugs win; the others get 409", async () => {
    const stack = await createStack();
    const asset = await uploadAsset(stack, "race.txt", "contested");
    const slugs = Array.from({ length: 50 }, (_, i) => `slug-${i}`);
    const responses = await Promise.all(
      slugs.map((slug) => setPermanentUrl(stack, asset.uid, slug)),
    );
    const bodies = await Promise.all(
      responses.map((r) => r.json() as Promise<Record<string, unknown>>),
    );

    const winners = responses.flatMap((r, i) => (r.status === 200 ? [slugs[i]] : []));
    expect(winners).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(49);
    const winner = winners[0] as string;
    const permanent = `https://assets.test/v3/assets/${stack.apiKey}/${asset.uid}/${winner}`;
    for (const [i, body] of bodies.entries()) {
      if (responses[i]?.status === 409) {
        expect(body.error_code).toBe(147);
        expect(body.error_message).toContain(permanent);
      }
    }

    // The Durable Object, the API and the KV read model all agree on the winner.
    const stub = assetStub(env, stack.apiKey, asset.uid);
    const stored = await runInDurableObject(stub, (obj: AssetObject) => obj.get());
    expect(stored?.asset.slug).toBe(winner);
    expect(await runInDurableObject(stub, (obj: AssetObject) => obj.isSynced())).toBe(true);
    const model = await env.ASSET_INDEX.get<{ slug: string }>(
      `asset:${stack.apiKey}/${asset.uid}`,
      { type: "json" },
    );
    expect(model?.slug).toBe(winner);
    const get = await call(`/v3/assets/${asset.uid}`, { headers: auth(stack) });
    expect(((await get.json()) as { asset: AssetJson }).asset.permanent_url).toBe(permanent);

    // Only the winner's URL serves; every loser's is a 404.
    expect((await fetchText(permanent)).status).toBe(200);
    const loser = slugs.find((s) => s !== winner) as string;
    expect((await fetchText(permanent.replace(winner, loser))).status).toBe(404);
  });

  it("answers a same-slug retry with 200 and the same body, without touching updated_at", async () => {
    const stack = await createStack();
    const asset = await uploadAsset(stack, "retry.txt", "retry me");
    const first = await setPermanentUrl(stack, asset.uid, "retry-me");
    const firstBody = await first.json();
    expect(first.status).toBe(200);
    const retries = await Promise.all(
      Array.from({ length: 10 }, () => setPermanentUrl(stack, asset.uid, "retry-me")),
    );
    for (const retry of retries) {
      expect(retry.status).toBe(200);
      expect(await retry.json()).toEqual(firstBody);
    }
  });

  it("treats the full-URL form and the bare slug as the same value", async () => {
    const stack = await createStack();
    const asset = await uploadAsset(stack, "full.txt", "full");
    const full = `https://cdn.example.com/v3/assets/${stack.apiKey}/${asset.uid}/full-form`;
    const first = await setPermanentUrl(stack, asset.uid, full);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { asset: AssetJson }).asset.permanent_url).toBe(
      `https://assets.test/v3/assets/${stack.apiKey}/${asset.uid}/full-form`,
    );
    const bare = await setPermanentUrl(stack, asset.uid, "full-form");
    expect(bare.status).toBe(200);
    await bare.arrayBuffer();
  });

  it("lets one winner emerge when concurrent requests mix retries of one slug with others", async () => {
    const stack = await createStack();
    const asset = await uploadAsset(stack, "mixed.txt", "mixed");
    const slugs = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? "popular" : `rare-${i}`));
    const responses = await Promise.all(
      slugs.map((slug) => setPermanentUrl(stack, asset.uid, slug)),
    );
    await Promise.all(responses.map((r) => r.arrayBuffer()));
    const okSlugs = new Set(responses.flatMap((r, i) => (r.status === 200 ? [slugs[i]] : [])));
    expect(okSlugs.size).toBe(1);
    for (const r of responses) expect([200, 409]).toContain(r.status);
  });

  it("never changes the slug on replace, title or description edits", async () => {
    const stack = await createStack();
    const asset = await uploadAsset(stack, "keep.txt", "keep", {
      "asset[permanent_url]": "keep-me",
    });
    expect(asset.permanent_url).toMatch(/\/keep-me$/);
    const edit = await call(`/v3/assets/${asset.uid}`, {
      method: "PUT",
      headers: auth(stack, { "content-type": "application/json" }),
      body: JSON.stringify({ asset: { title: "New title", description: "New description" } }),
    });
    const edited = (await edit.json()) as { notice: string; asset: AssetJson };
    expect(edit.status).toBe(200);
    expect(edited.notice).toBe("Asset updated successfully.");
    expect(edited.asset).toMatchObject({
      title: "New title",
      description: "New description",
      permanent_url: asset.permanent_url,
    });
    const conflict = await setPermanentUrl(stack, asset.uid, "another");
    expect(conflict.status).toBe(409);
    await conflict.arrayBuffer();
  });
});
