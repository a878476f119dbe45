// The multipart/form-data bodies of POST /v3/assets and PUT /v3/assets/{uid}, described from
// what the code reads: the field names come from the form reader (upload/read-multipart-form.ts)
// and each text field's constraints from assetFieldsSchema, which validates them.

import { MAX_TAG_LENGTH, MAX_TAGS } from "../domain/tags";
import { assetFieldsSchema } from "../http/asset-schemas";
import { FILE_FIELD, TEXT_FIELDS } from "../upload/read-multipart-form";
import { jsonSchema } from "./json-schemas";
import type { JsonSchema } from "./types";

// asset[sha256] is checked by upload/checksum.ts (sha256Field), not by assetFieldsSchema.
const SHA256_FIELD: JsonSchema = {
  type: "string",
  pattern: "^[0-9a-fA-F]{64}$",
  description:
    "The SHA-256 of the file, 64 hex digits. A mismatch is a 422 and nothing is stored. Needs asset[upload].",
};

// Fields whose form is text where the JSON body has a list or null (routes/asset-input.ts).
const TEXT_FORMS: Record<string, JsonSchema> = {
  tags: {
    type: "string",
    description: `The tags, separated by commas (the official SDK joins its array so); empty for none. At most ${MAX_TAGS} tags of at most ${MAX_TAG_LENGTH} characters.`,
  },
  parent_uid: {
    type: "string",
    maxLength: 64,
    description: "The uid of one of the stack's folders, or empty for the root.",
  },
};

const FIELD_NOTES: Record<string, string> = {
  title: "Defaults to the filename when an asset is created.",
  description: "Defaults to the empty string when an asset is created.",
  permanent_url:
    "A bare slug or the full permanent URL; set once per asset (see the operation's description).",
};

/** `asset[title]` -> `title`. */
const innerName = (field: string) => field.slice("asset[".length, -1);

/** The form's JSON Schema; `fileRequired` for creation, where the file is the point. */
export function assetFormSchema(fileRequired: boolean): JsonSchema {
  const validated = jsonSchema(assetFieldsSchema, "input").properties as Record<string, JsonSchema>;
  const properties: Record<string, JsonSchema> = {
    [FILE_FIELD]: {
      type: "string",
      contentMediaType: "application/octet-stream",
      description:
        "The file, with a filename in its Content-Disposition; its Content-Type is kept when it is a real media type, otherwise it is guessed from the filename.",
    },
  };
  for (const field of TEXT_FIELDS) {
    const name = innerName(field);
    const schema = name === "sha256" ? SHA256_FIELD : (TEXT_FORMS[name] ?? validated[name]);
    // A field the reader takes but nothing describes must not go unnoticed.
    if (!schema) throw new Error(`the form field ${field} has no schema`);
    const note = FIELD_NOTES[name];
    properties[field] = note ? { ...schema, description: note } : schema;
  }
  return {
    type: "object",
    properties,
    ...(fileRequired ? { required: [FILE_FIELD] } : {}),
    additionalProperties: false,
  };
}
