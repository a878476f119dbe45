// The document's components: every response body (http/response-schemas.ts), every JSON request
// body as validate() checks it (http/schemas.ts), the two upload forms, and the credentials.

import * as z from "zod/mini";
import {
  assetUpdateFieldsSchema,
  assetUpdateJsonSchema,
  folderCreateSchema,
  folderUpdateSchema,
} from "../http/asset-schemas";
import {
  deliveryTokenCreateSchema,
  deliveryTokenUpdateSchema,
} from "../http/delivery-token-schemas";
import { environmentCreateSchema, environmentUpdateSchema } from "../http/environment-schemas";
import {
  bulkPublishedSchema,
  noticeSchema,
  publishDetailSchema,
  publishedSchema,
  publishQueueItemFoundSchema,
  publishQueueItemSchema,
  publishQueueSchema,
} from "../http/publish-response-schemas";
import { bulkBodySchema, publishBodySchema } from "../http/publish-schemas";
import {
  assetReferencesSchema,
  deliveryTokenCountSchema,
  deliveryTokenCreatedSchema,
  deliveryTokenDeletedSchema,
  deliveryTokenFoundSchema,
  deliveryTokenListingSchema,
  deliveryTokenListSchema,
  deliveryTokenSchema,
  deliveryTokenUpdatedSchema,
  environmentCountSchema,
  environmentCreatedSchema,
  environmentDeletedSchema,
  environmentFoundSchema,
  environmentListingSchema,
  environmentListSchema,
  environmentSchema,
  environmentUpdatedSchema,
} from "../http/publishing-response-schemas";
import {
  assetCountSchema,
  assetCreatedSchema,
  assetDeletedSchema,
  assetFoundSchema,
  assetListingSchema,
  assetListSchema,
  assetSchema,
  assetUpdatedSchema,
  errorSchema,
  folderCreatedSchema,
  folderDeletedSchema,
  folderFoundSchema,
  folderSchema,
  folderUpdatedSchema,
  managementTokenSchema,
  metricsSchema,
  partReceivedSchema,
  partSchema,
  stackCreatedSchema,
  stackSchema,
  tokenCreatedSchema,
  tokenRevokedSchema,
  uploadAbortedSchema,
  uploadFoundSchema,
  uploadSchema,
  uploadStartedSchema,
  versionListSchema,
  versionSchema,
} from "../http/response-schemas";
import { stackCreateSchema, uploadCreateSchema } from "../http/schemas";
import { assetFormSchema } from "./asset-forms";
import { namedJsonSchemas } from "./json-schemas";
import type { JsonSchema, SecurityScheme } from "./types";

/** Response bodies by component name; the tests resolve a documented $ref through this map. */
export const RESPONSE_SCHEMAS = {
  Asset: assetSchema,
  Folder: folderSchema,
  Version: versionSchema,
  Part: partSchema,
  Upload: uploadSchema,
  Stack: stackSchema,
  ManagementToken: managementTokenSchema,
  Error: errorSchema,
  AssetCreated: assetCreatedSchema,
  AssetUpdated: assetUpdatedSchema,
  AssetFound: assetFoundSchema,
  AssetList: assetListSchema,
  AssetCount: assetCountSchema,
  AssetListing: assetListingSchema,
  VersionList: versionListSchema,
  AssetDeleted: assetDeletedSchema,
  FolderCreated: folderCreatedSchema,
  FolderUpdated: folderUpdatedSchema,
  FolderFound: folderFoundSchema,
  FolderDeleted: folderDeletedSchema,
  UploadStarted: uploadStartedSchema,
  UploadFound: uploadFoundSchema,
  PartReceived: partReceivedSchema,
  UploadAborted: uploadAbortedSchema,
  StackCreated: stackCreatedSchema,
  TokenCreated: tokenCreatedSchema,
  TokenRevoked: tokenRevokedSchema,
  Metrics: metricsSchema,
  AssetReferences: assetReferencesSchema,
  Environment: environmentSchema,
  EnvironmentCreated: environmentCreatedSchema,
  EnvironmentUpdated: environmentUpdatedSchema,
  EnvironmentFound: environmentFoundSchema,
  EnvironmentList: environmentListSchema,
  EnvironmentCount: environmentCountSchema,
  EnvironmentListing: environmentListingSchema,
  EnvironmentDeleted: environmentDeletedSchema,
  DeliveryToken: deliveryTokenSchema,
  DeliveryTokenCreated: deliveryTokenCreatedSchema,
  DeliveryTokenUpdated: deliveryTokenUpdatedSchema,
  DeliveryTokenFound: deliveryTokenFoundSchema,
  DeliveryTokenList: deliveryTokenListSchema,
  DeliveryTokenCount: deliveryTokenCountSchema,
  DeliveryTokenListing: deliveryTokenListingSchema,
  DeliveryTokenDeleted: deliveryTokenDeletedSchema,
  PublishDetail: publishDetailSchema,
  Published: publishedSchema,
  BulkPublished: bulkPublishedSchema,
  PublishQueueItem: publishQueueItemSchema,
  PublishQueue: publishQueueSchema,
  PublishQueueItemFound: publishQueueItemFoundSchema,
  ScheduledActionCancelled: noticeSchema,
} as const;
export type ResponseSchemaName = keyof typeof RESPONSE_SCHEMAS;

/** JSON request bodies. */
const REQUEST_SCHEMAS = {
  StackCreate: stackCreateSchema,
  // The route validates the envelope, then its `asset` with assetUpdateFieldsSchema: the same
  // two schemas, composed into the one body a client sends.
  AssetUpdate: z.extend(assetUpdateJsonSchema, { asset: assetUpdateFieldsSchema }),
  FolderCreate: folderCreateSchema,
  FolderUpdate: folderUpdateSchema,
  UploadCreate: uploadCreateSchema,
  EnvironmentCreate: environmentCreateSchema,
  EnvironmentUpdate: environmentUpdateSchema,
  DeliveryTokenCreate: deliveryTokenCreateSchema,
  DeliveryTokenUpdate: deliveryTokenUpdateSchema,
  PublishRequest: publishBodySchema,
  BulkPublishRequest: bulkBodySchema,
} as const;
export type RequestSchemaName =
  | keyof typeof REQUEST_SCHEMAS
  | "AssetCreateForm"
  | "AssetUpdateForm";

export function componentSchemas(): Record<string, JsonSchema> {
  return {
    ...namedJsonSchemas(RESPONSE_SCHEMAS, "output"),
    ...namedJsonSchemas(REQUEST_SCHEMAS, "input"),
    AssetCreateForm: assetFormSchema(true),
    AssetUpdateForm: assetFormSchema(false),
  };
}

export const SECURITY_SCHEMES = {
  apiKey: {
    type: "apiKey",
    in: "header",
    name: "api_key",
    description:
      "The stack's api_key (`blt` + 16 hex digits). Missing, malformed or unknown: 412 with error_code 109.",
  },
  managementToken: {
    type: "apiKey",
    in: "header",
    name: "authorization",
    description:
      "A management token of the stack named by api_key, sent as it is (no `Bearer`). Missing, revoked or another stack's: 401 with error_code 105. Checked against the stack's Durable Object, so a revoked token fails on the very next request.",
  },
  adminToken: {
    type: "apiKey",
    in: "header",
    name: "authorization",
    description:
      "The deployment's ADMIN_TOKEN secret (`wrangler secret put ADMIN_TOKEN`). Wrong or missing: 401 with error_code 105; every admin request counts against 60 a minute per client address.",
  },
} as const satisfies Record<string, SecurityScheme>;
export type SecuritySchemeName = keyof typeof SECURITY_SCHEMES;
