// The CMA's download with a permanent URL on the management host (routes/asset-download.ts), as
// the OpenAPI document describes it.

import { BLT_ID } from "../domain/ids";
import { MAX_SLUG_LENGTH, SLUG_PATTERN } from "../domain/slug";
import {
  assetNotFound,
  environmentNotFound,
  preconditionFailed,
  rangeNotSatisfiable,
} from "../http/errors";
import type { OperationSpec } from "./operation-spec";
import { assetUidParameter } from "./parameters";
import type { Parameter, Response } from "./types";

const FILE: Response["content"] = {
  "*/*": { schema: { type: "string", contentMediaType: "application/octet-stream" } },
};

const parameters: Parameter[] = [
  {
    name: "api_key",
    in: "path",
    required: true,
    description:
      "The stack's api_key: the management token must be one of this stack's. An `api_key` header may be left out; when sent it must be the same (412 otherwise).",
    schema: { type: "string", pattern: BLT_ID.source },
  },
  assetUidParameter,
  {
    name: "slug",
    in: "path",
    required: true,
    description: "The asset's permanent URL slug (case-sensitive); any other is a 404.",
    schema: { type: "string", pattern: `^${SLUG_PATTERN}$`, maxLength: MAX_SLUG_LENGTH },
  },
  {
    name: "environment",
    in: "query",
    required: false,
    description:
      "An environment's name: serve the version published there instead of the latest. Nothing published there is a 404 (`error_code` 145), an environment the stack does not have a 404 (162).",
    schema: { type: "string" },
  },
  {
    name: "dl",
    in: "query",
    required: false,
    description:
      "Download: `Content-Disposition: attachment` with the version's filename (`?dl` or `?dl=true`), or with this name.",
    schema: { type: "string" },
  },
];

export const DOWNLOAD_OPERATIONS: OperationSpec[] = [
  {
    method: "get",
    path: "/v3/assets/{api_key}/{uid}/{slug}",
    operationId: "downloadAsset",
    tag: "Assets",
    summary: "Download an asset with its permanent URL",
    description:
      "The CMA's download with a permanent URL: the public permanent URL's path, on this host, with a management token. It answers the asset's latest version (or with `environment`, the one published there) as committed, read from the asset's Durable Object with no propagation delay, whereas the public URL may lag by its documented bound. The answer is the file's bytes with the public URLs' HTTP semantics (docs/HTTP.md): `HEAD`, `Range` (206, or 416 past the end), `If-None-Match` and `If-Modified-Since` (304), `If-Match` and `If-Unmodified-Since` (412), `ETag`, `Last-Modified`; `Cache-Control: private, no-cache`. Image parameters are the public host's and are ignored here.",
    access: "management",
    parameters,
    responses: {
      "200": { description: "The version's bytes, with its own Content-Type.", content: FILE },
      "206": { description: "One range of the version's bytes (`Content-Range`).", content: FILE },
      "304": { description: "The validators sent match: no body." },
    },
    errors: [
      assetNotFound(),
      environmentNotFound(),
      preconditionFailed(),
      rangeNotSatisfiable("bytes */13"),
    ],
  },
];
