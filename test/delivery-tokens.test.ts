// Delivery tokens (routes/delivery-tokens.ts): the CMA's shapes, the token shown once and kept
// only as a hash, scopes by environment name or uid, the grant the delivery Worker reads from KV
// (written on create and update, deleted on revoke), and what an environment's rename or delete
// does to scopes. A delivery token is never a management token.

import { env, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { memoized } from "../src/delivery/kv-memo";
import { deliveryTokenKey, environmentIndexKey } from "../src/domain/kv-records";
import { MAX_DELIVERY_TOKENS } from "../src/domain/publishing-records";
import {
  deliveryTokenCreatedSchema,
  deliveryTokenFoundSchema,
  deliveryTokenListSchema,
  deliveryTokenUpdatedSchema,
} from "../src/http/publishing-response-schemas";
import type { StackObject } from "../src/objects/stack-object";
import { stackStub } from "../src/objects/stubs";
import { entryEnv } from "../strict/wrap";
import { auth, call, createStack, type Stack, sha256Hex } from "./helpers";

let stack: Stack;
let production: string;
let staging: string;

const send = (of: Stack, method: string, path: string, body?: unknown) =>
  call(path, {
    method,
    headers: auth(of, { "content-type": "application/json" }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function createEnv(of: Stack, name: string): Promise<string> {
  const res = await send(of, "POST", "/v3/environments", { environment: { name } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { environment: { uid: string } }).environment.uid;
}

const scope = (environments: unknown[]) => [
  { module: "environment", environments, acl: { read: true } },
];

async function createToken(of: Stack, token: Record<string, unknown>) {
  const res = await send(of, "POST", "/v3/stacks/delivery_tokens", { token });
  expect(res.status, await res.clone().text()).toBe(201);
  return deliveryTokenCreatedSchema.parse(await res.json()).token;
}

const grant = async (token: string) =>
  JSON.parse((await env.ASSET_INDEX.get(deliveryTokenKey(await sha256Hex(token)))) ?? "null");

beforeAll(async () => {
  stack = await createStack("Delivery tokens");
  production = await createEnv(stack, "production");
  staging = await createEnv(stack, "staging");
});

describe("POST /v3/stacks/delivery_tokens", () => {
  it("creates a token: shown once, in the CMA's shape, its grant in KV under its hash", async () => {
    const token = await createToken(stack, {
      name: "Website",
      description: "The production site's build",
      scope: [
        ...scope(["production"]),
        { module: "branch", branches: ["main"], acl: { read: true } },
      ],
    });
    expect(token).toMatchObject({
      name: "Website",
      description: "The production site's build",
      type: "delivery",
      scope: [
        {
          module: "environment",
          environments: [{ uid: production, name: "production" }],
          acl: { read: true },
        },
        { module: "branch", branches: ["main"], acl: { read: true } },
      ],
      created_by: stack.tokenUid,
    });
    expect(token.token).toMatch(/^cs[0-9a-f]{32}$/);
    expect(await grant(token.token as string)).toEqual({
      apiKey: stack.apiKey,
      uid: token.uid,
      environments: [production],
    });
    // Only the hash is kept: neither the object nor KV holds the token itself.
    const stored = await runInDurableObject(stackStub(env, stack.apiKey), (_o, state) =>
      state.storage.sql.exec("SELECT * FROM delivery_tokens").toArray(),
    );
    expect(JSON.stringify(stored)).not.toContain(token.token);
    const fetched = await (
      await send(stack, "GET", `/v3/stacks/delivery_tokens/${token.uid}`)
    ).json();
    expect(deliveryTokenFoundSchema.parse(fetched).token).not.toHaveProperty("token");
  });

  it("takes environments by name, by uid, or as the objects an answer shows", async () => {
    const token = await createToken(stack, {
      name: "Both",
      scope: scope([{ uid: staging, name: "an old name" }, { name: "production" }, "staging"]),
    });
    expect(token.scope[0].environments).toEqual([
      { uid: staging, name: "staging" },
      { uid: production, name: "production" },
    ]);
    expect(token.description).toBe("");
  });

  it("refuses an environment the stack does not have (422), creating nothing", async () => {
    const other = await createStack("Someone else");
    const theirs = await createEnv(other, "production");
    const before = await (await send(stack, "GET", "/v3/stacks/delivery_tokens")).json();
    for (const environments of [["nowhere"], [{ uid: theirs }]]) {
      const res = await send(stack, "POST", "/v3/stacks/delivery_tokens", {
        token: { name: "Bad", scope: scope(environments) },
      });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({
        errors: { scope: [expect.stringContaining("names environments this stack does not have")] },
      });
    }
    expect(await (await send(stack, "GET", "/v3/stacks/delivery_tokens")).json()).toEqual(before);
  });

  it("refuses a stack's token past the limit", async () => {
    const full = await createStack("Full of tokens");
    await createEnv(full, "production");
    await runInDurableObject(stackStub(env, full.apiKey), (_o: StackObject, state) => {
      for (let i = 0; i < MAX_DELIVERY_TOKENS; i++) {
        const uid = `blt${i.toString(16).padStart(16, "0")}`;
        state.storage.sql.exec(
          "INSERT INTO delivery_tokens (uid, hash, created_at, record) VALUES (?, ?, ?, ?)",
          uid,
          `hash-${i}`,
          new Date(i).toISOString(),
          JSON.stringify({ uid, name: `t${i}` }),
        );
      }
    });
    const res = await send(full, "POST", "/v3/stacks/delivery_tokens", {
      token: { name: "One more", scope: scope(["production"]) },
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      errors: { token: [`a stack may have at most ${MAX_DELIVERY_TOKENS} delivery tokens`] },
    });
  });
});

describe("GET /v3/stacks/delivery_tokens", () => {
  it("lists the stack's tokens in creation order, never their secrets", async () => {
    const of = await createStack("Listing tokens");
    await createEnv(of, "production");
    for (const name of ["first", "second"]) {
      await createToken(of, { name, scope: scope(["production"]) });
    }
    const list = deliveryTokenListSchema.parse(
      await (await send(of, "GET", "/v3/stacks/delivery_tokens")).json(),
    );
    expect(list.tokens.map((t) => t.name)).toEqual(["first", "second"]);
    expect(list.count).toBe(2);
    expect(list.tokens.every((t) => t.token === undefined)).toBe(true);
    const limited = await (await send(of, "GET", "/v3/stacks/delivery_tokens?limit=1")).json();
    expect(limited).toMatchObject({ tokens: [{ name: "first" }], count: 2 });
    const count = await send(of, "GET", "/v3/stacks/delivery_tokens?count=true");
    expect(await count.json()).toEqual({ tokens: 2 });
  });

  it("answers 404 (error_code 163) for an unknown, malformed or other stack's uid", async () => {
    const other = await createStack("Other tokens");
    await createEnv(other, "production");
    const theirs = await createToken(other, { name: "Theirs", scope: scope(["production"]) });
    for (const uid of ["blt0000000000000000", "not-a-uid", theirs.uid]) {
      const res = await send(stack, "GET", `/v3/stacks/delivery_tokens/${uid}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        error_message: "Delivery token was not found.",
        error_code: 163,
      });
    }
  });
});

describe("PUT /v3/stacks/delivery_tokens/{uid}", () => {
  it("renames a token and changes its environments; the grant follows, the token stays valid", async () => {
    const created = await createToken(stack, { name: "Preview", scope: scope(["staging"]) });
    const secret = created.token as string;
    const res = await send(stack, "PUT", `/v3/stacks/delivery_tokens/${created.uid}`, {
      token: { name: "Preview and live", scope: scope(["staging", "production"]) },
    });
    expect(res.status).toBe(200);
    const updated = deliveryTokenUpdatedSchema.parse(await res.json()).token;
    expect(updated).toMatchObject({ uid: created.uid, name: "Preview and live" });
    expect(updated).not.toHaveProperty("token");
    expect((await grant(secret)).environments).toEqual([staging, production]);
  });

  it("takes back a whole fetched token, as the SDK's update() sends it", async () => {
    const created = await createToken(stack, { name: "Round trip", scope: scope(["staging"]) });
    const { uid: _uid, created_at, updated_at, created_by, updated_by, ...rest } = created;
    const res = await send(stack, "PUT", `/v3/stacks/delivery_tokens/${created.uid}`, {
      token: { ...rest, name: "Round trip, renamed" },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({
      notice: "Delivery Token updated successfully.",
      token: { name: "Round trip, renamed", scope: created.scope },
    });
    expect(created_at && updated_at && created_by && updated_by).toBeTruthy();
  });

  it.each([
    ["another token's uid", { uid: "blt0000000000000000", name: "x" }, "uid"],
    ["an unknown environment", { scope: scope(["nowhere"]) }, "scope"],
    [
      "a scope that writes",
      {
        scope: [
          { module: "environment", environments: ["staging"], acl: { read: true, write: true } },
        ],
      },
      "scope",
    ],
    ["nothing to change", { type: "delivery" }, "token"],
  ])("refuses %s (422), changing nothing", async (_what, token, field) => {
    const created = await createToken(stack, { name: "Unchanged", scope: scope(["staging"]) });
    const path = `/v3/stacks/delivery_tokens/${created.uid}`;
    const res = await send(stack, "PUT", path, { token });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: object }).errors).toHaveProperty(field);
    const { token: _secret, ...shown } = created;
    expect((await (await send(stack, "GET", path)).json()) as unknown).toEqual({ token: shown });
    expect((await grant(created.token as string)).environments).toEqual([staging]);
  });
});

describe("DELETE /v3/stacks/delivery_tokens/{uid}", () => {
  it("revokes the token: its grant leaves KV, and it is gone", async () => {
    const created = await createToken(stack, { name: "Short-lived", scope: scope(["staging"]) });
    const path = `/v3/stacks/delivery_tokens/${created.uid}`;
    const res = await send(stack, "DELETE", path);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ notice: "Delivery Token deleted successfully." });
    expect(await grant(created.token as string)).toBeNull();
    expect((await send(stack, "GET", path)).status).toBe(404);
    expect((await send(stack, "DELETE", path)).status).toBe(404);
  });
});

describe("environments and scopes", () => {
  it("shows a renamed environment under its new name; a deleted one leaves every scope", async () => {
    const of = await createStack("Scopes follow environments");
    const live = await createEnv(of, "live");
    const qa = await createEnv(of, "qa");
    const created = await createToken(of, { name: "Site", scope: scope(["live", "qa"]) });
    await send(of, "PUT", "/v3/environments/live", { environment: { name: "production" } });
    await send(of, "DELETE", "/v3/environments/qa");
    const { token } = deliveryTokenFoundSchema.parse(
      await (await send(of, "GET", `/v3/stacks/delivery_tokens/${created.uid}`)).json(),
    );
    expect(token.scope[0].environments).toEqual([{ uid: live, name: "production" }]);
    // The grant may still name the deleted uid; no index maps a name to it any more.
    const index = JSON.parse((await env.ASSET_INDEX.get(environmentIndexKey(of.apiKey))) ?? "{}");
    expect(Object.values(index)).not.toContain(qa);
  });
});

describe("tokens of the two kinds", () => {
  it("never takes a delivery token for a management token", async () => {
    const created = await createToken(stack, {
      name: "Not for management",
      scope: scope(["staging"]),
    });
    const res = await call("/v3/assets", {
      headers: { api_key: stack.apiKey, authorization: created.token as string },
    });
    expect(res.status).toBe(401);
    // And no management token has a grant.
    expect(await grant(stack.token)).toBeNull();
  });
});

describe("the delivery Worker's memo", () => {
  /** The KV binding as the Workers hold it (the strict mode wraps it; the memo keys on it). */
  const workerKv = () => entryEnv(env).ASSET_INDEX;

  it("drops its copy of a grant when the token changes or is revoked", async () => {
    const created = await createToken(stack, { name: "Memo", scope: scope(["staging"]) });
    const key = deliveryTokenKey(await sha256Hex(created.token as string));
    let loads = 0;
    const load = async () => {
      loads++;
      return null;
    };
    await memoized(workerKv(), key, 60_000, load);
    await memoized(workerKv(), key, 60_000, load);
    expect(loads).toBe(1);
    const path = `/v3/stacks/delivery_tokens/${created.uid}`;
    await send(stack, "PUT", path, { token: { scope: scope(["production"]) } });
    await memoized(workerKv(), key, 60_000, load);
    expect(loads).toBe(2);
    await send(stack, "DELETE", path);
    await memoized(workerKv(), key, 60_000, load);
    expect(loads).toBe(3);
  });

  it("drops its copy of the environment index when an environment changes", async () => {
    const of = await createStack("Memo of the index");
    const key = environmentIndexKey(of.apiKey);
    let loads = 0;
    const load = async () => {
      loads++;
      return null;
    };
    await memoized(workerKv(), key, 60_000, load);
    await createEnv(of, "production");
    await memoized(workerKv(), key, 60_000, load);
    expect(loads).toBe(2);
  });
});
