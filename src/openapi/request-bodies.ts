// Request body media types: JSON bodies point at the schemas validate() uses (components.ts),
// uploads take a multipart form or the file's raw bytes.

import { MAX_JSON_BYTES } from "../http/schemas";
import type { RequestSchemaName } from "./components";
import { ref } from "./json-schemas";
import type { MediaType } from "./types";

export const jsonContent = (schema: RequestSchemaName, example: unknown): MediaType => ({
  schema: ref(schema),
  example,
});

export const formContent = (schema: "AssetCreateForm" | "AssetUpdateForm"): MediaType => ({
  schema: ref(schema),
});

/** The media range of a raw upload: the body is the file, with the file's own Content-Type. */
export const RAW_FILE_RANGE = "*/*";
export const RAW_FILE: MediaType = {
  schema: { type: "string", contentMediaType: "application/octet-stream" },
};

export const JSON_LIMITS = `A JSON body may hold at most ${MAX_JSON_BYTES / 1024} KiB (413 beyond), must be valid UTF-8 JSON (400 otherwise), and may name no unknown field (422).`;
