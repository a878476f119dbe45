// Request validation of the asset and folder routes: the fields a client may set, the fields of
// an Asset answer it may send back (ignored), folder bodies, and the listing's query parameters.
// Unknown fields are still refused: a typo never silently does nothing.

import * as z from "zod/mini";
import { MAX_QUERY_LENGTH, SORT_FIELDS } from "../domain/asset-query";
import { MAX_TAG_LENGTH, MAX_TAGS } from "../domain/tags";
import { DESCRIPTION_RULE } from "../domain/text";
import { text, textField, wholeNumber, wholeNumberParam } from "./schemas";

const description = textField(DESCRIPTION_RULE);
const folderUid = z.nullable(
  z.string("must be a folder uid or null").check(z.maxLength(64, "must be at most 64 characters")),
);
const tagList = z
  .array(
    z.string("each tag must be a string").check(
      // Checked again, trimmed and in code points, by domain/tags.ts; this bounds the work
      // before that (a code point is at most two UTF-16 units).
      z.maxLength(MAX_TAG_LENGTH * 4, `a tag must be at most ${MAX_TAG_LENGTH} characters`),
      // What the document shows: JSON Schema's maxLength counts code points, as the rule does.
      z.meta({ maxLength: MAX_TAG_LENGTH }),
    ),
    "must be an array of strings",
  )
  .check(z.maxLength(MAX_TAGS, `must have at most ${MAX_TAGS} tags`));

/** The fields of an asset a client sets (forms convert `asset[tags]` text to a list first). */
const WRITABLE = {
  title: z.optional(text(1, 255)),
  description: z.optional(description),
  tags: z.optional(tagList),
  parent_uid: z.optional(folderUid),
  permanent_url: z.optional(
    z.string("must be a string").check(z.maxLength(2048, "must be at most 2048 characters")),
  ),
};

export const assetFieldsSchema = z.strictObject(WRITABLE, "must be an object of known fields");
export type AssetFields = z.infer<typeof assetFieldsSchema>;

export const readOnly = (what: string) =>
  z.optional(
    z
      .unknown()
      .check(
        z.describe(
          `Read-only (${what}): accepted so a fetched asset can be sent back, and ignored.`,
        ),
      ),
  );

/**
 * The fields of an Asset answer that no request changes. A PUT may carry them (the official SDK's
 * update() sends back the whole fetched asset) and they are ignored, whatever their value: a
 * fetched object may be older than the asset, and the CMA ignores them too. `uid` alone must
 * match, since another asset's uid can only be a mistake.
 */
const READ_ONLY_FIELDS = {
  uid: readOnly("must be this asset's uid"),
  url: readOnly("changes with each new file"),
  filename: readOnly("the current file's"),
  content_type: readOnly("the current file's"),
  file_size: readOnly("the current file's"),
  sha256: readOnly("the current file's"),
  dimension: readOnly("the current file's"),
  _version: readOnly("the current file's number"),
  is_dir: readOnly("false for an asset"),
  created_at: readOnly("set once"),
  updated_at: readOnly("set by each change"),
  created_by: readOnly("set once"),
  updated_by: readOnly("set by each change"),
};

/** PUT /v3/assets/{uid}'s JSON `asset`: what a client sets, and an answer's read-only fields. */
export const assetUpdateFieldsSchema = z.strictObject(
  { ...WRITABLE, ...READ_ONLY_FIELDS },
  "must be an object of known fields",
);

export const assetUpdateJsonSchema = z.strictObject(
  { asset: z.unknown() },
  'must be {"asset": {...}}',
);

/** The fields of a folder a client sets. */
const FOLDER_FIELDS = { name: text(1, 255), parent_uid: z.optional(folderUid) };
const FOLDER_READ_ONLY = {
  uid: readOnly("must be this folder's uid"),
  is_dir: readOnly("true for a folder"),
  content_type: readOnly("the CMA's folder type"),
  tags: readOnly("a folder has none"),
  created_at: readOnly("set once"),
  updated_at: readOnly("set by each change"),
  created_by: readOnly("set once"),
  updated_by: readOnly("set by each change"),
};

export const folderCreateSchema = z.strictObject(
  { asset: z.strictObject(FOLDER_FIELDS, "must be an object of known fields") },
  'must be {"asset": {"name": "..."}}',
);

export const folderUpdateSchema = z.strictObject(
  {
    asset: z.strictObject(
      { ...FOLDER_FIELDS, name: z.optional(FOLDER_FIELDS.name), ...FOLDER_READ_ONLY },
      "must be an object of known fields",
    ),
  },
  'must be {"asset": {...}}',
);

const flag = z.optional(z.enum(["true", "false"], 'must be "true" or "false"'));
const sortField = z.optional(
  z.enum(SORT_FIELDS, `must be ${SORT_FIELDS.slice(0, -1).join(", ")} or ${SORT_FIELDS.at(-1)}`),
);

// Unknown query parameters are ignored (CMA clients send extras such as include_branch).
export const listQuerySchema = z.object({
  skip: wholeNumber(0, 1_000_000, 0),
  limit: wholeNumber(1, 100, 100),
  // This service's extension: keep assets whose title or current filename contains the text.
  search: z.optional(textField({ min: 0, max: 255 })),
  query: z.optional(
    z
      .string("must be a string")
      .check(
        z.maxLength(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters of JSON`),
      ),
  ),
  asc: sortField,
  desc: sortField,
  include_count: flag,
  include_folders: flag,
  folder: z.optional(
    z.string("must be a string").check(z.maxLength(64, "must be at most 64 characters")),
  ),
  relative_urls: flag,
  count: flag,
  include_publish_details: flag,
});
export type ListQuery = z.infer<typeof listQuerySchema>;

/** GET /v3/assets/{uid}'s query: `version` picks an older version, as in the CMA. */
export const getAssetQuerySchema = z.object({
  version: z.optional(wholeNumberParam(1, Number.MAX_SAFE_INTEGER)),
  relative_urls: flag,
  // The CMA's: where the asset is published (GET /v3/assets/{uid} and the listing).
  include_publish_details: flag,
});
