// Request validation of publishing (the CMA's shapes, as the official SDK sends them):
//   POST /v3/assets/{uid}/publish|unpublish  {"asset": {"environments", "locales"?}, "locale"?,
//                                             "version"?, "scheduled_at"?}
//   POST /v3/bulk/publish|unpublish          {"assets": [{"uid", "version"?}], "environments",
//                                             "locales"?, "scheduled_at"?}
// Only the shape is checked here; locales, times and environment names are checked by
// routes/publish-input.ts, which turns a body into what the asset's Durable Object applies.

import * as z from "zod/mini";
import { BLT_ID } from "../domain/ids";
import { MAX_ENVIRONMENT_NAME, MAX_ENVIRONMENTS, MAX_LOCALES } from "../domain/publishing-records";
import { wholeNumber } from "./schemas";

/** The most assets one bulk request may name; each is a call to its asset's Durable Object. */
export const MAX_BULK_ASSETS = 100;

const environmentNames = z
  .array(
    z
      .string("each environment must be a name")
      .check(
        z.minLength(1, "an environment name must not be empty"),
        z.maxLength(
          MAX_ENVIRONMENT_NAME,
          `an environment name has at most ${MAX_ENVIRONMENT_NAME} characters`,
        ),
      ),
    "must be an array of environment names",
  )
  .check(
    z.minLength(1, "must name at least one environment"),
    z.maxLength(MAX_ENVIRONMENTS, `must name at most ${MAX_ENVIRONMENTS} environments`),
  );

const localeList = z
  .array(
    // The code itself is checked by domain/publications.ts; this bounds the work before that.
    z.string("each locale must be a string").check(z.maxLength(35, "is not a locale code")),
    "must be an array of locale codes",
  )
  .check(z.maxLength(MAX_LOCALES, `must name at most ${MAX_LOCALES} locales`));

/** A version number, as a number or as the digits the CMA's examples send ("5"). */
const versionNumber = z.union(
  [
    z
      .number("must be a version number")
      .check(
        z.refine(Number.isSafeInteger, "must be a whole number"),
        z.minimum(1, "must be at least 1"),
      ),
    z
      .string("must be a version number")
      .check(z.regex(/^[1-9]\d{0,14}$/, "must be a version number")),
  ],
  "must be a version number",
);

const scheduledAt = z
  .string("must be a date and time in ISO 8601")
  .check(z.maxLength(64, "must be a date and time in ISO 8601"));

export const publishBodySchema = z.strictObject(
  {
    asset: z.strictObject(
      { environments: environmentNames, locales: z.optional(localeList) },
      'must be {"environments": [...], "locales": [...]}',
    ),
    // The SDK's `locale` argument: one more locale.
    locale: z.optional(
      z.string("must be a locale code").check(z.maxLength(35, "is not a locale code")),
    ),
    version: z.optional(versionNumber),
    scheduled_at: z.optional(scheduledAt),
  },
  'must be {"asset": {"environments": [...], "locales": [...]}, "version"?, "scheduled_at"?}',
);
export type PublishBody = z.infer<typeof publishBodySchema>;

export const bulkBodySchema = z.strictObject(
  {
    assets: z
      .array(
        z.strictObject(
          {
            uid: z.string("must be an asset uid").check(z.maxLength(64, "is not an asset uid")),
            version: z.optional(versionNumber),
          },
          'each asset must be {"uid", "version"?}',
        ),
        "must be an array of assets",
      )
      .check(
        z.minLength(1, "must name at least one asset"),
        z.maxLength(MAX_BULK_ASSETS, `must name at most ${MAX_BULK_ASSETS} assets`),
      ),
    // Entries live in Contentstack, not here: accepted only when there are none to publish.
    entries: z.optional(
      z.array(z.unknown()).check(z.maxLength(0, "this service publishes assets only")),
    ),
    environments: environmentNames,
    locales: z.optional(localeList),
    scheduled_at: z.optional(scheduledAt),
  },
  'must be {"assets": [{"uid"}], "environments": [...], "locales": [...]}',
);
export type BulkBody = z.infer<typeof bulkBodySchema>;

const flag = z.optional(z.enum(["true", "false"], 'must be "true" or "false"'));

/** The publish queue's listing (GET /v3/publish-queue). */
export const queueQuerySchema = z.object({
  skip: wholeNumber(0, 1_000_000, 0),
  limit: wholeNumber(1, 100, 100),
  include_count: flag,
  // This service's extension: only one asset's actions (the console's Publish panel).
  asset_uid: z.optional(
    z.string("must be an asset uid").check(z.regex(BLT_ID, "must be an asset uid")),
  ),
});
