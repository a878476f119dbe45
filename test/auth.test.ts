// The authentication matrix: every management route without a token, with a wrong one, and
// with another stack's; plus api_key handling, admin routes and revocation.

import { beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_TOKEN,
  type AssetJson,
  auth,
  call,
  createStack,
  form,
  type Stack,
  uploadAsset,
} from "./helpers";

let stack: Stack;
let other: Stack;
let asset: AssetJson;

beforeAll(async () => {
  stack = await createStack("Owner");
  other = await createStack("Other");
  asset = await uploadAsset(stack, "secret.txt", "private bytes", { "asset[title]": "Secret" });
});

type Route = [string, string, () => string, () => RequestInit];
const json = (value: unknown): RequestInit => ({
  headers: { "content-type": "application/json" },
  body: JSON.stringify(value),
});
const ROUTES: Route[] = [
  [
    "create (multipart)",
    "POST",
    () => "/v3/assets",
    () => ({ body: form({}, { name: "x.txt", bytes: "x" }) }),
  ],
  ["create (raw)", "POST", () => "/v3/assets?filename=x.txt", () => ({ body: "x" })],
  ["list", "GET", () => "/v3/assets", () => ({})],
  ["get", "GET", () => `/v3/assets/${asset.uid}`, () => ({})],
  ["versions", "GET", () => `/v3/assets/${asset.uid}/versions`, () => ({})],
  [
    "replace",
    "PUT",
    () => `/v3/assets/${asset.uid}`,
    () => ({ body: form({}, { name: "y.txt", bytes: "y" }) }),
  ],
  [
    "generate permanent URL",
    "PUT",
    () => `/v3/assets/${asset.uid}`,
    () => json({ asset: { permanent_url: "stolen" } }),
  ],
  [
    "edit title",
    "PUT",
    () => `/v3/assets/${asset.uid}`,
    () => json({ asset: { title: "hacked" } }),
  ],
  ["delete", "DELETE", () => `/v3/assets/${asset.uid}`, () => ({})],
];

async function send(route: Route, headers: Record<string, string>) {
  const [, method, path, init] = route;
  const base = init();
  const res = await call(path(), {
    ...base,
    method,
    headers: { ...(base.headers as Record<string, string> | undefined), ...headers },
  });
  return {
    status: res.status,
    body: (await res.json()) as { error_code: number; error_message: string },
  };
}

async function expectAssetUnchanged() {
  const res = await call(`/v3/assets/${asset.uid}`, { headers: auth(stack) });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { asset: AssetJson }).asset).toEqual(asset);
  const list = await call("/v3/assets", { headers: auth(stack) });
  expect(((await list.json()) as { count: number }).count).toBe(1);
}

describe.each(ROUTES)("%s (%s)", (...route) => {
  it("answers 401 without a token, and changes nothing", async () => {
    const res = await send(route, { api_key: stack.apiKey });
    expect(res.status).toBe(401);
    expect(res.body.error_code).toBe(105);
    await expectAssetUnchanged();
  });

  it("answers 401 with a wrong token", async () => {
    const res = await send(route, {
      api_key: stack.apiKey,
      // The same token with its last digit changed (never to itself).
      authorization: `${stack.token.slice(0, -1)}${stack.token.endsWith("0") ? "1" : "0"}`,
    });
    expect(res.status).toBe(401);
    await expectAssetUnchanged();
  });

  it("answers 401 with another stack's token", async () => {
    const res = await send(route, { api_key: stack.apiKey, authorization: other.token });
    expect(res.status).toBe(401);
    await expectAssetUnchanged();
  });

  it("answers 401 with the admin token (it is not a management token)", async () => {
    const res = await send(route, { api_key: stack.apiKey, authorization: ADMIN_TOKEN });
    expect(res.status).toBe(401);
    await expectAssetUnchanged();
  });

  it("answers 412 without an api_key, or with an unknown one", async () => {
    expect((await send(route, { authorization: stack.token })).status).toBe(412);
    const unknown = await send(route, {
      api_key: "blt0000000000000000",
      authorization: stack.token,
    });
    expect(unknown.status).toBe(412);
    expect(unknown.body.error_code).toBe(109);
    await expectAssetUnchanged();
  });

  it("does not reach the asset through another stack's own credentials", async () => {
    const res = await send(route, auth(other));
    // Another stack sees no such asset (or, for create/list, acts only on its own stack).
    if (route[0].startsWith("create") || route[0] === "list") expect(res.status).toBeLessThan(300);
    else expect(res.status).toBe(404);
    await expectAssetUnchanged();
  });
});

describe("stacks and management tokens", () => {
  it("refuses to create a stack without the admin token, or with a management token", async () => {
    for (const authorization of [undefined, "wrong", stack.token]) {
      const res = await call("/v3/stacks", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify({ stack: { name: "Nope" } }),
      });
      expect(res.status).toBe(401);
      await res.arrayBuffer();
    }
  });

  it("mints a second token that works, and revokes it so it fails on the very next request", async () => {
    const minted = await call("/v3/stacks/management_tokens", {
      method: "POST",
      headers: { api_key: stack.apiKey, authorization: ADMIN_TOKEN },
    });
    expect(minted.status).toBe(201);
    const { management_token } = (await minted.json()) as {
      management_token: { uid: string; token: string };
    };
    expect(management_token.token).toMatch(/^cs[0-9a-f]{32}$/);
    const withNew = { api_key: stack.apiKey, authorization: management_token.token };
    const ok = await call("/v3/assets", { headers: withNew });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();

    const revoke = await call(`/v3/stacks/management_tokens/${management_token.uid}`, {
      method: "DELETE",
      headers: { api_key: stack.apiKey, authorization: ADMIN_TOKEN },
    });
    expect(revoke.status).toBe(200);
    expect(await revoke.json()).toEqual({ notice: "Management token revoked successfully." });
    const after = await call("/v3/assets", { headers: withNew });
    expect(after.status).toBe(401);
    await after.arrayBuffer();

    // The first token is untouched, and revoking twice is a 404.
    const first = await call("/v3/assets", { headers: auth(stack) });
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    const again = await call(`/v3/stacks/management_tokens/${management_token.uid}`, {
      method: "DELETE",
      headers: { api_key: stack.apiKey, authorization: ADMIN_TOKEN },
    });
    expect(again.status).toBe(404);
    await again.arrayBuffer();
  });

  it("cannot revoke another stack's token through this stack", async () => {
    const res = await call(`/v3/stacks/management_tokens/${other.tokenUid}`, {
      method: "DELETE",
      headers: { api_key: stack.apiKey, authorization: ADMIN_TOKEN },
    });
    expect(res.status).toBe(404);
    await res.arrayBuffer();
    const still = await call("/v3/assets", { headers: auth(other) });
    expect(still.status).toBe(200);
    await still.arrayBuffer();
  });

  it("answers 412 when minting for an unknown stack", async () => {
    const res = await call("/v3/stacks/management_tokens", {
      method: "POST",
      headers: { api_key: "blt0000000000000000", authorization: ADMIN_TOKEN },
    });
    expect(res.status).toBe(412);
    await res.arrayBuffer();
  });

  it("validates the stack body", async () => {
    for (const body of [
      '{"stack":{}}',
      '{"stack":{"name":""}}',
      '{"stack":{"name":"a","extra":1}}',
    ]) {
      const res = await call("/v3/stacks", {
        method: "POST",
        headers: { authorization: ADMIN_TOKEN, "content-type": "application/json" },
        body,
      });
      expect(res.status, body).toBe(422);
      await res.arrayBuffer();
    }
    const bad = await call("/v3/stacks", {
      method: "POST",
      headers: { authorization: ADMIN_TOKEN, "content-type": "application/json" },
      body: "{not json",
    });
    expect(bad.status).toBe(400);
    await bad.arrayBuffer();
  });
});
