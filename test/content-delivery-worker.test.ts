// The content delivery Worker on its own (src/content-delivery-worker.ts, through its strict/
// entry): what it answers on a hostname of its own (/health, a 404 for any other path), and its
// storage faults: KV or D1 failing is a 503 in the API's error shape with CORS and no-store,
// never a 500. Everything else it does is tested through the public host, as websites reach it
// (test/content-delivery.test.ts).

import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import contentWorker from "../strict/content";
import type { BothEnv } from "./both-workers";
import { createDeliveryToken, createEnvironment, createStack, type Stack } from "./helpers";

const HOST = "https://content.test";
const failing = (what: string) => () => Promise.reject(new Error(`injected ${what} failure`));

async function content(path: string, headers: Record<string, string> = {}, over = {}) {
  const ctx = createExecutionContext();
  const request = new Request(`${HOST}${path}`, {
    headers: { Origin: "https://site.test", ...headers },
  });
  const response = await contentWorker.fetch(request, { ...(env as BothEnv), ...over }, ctx);
  await waitOnExecutionContext(ctx);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

let stack: Stack;
let reader: { uid: string; token: string };
const credentials = () => ({ api_key: stack.apiKey, access_token: reader.token });

beforeAll(async () => {
  stack = await createStack("Content Worker");
  await createEnvironment(stack, "production");
  reader = await createDeliveryToken(stack, ["production"]);
});

describe("on a hostname of its own", () => {
  it("answers /health with ok", async () => {
    const res = await content("/health");
    expect(res.status).toBe(200);
    expect(res.text).toBe("ok");
  });

  it.each(["/", "/v3/assets/a/b", "/v3/assets/a/b/c", "/v3/stacks"])(
    "answers %s with a 404 no cache keeps, readable by a page",
    async (path) => {
      const res = await content(path);
      expect(res.status).toBe(404);
      expect(res.headers.get("Cache-Control")).toBe("no-store");
      expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    },
  );

  it("answers the Content Delivery API there as on the public host", async () => {
    const res = await content("/v3/assets?environment=production", credentials());
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ assets: [] });
  });
});

describe("when its storage fails", () => {
  it("answers 503 in the API's shape when KV fails, never a 500", async () => {
    const kv = { get: failing("KV get") };
    const res = await content("/v3/assets?environment=production", credentials(), {
      ASSET_INDEX: kv,
    });
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text)).toMatchObject({ error_code: 154 });
    expect(res.headers.get("Retry-After")).toBe("1");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });

  it.each([
    "/v3/assets?environment=production",
    "/v3/assets/blt0123456789abcdef?environment=production",
  ])("answers 503 in the API's shape when D1 fails (%s)", async (path) => {
    const session = {
      prepare: () => {
        throw new Error("injected D1 failure");
      },
      batch: failing("D1 batch"),
    };
    const res = await content(path, credentials(), {
      PUBLISHED: { withSession: () => session },
    });
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text)).toMatchObject({ error_code: 154 });
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });
});
