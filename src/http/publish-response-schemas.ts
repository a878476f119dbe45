// The JSON bodies of the publishing routes (publish, unpublish, bulk, the publish queue), as
// zod/mini schemas: the views are typed by them, the OpenAPI document is generated from them,
// and the tests check real answers against them.

import * as z from "zod/mini";
import { BLT_ID, TOKEN_UID } from "../domain/ids";

const matching = (pattern: RegExp) => z.string().check(z.regex(pattern));
const timestamp = z.iso.datetime();
const count = z.int().check(z.minimum(0));
const positive = z.int().check(z.minimum(1));
const action = z.enum(["publish", "unpublish"]);

/** One environment and locale an asset is published in (the CMA's `publish_details`). */
export const publishDetailSchema = z.strictObject({
  environment: matching(BLT_ID),
  locale: z.string(),
  version: positive,
  time: timestamp,
  user: matching(TOKEN_UID),
});

/** A publish or unpublish answer; a scheduled one names its publish queue item. */
export const publishedSchema = z.strictObject({
  notice: z.string(),
  publish_queue_uid: z.optional(matching(BLT_ID)),
});

export const bulkPublishedSchema = z.strictObject({
  notice: z.string(),
  assets: z.array(
    z.strictObject({
      uid: matching(BLT_ID),
      /** done: applied; unchanged: it was so already; scheduled; failed: deleted meanwhile. */
      status: z.enum(["done", "unchanged", "scheduled", "failed"]),
      publish_queue_uid: z.optional(matching(BLT_ID)),
      error: z.optional(z.string()),
    }),
  ),
});

/** A scheduled action still waiting, as the publish queue lists it. */
export const publishQueueItemSchema = z.strictObject({
  uid: matching(BLT_ID),
  type: z.literal("asset"),
  action,
  status: z.literal("scheduled"),
  /** The asset, its title now, and the version a publish publishes (an unpublish: null or its limit). */
  asset: z.strictObject({
    uid: matching(BLT_ID),
    title: z.string(),
    version: z.nullable(positive),
  }),
  /** Environment uids. */
  environment: z.array(matching(BLT_ID)),
  locale: z.array(z.string()),
  scheduled_at: timestamp,
  created_at: timestamp,
  created_by: matching(TOKEN_UID),
});
export type PublishQueueItemJson = z.output<typeof publishQueueItemSchema>;

export const publishQueueSchema = z.strictObject({
  queue: z.array(publishQueueItemSchema),
  count,
});

export const publishQueueItemFoundSchema = z.strictObject({ queue: publishQueueItemSchema });

export const noticeSchema = z.strictObject({ notice: z.string() });
