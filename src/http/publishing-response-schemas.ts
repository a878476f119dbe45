// The JSON bodies of the environment, delivery-token and asset-reference routes, as zod/mini
// schemas: the views are typed by them (http/publishing-views.ts),
// the OpenAPI document is generated from them, and the tests check real answers against them.

import * as z from "zod/mini";
import { BLT_ID, TOKEN_UID } from "../domain/ids";
import { MAIN_BRANCH } from "../domain/publishing-records";

const matching = (pattern: RegExp) => z.string().check(z.regex(pattern));
const timestamp = z.iso.datetime();
const count = z.int().check(z.minimum(0));
/** The uid of the management token that made the change. */
const author = matching(TOKEN_UID);

export const environmentSchema = z.strictObject({
  uid: matching(BLT_ID),
  name: z.string(),
  urls: z.array(z.strictObject({ locale: z.string(), url: z.string() })),
  servers: z.array(z.strictObject({ name: z.string() })),
  deploy_content: z.boolean(),
  created_at: timestamp,
  updated_at: timestamp,
  created_by: author,
  updated_by: author,
});
export type EnvironmentJson = z.output<typeof environmentSchema>;

const readAcl = z.strictObject({ read: z.literal(true) });

/** A delivery token; `token` itself only in the answer that created it. */
export const deliveryTokenSchema = z.strictObject({
  uid: matching(BLT_ID),
  name: z.string(),
  description: z.string(),
  scope: z.tuple([
    z.strictObject({
      module: z.literal("environment"),
      environments: z.array(z.strictObject({ uid: matching(BLT_ID), name: z.string() })),
      acl: readAcl,
    }),
    z.strictObject({
      module: z.literal("branch"),
      branches: z.tuple([z.literal(MAIN_BRANCH)]),
      acl: readAcl,
    }),
  ]),
  type: z.literal("delivery"),
  token: z.optional(matching(/^cs[0-9a-f]{32}$/)),
  created_at: timestamp,
  updated_at: timestamp,
  created_by: author,
  updated_by: author,
});
export type DeliveryTokenJson = z.output<typeof deliveryTokenSchema>;

// The envelopes. Notices are literals: clients compare them.
export const environmentCreatedSchema = z.strictObject({
  notice: z.literal("Environment created successfully."),
  environment: environmentSchema,
});
export const environmentUpdatedSchema = z.strictObject({
  notice: z.literal("Environment updated successfully."),
  environment: environmentSchema,
});
export const environmentFoundSchema = z.strictObject({ environment: environmentSchema });
export const environmentListSchema = z.strictObject({
  environments: z.array(environmentSchema),
  count,
});
/** `count=true` (the SDK's query().count()): only how many match. */
export const environmentCountSchema = z.strictObject({ environments: count });
export const environmentListingSchema = z.union([environmentListSchema, environmentCountSchema]);
export const environmentDeletedSchema = z.strictObject({
  notice: z.literal("Environment deleted successfully."),
});

export const deliveryTokenCreatedSchema = z.strictObject({
  notice: z.literal("Delivery Token created successfully."),
  token: deliveryTokenSchema,
});
export const deliveryTokenUpdatedSchema = z.strictObject({
  notice: z.literal("Delivery Token updated successfully."),
  token: deliveryTokenSchema,
});
export const deliveryTokenFoundSchema = z.strictObject({ token: deliveryTokenSchema });
export const deliveryTokenListSchema = z.strictObject({
  tokens: z.array(deliveryTokenSchema),
  count,
});
export const deliveryTokenCountSchema = z.strictObject({ tokens: count });
export const deliveryTokenListingSchema = z.union([
  deliveryTokenListSchema,
  deliveryTokenCountSchema,
]);
export const deliveryTokenDeletedSchema = z.strictObject({
  notice: z.literal("Delivery Token deleted successfully."),
});

/** GET /v3/assets/{uid}/references: the entries that use the asset; none live here. */
export const assetReferencesSchema = z.strictObject({ references: z.array(z.never()) });
