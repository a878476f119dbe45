// The orphan sweep and the records it reads: every upload path records its bytes as pending
// before storing them and clears the record once committed; a crash between the two leaves the
// record, and the sweep deletes such bytes once older than the grace period, within its budget
// of subrequests, asking only the assets a record names.

import {
  createExecutionContext,
  createScheduledController,
  env,
  waitOnExecutionContext,
} from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { PENDING_PREFIX, pendingKeyOf } from "../src/domain/pending-uploads";
import { sweepOrphans } from "../src/maintenance/orphan-sweep";
import worker, { type BothEnv } from "./both-workers";
import {
  type AssetJson,
  auth,
  createStack,
  ORIGIN,
  runWorker,
  type Stack,
  uploadAsset,
} from "./helpers";

let stack: Stack;
beforeAll(async () => {
  stack = await createStack();
});

/** Every record of a pending upload now in the bucket. */
async function records(): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.FILES.list({ prefix: PENDING_PREFIX, ...(cursor ? { cursor } : {}) });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys;
}

/** The sweep as a run after the grace period has passed for everything stored so far. */
const sweepNow = (budget = 500) => sweepOrphans(env, new Date(Date.now() + 1000), budget);

/** An upload that crashed between storing and committing: its bytes and its record. */
async function crashed(apiKey: string, assetUid: string, n: number): Promise<string> {
  const key = `${apiKey}/${assetUid}/${n.toString(16).padStart(24, "0")}/lost.txt`;
  await env.FILES.put(pendingKeyOf(key), new Uint8Array(0));
  await env.FILES.put(key, "lost");
  return key;
}

describe("the records of pending uploads", () => {
  it("are cleared once a raw, a multipart and a session upload are committed", async () => {
    const before = await records();
    const raw = await runWorker(`${ORIGIN}/v3/assets?filename=raw.txt`, {
      method: "POST",
      headers: auth(stack, { "content-type": "text/plain", "content-length": "3" }),
      body: "raw",
    });
    expect(raw.status).toBe(201);
    const form = new FormData();
    form.append("asset[upload]", new Blob(["form"], { type: "text/plain" }), "form.txt");
    expect(
      (await runWorker(`${ORIGIN}/v3/assets`, { method: "POST", headers: auth(stack), body: form }))
        .status,
    ).toBe(201);
    const started = await runWorker(`${ORIGIN}/v3/uploads`, {
      method: "POST",
      headers: auth(stack, { "content-type": "application/json" }),
      body: JSON.stringify({ upload: { filename: "s.txt", file_size: 7 } }),
    });
    expect(started.status).toBe(201);
    const uid = (JSON.parse(started.text) as { upload: { uid: string } }).upload.uid;
    expect(await records()).toHaveLength(before.length + 1); // the session's, until it commits
    const part = await runWorker(`${ORIGIN}/v3/uploads/${uid}/parts/1`, {
      method: "PUT",
      headers: auth(stack, { "content-length": "7" }),
      body: "session",
    });
    expect(part.status).toBe(200);
    const done = await runWorker(`${ORIGIN}/v3/uploads/${uid}/complete`, {
      method: "POST",
      headers: auth(stack),
    });
    expect(done.status).toBe(201);
    expect(await records()).toEqual(before);
  });

  it("outlive an upload whose commit failed and whose discard failed too, until the sweep", async () => {
    const asset = await uploadAsset(stack, "kept.txt", "as it was");
    const before = await records();
    const files = new Proxy(env.FILES, {
      get(target, prop) {
        if (prop === "delete") return () => Promise.reject(new Error("injected R2 delete failure"));
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const assets = {
      idFromName: (name: string) => env.ASSETS.idFromName(name),
      get: () => ({
        get: () => Promise.resolve({}),
        update: () => Promise.reject(new Error("down")),
      }),
    } as unknown as Env["ASSETS"];
    const res = await runWorker(
      `${ORIGIN}/v3/assets/${asset.uid}?filename=new.txt`,
      {
        method: "PUT",
        headers: auth(stack, { "content-type": "text/plain", "content-length": "3" }),
        body: "new",
      },
      { FILES: files, ASSETS: assets },
    );
    expect(res.status).toBeGreaterThanOrEqual(500);
    const left = (await records()).filter((k) => !before.includes(k));
    expect(left).toHaveLength(1);
    const stored = await env.FILES.list({ prefix: `${stack.apiKey}/${asset.uid}/` });
    expect(stored.objects).toHaveLength(2); // the version, and the crashed upload's bytes

    expect((await sweepOrphans(env, new Date(Date.now() - 60_000), 500)).deleted).toEqual([]);
    const swept = await sweepNow();
    expect(swept.deleted).toHaveLength(1);
    expect(await records()).not.toContain(left[0]);
    const after = await env.FILES.list({ prefix: `${stack.apiKey}/${asset.uid}/` });
    expect(after.objects.map((o) => o.key)).toEqual([asset.url.split("/v3/assets/")[1]]);
  });
});

describe("the orphan sweep", () => {
  it("keeps a committed version whose record was left behind, and clears the record", async () => {
    const asset: AssetJson = await uploadAsset(stack, "committed.txt", "committed");
    const key = asset.url.split("/v3/assets/")[1] as string;
    await env.FILES.put(pendingKeyOf(key), new Uint8Array(0)); // as if the clear had failed
    const swept = await sweepNow();
    expect(swept.deleted).toEqual([]);
    expect(swept.assetsAsked).toBe(1);
    expect(await env.FILES.head(key)).not.toBeNull();
    expect(await records()).not.toContain(pendingKeyOf(key));
  });

  it("makes one list call and asks no asset when nothing is pending", async () => {
    await sweepNow(); // whatever earlier tests left
    const swept = await sweepNow();
    expect(swept).toMatchObject({ old: 0, assetsAsked: 0, subrequests: 1, finished: true });
  });

  it("leaves an object no record names alone: it never lists the bucket", async () => {
    const unrecorded = `${stack.apiKey}/blt00000000000000aa/${"c".repeat(24)}/unrecorded.txt`;
    await env.FILES.put(unrecorded, "not the sweep's");
    await sweepNow();
    expect(await env.FILES.head(unrecorded)).not.toBeNull();
  });

  it("stays within its budget and finishes what is left in the runs after", async () => {
    // Three assets: an asset's object is asked once for all its records a run takes.
    const keys = await Promise.all(
      Array.from({ length: 30 }, (_, i) => crashed(stack.apiKey, `blt00000000000000b${i % 3}`, i)),
    );
    const runs = [];
    for (let run = 0; run < 5; run++) {
      const swept = await sweepNow(20);
      expect(swept.subrequests).toBeLessThanOrEqual(20);
      runs.push(swept);
      if (swept.finished) break;
    }
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.at(-1)?.finished).toBe(true);
    expect(runs.flatMap((r) => r.deleted).sort()).toEqual([...keys].sort());
    for (const key of keys) expect(await env.FILES.head(key)).toBeNull();
  });

  it("runs from the cron trigger with ORPHAN_MIN_AGE_SECONDS and SWEEP_MAX_SUBREQUESTS", async () => {
    const key = await crashed(stack.apiKey, "blt00000000000000cc", 1);
    const run = async (vars: Partial<BothEnv>) => {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController(), { ...env, ...vars } as BothEnv, ctx);
      await waitOnExecutionContext(ctx);
    };
    await run({}); // the default grace (48 hours) protects it
    expect(await env.FILES.head(key)).not.toBeNull();
    await run({ ORPHAN_MIN_AGE_SECONDS: "0", SWEEP_MAX_SUBREQUESTS: "10" });
    expect(await env.FILES.head(key)).toBeNull();
    expect(await records()).not.toContain(pendingKeyOf(key));
  });
});
