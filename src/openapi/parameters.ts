// Path, query and header parameters. Identifier patterns are the ones the routes check
// (domain/ids.ts); the list query's parameters come from listQuerySchema itself.

import { MAX_QUERY_VALUES } from "../domain/asset-query";
import { BLT_ID, TOKEN_UID, UPLOAD_UID } from "../domain/ids";
import { MAX_ENVIRONMENT_NAME } from "../domain/publishing-records";
import { MAX_REGEX_LENGTH, MAX_REGEX_RUNS } from "../domain/regex-pattern";
import { MAX_PARTS } from "../domain/upload-parts";
import { listQuerySchema } from "../http/asset-schemas";
import { smallListQuerySchema } from "../http/environment-schemas";
import { jsonSchema } from "./json-schemas";
import type { JsonSchema, Parameter } from "./types";

const pathParameter = (name: string, description: string, schema: JsonSchema): Parameter => ({
  name,
  in: "path",
  required: true,
  description,
  schema,
});

const matching = (pattern: RegExp): JsonSchema => ({ type: "string", pattern: pattern.source });

export const assetUidParameter = pathParameter(
  "uid",
  "The asset's uid (`blt` + 16 hex digits). Any other value is a 404, like an unknown uid.",
  matching(BLT_ID),
);

export const tokenUidParameter = pathParameter(
  "token_uid",
  "The uid of the management token, as POST /v3/stacks or POST /v3/stacks/management_tokens returned it.",
  matching(TOKEN_UID),
);

export const uploadUidParameter = pathParameter(
  "uid",
  "The upload session's uid (`upl` + 24 hex digits). Another stack's session is a 404.",
  matching(UPLOAD_UID),
);

export const partNumberParameter = pathParameter(
  "part",
  "The part's number, from 1 to the session's part_count.",
  { type: "integer", minimum: 1, maximum: MAX_PARTS },
);

const INCLUDE_PUBLISH_DETAILS =
  'With `"true"`, each asset has `publish_details`: one `{"environment", "locale", "version", "time", "user"}` per environment (its uid) and locale it is published in, as the CMA shows them.';

/** GET /v3/assets/{uid}?include_publish_details=true. */
export const includePublishDetailsParameter: Parameter = {
  name: "include_publish_details",
  in: "query",
  required: false,
  description: INCLUDE_PUBLISH_DETAILS,
  schema: { type: "string", enum: ["true", "false"] },
};

export const publishQueueUidParameter = pathParameter(
  "uid",
  "The scheduled action's uid (`blt` + 16 hex digits), as the publish or unpublish that scheduled it answered (`publish_queue_uid`). One that has fired, was cancelled or never existed is a 404.",
  matching(BLT_ID),
);

const RELATIVE_URLS =
  'With `"true"`, `url` and `permanent_url` are paths from `/v3/assets/` on, without the origin (the CMA\'s relative_urls).';

const LIST_NOTES: Record<string, string> = {
  skip: "How many assets to leave out, in the listing's order (a whole number).",
  limit: "How many assets to return (a whole number; at most 100, more is a 422).",
  search:
    "This service's extension: keep only assets whose title or current filename contains this text (ASCII letters in any case; `%` and `_` are taken literally). Surrounding spaces are ignored.",
  query: `A JSON filter in the CMA's syntax, limited to this subset (anything else is a 422 naming it): equality on \`title\`, \`filename\`, \`content_type\` and \`parent_uid\` (a folder uid, or null for the root); \`tags\` equal to one tag, or \`{"$in": [...]}\` (any of them) or \`{"$all": [...]}\` (every one), at most ${MAX_QUERY_VALUES} tags; \`$gt\`, \`$gte\`, \`$lt\`, \`$lte\` on \`created_at\` and \`updated_at\` (ISO 8601 dates) and on \`file_size\` (bytes); \`$regex\` on \`title\`, \`filename\` and \`content_type\`, with \`$options: "i"\` for either case, in a subset with no backtracking (anchors \`^\` and \`$\`, \`.\`, \`.*\`, \`.+\`, classes, \`\\d \\w \\s\`, escaped characters; at most ${MAX_REGEX_LENGTH} characters and ${MAX_REGEX_RUNS} runs). Several fields, or operators, must all hold. Example: \`{"tags": {"$in": ["home"]}, "file_size": {"$lt": 100000}}\`.`,
  asc: "Sort by this field, smallest (or oldest) first. Give `asc` or `desc`, not both.",
  desc: "Sort by this field, largest (or newest) first; the default is `desc=created_at`.",
  include_count:
    "Accepted for CMA clients: `count`, how many match in all, is in every listing anyway.",
  include_folders:
    'With `"true"`, folders are listed too (`is_dir: true`), in the same order and pages as assets.',
  folder:
    "Only what is directly in this folder: its uid, or `cs_root` for the root. A uid that is not one of the stack's folders is a 422. Without it, assets in every folder are listed.",
  relative_urls: RELATIVE_URLS,
  count:
    'With `"true"`, the answer is only `{"assets": N}`: how many match (the SDK\'s query().count()).',
  include_publish_details: INCLUDE_PUBLISH_DETAILS,
};

/** GET /v3/assets's query, as listQuerySchema validates it (unknown parameters are ignored). */
export function listQueryParameters(): Parameter[] {
  const properties = jsonSchema(listQuerySchema, "input").properties as Record<string, JsonSchema>;
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: "query",
    required: false,
    description:
      LIST_NOTES[name] ?? (typeof schema.description === "string" ? schema.description : ""),
    schema,
  }));
}

/** Raw uploads: the file's name, which selects the raw form of the request. */
export const filenameParameter: Parameter = {
  name: "filename",
  in: "query",
  required: false,
  description:
    "Required for a raw upload (the body is the file): the file's name, kept for display and sanitised for its URL. Not used with multipart or JSON bodies.",
  schema: { type: "string", minLength: 1 },
};

/** RFC 9530: a client's digest of a raw upload's bytes, checked while they stream. */
export const contentDigestParameter: Parameter = {
  name: "Content-Digest",
  in: "header",
  required: false,
  description:
    "Raw uploads only: `sha-256=:<base64 of the 32-byte digest>:` (RFC 9530; other algorithms are ignored). A mismatch is a 422 and nothing is stored.",
  schema: { type: "string" },
};

export const folderUidParameter = pathParameter(
  "uid",
  "The folder's uid (`blt` + 16 hex digits). Any other value is a 404, like an unknown uid.",
  matching(BLT_ID),
);

export const relativeUrlsParameter: Parameter = {
  name: "relative_urls",
  in: "query",
  required: false,
  description: RELATIVE_URLS,
  schema: { type: "string", enum: ["true", "false"] },
};

/** GET /v3/assets/{uid}?version=N: an older version in place of the current one. */
export const versionParameter: Parameter = {
  name: "version",
  in: "query",
  required: false,
  description:
    "Show this version's file (filename, type, size, SHA-256, `url`, `_version`) in place of the current one; the other fields are the asset's as they are now. A version the asset never had is a 404.",
  schema: { type: "integer", minimum: 1 },
};

export const environmentNameParameter = pathParameter(
  "name",
  `The environment's name (1 to ${MAX_ENVIRONMENT_NAME} characters), percent-encoded as a path segment (a space is \`%20\`, a slash \`%2F\`); compared after Unicode NFC normalisation. A name the stack does not have is a 404.`,
  { type: "string", minLength: 1 },
);

export const deliveryTokenUidParameter = pathParameter(
  "uid",
  "The delivery token's uid (`blt` + 16 hex digits), as its creation answered it; not the token itself. Any other value is a 404.",
  matching(BLT_ID),
);

/** GET /v3/environments and GET /v3/stacks/delivery_tokens: pages of a small list. */
export function smallListParameters(what: string): Parameter[] {
  const notes: Record<string, string> = {
    skip: `How many ${what} to leave out, in creation order.`,
    limit: `How many ${what} to return (at most 100, more is a 422).`,
    include_count: "Accepted for CMA clients: `count` is in every answer anyway.",
    count: `With \`"true"\`, the answer is only how many ${what} match (the SDK's query().count()).`,
    query: `A JSON filter: \`{"name": "..."}\` keeps the ${what} of that name; any other field is a 422.`,
  };
  const properties = jsonSchema(smallListQuerySchema, "input").properties as Record<
    string,
    JsonSchema
  >;
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: "query",
    required: false,
    description: notes[name] ?? "",
    schema,
  }));
}
