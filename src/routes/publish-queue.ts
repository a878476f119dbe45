// The publish queue, as the CMA addresses it: the scheduled publishes and unpublishes still
// waiting, and cancelling one (docs/PUBLISHING.md).
//   GET /v3/publish-queue                     the waiting actions, the next to fire first
//   GET /v3/publish-queue/{uid}               one of them
//   GET /v3/publish-queue/{uid}/unschedule    cancels it (a GET, as in the CMA)
// The stack's object lists them (objects/stack-publications.ts); cancelling is decided by the
// asset's object, which holds the action, so a cancel racing the action's own alarm has one
// winner: the action fires, or it is cancelled, never both.

import { type Context, Hono } from "hono";
import { requireManagementToken, type StackVariables } from "../auth/management-auth";
import { BLT_ID } from "../domain/ids";
import { publishQueueItemNotFound } from "../http/errors";
import type { PublishQueueItemJson } from "../http/publish-response-schemas";
import { queueQuerySchema } from "../http/publish-schemas";
import { validate } from "../http/schemas";
import type { QueueEntry } from "../objects/stack-publications";
import { assetStub, stackStub } from "../objects/stubs";

type Env_ = { Bindings: Env; Variables: StackVariables };
type Ctx = Context<Env_>;

export const publishQueueRoutes = new Hono<Env_>();
publishQueueRoutes.use("*", requireManagementToken());
publishQueueRoutes.get("/", listQueue);
publishQueueRoutes.get("/:uid", getQueueItem);
publishQueueRoutes.get("/:uid/unschedule", unschedule);

export function queueItemView({ assetUid, title, action }: QueueEntry): PublishQueueItemJson {
  return {
    uid: action.uid,
    type: "asset",
    action: action.action,
    status: "scheduled",
    asset: { uid: assetUid, title: title ?? "", version: action.version },
    environment: action.environments,
    locale: action.locales,
    scheduled_at: action.scheduledAt,
    created_at: action.createdAt,
    created_by: action.createdBy,
  };
}

async function listQueue(c: Ctx) {
  const query = validate(queueQuerySchema, c.req.query());
  const page = await stackStub(c.env, c.get("apiKey")).listPublishQueue(
    query.skip,
    query.limit,
    query.asset_uid,
  );
  return c.json({ queue: page.entries.map(queueItemView), count: page.count });
}

async function entryOf(c: Ctx): Promise<QueueEntry> {
  const uid = c.req.param("uid") ?? "";
  const entry = BLT_ID.test(uid)
    ? await stackStub(c.env, c.get("apiKey")).getPublishQueueEntry(uid)
    : null;
  if (!entry) throw publishQueueItemNotFound();
  return entry;
}

async function getQueueItem(c: Ctx) {
  return c.json({ queue: queueItemView(await entryOf(c)) });
}

async function unschedule(c: Ctx) {
  const entry = await entryOf(c);
  const cancelled = await assetStub(c.env, c.get("apiKey"), entry.assetUid).cancelScheduled(
    entry.action.uid,
  );
  // Fired (or cancelled) since the queue was read: there is nothing left to cancel.
  if (!cancelled) throw publishQueueItemNotFound();
  return c.json({ notice: "Scheduled action cancelled successfully." });
}
