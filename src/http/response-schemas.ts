// The JSON bodies the management API answers with, as zod/mini schemas. They are the one
// description of those shapes: the views are typed by them (http/asset-view.ts, uploadView,
// errorBody), the OpenAPI document is generated from them (openapi/components.ts), and the tests
// check real responses against them. Objects are strict, so an extra field is a failure too.

import * as z from "zod/mini";
import { BLT_ID, FILE_UID, TOKEN_UID, UPLOAD_UID } from "../domain/ids";
import { FOLDER_CONTENT_TYPE } from "../domain/records";
import { publishDetailSchema } from "./publish-response-schemas";

const matching = (pattern: RegExp) => z.string().check(z.regex(pattern));
const sha256 = matching(/^[0-9a-f]{64}$/);
/** Sizes are decimal strings, as in the CMA (a file can be larger than 2^53 bytes in principle). */
const byteCount = matching(/^(0|[1-9][0-9]*)$/);
const timestamp = z.iso.datetime();
const count = z.int().check(z.minimum(0));
const positive = z.int().check(z.minimum(1));

/** A public URL: absolute, or from `/v3/assets/` on when the request asked for relative_urls. */
const publicUrl = z.union([z.url(), matching(/^\/v3\/assets\/\S+$/)]);
/** A management token's uid; empty for assets stored before authors were recorded. */
const author = z.union([matching(TOKEN_UID), z.literal("")]);
const dimension = z.strictObject({ width: positive, height: positive });

export const assetSchema = z.strictObject({
  uid: matching(BLT_ID),
  title: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  /** The folder the asset is in; null at the root. */
  parent_uid: z.nullable(matching(BLT_ID)),
  is_dir: z.literal(false),
  filename: z.string(),
  content_type: z.string(),
  file_size: byteCount,
  sha256,
  /** Width and height of a raster image, read from its header while it was uploaded. */
  dimension: z.optional(dimension),
  url: publicUrl,
  /** Absent until generated; then it never changes while the asset exists. */
  permanent_url: z.optional(publicUrl),
  _version: positive,
  created_at: timestamp,
  updated_at: timestamp,
  created_by: author,
  updated_by: author,
  /** With include_publish_details=true: each environment and locale it is published in. */
  publish_details: z.optional(z.array(publishDetailSchema)),
});
export type AssetJson = z.output<typeof assetSchema>;

/** A folder (the CMA's `is_dir` asset); in listings with include_folders=true. */
export const folderSchema = z.strictObject({
  uid: matching(BLT_ID),
  name: z.string(),
  parent_uid: z.nullable(matching(BLT_ID)),
  is_dir: z.literal(true),
  content_type: z.literal(FOLDER_CONTENT_TYPE),
  tags: z.array(z.string()),
  created_at: timestamp,
  updated_at: timestamp,
  created_by: author,
  updated_by: author,
});
export type FolderJson = z.output<typeof folderSchema>;

export const versionSchema = z.strictObject({
  _version: positive,
  file_uid: matching(FILE_UID),
  filename: z.string(),
  content_type: z.string(),
  file_size: byteCount,
  sha256,
  url: publicUrl,
  created_at: timestamp,
});
export type VersionJson = z.output<typeof versionSchema>;

export const partSchema = z.strictObject({ part_number: positive, size: count, sha256 });

export const uploadSchema = z.strictObject({
  uid: matching(UPLOAD_UID),
  asset_uid: matching(BLT_ID),
  kind: z.enum(["create", "replace"]),
  filename: z.string(),
  content_type: z.string(),
  file_size: byteCount,
  part_size: positive,
  part_count: positive,
  parts: z.array(partSchema),
  missing_parts: z.array(positive),
  sha256: z.optional(sha256),
  state: z.enum(["open", "completing", "completed", "aborted", "expired", "failed"]),
  created_at: timestamp,
  expires_at: timestamp,
});
export type UploadJson = z.output<typeof uploadSchema>;

export const stackSchema = z.strictObject({
  api_key: matching(BLT_ID),
  name: z.string(),
  created_at: timestamp,
});

export const managementTokenSchema = z.strictObject({
  uid: matching(TOKEN_UID),
  token: z.string().check(z.minLength(1)),
});

export const errorSchema = z.strictObject({
  error_message: z.string(),
  error_code: z.int(),
  errors: z.optional(z.record(z.string(), z.array(z.string()))),
});
export type ErrorJson = z.output<typeof errorSchema>;

// The envelopes, one per kind of answer. Notices are literals: clients compare them.
export const assetCreatedSchema = z.strictObject({
  notice: z.literal("Asset created successfully."),
  asset: assetSchema,
});
export const assetUpdatedSchema = z.strictObject({
  notice: z.enum(["Asset updated successfully.", "Permanent URL generated successfully."]),
  asset: assetSchema,
});
export const assetFoundSchema = z.strictObject({ asset: assetSchema });
export const assetListSchema = z.strictObject({
  assets: z.array(z.union([assetSchema, folderSchema])),
  count,
});
/** `count=true`, as the SDK's query().count() asks: only how many match. */
export const assetCountSchema = z.strictObject({ assets: count });
/** GET /v3/assets answers one or the other. */
export const assetListingSchema = z.union([assetListSchema, assetCountSchema]);
export const folderCreatedSchema = z.strictObject({
  notice: z.literal("Folder created successfully."),
  asset: folderSchema,
});
export const folderUpdatedSchema = z.strictObject({
  notice: z.literal("Folder updated successfully."),
  asset: folderSchema,
});
export const folderFoundSchema = z.strictObject({ asset: folderSchema });
export const folderDeletedSchema = z.strictObject({
  notice: z.literal("Folder deleted successfully."),
});
export const versionListSchema = z.strictObject({ versions: z.array(versionSchema) });
export const assetDeletedSchema = z.strictObject({
  notice: z.literal("Asset deleted successfully."),
});

export const uploadStartedSchema = z.strictObject({
  notice: z.literal("Upload started."),
  upload: uploadSchema,
});
export const uploadFoundSchema = z.strictObject({ upload: uploadSchema });
export const partReceivedSchema = z.strictObject({ part: partSchema });
export const uploadAbortedSchema = z.strictObject({ notice: z.literal("Upload aborted.") });

export const stackCreatedSchema = z.strictObject({
  notice: z.literal("Stack created successfully."),
  stack: stackSchema,
  management_token: managementTokenSchema,
});
export type StackCreatedJson = z.output<typeof stackCreatedSchema>;
export const tokenCreatedSchema = z.strictObject({
  notice: z.literal("Management token created successfully."),
  management_token: managementTokenSchema,
});
export type TokenCreatedJson = z.output<typeof tokenCreatedSchema>;
export const tokenRevokedSchema = z.strictObject({
  notice: z.literal("Management token revoked successfully."),
});
export type TokenRevokedJson = z.output<typeof tokenRevokedSchema>;

export const metricsSchema = z.strictObject({ durable_object_stubs: count });
