// Rate limits: failed token checks per client and stack (the stack's Durable Object), and the
// rate-limiting bindings for management requests per stack and admin requests per client.
// The admin limit (60) is exercised on the real local binding; the management limit (1,000, too
// many requests for a unit test) through a limiter that says no. The bindings count in fixed
// windows, so a run that crosses a window boundary may need up to twice the limit before its
// first 429; the test allows for that instead of waiting.

import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { FailureWindow } from "../src/base/failure-window";
import type { BothEnv } from "./both-workers";
import { ADMIN_TOKEN, auth, createStack, ORIGIN, runWorker } from "./helpers";

const run = (path: string, headers: Record<string, string>, vars: Partial<BothEnv> = {}) =>
  runWorker(`${ORIGIN}${path}`, { headers }, vars);

describe("failed token checks", () => {
  const limit = { AUTH_FAILURES_PER_MINUTE: "3" };

  it("refuse a client after too many failures, even with the right token; others still pass", async () => {
    const stack = await createStack();
    const attacker = { ...auth(stack), "cf-connecting-ip": "198.51.100.7" };
    const wrong = { ...attacker, authorization: `cs${"0".repeat(32)}` };
    for (let i = 0; i < 3; i++) expect((await run("/v3/assets", wrong, limit)).status).toBe(401);
    const refused = await run("/v3/assets", wrong, limit);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(JSON.parse(refused.text).error_code).toBe(158);
    expect((await run("/v3/assets", attacker, limit)).status).toBe(429);
    const someoneElse = { ...auth(stack), "cf-connecting-ip": "198.51.100.8" };
    expect((await run("/v3/assets", someoneElse, limit)).status).toBe(200);
  });

  it("forget failures once they leave the window", () => {
    const window = new FailureWindow(60_000, 2);
    for (const t of [0, 1, 2]) window.fail("a", t);
    expect(window.allows("a", 59_999, 3)).toBe(false);
    expect(window.allows("a", 60_001, 3)).toBe(true);
    window.fail("b", 10);
    window.fail("c", 20); // over maxClients: "a", the least recent, is dropped
    expect(window.allows("a", 30, 1)).toBe(true);
    expect(window.allows("c", 30, 1)).toBe(false);
  });
});

/** Sends requests until the first 429; returns how many succeeded before it. */
async function untilRefused(send: () => Promise<Response>, limit: number) {
  for (let i = 0; i <= 2 * limit; i++) {
    const res = await send();
    await res.arrayBuffer();
    if (res.status === 429) {
      expect(res.headers.get("retry-after")).toBe("60");
      return i;
    }
  }
  throw new Error(`no 429 after ${2 * limit + 1} requests`);
}

describe("the rate-limiting bindings (wrangler.toml)", () => {
  it("refuse a stack's management requests once its limiter says no", async () => {
    const stack = await createStack();
    const keys: string[] = [];
    const exhausted = {
      limit: async ({ key }: { key: string }) => {
        keys.push(key);
        return { success: false };
      },
    } as unknown as RateLimit;
    const res = await run("/v3/assets", auth(stack), { MANAGEMENT_RATE_LIMIT: exhausted });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("60");
    expect(keys).toEqual([stack.apiKey]);
  });

  it("do not count requests with a wrong token against the stack (its api_key is public)", async () => {
    const stack = await createStack();
    const keys: string[] = [];
    const counting = {
      limit: async ({ key }: { key: string }) => {
        keys.push(key);
        return { success: true };
      },
    } as unknown as RateLimit;
    const wrong = { ...auth(stack), authorization: `cs${"1".repeat(32)}` };
    expect((await run("/v3/assets", wrong, { MANAGEMENT_RATE_LIMIT: counting })).status).toBe(401);
    expect(keys).toEqual([]);
  });

  it("count management requests per stack on the real binding", async () => {
    const stack = await createStack();
    const ok = await SELF.fetch(`${ORIGIN}/v3/assets`, { headers: auth(stack) });
    expect(ok.status).toBe(200);
    // The same key now has one request counted in this window (of 1,000).
    const probe = await env.MANAGEMENT_RATE_LIMIT.limit({ key: stack.apiKey });
    expect(probe.success).toBe(true);
  });

  it("limit each client's admin requests (60 a minute), so the admin token cannot be guessed", async () => {
    const client = { "cf-connecting-ip": "203.0.113.9", "content-type": "application/json" };
    const accepted = await untilRefused(
      () =>
        SELF.fetch(`${ORIGIN}/v3/stacks`, {
          method: "POST",
          headers: { ...client, authorization: "a guess" },
          body: JSON.stringify({ stack: { name: "x" } }),
        }),
      60,
    );
    expect(accepted).toBeGreaterThanOrEqual(60);
    const window = Math.floor(Date.now() / 60_000);
    const right = await SELF.fetch(`${ORIGIN}/v3/stacks`, {
      method: "POST",
      headers: { ...client, authorization: ADMIN_TOKEN },
      body: JSON.stringify({ stack: { name: "x" } }),
    });
    await right.arrayBuffer();
    // The right token is refused too while the window lasts (it is counted before it is checked).
    if (Math.floor(Date.now() / 60_000) === window) expect(right.status).toBe(429);
  }, 60_000);
});
