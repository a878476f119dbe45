// Request validation for the management API. Unknown fields are rejected, so a typo never
// silently does nothing.

import * as z from "zod/mini";
import { FILENAME_RULE } from "../domain/filename";
import { DESCRIPTION_RULE, nfc, type TextRule, textProblem, WHOLE_NUMBER } from "../domain/text";
import { drainBody } from "./drain-body";
import { type FieldErrors, malformedBody, tooLarge, validationFailed } from "./errors";

// zod/mini keeps the bundle small (the full zod build is ~440 KiB minified); every check carries
// its own message because mini ships no default English messages.

/**
 * Text a client stores, under domain/text.ts's rules: NFC, trimmed unless it is multi-line (or
 * `trim` is false), lengths in code points. The document shows the limits as JSON Schema's
 * minLength and maxLength, which count code points too.
 */
export const textField = (rule: TextRule & { trim?: boolean }) =>
  z.string("must be a string").check(
    z.overwrite((s: string) => nfc(rule.lines || rule.trim === false ? s : s.trim())),
    z.superRefine((s: string, ctx) => {
      const problem = textProblem(s, rule);
      if (problem !== null) ctx.addIssue({ code: "custom", message: problem, input: s });
    }),
    z.meta({ ...(rule.min > 0 ? { minLength: rule.min } : {}), maxLength: rule.max }),
  );
/** One line of text of `min` to `max` code points, trimmed. */
export const text = (min: number, max: number) => textField({ min, max });
/**
 * A whole number in a query parameter, written as digits only: no sign, exponent, hex, spaces or
 * leading zeros (`1e3`, `0x10`, ` 1` and `01` are 422s, not 1000, 16, 1 and 1).
 */
export const wholeNumberParam = (min: number, max: number) =>
  z.pipe(
    z.pipe(
      z
        .string("must be a whole number")
        .check(
          z.regex(
            WHOLE_NUMBER,
            "must be a whole number written in digits (no sign, exponent or spaces)",
          ),
        ),
      z.transform(Number),
    ),
    z
      .number()
      .check(z.minimum(min, `must be at least ${min}`), z.maximum(max, `must be at most ${max}`)),
  );
/**
 * wholeNumberParam, `fallback` when absent. The document shows it as the integer it is (zod would
 * describe the text it parses); JSON Schema ignores `pattern` on an integer.
 */
export const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    ._default(wholeNumberParam(min, max), fallback)
    .check(z.meta({ type: "integer", minimum: min, maximum: max, default: fallback } as never));
const positiveWhole = (name: string) =>
  z
    .number(`${name} must be a number`)
    .check(
      z.refine(Number.isSafeInteger, "must be a whole number"),
      z.minimum(1, "must be at least 1"),
    );

export const uploadCreateSchema = z.strictObject(
  {
    upload: z.strictObject(
      {
        filename: textField({ ...FILENAME_RULE, trim: false }),
        file_size: positiveWhole("file_size"),
        part_size: z.optional(positiveWhole("part_size")),
        content_type: z.optional(
          z.string("must be a string").check(z.maxLength(255, "must be at most 255 characters")),
        ),
        sha256: z.optional(z.string("must be a string")),
        asset_uid: z.optional(z.string("must be a string")),
        title: z.optional(text(1, 255)),
        description: z.optional(textField(DESCRIPTION_RULE)),
      },
      "must be an object of known fields",
    ),
  },
  'must be {"upload": {...}}',
);
export type UploadCreate = z.infer<typeof uploadCreateSchema>["upload"];

export const stackCreateSchema = z.strictObject(
  { stack: z.strictObject({ name: text(1, 255) }, 'must be {"name": "..."}') },
  'must be {"stack": {"name": "..."}}',
);

/** Validates a value, turning every issue into a field error (422). */
export function validate<T>(schema: z.ZodMiniType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // No prototype: a field named "constructor" or "__proto__" is just a key here.
  const errors: FieldErrors = Object.create(null);
  for (const issue of result.error.issues) {
    // The field's name: an item of a list (tags[3]) is reported under the list's name.
    const field = issue.path.findLast((key) => typeof key !== "number") ?? "body";
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [field];
    const message = issue.code === "unrecognized_keys" ? "is not a known field" : issue.message;
    for (const key of keys) errors[String(key)] = [...(errors[String(key)] ?? []), message];
  }
  throw validationFailed(errors);
}

export const MAX_JSON_BYTES = 64 * 1024;
/** How much more of an over-long JSON body (sent without Content-Length) is read and dropped. */
const JSON_DRAIN_BYTES = 1024 * 1024;

/** Reads a JSON body of at most MAX_JSON_BYTES; a body that is not JSON is a 400 (docs/CONTRACT.md). */
export async function readJson(request: Request): Promise<unknown> {
  const header = request.headers.get("content-length");
  const declared = header === null ? null : Number(header);
  if (declared !== null && declared > MAX_JSON_BYTES) throw tooLarge(MAX_JSON_BYTES);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_JSON_BYTES) {
      await drainBody(reader, JSON_DRAIN_BYTES);
      throw tooLarge(MAX_JSON_BYTES);
    }
    chunks.push(value);
  }
  if (declared !== null && declared !== total) {
    throw malformedBody(`the body has ${total} bytes, not the ${header} of Content-Length`);
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
