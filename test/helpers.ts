// Shared helpers for tests that go through the worker's fetch handler (SELF).

import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { expect } from "vitest";
import type { AssetJson } from "../src/http/response-schemas";
import worker, { type BothEnv } from "./both-workers";

export const ADMIN_TOKEN = "test-admin-token";
export const ORIGIN = "https://assets.test";

export interface Stack {
  apiKey: string;
  token: string;
  tokenUid: string;
}

/** The asset JSON of the management API, as its response schema defines it. */
export type { AssetJson };

export const call = (path: string, init?: RequestInit) => SELF.fetch(`${ORIGIN}${path}`, init);

export async function createStack(name = "Test stack"): Promise<Stack> {
  const res = await call("/v3/stacks", {
    method: "POST",
    headers: { authorization: ADMIN_TOKEN, "content-type": "application/json" },
    body: JSON.stringify({ stack: { name } }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as {
    stack: { api_key: string };
    management_token: { uid: string; token: string };
  };
  return {
    apiKey: body.stack.api_key,
    token: body.management_token.token,
    tokenUid: body.management_token.uid,
  };
}

export const auth = (stack: Stack, extra: Record<string, string> = {}) => ({
  api_key: stack.apiKey,
  authorization: stack.token,
  ...extra,
});

export function form(
  fields: Record<string, string>,
  file?: { name: string; bytes: Uint8Array | string; type?: string },
) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (file) {
    fd.append(
      "asset[upload]",
      new Blob([file.bytes], { type: file.type ?? "application/octet-stream" }),
      file.name,
    );
  }
  return fd;
}

export async function uploadAsset(
  stack: Stack,
  name: string,
  bytes: Uint8Array | string,
  fields: Record<string, string> = {},
  type = "text/plain",
): Promise<AssetJson> {
  const res = await call("/v3/assets", {
    method: "POST",
    headers: auth(stack),
    body: form(fields, { name, bytes, type }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { asset: AssetJson }).asset;
}

export async function replaceAsset(
  stack: Stack,
  uid: string,
  name: string,
  bytes: Uint8Array | string,
) {
  const res = await call(`/v3/assets/${uid}`, {
    method: "PUT",
    headers: auth(stack),
    body: form({}, { name, bytes, type: "text/plain" }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { asset: AssetJson }).asset;
}

export async function setPermanentUrl(stack: Stack, uid: string, value: string) {
  return call(`/v3/assets/${uid}`, {
    method: "PUT",
    headers: auth(stack, { "content-type": "application/json" }),
    body: JSON.stringify({ asset: { permanent_url: value } }),
  });
}

/** Fetches a public URL and returns status and body text (always consuming the body). */
export async function fetchText(url: string, init?: RequestInit) {
  const res = await SELF.fetch(url, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export async function sha256Hex(bytes: Uint8Array | string): Promise<string> {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  const digest = await crypto.subtle.digest("SHA-256", data);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * One request through the worker's fetch handler called directly (not SELF), with some env
 * values replaced, waiting for the background work it left (cache puts). Returns the consumed
 * body as text.
 */
export async function runWorker(url: string, init: RequestInit = {}, vars: Partial<BothEnv> = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(url, init), { ...env, ...vars } as BothEnv, ctx);
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  return { status: res.status, headers: res.headers, text };
}

export type Counts = Record<string, number>;

/**
 * runWorker() with every binding a request could touch counted (KV, R2, Durable Objects, Images),
 * as "kv.get", "r2.head", "do.idFromName", "images.input"... Returns the body's bytes.
 */
export async function countCalls(url: string, init: RequestInit = {}, vars: Partial<BothEnv> = {}) {
  const counts: Counts = {};
  const all = env as BothEnv;
  const wrapped = {
    ...all,
    ...vars,
    ASSET_INDEX: counted(all.ASSET_INDEX, "kv", counts),
    FILES: counted(all.FILES, "r2", counts),
    ASSETS: counted(all.ASSETS, "do", counts),
    STACKS: counted(all.STACKS, "do", counts),
    UPLOADS: counted(all.UPLOADS, "do", counts),
    IMAGES: counted(all.IMAGES, "images", counts),
  } as BothEnv;
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(url, init), wrapped, ctx);
  const bytes = new Uint8Array(await res.arrayBuffer());
  await waitOnExecutionContext(ctx);
  return { status: res.status, headers: res.headers, bytes, counts };
}

/** Wraps every method of a binding so each call is counted under "<binding>.<method>". */
export function counted<T extends object>(binding: T, name: string, counts: Counts): T {
  return new Proxy(binding, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const key = `${name}.${String(prop)}`;
        counts[key] = (counts[key] ?? 0) + 1;
        return value.apply(target, args);
      };
    },
  });
}

/** `{name}` placeholders in a text replaced by their values (unknown ones left as they are). */
export const fillPlaceholders = (text: string, values: Record<string, string>): string =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);

/** The same in every string, and every key, of a JSON value. */
export function fillPlaceholdersDeep(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === "string") return fillPlaceholders(value, values);
  if (Array.isArray(value)) return value.map((v) => fillPlaceholdersDeep(v, values));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        fillPlaceholders(k, values),
        fillPlaceholdersDeep(v, values),
      ]),
    );
  }
  return value;
}

/** Creates an environment of the stack (POST /v3/environments); returns its uid. */
export async function createEnvironment(of: Stack, name: string): Promise<string> {
  const res = await call("/v3/environments", {
    method: "POST",
    headers: auth(of, { "content-type": "application/json" }),
    body: JSON.stringify({ environment: { name } }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { environment: { uid: string } }).environment.uid;
}

/** A management request with a JSON body (or none). */
export const sendJson = (of: Stack, method: string, path: string, body?: unknown) =>
  call(path, {
    method,
    headers: auth(of, { "content-type": "application/json" }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** Creates a delivery token that may read the named environments; returns its uid and secret. */
export async function createDeliveryToken(of: Stack, environments: string[]) {
  const res = await sendJson(of, "POST", "/v3/stacks/delivery_tokens", {
    token: {
      name: `Reads ${environments.join(", ")}`,
      scope: [{ module: "environment", environments, acl: { read: true } }],
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { token: { uid: string; token: string } }).token;
}

/** Publishes (or with `action` "unpublish", unpublishes) an asset; expects a 200. */
export async function publishAsset(
  of: Stack,
  uid: string,
  asset: { environments: string[]; locales?: string[] },
  extra: { version?: number; action?: "publish" | "unpublish" } = {},
) {
  const { action = "publish", version } = extra;
  const body = { asset: { locales: ["en-us"], ...asset }, ...(version ? { version } : {}) };
  const res = await sendJson(of, "POST", `/v3/assets/${uid}/${action}`, body);
  expect(res.status, await res.clone().text()).toBe(200);
}
