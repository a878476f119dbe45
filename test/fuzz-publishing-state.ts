// What the fuzzer's publishing surfaces start from and must not change when they refuse: the
// stack's environments (production, staging, Café; the other stack's production and
// only-theirs), a delivery token of each stack scoped to production, asset A published to
// production; and a snapshot of every table, KV record and D1 row behind them.

import { env, runInDurableObject } from "cloudflare:test";
import { expect } from "vitest";
import { deliveryTokenKey, environmentIndexKey } from "../src/domain/kv-records";
import type { StackObject } from "../src/objects/stack-object";
import { assetStub, stackStub } from "../src/objects/stubs";
import { auth, call, createEnvironment, type Stack, sha256Hex } from "./helpers";
import type { Fixture } from "./stored-state";

const PUBLISHING_TABLES = [
  "environments",
  "delivery_tokens",
  "delivery_token_scope",
  "publications",
  "environment_drops",
  "publish_queue",
];

async function post(of: Stack, path: string, body: unknown) {
  const res = await call(path, {
    method: "POST",
    headers: auth(of, { "content-type": "application/json" }),
    body: JSON.stringify(body),
  });
  const text = await res.text();
  expect(res.status, text).toBeLessThan(300);
  return JSON.parse(text) as Record<string, Record<string, string>>;
}

const SCOPE = [{ module: "environment", environments: ["production"], acl: { read: true } }];

/** Adds the publishing fixture to `f` (its placeholders to f.values). */
export async function seedPublishing(f: Fixture): Promise<void> {
  const uids: Record<string, string> = {};
  for (const name of ["production", "staging", "Caf\u00e9"]) {
    uids[`env:${name}`] = await createEnvironment(f.stack, name);
  }
  const otherProduction = await createEnvironment(f.other, "production");
  await createEnvironment(f.other, "only-theirs");
  const token = await post(f.stack, "/v3/stacks/delivery_tokens", {
    token: { name: "Site", scope: SCOPE },
  });
  const otherToken = await post(f.other, "/v3/stacks/delivery_tokens", {
    token: { name: "Their site", scope: SCOPE },
  });
  await post(f.stack, `/v3/assets/${f.assetA.uid}/publish`, {
    asset: { environments: ["production"] },
  });
  Object.assign(f.values, uids, {
    env_uid: uids["env:production"],
    other_env_uid: otherProduction,
    delivery_token: token.token?.token,
    delivery_token_uid: token.token?.uid,
    other_delivery_token: otherToken.token?.token,
  });
}

const tables = (of: Stack) =>
  runInDurableObject(stackStub(env, of.apiKey), (_o: StackObject, state) =>
    PUBLISHING_TABLES.map((table) =>
      state.storage.sql.exec(`SELECT * FROM ${table} ORDER BY 1, 2`).toArray(),
    ),
  );

/** Everything of publishing a refused request must leave as it was. */
export async function publishingState(f: Fixture) {
  const secrets = [f.values.delivery_token, f.values.other_delivery_token];
  const hashes = await Promise.all(secrets.map((s) => sha256Hex(s ?? "")));
  const { results: rows } = await env.PUBLISHED.prepare(
    "SELECT * FROM published_assets WHERE api_key IN (?, ?) ORDER BY api_key, uid, environment_uid",
  )
    .bind(f.stack.apiKey, f.other.apiKey)
    .all();
  return {
    stacks: await Promise.all(
      [f.stack, f.other].map(async (of) => ({
        tables: await tables(of),
        index: await env.ASSET_INDEX.get(environmentIndexKey(of.apiKey)),
      })),
    ),
    grants: await Promise.all(hashes.map((h) => env.ASSET_INDEX.get(deliveryTokenKey(h)))),
    assets: await Promise.all(
      [f.assetA, f.assetB, f.image].map((a) =>
        assetStub(env, f.stack.apiKey, a.uid).publications(),
      ),
    ),
    rows,
  };
}
