// The asset operations (routes/assets.ts), as the OpenAPI document describes them.

import { DEFAULT_MAX_UPLOAD_BYTES } from "../config";
import { MAX_SLUG_LENGTH } from "../domain/slug";
import { MAX_TAG_LENGTH, MAX_TAGS } from "../domain/tags";
import {
  assetNotFound,
  malformedBody,
  notAFolder,
  permanentUrlTaken,
  tooLarge,
  UPLOAD_BODIES,
  unsupportedMediaType,
  validationFailed,
  versionNotFound,
} from "../http/errors";
import { MAX_JSON_BYTES } from "../http/schemas";
import type { OperationSpec } from "./operation-spec";
import {
  assetUidParameter,
  contentDigestParameter,
  filenameParameter,
  includePublishDetailsParameter,
  listQueryParameters,
  relativeUrlsParameter,
  versionParameter,
} from "./parameters";
import { formContent, JSON_LIMITS, jsonContent, RAW_FILE, RAW_FILE_RANGE } from "./request-bodies";
import { jsonResponse } from "./responses";

const EXAMPLE_PERMANENT_URL = "https://{host}/v3/assets/{api_key}/{uid}/{slug}";

const UPLOAD_RULES = `- \`multipart/form-data\`, as in the CMA: the file in \`asset[upload]\` (with a filename), and the optional text fields \`asset[title]\`, \`asset[description]\`, \`asset[tags]\` (comma-separated, as the official SDK sends them), \`asset[parent_uid]\` (a folder; empty for the root), \`asset[permanent_url]\` and \`asset[sha256]\`. Any other field, or a repeated one, is a 422.
- The file's raw bytes as the body, with \`?filename=\` and the file's own \`Content-Type\`: a streaming upload. \`Content-Length\` is optional (without it the bytes are stored in 5 MiB parts); \`Content-Digest: sha-256=:…:\` is checked when sent.

The SHA-256 of the bytes is computed while they stream and answered as \`sha256\`; a client's own digest that does not match is a 422. An upload larger than \`MAX_UPLOAD_BYTES\` (${DEFAULT_MAX_UPLOAD_BYTES / 1024 / 1024} MiB by default) is a 413, before anything is stored when \`Content-Length\` says so; larger files go through an upload session (POST /v3/uploads). A failed or refused upload leaves nothing behind and the asset as it was.`;

const SLUG_RULES = `The permanent URL is \`permanent_url\`: a bare slug (\`boy-photo\`) or the full URL \`https://{any host}/v3/assets/{api_key}/{uid}/{slug}\`, whose api_key and uid must be this stack's and this asset's. A slug is 1 to ${MAX_SLUG_LENGTH} characters from \`A-Z a-z 0-9 . _ ~ -\`, starts with a letter or a digit, and is case-sensitive; anything else is a 422 whose \`errors.permanent_url\` says why.`;

const TAG_RULES = `Tags are kept trimmed and NFC-normalised, each once, in the order given: at most ${MAX_TAGS} tags of 1 to ${MAX_TAG_LENGTH} characters, with no comma or control character (a 422 otherwise).`;

const FOLDER_RULES =
  "`parent_uid` puts the asset in one of the stack's folders (POST /v3/assets/folders), or at the root with null; a uid that is not one of the stack's folders is a 422. Moving an asset never changes any of its URLs.";

const UPLOAD_ERRORS = [
  malformedBody("the multipart body could not be parsed"),
  tooLarge(DEFAULT_MAX_UPLOAD_BYTES),
  unsupportedMediaType(UPLOAD_BODIES),
  validationFailed({ "asset[upload]": ["is required"] }),
  notAFolder(),
];

export const ASSET_OPERATIONS: OperationSpec[] = [
  {
    method: "post",
    path: "/v3/assets",
    operationId: "createAsset",
    tag: "Assets",
    summary: "Upload a new asset",
    description: `Stores a file as a new asset (version 1) and answers with it. Its \`url\` is the auto-generated URL of this version, which serves exactly these bytes for as long as the asset exists. The title defaults to the filename, the description to "".

Two forms of request:
${UPLOAD_RULES}

\`asset[permanent_url]\` generates the permanent URL at once, under the rules of PUT /v3/assets/{uid}. ${TAG_RULES} ${FOLDER_RULES} \`created_by\` and \`updated_by\` are the uid of the request's management token. Not idempotent: every request creates another asset with a new uid.`,
    access: "management",
    parameters: [filenameParameter, contentDigestParameter],
    requestBody: {
      description: "The file, in a multipart form or as the raw body with `?filename=`.",
      required: true,
      content: {
        "multipart/form-data": formContent("AssetCreateForm"),
        [RAW_FILE_RANGE]: RAW_FILE,
      },
    },
    responses: { "201": jsonResponse("The asset was created.", "AssetCreated") },
    errors: UPLOAD_ERRORS,
  },
  {
    method: "get",
    path: "/v3/assets",
    operationId: "listAssets",
    tag: "Assets",
    summary: "List assets",
    description:
      "The stack's assets, newest first (by `created_at`) unless `asc` or `desc` says otherwise, a page at a time, with `count`: how many match in all. `query` filters them as the CMA's does, within the subset its parameter describes; `folder` keeps those directly in one folder; `include_folders=true` lists the folders too. With `count=true` the answer is only how many match (`AssetCount`). A value out of range, an unknown field or operator in `query`, or a `folder` that is not one of the stack's folders is a 422. With `include_publish_details=true` each asset says where it is published (`publish_details`). Other query parameters are ignored.",
    access: "management",
    parameters: listQueryParameters(),
    responses: {
      "200": jsonResponse(
        "One page of assets (and folders), or with count=true only how many.",
        "AssetListing",
      ),
    },
    errors: [
      validationFailed({ limit: ["must be at most 100"] }),
      validationFailed({ query: ["$where is not a supported operator"] }),
    ],
  },
  {
    method: "get",
    path: "/v3/assets/{uid}",
    operationId: "getAsset",
    tag: "Assets",
    summary: "Read an asset",
    description:
      "The asset as it is now: its title, description, tags and folder, its current version's filename, type, size, SHA-256, `dimension` (for a raster image) and `url`, `permanent_url` once it has been generated, and who created and last changed it (`created_by`, `updated_by`: management token uids). With `version=N`, version N's file in place of the current one. With `include_publish_details=true`, where it is published (`publish_details`: one entry per environment and locale). An unknown or deleted asset is a 404.",
    access: "management",
    parameters: [
      assetUidParameter,
      versionParameter,
      relativeUrlsParameter,
      includePublishDetailsParameter,
    ],
    responses: { "200": jsonResponse("The asset.", "AssetFound") },
    errors: [assetNotFound(), versionNotFound()],
  },
  {
    method: "put",
    path: "/v3/assets/{uid}",
    operationId: "updateAsset",
    tag: "Assets",
    summary: "Replace the file, edit the fields, or generate the permanent URL",
    description: `Changes an asset. Everything one request carries is applied in one commit, or nothing is.

- **Replace the file**: \`asset[upload]\` in a multipart form, or the raw bytes with \`?filename=\` (the rules of POST /v3/assets). The bytes become a new version: \`_version\` + 1 and a new \`url\`. The previous version's URL keeps serving the previous bytes; the permanent URL serves the new ones once its short cache time has passed (docs/HTTP.md).
- **Edit** \`title\`, \`description\`, \`tags\` (a JSON array, or the form's comma-separated text) or \`parent_uid\` (move to a folder, or to the root with null): a JSON body \`{"asset": {...}}\`, or the form's text fields. ${TAG_RULES} ${FOLDER_RULES}
- **Send back a fetched asset.** The JSON \`asset\` may carry every field of an Asset answer, as the official SDK's update() does: the read-only ones (\`url\`, \`filename\`, \`content_type\`, \`file_size\`, \`sha256\`, \`dimension\`, \`_version\`, \`is_dir\`, the dates and authors) are ignored whatever their value, since a fetched object may be older than the asset; \`uid\`, when sent, must be this asset's. A field no Asset has is still a 422.
- **Generate the permanent URL**. ${SLUG_RULES}

**Exactly once.** An asset's permanent URL is written once, and never changes or disappears while the asset exists. Of any number of concurrent requests with different slugs exactly one wins; every other one gets a 409 naming the existing permanent URL, and nothing it carried is kept (a file included). Sending the **same** slug again is idempotent: a 200, and when nothing else is sent, the same body as before (nothing is written and \`updated_at\` does not move), so a client can retry after a lost response. Replacing the file or editing the fields never touches the permanent URL.

The notice is "Permanent URL generated successfully." when this request set the permanent URL, or repeated the one that did without changing anything; otherwise "Asset updated successfully." (sending back a fetched asset with its standing \`permanent_url\` and a new title is an update). An unknown asset is a 404 before any byte of an upload is read; a request with nothing to change is a 422. ${JSON_LIMITS}`,
    access: "management",
    parameters: [assetUidParameter, filenameParameter, contentDigestParameter],
    requestBody: {
      description:
        "JSON to edit fields or generate the permanent URL; a multipart form or the raw bytes (with `?filename=`) to replace the file.",
      required: true,
      content: {
        "application/json": jsonContent("AssetUpdate", { asset: { permanent_url: "boy-photo" } }),
        "multipart/form-data": formContent("AssetUpdateForm"),
        [RAW_FILE_RANGE]: RAW_FILE,
      },
    },
    responses: { "200": jsonResponse("The asset as it is now.", "AssetUpdated") },
    errors: [
      malformedBody("it is not valid JSON"),
      assetNotFound(),
      permanentUrlTaken(EXAMPLE_PERMANENT_URL),
      tooLarge(DEFAULT_MAX_UPLOAD_BYTES),
      tooLarge(MAX_JSON_BYTES),
      unsupportedMediaType(),
      validationFailed({ permanent_url: ["must use only A-Z a-z 0-9 . _ ~ -"] }),
      validationFailed({ tags: ["a tag must not contain a comma"] }),
      notAFolder(),
    ],
  },
  {
    method: "delete",
    path: "/v3/assets/{uid}",
    operationId: "deleteAsset",
    tag: "Assets",
    summary: "Delete an asset",
    description:
      "Deletes the asset and all its versions. From then on every URL of the asset (the permanent URL and each version's URL) answers 404, as does this API for its uid; the uid is never used again. Deleting again is a 404.",
    access: "management",
    parameters: [assetUidParameter],
    responses: { "200": jsonResponse("The asset was deleted.", "AssetDeleted") },
    errors: [assetNotFound()],
  },
  {
    method: "get",
    path: "/v3/assets/{uid}/versions",
    operationId: "listAssetVersions",
    tag: "Assets",
    summary: "List an asset's versions",
    description:
      "Every version of the asset, newest first, each with its `file_uid`, filename, type, size, SHA-256 and its own `url`, which serves exactly those bytes for as long as the asset exists.",
    access: "management",
    parameters: [assetUidParameter, relativeUrlsParameter],
    responses: { "200": jsonResponse("The versions, newest first.", "VersionList") },
    errors: [assetNotFound()],
  },
  {
    method: "get",
    path: "/v3/assets/{uid}/references",
    operationId: "getAssetReferences",
    tag: "Assets",
    summary: "List the entries that use an asset",
    description:
      "The CMA's asset references (the SDK's getReferences()): in Contentstack, the entries that use the asset. Entries do not live in this service, so the list is always empty for an asset of the stack; an unknown asset is a 404. Query parameters (such as `include_publish_details`) are ignored.",
    access: "management",
    parameters: [assetUidParameter],
    responses: { "200": jsonResponse("No references.", "AssetReferences") },
    errors: [assetNotFound()],
  },
];
