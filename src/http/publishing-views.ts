// Environments and delivery tokens as the API shows them (the CMA's field names), typed by their
// response schemas so a view and its documented shape cannot drift apart.

import type { DeliveryTokenRecord, EnvironmentRecord } from "../domain/publishing-records";
import { MAIN_BRANCH } from "../domain/publishing-records";
import type { DeliveryTokenJson, EnvironmentJson } from "./publishing-response-schemas";

export function environmentView(env: EnvironmentRecord): EnvironmentJson {
  return {
    uid: env.uid,
    name: env.name,
    urls: env.urls,
    servers: env.servers,
    deploy_content: env.deployContent,
    created_at: env.createdAt,
    updated_at: env.updatedAt,
    created_by: env.createdBy,
    updated_by: env.updatedBy,
  };
}

/**
 * A delivery token. `names` maps its environments' uids to their current names; `secret` is the
 * token itself, given only by the request that created it (the service keeps only its hash).
 */
export function deliveryTokenView(
  token: DeliveryTokenRecord,
  names: Record<string, string>,
  secret?: string,
): DeliveryTokenJson {
  return {
    uid: token.uid,
    name: token.name,
    description: token.description,
    scope: [
      {
        module: "environment",
        environments: token.environments.flatMap((uid) => {
          const name = names[uid];
          return name === undefined ? [] : [{ uid, name }];
        }),
        acl: { read: true },
      },
      { module: "branch", branches: [MAIN_BRANCH], acl: { read: true } },
    ],
    type: "delivery",
    ...(secret === undefined ? {} : { token: secret }),
    created_at: token.createdAt,
    updated_at: token.updatedAt,
    created_by: token.createdBy,
    updated_by: token.updatedBy,
  };
}
