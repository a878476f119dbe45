// Stacks and management tokens (this service's own extension, docs/API-NOTES.md). Every route
// here needs the ADMIN_TOKEN secret.

import { type Context, Hono } from "hono";
import { requireAdmin } from "../auth/management-auth";
import { sha256Hex } from "../base/token-hash";
import { isApiKey, isTokenUid, newApiKey, newManagementToken, newTokenUid } from "../domain/ids";
import { apiKeyInvalid, tokenNotFound } from "../http/errors";
import { headerValue } from "../http/request-fields";
import type {
  StackCreatedJson,
  TokenCreatedJson,
  TokenRevokedJson,
} from "../http/response-schemas";
import { readJson, stackCreateSchema, validate } from "../http/schemas";
import { stackStub } from "../objects/stubs";

type Ctx = Context<{ Bindings: Env }>;

export const stackRoutes = new Hono<{ Bindings: Env }>();

// The admin routes only: /v3/stacks/delivery_tokens takes a management token (delivery-tokens.ts).
stackRoutes.use("/", requireAdmin());
stackRoutes.use("/management_tokens", requireAdmin());
stackRoutes.use("/management_tokens/*", requireAdmin());
stackRoutes.post("/", createStack);
stackRoutes.post("/management_tokens", mintToken);
stackRoutes.delete("/management_tokens/:token_uid", revokeToken);

async function newToken() {
  const token = newManagementToken();
  return { uid: newTokenUid(), token, hash: await sha256Hex(token) };
}

async function createStack(c: Ctx) {
  const { stack } = validate(stackCreateSchema, await readJson(c.req.raw));
  const token = await newToken();
  const createdAt = new Date().toISOString();
  // A fresh random api_key; the object refuses to overwrite an existing stack.
  for (;;) {
    const apiKey = newApiKey();
    const record = { apiKey, name: stack.name, createdAt };
    if (await stackStub(c.env, apiKey).createStack(record, token.uid, token.hash)) {
      return c.json(
        {
          notice: "Stack created successfully.",
          stack: { api_key: apiKey, name: stack.name, created_at: createdAt },
          management_token: { uid: token.uid, token: token.token },
        } satisfies StackCreatedJson,
        201,
      );
    }
  }
}

function stackKey(c: Ctx): string {
  const apiKey = headerValue(c.req.raw, "api_key") ?? "";
  if (!isApiKey(apiKey)) throw apiKeyInvalid();
  return apiKey;
}

async function mintToken(c: Ctx) {
  const apiKey = stackKey(c);
  const token = await newToken();
  if (!(await stackStub(c.env, apiKey).addToken(token.uid, token.hash))) throw apiKeyInvalid();
  return c.json(
    {
      notice: "Management token created successfully.",
      management_token: { uid: token.uid, token: token.token },
    } satisfies TokenCreatedJson,
    201,
  );
}

async function revokeToken(c: Ctx) {
  const apiKey = stackKey(c);
  const uid = c.req.param("token_uid") ?? "";
  const stack = stackStub(c.env, apiKey);
  if (!(await stack.getStack())) throw apiKeyInvalid();
  if (!isTokenUid(uid) || !(await stack.revokeToken(uid))) throw tokenNotFound();
  return c.json({ notice: "Management token revoked successfully." } satisfies TokenRevokedJson);
}
