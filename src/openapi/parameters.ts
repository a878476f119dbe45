// Path, query and header parameters. Identifier patterns are the ones the routes check
// (domain/ids.ts); the list query's parameters come from listQuerySchema itself.

import { BLT_ID, TOKEN_UID, UPLOAD_UID } from "../domain/ids";
import { MAX_PARTS } from "../domain/upload-parts";
import { listQuerySchema } from "../http/schemas";
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

const LIST_NOTES: Record<string, string> = {
  skip: "How many assets to leave out, newest first (a whole number).",
  limit: "How many assets to return (a whole number).",
  search:
    "This service's extension: keep only assets whose title or current filename contains this text (ASCII letters in any case; `%` and `_` are taken literally). Surrounding spaces are ignored.",
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
