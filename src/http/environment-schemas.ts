// Request validation of the environment routes (routes/environments.ts): the fields a client
// sets, the fields of an answer it may send back (ignored), and the listing's query. The shape
// is the CMA's `{"environment": {...}}`; unknown fields are refused.

import * as z from "zod/mini";
import { LOCALE_CODE, MAX_ENVIRONMENT_NAME } from "../domain/publishing-records";
import { readOnly } from "./asset-schemas";
import { validationFailed } from "./errors";
import { text, wholeNumber } from "./schemas";

/** Per-locale site URLs, and deployment servers, an environment may list. */
export const MAX_ENVIRONMENT_URLS = 50;
export const MAX_ENVIRONMENT_SERVERS = 50;
const MAX_URL_LENGTH = 1024;

export const localeCode = z
  .string("must be a string")
  .check(
    z.maxLength(64, "must be at most 64 characters"),
    z.regex(LOCALE_CODE, "must be a lowercase locale code such as en-us"),
  );

/** An absolute http or https URL: where the environment's site is, for that locale. */
const siteUrl = z.string("must be a string").check(
  z.maxLength(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`),
  z.refine((s) => {
    if (!URL.canParse(s)) return false;
    const { protocol } = new URL(s);
    return protocol === "http:" || protocol === "https:";
  }, "must be an absolute http or https URL"),
);

const urls = z
  .array(
    z.strictObject(
      { locale: localeCode, url: siteUrl },
      'each must be {"locale": "en-us", "url": "https://..."}',
    ),
    "must be an array",
  )
  .check(
    z.maxLength(MAX_ENVIRONMENT_URLS, `must have at most ${MAX_ENVIRONMENT_URLS} URLs`),
    z.refine(
      (list) => new Set(list.map((u) => u.locale)).size === list.length,
      "must give each locale at most once",
    ),
  );

const servers = z
  .array(z.strictObject({ name: text(1, 255) }, 'each must be {"name": "..."}'), "must be an array")
  .check(
    z.maxLength(MAX_ENVIRONMENT_SERVERS, `must have at most ${MAX_ENVIRONMENT_SERVERS} servers`),
  );

const WRITABLE = {
  name: text(1, MAX_ENVIRONMENT_NAME),
  urls: z.optional(urls),
  servers: z.optional(servers),
  deploy_content: z.optional(z.boolean("must be true or false")),
};

/** The fields of an environment answer that no request changes (the SDK's update() sends them). */
const READ_ONLY = {
  uid: readOnly("must be this environment's uid"),
  created_at: readOnly("set once"),
  updated_at: readOnly("set by each change"),
  created_by: readOnly("set once"),
  updated_by: readOnly("set by each change"),
};

export const environmentCreateSchema = z.strictObject(
  { environment: z.strictObject(WRITABLE, "must be an object of known fields") },
  'must be {"environment": {"name": "...", "urls": [...]}}',
);
export type EnvironmentCreate = z.infer<typeof environmentCreateSchema>["environment"];

export const environmentUpdateSchema = z.strictObject(
  {
    environment: z.strictObject(
      { ...WRITABLE, name: z.optional(WRITABLE.name), ...READ_ONLY },
      "must be an object of known fields",
    ),
  },
  'must be {"environment": {...}}',
);
export type EnvironmentUpdate = z.infer<typeof environmentUpdateSchema>["environment"];

const flag = z.optional(z.enum(["true", "false"], 'must be "true" or "false"'));

/**
 * GET /v3/environments and GET /v3/stacks/delivery_tokens: pages in creation order (a stack has
 * at most 100 of either). Unknown parameters are ignored, as for the asset listing.
 */
export const smallListQuerySchema = z.object({
  skip: wholeNumber(0, 1_000_000, 0),
  limit: wholeNumber(1, 100, 100),
  include_count: flag,
  count: flag,
  // The CMA's filter; here only {"name": "..."} (routes/environments.ts), anything else a 422.
  query: z.optional(
    z.string("must be a string").check(z.maxLength(1024, "must be at most 1024 characters")),
  ),
});
export type SmallListQuery = z.infer<typeof smallListQuerySchema>;

/**
 * The `query` filter of those listings: `{"name": "..."}` or `{}`, the one field worth filtering
 * a hundred records on. Anything else is refused rather than ignored, as for assets.
 */
export function nameFilter(query: string | undefined): string | undefined {
  if (query === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(query);
  } catch {
    throw validationFailed({ query: ["must be a JSON object"] });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw validationFailed({ query: ["must be a JSON object"] });
  }
  const { name, ...rest } = parsed as Record<string, unknown>;
  if (Object.keys(rest).length > 0) {
    throw validationFailed({ query: ['may only filter on name: {"name": "..."}'] });
  }
  if (name !== undefined && typeof name !== "string") {
    throw validationFailed({ query: ["name must be compared with a string"] });
  }
  return name?.trim().normalize("NFC");
}
