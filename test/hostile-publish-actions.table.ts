// Hostile cases for publishing assets (issue 17): unknown, foreign and a thousand environments,
// versions 0, -1, 99 and worse, `scheduled_at` in the past or malformed, locale junk, bulk
// lists that are huge, repeated or foreign, publish-queue uids of another stack, and malformed
// bodies. Each must be a clear 4xx that changes nothing (hostile-publish-actions.test.ts checks
// every asset's publications and waiting actions, KV, D1 and both publish queues after each).
//
// Placeholders: {uid} the stack's asset (version 1, published to production, one publish
// waiting); {other_uid} the other stack's asset; {queue_uid} the stack's waiting action,
// {other_queue_uid} the other stack's; {other_env_uid} the other stack's "only-theirs".

export type Auth = "stack" | "none" | "other" | "cross";

export interface PublishActionCase {
  name: string;
  method: string;
  path: string;
  auth: Auth;
  /** JSON (serialised), or raw text sent as application/json. */
  body?: unknown;
  raw?: string;
  expect: { status: number; errorCode: number; field?: string };
}

const invalid = (field: string) => ({ status: 422, errorCode: 141, field });
const assetMissing = { status: 404, errorCode: 145 };
const queueMissing = { status: 404, errorCode: 164 };
const unauthorized = { status: 401, errorCode: 105 };

const PUBLISH = "/v3/assets/{uid}/publish";
const UNPUBLISH = "/v3/assets/{uid}/unpublish";
const target = { environments: ["production"], locales: ["en-us"] };

const publish = (name: string, body: unknown, field: string, path = PUBLISH) => ({
  name,
  method: "POST",
  path,
  auth: "stack" as const,
  body,
  expect: invalid(field),
});

const bulk = (name: string, body: unknown, field: string, action = "publish") => ({
  name,
  method: "POST",
  path: `/v3/bulk/${action}`,
  auth: "stack" as const,
  body: { environments: ["production"], ...(body as object) },
  expect: invalid(field),
});

const thousand = Array.from({ length: 1000 }, (_, i) => `env-${i}`);
const HOUR_AGO = "2001-01-01T00:00:00Z";
const LATER = "2035-01-01T00:00:00Z";

export const PUBLISH_ACTION_CASES: PublishActionCase[] = [
  // Environments.
  publish("an unknown environment", { asset: { environments: ["nowhere"] } }, "environments"),
  publish(
    "another stack's environment, by name",
    { asset: { environments: ["only-theirs"] } },
    "environments",
  ),
  publish(
    "another stack's environment, by uid",
    { asset: { environments: ["{other_env_uid}"] } },
    "environments",
  ),
  publish("1,000 environments", { asset: { environments: thousand } }, "environments"),
  publish(
    "101 copies of a real environment",
    { asset: { environments: Array(101).fill("production") } },
    "environments",
  ),
  publish("no environment", { asset: { environments: [] } }, "environments"),
  publish("environments as a string", { asset: { environments: "production" } }, "environments"),
  publish(
    "an environment name of 101 characters",
    { asset: { environments: ["p".repeat(101)] } },
    "environments",
  ),
  publish("an environment that is a number", { asset: { environments: [7] } }, "environments"),
  publish("an empty environment name", { asset: { environments: [""] } }, "environments"),
  publish(
    "a prototype name as an environment",
    { asset: { environments: ["__proto__", "constructor"] } },
    "environments",
  ),
  publish(
    "unpublish from an unknown environment",
    { asset: { environments: ["nowhere"] } },
    "environments",
    UNPUBLISH,
  ),
  // Versions.
  publish("version 0", { asset: target, version: 0 }, "version"),
  publish("version -1", { asset: target, version: -1 }, "version"),
  publish("version 99", { asset: target, version: 99 }, "version"),
  publish("version 1.5", { asset: target, version: 1.5 }, "version"),
  publish("version 2^60", { asset: target, version: 2 ** 60 }, "version"),
  publish("version as exponent text", { asset: target, version: "1e3" }, "version"),
  publish("version as words", { asset: target, version: "latest" }, "version"),
  publish("version null", { asset: target, version: null }, "version"),
  publish("unpublish version 99", { asset: target, version: 99 }, "version", UNPUBLISH),
  // scheduled_at.
  publish("scheduled_at in the past", { asset: target, scheduled_at: HOUR_AGO }, "scheduled_at"),
  publish(
    "scheduled_at malformed",
    { asset: target, scheduled_at: "tomorrow 9am" },
    "scheduled_at",
  ),
  publish(
    "scheduled_at on a day that does not exist",
    { asset: target, scheduled_at: "2035-02-30T09:00:00Z" },
    "scheduled_at",
  ),
  publish(
    "scheduled_at without a zone",
    { asset: target, scheduled_at: "2035-01-01T09:00:00" },
    "scheduled_at",
  ),
  publish(
    "scheduled_at as a number",
    { asset: target, scheduled_at: 2051222400000 },
    "scheduled_at",
  ),
  publish(
    "scheduled_at of 10,000 characters",
    { asset: target, scheduled_at: `${LATER}${" ".repeat(9980)}` },
    "scheduled_at",
  ),
  publish(
    "scheduled_at in the year 9999",
    { asset: target, scheduled_at: "9999-12-31T23:59:59Z" },
    "scheduled_at",
  ),
  publish(
    "an unpublish scheduled in the past",
    { asset: target, scheduled_at: HOUR_AGO },
    "scheduled_at",
    UNPUBLISH,
  ),
  // Locales.
  publish(
    "an upper-case underscore locale",
    { asset: { ...target, locales: ["EN_US"] } },
    "locales",
  ),
  publish("no locale", { asset: { ...target, locales: [] } }, "locales"),
  publish(
    "51 locales",
    {
      asset: {
        ...target,
        locales: Array.from(
          { length: 51 },
          (_, i) => `l${String.fromCharCode(97 + (i % 26))}-${i}`,
        ),
      },
    },
    "locales",
  ),
  publish("a locale with a NUL", { asset: { ...target, locales: ["en-us\u0000"] } }, "locales"),
  publish("markup as a locale", { asset: { ...target, locales: ["<script>"] } }, "locales"),
  publish("a path as a locale", { asset: { ...target, locales: ["../../en"] } }, "locales"),
  publish("the SDK's single locale as junk", { asset: target, locale: "français" }, "locales"),
  // Shapes.
  publish(
    "an unknown field",
    { asset: target, publish_with_reference: true },
    "publish_with_reference",
  ),
  publish("an unknown field in asset", { asset: { ...target, version: 1 } }, "version"),
  publish("no asset", { environments: ["production"] }, "asset"),
  publish("a body that is an array", [target], "body"),
  {
    name: "a body that is not JSON",
    method: "POST",
    path: PUBLISH,
    auth: "stack",
    raw: '{"asset": {"environments": ["production"]',
    expect: { status: 400, errorCode: 148 },
  },
  // Assets, tenants and credentials.
  {
    name: "another stack's asset",
    method: "POST",
    path: "/v3/assets/{other_uid}/publish",
    auth: "stack",
    body: { asset: target },
    expect: assetMissing,
  },
  {
    name: "a malformed asset uid",
    method: "POST",
    path: "/v3/assets/..%2F..%2Fx/publish",
    auth: "stack",
    body: { asset: target },
    expect: assetMissing,
  },
  {
    name: "another stack's token on this stack's asset",
    method: "POST",
    path: PUBLISH,
    auth: "cross",
    body: { asset: target },
    expect: unauthorized,
  },
  {
    name: "no token",
    method: "POST",
    path: UNPUBLISH,
    auth: "none",
    body: { asset: target },
    expect: unauthorized,
  },
  {
    name: "the other stack's own credentials on this stack's asset",
    method: "POST",
    path: UNPUBLISH,
    auth: "other",
    body: { asset: { environments: ["only-theirs"] } },
    expect: assetMissing,
  },
  // Bulk.
  bulk("101 assets", { assets: Array.from({ length: 101 }, () => ({ uid: "{uid}" })) }, "assets"),
  bulk("an asset named twice", { assets: [{ uid: "{uid}" }, { uid: "{uid}" }] }, "assets"),
  bulk(
    "another stack's asset among good ones",
    { assets: [{ uid: "{uid}" }, { uid: "{other_uid}" }] },
    "assets",
  ),
  bulk("a version one asset lacks", { assets: [{ uid: "{uid}", version: 42 }] }, "assets"),
  bulk("a path as an asset uid", { assets: [{ uid: "../{uid}" }] }, "assets"),
  bulk("assets as an object", { assets: { uid: "{uid}" } }, "assets"),
  bulk("no assets", { assets: [] }, "assets"),
  bulk(
    "entries to publish",
    { assets: [{ uid: "{uid}" }], entries: [{ uid: "x", content_type: "page" }] },
    "entries",
  ),
  bulk(
    "an unknown environment, in bulk",
    { assets: [{ uid: "{uid}" }], environments: ["nowhere"] },
    "environments",
  ),
  bulk(
    "another stack's environment uid",
    { assets: [{ uid: "{uid}" }], environments: ["{other_env_uid}"] },
    "environments",
  ),
  bulk(
    "a past scheduled_at",
    { assets: [{ uid: "{uid}" }], scheduled_at: HOUR_AGO },
    "scheduled_at",
    "unpublish",
  ),
  bulk("locale junk", { assets: [{ uid: "{uid}" }], locales: ["en us"] }, "locales", "unpublish"),
  {
    name: "10,000 assets (past the JSON body limit)",
    method: "POST",
    path: "/v3/bulk/publish",
    auth: "stack",
    body: {
      environments: ["production"],
      assets: Array.from({ length: 10_000 }, () => ({ uid: "blt0123456789abcdef" })),
    },
    expect: { status: 413, errorCode: 149 },
  },
  // The publish queue.
  {
    name: "another stack's waiting action, read",
    method: "GET",
    path: "/v3/publish-queue/{other_queue_uid}",
    auth: "stack",
    expect: queueMissing,
  },
  {
    name: "another stack's waiting action, cancelled",
    method: "GET",
    path: "/v3/publish-queue/{other_queue_uid}/unschedule",
    auth: "stack",
    expect: queueMissing,
  },
  {
    name: "a waiting action cancelled with another stack's token",
    method: "GET",
    path: "/v3/publish-queue/{queue_uid}/unschedule",
    auth: "cross",
    expect: unauthorized,
  },
  {
    name: "a malformed queue uid",
    method: "GET",
    path: "/v3/publish-queue/%00/unschedule",
    auth: "stack",
    expect: queueMissing,
  },
  {
    name: "an asset uid as a queue uid",
    method: "GET",
    path: "/v3/publish-queue/{uid}/unschedule",
    auth: "stack",
    expect: queueMissing,
  },
  {
    name: "a publish queue page of 1,000",
    method: "GET",
    path: "/v3/publish-queue?limit=1000",
    auth: "stack",
    expect: invalid("limit"),
  },
  {
    name: "the publish queue without credentials",
    method: "GET",
    path: "/v3/publish-queue",
    auth: "none",
    expect: unauthorized,
  },
];
