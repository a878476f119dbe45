// Request validation for the management API. Unknown fields are rejected, so a typo never
// silently does nothing.

import { z } from "zod";
import { type FieldErrors, malformedBody, tooLarge, validationFailed } from "./errors";

export const assetFieldsSchema = z.strictObject({
  title: z.string().trim().min(1).max(255).optional(),
  description: z.string().max(4096).optional(),
  permanent_url: z.string().max(2048).optional(),
});
export type AssetFields = z.infer<typeof assetFieldsSchema>;

export const assetUpdateJsonSchema = z.strictObject({ asset: assetFieldsSchema });

export const stackCreateSchema = z.strictObject({
  stack: z.strictObject({ name: z.string().trim().min(1).max(255) }),
});

// Unknown query parameters are ignored (CMA clients send extras such as include_count).
export const listQuerySchema = z.object({
  skip: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(100),
});

/** Validates a value, turning every issue into a field error (422). */
export function validate<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [issue.path.at(-1) ?? "body"];
    for (const key of keys) errors[String(key)] = [...(errors[String(key)] ?? []), issue.message];
  }
  throw validationFailed(errors);
}

export const MAX_JSON_BYTES = 64 * 1024;

/** Reads a JSON body of at most MAX_JSON_BYTES; a body that is not JSON is a 400 (API.md). */
export async function readJson(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_JSON_BYTES) throw tooLarge(MAX_JSON_BYTES);
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (request.body) {
    for await (const chunk of request.body) {
      total += chunk.byteLength;
      if (total > MAX_JSON_BYTES) throw tooLarge(MAX_JSON_BYTES);
      chunks.push(chunk);
    }
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    throw malformedBody("it is not valid JSON");
  }
}
