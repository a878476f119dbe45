// Runs the hostile cases of hostile-publishing.table.ts: each gets its status and error_code, a
// JSON error naming the field, and leaves both stacks' environments, delivery tokens, scopes,
// KV index and grants exactly as they were.

import {
  createExecutionContext,
  env,
  runInDurableObject,
  SELF,
  waitOnExecutionContext,
} from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { deliveryTokenKey, environmentIndexKey } from "../src/domain/kv-records";
import type { StackObject } from "../src/objects/stack-object";
import { stackStub } from "../src/objects/stubs";
import worker, { type BothEnv } from "./both-workers";
import {
  ADMIN_TOKEN,
  auth,
  call,
  createStack,
  fillPlaceholders,
  fillPlaceholdersDeep,
  ORIGIN,
  type Stack,
  sha256Hex,
} from "./helpers";
import { type Auth, PUBLISHING_CASES, type PublishingCase } from "./hostile-publishing.table";

let stack: Stack;
let other: Stack;
let deliveryToken: string;
let values: Record<string, string>;
let hashes: string[];
let baseline: unknown;

const fill = (text: string) => fillPlaceholders(text, values);

function credentials(kind: Auth): Record<string, string> {
  switch (kind) {
    case "stack":
      return auth(stack);
    case "other":
      return auth(other);
    case "cross":
      return { api_key: stack.apiKey, authorization: other.token };
    case "admin":
      return { api_key: stack.apiKey, authorization: ADMIN_TOKEN };
    case "delivery":
      return { api_key: stack.apiKey, authorization: deliveryToken };
    case "none":
      return { api_key: stack.apiKey };
  }
}

async function send(of: Stack, method: string, path: string, body: unknown) {
  const res = await call(path, {
    method,
    headers: auth(of, { "content-type": "application/json" }),
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Record<string, { uid: string; token?: string }>;
}

/** A GET through the Worker's handler directly (SELF.fetch slows with every request). */
async function direct(path: string, of: Stack): Promise<unknown> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${ORIGIN}${path}`, { headers: auth(of) }),
    env as BothEnv,
    ctx,
  );
  const body = await res.json();
  await waitOnExecutionContext(ctx);
  return body;
}

const tables = (of: Stack) =>
  runInDurableObject(stackStub(env, of.apiKey), (_o: StackObject, state) => {
    const sql = state.storage.sql;
    return ["environments", "delivery_tokens", "delivery_token_scope", "environment_drops"].map(
      (table) => sql.exec(`SELECT * FROM ${table} ORDER BY 1, 2`).toArray(),
    );
  });

/** Everything a hostile request must not change, for both stacks. */
async function snapshot() {
  return Promise.all(
    [stack, other].map(async (of) => ({
      environments: await direct("/v3/environments", of),
      tokens: await direct("/v3/stacks/delivery_tokens", of),
      index: await env.ASSET_INDEX.get(environmentIndexKey(of.apiKey)),
      tables: await tables(of),
    })),
  ).then(async (stacks) => ({
    stacks,
    grants: await Promise.all(hashes.map((h) => env.ASSET_INDEX.get(deliveryTokenKey(h)))),
  }));
}

beforeAll(async () => {
  stack = await createStack("Publishing target");
  other = await createStack("Publishing neighbour");
  const production = await send(stack, "POST", "/v3/environments", {
    environment: { name: "production" },
  });
  await send(stack, "POST", "/v3/environments", { environment: { name: "staging" } });
  await send(stack, "POST", "/v3/environments", { environment: { name: "Café" } });
  const theirs = await send(other, "POST", "/v3/environments", {
    environment: { name: "production" },
  });
  await send(other, "POST", "/v3/environments", { environment: { name: "only-theirs" } });
  const scope = [{ module: "environment", environments: ["production"], acl: { read: true } }];
  const token = await send(stack, "POST", "/v3/stacks/delivery_tokens", {
    token: { name: "Site", scope },
  });
  const otherToken = await send(other, "POST", "/v3/stacks/delivery_tokens", {
    token: { name: "Their site", scope },
  });
  deliveryToken = token.token?.token as string;
  hashes = [await sha256Hex(deliveryToken), await sha256Hex(otherToken.token?.token as string)];
  values = {
    env_uid: production.environment?.uid as string,
    other_env_uid: theirs.environment?.uid as string,
    token_uid: token.token?.uid as string,
    other_token_uid: otherToken.token?.uid as string,
    delivery_token: deliveryToken,
  };
  baseline = await snapshot();
});

function request(c: PublishingCase): Request {
  const headers = new Headers(credentials(c.auth));
  let body: string | undefined;
  if (c.raw !== undefined || c.body !== undefined) {
    headers.set("content-type", "application/json");
    body = c.raw ?? JSON.stringify(fillPlaceholdersDeep(c.body, values));
  }
  return new Request(`${ORIGIN}${fill(c.path)}`, { method: c.method, headers, body });
}

describe("hostile publishing inputs", () => {
  it("has at least 40 cases, each named once", () => {
    expect(PUBLISHING_CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(PUBLISHING_CASES.map((c) => c.name)).size).toBe(PUBLISHING_CASES.length);
  });

  it.each(PUBLISHING_CASES)("$name: a clear $expect.status, nothing changed", async (c) => {
    const res = await SELF.fetch(request(c));
    const text = await res.text();
    expect(res.status, text).toBe(c.expect.status);
    const body = JSON.parse(text) as { error_code: number; errors?: Record<string, string[]> };
    expect(body.error_code, text).toBe(c.expect.errorCode);
    if (c.expect.field) expect(body.errors, text).toHaveProperty([c.expect.field]);
    expect(await snapshot()).toEqual(baseline);
  });
});
