// Publishing assets to environments, in the CMA's shapes (docs/PUBLISHING.md):
//   POST /v3/assets/{uid}/publish     {"asset": {"environments", "locales"}, "version"?, "scheduled_at"?}
//   POST /v3/assets/{uid}/unpublish   the same shape
//   POST /v3/bulk/publish             {"assets": [{"uid", "version"?}], "environments", "locales"?, "scheduled_at"?}
//   POST /v3/bulk/unpublish           the same shape
// The asset's Durable Object applies each in one transaction (objects/asset-publishing.ts). A
// bulk request is checked entirely (every asset and version exists, every environment resolves)
// before any asset is touched. Both are idempotent: a retry after a lost answer changes nothing.

import { type Context, Hono } from "hono";
import { requireManagementToken, type StackVariables } from "../auth/management-auth";
import { isAssetUid } from "../domain/ids";
import { assetNotFound, validationFailed } from "../http/errors";
import { type BulkBody, bulkBodySchema, publishBodySchema } from "../http/publish-schemas";
import { readJson, validate } from "../http/schemas";
import type { PublishingRefusal, PublishingResult } from "../objects/asset-publishing";
import { assetStub } from "../objects/stubs";
import { tellDeliveryAssetChanged } from "../objects/tell-delivery";
import {
  type Action,
  type Ask,
  bulkUids,
  environmentUids,
  localesOf,
  scheduledAtOf,
  versionOf,
} from "./publish-input";

type Env_ = { Bindings: Env; Variables: StackVariables };
type Ctx = Context<Env_>;

/** Contentstack's notices, so a client that shows them reads what it is used to. */
const NOTICES: Record<Action, string> = {
  publish: "Asset sent for publishing.",
  unpublish: "Asset sent for unpublishing.",
};

/** Mounted under /v3/assets (routes/assets.ts): `/{uid}/publish` and `/{uid}/unpublish`. */
export const assetPublishRoutes = new Hono<Env_>();
assetPublishRoutes.use("/:uid/publish", requireManagementToken());
assetPublishRoutes.use("/:uid/unpublish", requireManagementToken());
assetPublishRoutes.post("/:uid/publish", (c) => publishOne(c, "publish"));
assetPublishRoutes.post("/:uid/unpublish", (c) => publishOne(c, "unpublish"));

/** Mounted at /v3/bulk. */
export const bulkRoutes = new Hono<Env_>();
bulkRoutes.use("*", requireManagementToken());
bulkRoutes.post("/publish", (c) => publishMany(c, "publish"));
bulkRoutes.post("/unpublish", (c) => publishMany(c, "unpublish"));

async function publishOne(c: Ctx, action: Action) {
  const apiKey = c.get("apiKey");
  const uid = c.req.param("uid") ?? "";
  if (!isAssetUid(uid)) throw assetNotFound();
  const body = validate(publishBodySchema, await readJson(c.req.raw));
  const locales = localesOf(body.asset.locales, body.locale);
  const scheduledAt = scheduledAtOf(body.scheduled_at);
  const environments = await environmentUids(c.env, apiKey, body.asset.environments);
  const ask: Ask = { action, environments, locales, scheduledAt, by: c.get("tokenUid") };
  const result = await apply(c.env, apiKey, uid, ask, versionOf(body.version));
  if (!result.ok) throw refusal(result.reason);
  return c.json({
    notice: NOTICES[action],
    ...(result.scheduled ? { publish_queue_uid: result.scheduled.uid } : {}),
  });
}

async function publishMany(c: Ctx, action: Action) {
  const apiKey = c.get("apiKey");
  const body: BulkBody = validate(bulkBodySchema, await readJson(c.req.raw));
  const uids = bulkUids(body.assets);
  const locales = localesOf(body.locales, undefined);
  const scheduledAt = scheduledAtOf(body.scheduled_at);
  const environments = await environmentUids(c.env, apiKey, body.environments, true);
  const versions = body.assets.map((a) => versionOf(a.version));
  const ask: Ask = { action, environments, locales, scheduledAt, by: c.get("tokenUid") };
  await checkAssets(c.env, apiKey, uids, ask, versions);
  const results = await Promise.all(
    uids.map((uid, i) => apply(c.env, apiKey, uid, ask, versions[i] ?? null)),
  );
  return c.json({
    notice: `Bulk ${action} applied to ${uids.length} asset${uids.length === 1 ? "" : "s"}.`,
    assets: uids.map((uid, i) => bulkItem(uid, results[i] as PublishingResult)),
  });
}

/**
 * Every asset would take the request (it exists, with the version given, and has room for a
 * scheduled action): else a 422 naming every one that would not, and nothing is applied.
 */
async function checkAssets(
  env: Env,
  apiKey: string,
  uids: string[],
  ask: Ask,
  versions: (number | null)[],
): Promise<void> {
  const refusals = await Promise.all(
    uids.map((uid, i) =>
      assetStub(env, apiKey, uid).publishingRefusal({ ...ask, version: versions[i] ?? null }),
    ),
  );
  const which = (reasons: PublishingRefusal[]) =>
    uids.filter((_, i) => reasons.includes(refusals[i] as PublishingRefusal));
  const missing = which(["not_found", "no_version"]);
  const full = which(["too_many_scheduled"]);
  if (missing.length === 0 && full.length === 0) return;
  const list = (some: string[]) => some.slice(0, 10).join(", ");
  throw validationFailed({
    ...(missing.length > 0
      ? { assets: [`not an asset of this stack, or without the version given: ${list(missing)}`] }
      : {}),
    ...(full.length > 0
      ? {
          scheduled_at: [
            `these assets have as many scheduled actions as they may have; cancel one: ${list(full)}`,
          ],
        }
      : {}),
  });
}

async function apply(
  env: Env,
  apiKey: string,
  uid: string,
  ask: Ask,
  version: number | null,
): Promise<PublishingResult> {
  const result = await assetStub(env, apiKey, uid).publishing({ ...ask, version });
  // What the edge serves changes only with a publication, not with a scheduled action.
  if (result.ok && result.changed && !result.scheduled) {
    await tellDeliveryAssetChanged(env, apiKey, uid);
  }
  return result;
}

function refusal(reason: Exclude<PublishingResult, { ok: true }>["reason"]) {
  switch (reason) {
    case "not_found":
      return assetNotFound();
    case "no_version":
      return validationFailed({ version: ["is not a version of this asset"] });
    case "too_many_scheduled":
      return validationFailed({
        scheduled_at: ["this asset has as many scheduled actions as it may have; cancel one"],
      });
  }
}

/** One asset's outcome in a bulk answer. */
function bulkItem(uid: string, result: PublishingResult) {
  if (!result.ok) return { uid, status: "failed", error: refusal(result.reason).message };
  if (result.scheduled)
    return { uid, status: "scheduled", publish_queue_uid: result.scheduled.uid };
  return { uid, status: result.changed ? "done" : "unchanged" };
}
