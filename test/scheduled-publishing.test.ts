// Scheduled publishing (`scheduled_at`): the action waits in the asset's Durable Object, is listed
// by the publish queue, fires from the object's alarm at its time with no request, at most once
// (racing a manual action, a cancel, or a second alarm), and survives an alarm that throws. The
// clock is moved with vitest's fake Date: the objects run in this same isolate.

import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type ReadModel, readModelKey } from "../src/domain/kv-records";
import {
  publishedSchema,
  publishQueueItemFoundSchema,
  publishQueueSchema,
} from "../src/http/publish-response-schemas";
import type { AssetObject } from "../src/objects/asset-object";
import { assetStub } from "../src/objects/stubs";
import {
  auth,
  call,
  createEnvironment,
  createStack,
  replaceAsset,
  type Stack,
  uploadAsset,
} from "./helpers";

let stack: Stack;
let production: string;

beforeAll(async () => {
  stack = await createStack("Scheduling");
  production = await createEnvironment(stack, "production");
});

afterEach(() => {
  vi.useRealTimers();
});

const send = (method: string, path: string, body?: unknown) =>
  call(path, {
    method,
    headers: auth(stack, { "content-type": "application/json" }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const HOUR = 3_600_000;
const inAnHour = () => new Date(Date.now() + HOUR).toISOString();

async function schedule(uid: string, action: string, at: string, extra: object = {}) {
  const res = await send("POST", `/v3/assets/${uid}/${action}`, {
    asset: { environments: ["production"], locales: ["en-us"] },
    scheduled_at: at,
    ...extra,
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const body = publishedSchema.parse(await res.json());
  expect(body.publish_queue_uid).toMatch(/^blt[0-9a-f]{16}$/);
  return body.publish_queue_uid as string;
}

const kvPublished = async (uid: string) =>
  (await env.ASSET_INDEX.get<ReadModel>(readModelKey(stack.apiKey, uid), "json"))?.published?.[
    production
  ] ?? null;

async function queue() {
  const res = await send("GET", "/v3/publish-queue");
  expect(res.status).toBe(200);
  return publishQueueSchema.parse(await res.json());
}

/** Moves this isolate's clock (the objects' too) past `at`, and runs the asset's alarm. */
async function fireAt(uid: string, at: string) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.parse(at) + 1);
  return runDurableObjectAlarm(assetStub(env, stack.apiKey, uid));
}

const alarmOf = (uid: string) =>
  runInDurableObject(assetStub(env, stack.apiKey, uid), (_: AssetObject, ctx) =>
    ctx.storage.getAlarm(),
  );

describe("a scheduled publish", () => {
  it("waits in the queue, arms the alarm for its time, and goes live when it fires", async () => {
    const asset = await uploadAsset(stack, "launch.txt", "v1", { "asset[title]": "Launch" });
    const at = inAnHour();
    const queueUid = await schedule(asset.uid, "publish", at);
    // Nothing is published yet; the action is listed, with the version fixed now.
    expect(await kvPublished(asset.uid)).toBeNull();
    const listed = await queue();
    const item = listed.queue.find((q) => q.uid === queueUid);
    expect(item).toMatchObject({
      type: "asset",
      action: "publish",
      status: "scheduled",
      asset: { uid: asset.uid, title: "Launch", version: 1 },
      environment: [production],
      locale: ["en-us"],
      scheduled_at: at,
      created_by: stack.tokenUid,
    });
    const one = await send("GET", `/v3/publish-queue/${queueUid}`);
    expect(publishQueueItemFoundSchema.parse(await one.json()).queue.uid).toBe(queueUid);
    expect(await alarmOf(asset.uid)).toBe(Date.parse(at));

    // A replace meanwhile does not change what fires: the version was fixed when scheduled.
    await replaceAsset(stack, asset.uid, "launch.txt", "v2");
    expect(await fireAt(asset.uid, at)).toBe(true);
    vi.useRealTimers();
    expect((await kvPublished(asset.uid))?.version).toBe(1);
    expect((await queue()).queue.some((q) => q.uid === queueUid)).toBe(false);
    const gone = await send("GET", `/v3/publish-queue/${queueUid}`);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error_code: number }).error_code).toBe(164);
  });

  it("a scheduled unpublish takes the environment's publication away at its time", async () => {
    const asset = await uploadAsset(stack, "sunset.txt", "s");
    await send("POST", `/v3/assets/${asset.uid}/publish`, {
      asset: { environments: ["production"] },
    });
    expect((await kvPublished(asset.uid))?.version).toBe(1);
    const at = inAnHour();
    await schedule(asset.uid, "unpublish", at);
    expect((await kvPublished(asset.uid))?.version).toBe(1);
    await fireAt(asset.uid, at);
    vi.useRealTimers();
    expect(await kvPublished(asset.uid)).toBeNull();
  });

  it("a repeated request gets the same action, not a second one", async () => {
    const asset = await uploadAsset(stack, "twice.txt", "t");
    const at = inAnHour();
    const first = await schedule(asset.uid, "publish", at);
    const again = await schedule(asset.uid, "publish", at);
    expect(again).toBe(first);
    expect((await queue()).queue.filter((q) => q.asset.uid === asset.uid)).toHaveLength(1);
  });

  it("is cancelled through the publish queue, and then never fires", async () => {
    const asset = await uploadAsset(stack, "cancel.txt", "c");
    const at = inAnHour();
    const queueUid = await schedule(asset.uid, "publish", at);
    const res = await send("GET", `/v3/publish-queue/${queueUid}/unschedule`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ notice: "Scheduled action cancelled successfully." });
    const again = await send("GET", `/v3/publish-queue/${queueUid}/unschedule`);
    expect(again.status).toBe(404);
    await again.body?.cancel();
    await fireAt(asset.uid, at);
    vi.useRealTimers();
    expect(await kvPublished(asset.uid)).toBeNull();
  });
});

describe("at most once", () => {
  it("an action racing its own cancel either fires or is cancelled, never both", async () => {
    const asset = await uploadAsset(stack, "race.txt", "r");
    const at = inAnHour();
    const queueUid = await schedule(asset.uid, "publish", at);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.parse(at) + 1);
    const [fired, cancel] = await Promise.all([
      runDurableObjectAlarm(assetStub(env, stack.apiKey, asset.uid)),
      send("GET", `/v3/publish-queue/${queueUid}/unschedule`),
    ]);
    vi.useRealTimers();
    expect(fired).toBe(true);
    const published = await kvPublished(asset.uid);
    // Exactly one of the two happened.
    expect(cancel.status === 200).toBe(published === null);
    await cancel.body?.cancel();
  });

  it("a manual publish, then the scheduled one: it fires once, a second run and alarm do nothing", async () => {
    const asset = await uploadAsset(stack, "manual.txt", "m");
    await replaceAsset(stack, asset.uid, "manual.txt", "m2");
    const at = inAnHour();
    await schedule(asset.uid, "publish", at, { version: 1 });
    // The manual publish of version 2 lands first; the scheduled one (version 1) fires later.
    await send("POST", `/v3/assets/${asset.uid}/publish`, {
      asset: { environments: ["production"] },
    });
    expect((await kvPublished(asset.uid))?.version).toBe(2);
    const stub = assetStub(env, stack.apiKey, asset.uid);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.parse(at) + 1);
    const counts = await runInDurableObject(stub, async (obj: AssetObject) => {
      const results = [obj.fireDueActions(), obj.fireDueActions()];
      await obj.alarm();
      return results;
    });
    vi.useRealTimers();
    expect(counts).toEqual([1, 0]);
    // The last committed action names what the environment serves: the scheduled version 1.
    expect((await kvPublished(asset.uid))?.version).toBe(1);
  });
});

describe("an alarm that throws", () => {
  it("fires nothing, keeps the action and its alarm, and fires it on the runtime's retry", async () => {
    const asset = await uploadAsset(stack, "throws.txt", "x");
    const at = inAnHour();
    const queueUid = await schedule(asset.uid, "publish", at);
    const stub = assetStub(env, stack.apiKey, asset.uid);
    await runInDurableObject(stub, (obj: AssetObject) => {
      const real = obj.fireDueActions.bind(obj);
      obj.fireDueActions = () => {
        obj.fireDueActions = real; // only the first run fails
        throw new Error("injected: storage failed while firing");
      };
    });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.parse(at) + 1);
    await expect(runInDurableObject(stub, (obj: AssetObject) => obj.alarm())).rejects.toThrow(
      /injected/,
    );
    // Nothing fired; the action still waits and the alarm is still set for it.
    expect(await kvPublished(asset.uid)).toBeNull();
    expect((await queue()).queue.some((q) => q.uid === queueUid)).toBe(true);
    expect(await alarmOf(asset.uid)).not.toBeNull();
    // The runtime's retry of the alarm fires it.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    vi.useRealTimers();
    expect((await kvPublished(asset.uid))?.version).toBe(1);
    expect((await queue()).queue.some((q) => q.uid === queueUid)).toBe(false);
  });
});

describe("refused schedules", () => {
  it.each([
    ["2001-01-01T00:00:00Z", "in the past"],
    ["2030-02-30T00:00:00Z", "a day that does not exist"],
    ["2030-01-01T10:00:00", "no zone"],
    ["next tuesday", "not a date"],
    ["2100-01-01T00:00:00Z", "more than ten years ahead"],
  ])("%s (%s) is a 422 naming scheduled_at, and queues nothing", async (at) => {
    const asset = await uploadAsset(stack, "refused.txt", "r");
    const res = await send("POST", `/v3/assets/${asset.uid}/publish`, {
      asset: { environments: ["production"] },
      scheduled_at: at,
    });
    expect(res.status).toBe(422);
    expect(Object.keys(((await res.json()) as { errors: object }).errors)).toEqual([
      "scheduled_at",
    ]);
    expect((await queue()).queue.some((q) => q.asset.uid === asset.uid)).toBe(false);
  });

  it("a queue uid that is not one is a 404", async () => {
    for (const path of [
      "/v3/publish-queue/nope",
      "/v3/publish-queue/blt0123456789abcdef/unschedule",
    ]) {
      const res = await send("GET", path);
      expect(res.status).toBe(404);
      await res.body?.cancel();
    }
  });
});
