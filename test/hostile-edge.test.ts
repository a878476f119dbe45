// Runs the hostile cases of hostile-edge.table.ts against the public host (and the management
// host's download): each gets its status and error_code, a JSON error naming the field where one
// is wrong, never a 5xx, and leaves every KV record and published row of both stacks as it was.

import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { deliveryTokenKey, environmentIndexKey, readModelKey } from "../src/domain/kv-records";
import { DELIVERY_HOST, MANAGEMENT_HOST } from "./both-workers";
import {
  auth,
  createDeliveryToken,
  createEnvironment,
  createStack,
  fetchText,
  fillPlaceholders,
  publishAsset,
  replaceAsset,
  type Stack,
  sha256Hex,
  uploadAsset,
} from "./helpers";
import { EDGE_CASES } from "./hostile-edge.table";

let stack: Stack;
let values: Record<string, string>;
let keys: string[];
let baseline: unknown;

async function stored() {
  const records = await Promise.all(keys.map((key) => env.ASSET_INDEX.get(key)));
  const { results } = await env.PUBLISHED.prepare(
    `SELECT api_key, environment_uid, uid, revision, body FROM published_assets
     WHERE api_key IN (?, ?) ORDER BY api_key, environment_uid, uid`,
  )
    .bind(values.api_key, values.other_api_key)
    .all();
  return { records, rows: results };
}

beforeAll(async () => {
  stack = await createStack("Hostile edge");
  const other = await createStack("Hostile edge, other");
  const envUid = await createEnvironment(stack, "production");
  await createEnvironment(stack, "staging");
  await createEnvironment(other, "production");
  await createEnvironment(other, "elsewhere");
  const token = await createDeliveryToken(stack, ["production"]);
  const staging = await createDeliveryToken(stack, ["staging"]);
  const theirs = await createDeliveryToken(other, ["production"]);
  const v1 = await uploadAsset(stack, "hero.txt", "one", { "asset[permanent_url]": "hero" });
  await publishAsset(stack, v1.uid, { environments: ["production"] });
  const v2 = await replaceAsset(stack, v1.uid, "hero.txt", "two");
  const elsewhere = await uploadAsset(other, "hero.txt", "theirs", {
    "asset[permanent_url]": "hero",
  });
  await publishAsset(other, elsewhere.uid, { environments: ["production"] });
  values = {
    api_key: stack.apiKey,
    other_api_key: other.apiKey,
    token: token.token,
    token_hash: await sha256Hex(token.token),
    staging_token: staging.token,
    other_token: theirs.token,
    management: stack.token,
    uid: v1.uid,
    other_uid: elsewhere.uid,
    v1: new URL(v1.url).pathname,
    v2: new URL(v2.url).pathname,
    env_uid: envUid,
    long: "x".repeat(10_000),
  };
  keys = [
    readModelKey(stack.apiKey, v1.uid),
    readModelKey(other.apiKey, elsewhere.uid),
    environmentIndexKey(stack.apiKey),
    environmentIndexKey(other.apiKey),
    ...(await Promise.all([token, staging, theirs].map((t) => sha256Hex(t.token)))).map(
      deliveryTokenKey,
    ),
  ];
  baseline = await stored();
});

describe("hostile requests to the public host", () => {
  it("has at least 40 cases", () => {
    expect(EDGE_CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(EDGE_CASES)("$name: $expect.status", async (c) => {
    const fill = (text: string) => fillPlaceholders(text, values);
    const host = c.host === "public" ? DELIVERY_HOST : MANAGEMENT_HOST;
    const headers = Object.fromEntries(
      Object.entries(c.host === "public" ? c.headers : auth(stack)).map(([k, v]) => [k, fill(v)]),
    );
    const res = await fetchText(`https://${host}${fill(c.path)}`, {
      method: c.method ?? "GET",
      headers,
    });
    expect(res.status, res.text).toBe(c.expect.status);
    const body = JSON.parse(res.text) as { error_code: number; errors?: Record<string, string[]> };
    expect(body.error_code).toBe(c.expect.errorCode);
    if (c.expect.field) expect(Object.keys(body.errors ?? {})).toEqual([c.expect.field]);
    expect(res.headers.get("cache-control") ?? "").toMatch(/no-store|^$/);
    expect(await stored()).toEqual(baseline);
  });
});
