// Runs the hostile cases of hostile-publish-actions.table.ts: each gets its status and error_code,
// a JSON error naming the field, and leaves both stacks' publishing exactly as it was: every
// asset object's publications, waiting actions and revision, the edge records in KV, the rows of
// the published catalogue in D1, and both publish queues.

import { env, runInDurableObject, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { readModelKey } from "../src/domain/kv-records";
import type { AssetObject } from "../src/objects/asset-object";
import { assetStub } from "../src/objects/stubs";
import {
  auth,
  call,
  createEnvironment,
  createStack,
  fillPlaceholders,
  fillPlaceholdersDeep,
  ORIGIN,
  type Stack,
  uploadAsset,
} from "./helpers";
import {
  type Auth,
  PUBLISH_ACTION_CASES,
  type PublishActionCase,
} from "./hostile-publish-actions.table";

let stack: Stack;
let other: Stack;
let assets: { of: Stack; uid: string }[];
let values: Record<string, string>;
let baseline: unknown;

function credentials(kind: Auth): Record<string, string> {
  switch (kind) {
    case "stack":
      return auth(stack);
    case "other":
      return auth(other);
    case "cross":
      return { api_key: stack.apiKey, authorization: other.token };
    case "none":
      return { api_key: stack.apiKey };
  }
}

async function post(of: Stack, path: string, body: unknown) {
  const res = await call(path, {
    method: "POST",
    headers: auth(of, { "content-type": "application/json" }),
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { publish_queue_uid?: string };
}

/** One stack with an asset published to production and a publish waiting. */
async function fixture(of: Stack, environment: string) {
  const asset = await uploadAsset(of, "hostile.txt", "published bytes");
  const target = { asset: { environments: [environment] } };
  await post(of, `/v3/assets/${asset.uid}/publish`, target);
  const later = await post(of, `/v3/assets/${asset.uid}/publish`, {
    ...target,
    scheduled_at: "2035-01-01T00:00:00Z",
  });
  return { uid: asset.uid, queueUid: later.publish_queue_uid as string };
}

async function queue(of: Stack) {
  const res = await call("/v3/publish-queue", { headers: auth(of) });
  return res.json();
}

async function d1Rows(of: Stack) {
  const { results } = await env.PUBLISHED.prepare(
    "SELECT * FROM published_assets WHERE api_key = ? ORDER BY uid, environment_uid",
  )
    .bind(of.apiKey)
    .all();
  return results;
}

/** Everything a hostile request must not change. */
async function snapshot() {
  const objects = await Promise.all(
    assets.map(({ of, uid }) =>
      runInDurableObject(assetStub(env, of.apiKey, uid), (obj: AssetObject, ctx) => ({
        publishing: obj.publications(),
        asset: ctx.storage.kv.get("asset"),
      })),
    ),
  );
  const records = await Promise.all(
    assets.map(({ of, uid }) => env.ASSET_INDEX.get(readModelKey(of.apiKey, uid))),
  );
  return {
    objects,
    records,
    rows: [await d1Rows(stack), await d1Rows(other)],
    queues: [await queue(stack), await queue(other)],
  };
}

beforeAll(async () => {
  stack = await createStack("Publish actions target");
  other = await createStack("Publish actions neighbour");
  await createEnvironment(stack, "production");
  await createEnvironment(stack, "staging");
  const theirs = await createEnvironment(other, "only-theirs");
  const mine = await fixture(stack, "production");
  const their = await fixture(other, "only-theirs");
  assets = [
    { of: stack, uid: mine.uid },
    { of: other, uid: their.uid },
  ];
  values = {
    uid: mine.uid,
    other_uid: their.uid,
    queue_uid: mine.queueUid,
    other_queue_uid: their.queueUid,
    other_env_uid: theirs,
  };
  baseline = await snapshot();
});

function request(c: PublishActionCase): Request {
  const headers = new Headers(credentials(c.auth));
  let body: string | undefined;
  if (c.raw !== undefined || c.body !== undefined) {
    headers.set("content-type", "application/json");
    body = c.raw ?? JSON.stringify(fillPlaceholdersDeep(c.body, values));
  }
  const path = fillPlaceholders(c.path, values);
  return new Request(`${ORIGIN}${path}`, { method: c.method, headers, body });
}

describe("hostile publishing actions", () => {
  it("has at least 40 cases, each named once", () => {
    expect(PUBLISH_ACTION_CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(PUBLISH_ACTION_CASES.map((c) => c.name)).size).toBe(PUBLISH_ACTION_CASES.length);
  });

  it.each(PUBLISH_ACTION_CASES)("$name: a clear $expect.status, nothing changed", async (c) => {
    const res = await SELF.fetch(request(c));
    const text = await res.text();
    expect(res.status, text).toBe(c.expect.status);
    const body = JSON.parse(text) as { error_code: number; errors?: Record<string, string[]> };
    expect(body.error_code, text).toBe(c.expect.errorCode);
    if (c.expect.field) expect(body.errors, text).toHaveProperty([c.expect.field]);
    expect(await snapshot()).toEqual(baseline);
  });
});
