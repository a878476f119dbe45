// What an asset request asks to change: the text fields of an upload form, or the `asset` of a
// JSON body, checked and turned into the AssetChange the asset's Durable Object applies.

import { BLT_ID } from "../domain/ids";
import { parsePermanentUrlInput } from "../domain/slug";
import { checkTags, tagsFromText } from "../domain/tags";
import {
  type AssetFields,
  assetFieldsSchema,
  assetUpdateFieldsSchema,
} from "../http/asset-schemas";
import { notAFolder, validationFailed } from "../http/errors";
import { validate } from "../http/schemas";
import type { AssetChange } from "../objects/asset-object";

/** Checks validated fields and turns `permanent_url` into a slug for this asset. */
function assetChange(valid: AssetFields, apiKey: string, uid: string): AssetChange {
  const change: AssetChange = {};
  if (valid.title !== undefined) change.title = valid.title;
  if (valid.description !== undefined) change.description = valid.description;
  if (valid.tags !== undefined) {
    const check = checkTags(valid.tags);
    if (!check.ok) throw validationFailed({ tags: [check.reason] });
    change.tags = check.tags;
  }
  if (valid.parent_uid !== undefined) {
    // Whether the stack has this folder is checked when the move takes its hold (folder-moves.ts).
    if (valid.parent_uid !== null && !BLT_ID.test(valid.parent_uid)) throw notAFolder();
    change.parentUid = valid.parent_uid;
  }
  if (valid.permanent_url !== undefined) {
    const check = parsePermanentUrlInput(valid.permanent_url, apiKey, uid);
    if (!check.ok) throw validationFailed({ permanent_url: [check.reason] });
    change.slug = check.slug;
  }
  return change;
}

/**
 * A form's text fields (keyed without "asset[...]"): `tags` is the comma-separated text the SDK
 * sends, and an empty `parent_uid` means the root, since a form cannot send null.
 */
export function formChange(fields: Record<string, string>, apiKey: string, uid: string) {
  const { tags, parent_uid, ...rest } = fields;
  const converted: Record<string, unknown> = { ...rest };
  if (tags !== undefined) {
    const check = tagsFromText(tags);
    if (!check.ok) throw validationFailed({ tags: [check.reason] });
    converted.tags = check.tags;
  }
  if (parent_uid !== undefined) converted.parent_uid = parent_uid === "" ? null : parent_uid;
  return assetChange(validate(assetFieldsSchema, converted), apiKey, uid);
}

/**
 * The `asset` of a JSON update. It may carry every field of an Asset answer; the read-only ones
 * are dropped here (http/asset-schemas.ts says why), but a different `uid` is refused.
 */
export function jsonChange(asset: unknown, apiKey: string, uid: string): AssetChange {
  const valid = validate(assetUpdateFieldsSchema, asset);
  if (valid.uid !== undefined && valid.uid !== uid) {
    throw validationFailed({ uid: ["is not the uid of the asset in the URL"] });
  }
  const { title, description, tags, parent_uid, permanent_url } = valid;
  return assetChange({ title, description, tags, parent_uid, permanent_url }, apiKey, uid);
}
