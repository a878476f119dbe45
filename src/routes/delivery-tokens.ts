// Delivery tokens, as the CMA has them (the official SDK's stack.deliveryToken()), with a
// management token (Contentstack asks for a user session here; docs/PUBLISHING.md):
//   POST   /v3/stacks/delivery_tokens        {"token": {"name", "description"?, "scope"}}
//   GET    /v3/stacks/delivery_tokens
//   GET    /v3/stacks/delivery_tokens/{uid}
//   PUT    /v3/stacks/delivery_tokens/{uid}  rename, describe or change the environments
//   DELETE /v3/stacks/delivery_tokens/{uid}  revoke: the edge refuses it within the bound
// A token reads the published assets of the environments in its scope through the Content
// Delivery API. The token itself is in the creating answer only; the stack's object keeps its
// SHA-256 and writes the grant the delivery Worker checks (objects/stack-delivery-tokens.ts).

import { type Context, Hono } from "hono";
import { requireManagementToken, type StackVariables } from "../auth/management-auth";
import { sha256Hex } from "../base/token-hash";
import { checkScope, type EnvironmentRef } from "../domain/delivery-token-scope";
import { BLT_ID, newDeliveryToken, newDeliveryTokenUid } from "../domain/ids";
import { MAX_DELIVERY_TOKENS } from "../domain/publishing-records";
import {
  deliveryTokenCreateSchema,
  deliveryTokenUpdateSchema,
} from "../http/delivery-token-schemas";
import { nameFilter, smallListQuerySchema } from "../http/environment-schemas";
import { deliveryTokenNotFound, validationFailed } from "../http/errors";
import { deliveryTokenView } from "../http/publishing-views";
import { readJson, validate } from "../http/schemas";
import type { TokenChange } from "../objects/stack-delivery-tokens";
import type { TokenAnswer } from "../objects/stack-publishing";
import { stackStub } from "../objects/stubs";

type Env_ = { Bindings: Env; Variables: StackVariables };
type Ctx = Context<Env_>;

export const deliveryTokenRoutes = new Hono<Env_>();

deliveryTokenRoutes.use("*", requireManagementToken());
deliveryTokenRoutes.post("/", createToken);
deliveryTokenRoutes.get("/", listTokens);
deliveryTokenRoutes.get("/:uid", getToken);
deliveryTokenRoutes.put("/:uid", updateToken);
deliveryTokenRoutes.delete("/:uid", deleteToken);

const stack = (c: Ctx) => stackStub(c.env, c.get("apiKey"));

function tokenUidParam(c: Ctx): string {
  const uid = c.req.param("uid") ?? "";
  if (!BLT_ID.test(uid)) throw deliveryTokenNotFound();
  return uid;
}

function scopeOf(scope: unknown): EnvironmentRef[] {
  const check = checkScope(scope);
  if (!check.ok) throw validationFailed({ scope: [check.why] });
  return check.environments;
}

function changed({ result, names }: TokenAnswer, secret?: string) {
  if (result.ok) return deliveryTokenView(result.token, names, secret);
  switch (result.reason) {
    case "not_found":
      throw deliveryTokenNotFound();
    case "too_many":
      throw validationFailed({
        token: [`a stack may have at most ${MAX_DELIVERY_TOKENS} delivery tokens`],
      });
    case "unknown_environments":
      throw validationFailed({
        scope: [`names environments this stack does not have: ${result.unknown.join(", ")}`],
      });
  }
}

async function createToken(c: Ctx) {
  const { token } = validate(deliveryTokenCreateSchema, await readJson(c.req.raw));
  const scope = scopeOf(token.scope);
  const secret = newDeliveryToken();
  const now = new Date().toISOString();
  const by = c.get("tokenUid");
  const answer = await stack(c).createDeliveryToken(
    {
      uid: newDeliveryTokenUid(),
      name: token.name,
      description: token.description ?? "",
      createdAt: now,
      updatedAt: now,
      createdBy: by,
      updatedBy: by,
    },
    scope,
    await sha256Hex(secret),
  );
  return c.json(
    { notice: "Delivery Token created successfully.", token: changed(answer, secret) },
    201,
  );
}

async function listTokens(c: Ctx) {
  const query = validate(smallListQuerySchema, c.req.query());
  const { page, names } = await stack(c).listDeliveryTokens(
    nameFilter(query.query),
    query.skip,
    query.limit,
  );
  if (query.count === "true") return c.json({ tokens: page.count });
  return c.json({
    tokens: page.items.map((token) => deliveryTokenView(token, names)),
    count: page.count,
  });
}

async function getToken(c: Ctx) {
  const found = await stack(c).getDeliveryToken(tokenUidParam(c));
  if (!found) throw deliveryTokenNotFound();
  return c.json({ token: deliveryTokenView(found.token, found.names) });
}

async function updateToken(c: Ctx) {
  const uid = tokenUidParam(c);
  const { token } = validate(deliveryTokenUpdateSchema, await readJson(c.req.raw));
  if (token.uid !== undefined && token.uid !== uid) {
    throw validationFailed({ uid: ["is not the uid of the token in the URL"] });
  }
  const change: TokenChange = {};
  if (token.name !== undefined) change.name = token.name;
  if (token.description !== undefined) change.description = token.description;
  if (token.scope !== undefined) change.scope = scopeOf(token.scope);
  if (Object.keys(change).length === 0) {
    throw validationFailed({ token: ["nothing to update: send name, description or scope"] });
  }
  const answer = await stack(c).updateDeliveryToken(uid, change, c.get("tokenUid"));
  return c.json({ notice: "Delivery Token updated successfully.", token: changed(answer) });
}

async function deleteToken(c: Ctx) {
  if (!(await stack(c).deleteDeliveryToken(tokenUidParam(c)))) throw deliveryTokenNotFound();
  return c.json({ notice: "Delivery Token deleted successfully." });
}
