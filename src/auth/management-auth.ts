// Authentication of the management API (docs/CONTRACT.md, "The management API"):
//   api_key header missing or unknown            -> 412
//   authorization missing or not for that stack  -> 401
// Both are checked against the stack's Durable Object (strongly consistent), never KV.
// Rate limits: each stack's management requests (the MANAGEMENT_RATE_LIMIT binding), each
// client's failed token checks per stack (StackObject), and admin requests per client
// (ADMIN_RATE_LIMIT): 429 with Retry-After.

import { createMiddleware } from "hono/factory";
import { secretsEqual, sha256Hex } from "../base/token-hash";
import { config } from "../config";
import { isApiKey } from "../domain/ids";
import { apiKeyInvalid, tooManyRequests, unauthorized } from "../http/errors";
import { headerValue, refuseRepeatedParameters } from "../http/request-fields";
import { stackStub } from "../objects/stubs";

/** The client's address as Cloudflare reports it (clients cannot set it at the edge). */
const clientAddress = (request: Request): string =>
  request.headers.get("cf-connecting-ip") ?? "unknown";

/** Cloudflare's rate-limiting binding: one count per call, per key, per period. */
async function enforceRateLimit(limiter: RateLimit, key: string): Promise<void> {
  const { success } = await limiter.limit({ key });
  if (!success) throw tooManyRequests();
}

export interface StackVariables {
  apiKey: string;
  /** The uid of the request's management token: an asset's created_by and updated_by. */
  tokenUid: string;
}

/**
 * Requires `api_key` + a management token of that stack. The stack is the `api_key` header's, or
 * with `"path"` the route's `{api_key}` (the CMA's download with a permanent URL names its stack
 * in the path; an `api_key` header, when sent, must name the same one).
 */
export const requireManagementToken = (stackIn: "header" | "path" = "header") =>
  createMiddleware<{ Bindings: Env; Variables: StackVariables }>(
    async function requireManagementToken(c, next) {
      const header = headerValue(c.req.raw, "api_key");
      const apiKey = stackIn === "path" ? (c.req.param("api_key") ?? "") : (header ?? "");
      if (!isApiKey(apiKey) || (header !== undefined && header !== apiKey)) throw apiKeyInvalid();
      const token = headerValue(c.req.raw, "authorization");
      if (!token) {
        // Still tell an unknown stack apart from a missing token, as the CMA does.
        if (!(await stackStub(c.env, apiKey).getStack())) throw apiKeyInvalid();
        throw unauthorized();
      }
      const client = clientAddress(c.req.raw);
      const result = await stackStub(c.env, apiKey).authorize(
        await sha256Hex(token),
        client,
        config(c.env).authFailuresPerMinute,
      );
      if (!result.ok) {
        if (result.reason === "unknown_stack") throw apiKeyInvalid();
        if (result.reason === "rate_limited") throw tooManyRequests();
        throw unauthorized();
      }
      // Counted only once the token is known good: the api_key is public (it is in every asset
      // URL), so counting before would let anyone spend a stack's budget with made-up tokens.
      // Failed attempts are limited per client address by the stack object instead.
      await enforceRateLimit(c.env.MANAGEMENT_RATE_LIMIT, apiKey);
      // Checked once the client is known, as the body's own checks are.
      refuseRepeatedParameters(c.req.url);
      c.set("apiKey", apiKey);
      c.set("tokenUid", result.tokenUid);
      await next();
    },
  );

/** Requires the ADMIN_TOKEN secret; refuses everything when the secret is not configured. */
export const requireAdmin = () =>
  createMiddleware<{ Bindings: Env }>(async function requireAdmin(c, next) {
    // Every admin request counts (they are rare), so the secret cannot be guessed at speed.
    await enforceRateLimit(c.env.ADMIN_RATE_LIMIT, clientAddress(c.req.raw));
    const expected = c.env.ADMIN_TOKEN;
    const given = headerValue(c.req.raw, "authorization");
    if (!expected || !given || !(await secretsEqual(given, expected))) throw unauthorized();
    refuseRepeatedParameters(c.req.url);
    await next();
  });
