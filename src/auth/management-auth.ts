// Authentication of the management API (API.md, "The management API"):
//   api_key header missing or unknown            -> 412
//   authorization missing or not for that stack  -> 401
// Both are checked against the stack's Durable Object (strongly consistent), never KV.

import { createMiddleware } from "hono/factory";
import { isApiKey } from "../domain/ids";
import { apiKeyInvalid, unauthorized } from "../http/errors";
import { stackStub } from "../objects/stubs";
import { secretsEqual, sha256Hex } from "./token-hash";

export interface StackVariables {
  apiKey: string;
}

/** Requires `api_key` + a management token of that stack. */
export const requireManagementToken = () =>
  createMiddleware<{ Bindings: Env; Variables: StackVariables }>(
    async function requireManagementToken(c, next) {
      const apiKey = c.req.header("api_key") ?? "";
      if (!isApiKey(apiKey)) throw apiKeyInvalid();
      const token = c.req.header("authorization");
      if (!token) {
        // Still tell an unknown stack apart from a missing token, as the CMA does.
        if (!(await stackStub(c.env, apiKey).getStack())) throw apiKeyInvalid();
        throw unauthorized();
      }
      const result = await stackStub(c.env, apiKey).authorize(await sha256Hex(token));
      if (!result.ok) throw result.reason === "unknown_stack" ? apiKeyInvalid() : unauthorized();
      c.set("apiKey", apiKey);
      await next();
    },
  );

/** Requires the ADMIN_TOKEN secret; refuses everything when the secret is not configured. */
export const requireAdmin = () =>
  createMiddleware<{ Bindings: Env }>(async function requireAdmin(c, next) {
    const expected = c.env.ADMIN_TOKEN;
    const given = c.req.header("authorization");
    if (!expected || !given || !(await secretsEqual(given, expected))) throw unauthorized();
    await next();
  });
