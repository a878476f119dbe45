// Who may read the Content Delivery API on the public host (GET /v3/assets, /v3/assets/{uid}): a
// delivery token of the stack, in `access_token`, whose scope holds the `environment` asked for.
// Both are checked against what the stack's Durable Object wrote to KV (domain/kv-records.ts):
// the token's grant under its SHA-256, and the stack's index of environment names, each through
// this isolate's memo (delivery/kv-memo.ts, the one the file URLs use, which the management side
// clears here through content-control.ts). So the content delivery Worker holds no token and no
// secret, and a revoked token or a deleted environment stops working within KV's propagation
// plus the memo (docs/PUBLISHING.md). A management token is never a delivery token: no grant is
// ever written for one.
//   api_key missing or malformed                         -> 412 (109)
//   access_token missing, or no grant for this stack     -> 401 (175)
//   environment missing                                  -> 422 naming it
//   environment unknown, or outside the token's scope    -> 403 (176)

import { sha256Hex } from "../base/token-hash";
import { kvRecord } from "../delivery/kv-reads";
import { isApiKey } from "../domain/ids";
import {
  type DeliveryTokenGrant,
  deliveryTokenKey,
  type EnvironmentIndex,
  environmentIndexKey,
  environmentUidIn,
} from "../domain/kv-records";
import {
  apiKeyInvalid,
  deliveryTokenInvalid,
  environmentNotInScope,
  validationFailed,
} from "../http/errors";
import { headerValue } from "../http/request-fields";
import type { ContentEnv } from "./content-env";
import type { PublishedScope } from "./published-reads";

/** The stack and environment a Content Delivery API request may read, or the error why not. */
export async function deliveryScope(env: ContentEnv, request: Request): Promise<PublishedScope> {
  // Without the spaces and tabs around them, as on the management host (http/request-fields.ts).
  const apiKey = headerValue(request, "api_key") ?? "";
  if (!isApiKey(apiKey)) throw apiKeyInvalid();
  const token = headerValue(request, "access_token");
  if (!token) throw deliveryTokenInvalid();
  const name = new URL(request.url).searchParams.get("environment");
  if (!name) throw validationFailed({ environment: ["is required"] });
  // Both through the same memoised read as the file URLs' records (a KV failure is a 503).
  const [grant, index] = await Promise.all([
    sha256Hex(token).then((hash) => kvRecord<DeliveryTokenGrant>(env, deliveryTokenKey(hash))),
    kvRecord<EnvironmentIndex>(env, environmentIndexKey(apiKey)),
  ]);
  if (!grant || grant.apiKey !== apiKey) throw deliveryTokenInvalid();
  const environmentUid = index ? environmentUidIn(index, name) : undefined;
  if (!environmentUid || !grant.environments.includes(environmentUid)) {
    throw environmentNotInScope();
  }
  return { apiKey, environmentUid };
}
