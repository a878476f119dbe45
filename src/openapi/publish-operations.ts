// The publishing operations (routes/publishing.ts, routes/publish-queue.ts), as the OpenAPI
// document describes them.

import { MAX_ENVIRONMENTS, MAX_LOCALES } from "../domain/publishing-records";
import { MAX_SCHEDULED_PER_ASSET } from "../domain/schedule";
import {
  assetNotFound,
  malformedBody,
  publishQueueItemNotFound,
  tooLarge,
  validationFailed,
} from "../http/errors";
import { MAX_BULK_ASSETS } from "../http/publish-schemas";
import { MAX_JSON_BYTES } from "../http/schemas";
import type { OperationSpec } from "./operation-spec";
import { assetUidParameter, publishQueueUidParameter } from "./parameters";
import { JSON_LIMITS, jsonContent } from "./request-bodies";
import { jsonResponse } from "./responses";

const BODY_ERRORS = [malformedBody("it is not valid JSON"), tooLarge(MAX_JSON_BYTES)];
const REFUSALS = [
  validationFailed({ environments: ["not an environment of this stack: nowhere"] }),
  validationFailed({ version: ["is not a version of this asset"] }),
  validationFailed({ locales: ["each locale must be a code such as en-us or fr-fr"] }),
  validationFailed({ scheduled_at: ["must be in the future"] }),
];

const FIELDS = `\`environments\`: 1 to ${MAX_ENVIRONMENTS} of the stack's environments, by name. \`locales\`: 1 to ${MAX_LOCALES} locale codes such as \`en-us\` (case is ignored; none given: \`en-us\`); the SDK's single \`locale\` is added to them. \`scheduled_at\`: an ISO 8601 time with a zone, in the future and within ten years, to do it then instead of now (an asset may have ${MAX_SCHEDULED_PER_ASSET} actions waiting).`;

const MODEL = `Each environment holds at most one version of the asset, in the locales published; the asset's title, description, tags and folder are kept as they were when published (what the Content Delivery API shows), its permanent URL's slug is always the current one. Applied in one transaction of the asset's Durable Object, then written to the edge (KV), the stack's catalogue and the published catalogue (D1); the edge shows it within the freshness bound (locally, by the time the answer arrives; docs/PUBLISHING.md).`;

const SCHEDULED = `With \`scheduled_at\` the answer names the waiting action (\`publish_queue_uid\`): it is listed by GET /v3/publish-queue, fires at its time with no request (the asset's Durable Object alarm, at most once, surviving restarts), and can be cancelled until then. Scheduling the very same action again answers the same uid.`;

export const PUBLISH_OPERATIONS: OperationSpec[] = [
  {
    method: "post",
    path: "/v3/assets/{uid}/publish",
    operationId: "publishAsset",
    tag: "Publishing",
    summary: "Publish an asset to environments",
    description: `Publishes a version of the asset (\`version\`, a number or its digits; the latest when absent) to each environment named, now or at \`scheduled_at\`. ${FIELDS} An environment that holds another version now holds this one, and keeps the locales it had besides those given. ${MODEL} Idempotent: publishing what an environment shows already changes nothing and answers the same. ${SCHEDULED} ${JSON_LIMITS}`,
    access: "management",
    parameters: [assetUidParameter],
    requestBody: {
      description: "The environments and locales, and optionally the version and a time.",
      required: true,
      content: {
        "application/json": jsonContent("PublishRequest", {
          asset: { environments: ["production"], locales: ["en-us"] },
          version: 2,
        }),
      },
    },
    responses: { "200": jsonResponse("Published (or scheduled).", "Published") },
    errors: [...BODY_ERRORS, assetNotFound(), ...REFUSALS],
  },
  {
    method: "post",
    path: "/v3/assets/{uid}/unpublish",
    operationId: "unpublishAsset",
    tag: "Publishing",
    summary: "Unpublish an asset from environments",
    description: `Removes the locales given from each environment's publication of the asset, now or at \`scheduled_at\`; an environment left with no locale holds nothing (the asset's URLs with \`?environment=\` and the Content Delivery API answer 404 there). With \`version\`, only environments holding that version are touched. ${FIELDS} Idempotent: unpublishing what is not published changes nothing and answers the same. ${SCHEDULED} ${JSON_LIMITS}`,
    access: "management",
    parameters: [assetUidParameter],
    requestBody: {
      description: "The environments and locales, and optionally a version and a time.",
      required: true,
      content: {
        "application/json": jsonContent("PublishRequest", {
          asset: { environments: ["staging"], locales: ["en-us"] },
        }),
      },
    },
    responses: { "200": jsonResponse("Unpublished (or scheduled).", "Published") },
    errors: [...BODY_ERRORS, assetNotFound(), ...REFUSALS],
  },
  {
    method: "post",
    path: "/v3/bulk/publish",
    operationId: "bulkPublish",
    tag: "Publishing",
    summary: "Publish many assets at once",
    description: `Publishes 1 to ${MAX_BULK_ASSETS} assets (\`assets\`: \`{"uid", "version"?}\`, each named once) to the environments named, by name or by uid as the CMA's bulk examples do, in the locales given, now or at \`scheduled_at\`. The whole request is checked before any asset is touched: an unknown asset, a version an asset lacks, an unknown environment or a bad locale or time is a 422 and nothing is published. Each asset is then published as by POST /v3/assets/{uid}/publish; the answer gives each one's outcome (\`done\`, \`unchanged\`, \`scheduled\` with its \`publish_queue_uid\`, or \`failed\` for an asset deleted meanwhile). Unlike Contentstack, the work is done before the answer, not queued. \`entries\` is accepted only empty (entries do not live here). Repeating the request changes nothing more. ${JSON_LIMITS}`,
    access: "management",
    requestBody: {
      description: "The assets, environments and locales, and optionally a time.",
      required: true,
      content: {
        "application/json": jsonContent("BulkPublishRequest", {
          assets: [{ uid: "blt27ce607b94b7e5ed" }, { uid: "blt5d43b2a1c0f9e8d7", version: 2 }],
          environments: ["production"],
          locales: ["en-us"],
        }),
      },
    },
    responses: { "200": jsonResponse("Each asset's outcome.", "BulkPublished") },
    errors: [
      ...BODY_ERRORS,
      validationFailed({ assets: [`must name at most ${MAX_BULK_ASSETS} assets`] }),
      ...REFUSALS,
    ],
  },
  {
    method: "post",
    path: "/v3/bulk/unpublish",
    operationId: "bulkUnpublish",
    tag: "Publishing",
    summary: "Unpublish many assets at once",
    description: `Unpublishes 1 to ${MAX_BULK_ASSETS} assets from the environments named, as POST /v3/bulk/publish publishes them: checked entirely before anything is applied, then each asset as by POST /v3/assets/{uid}/unpublish. ${JSON_LIMITS}`,
    access: "management",
    requestBody: {
      description: "The assets, environments and locales, and optionally a time.",
      required: true,
      content: {
        "application/json": jsonContent("BulkPublishRequest", {
          assets: [{ uid: "blt27ce607b94b7e5ed" }],
          environments: ["staging"],
          locales: ["en-us"],
        }),
      },
    },
    responses: { "200": jsonResponse("Each asset's outcome.", "BulkPublished") },
    errors: [
      ...BODY_ERRORS,
      validationFailed({ assets: [`must name at most ${MAX_BULK_ASSETS} assets`] }),
      ...REFUSALS,
    ],
  },
  {
    method: "get",
    path: "/v3/publish-queue",
    operationId: "listPublishQueue",
    tag: "Publishing",
    summary: "List the scheduled actions still waiting",
    description:
      "The scheduled publishes and unpublishes of the stack's assets that have not fired yet, the next to fire first, a page at a time (`skip`, `limit` up to 100), with `count`. Unlike Contentstack's publish queue, actions leave it when they fire (no history is kept), and it holds assets only.",
    access: "management",
    parameters: [
      {
        name: "skip",
        in: "query",
        required: false,
        description: "How many actions to leave out.",
        schema: { type: "integer", minimum: 0 },
      },
      {
        name: "limit",
        in: "query",
        required: false,
        description: "How many actions to return (at most 100).",
        schema: { type: "integer", minimum: 1, maximum: 100 },
      },
      {
        name: "asset_uid",
        in: "query",
        required: false,
        description:
          "This service's extension: only the actions of this asset (its uid), as the console's Publish panel lists them. A value that is not an asset uid is a 422.",
        schema: { type: "string", pattern: "^blt[0-9a-f]{16}$" },
      },
    ],
    responses: { "200": jsonResponse("A page of waiting actions.", "PublishQueue") },
    errors: [validationFailed({ limit: ["must be at most 100"] })],
  },
  {
    method: "get",
    path: "/v3/publish-queue/{uid}",
    operationId: "getPublishQueueItem",
    tag: "Publishing",
    summary: "Read a scheduled action",
    description:
      "One scheduled action that has not fired yet: what it does (`action`), to which asset and version, in which environments (uids) and locales, and when.",
    access: "management",
    parameters: [publishQueueUidParameter],
    responses: { "200": jsonResponse("The action.", "PublishQueueItemFound") },
    errors: [publishQueueItemNotFound()],
  },
  {
    method: "get",
    path: "/v3/publish-queue/{uid}/unschedule",
    operationId: "cancelScheduledAction",
    tag: "Publishing",
    summary: "Cancel a scheduled action",
    description:
      "Cancels a scheduled publish or unpublish before it fires (a GET, as the CMA has it). The asset's Durable Object decides between the cancel and the action's own alarm: the action fires, or it is cancelled, never both. An action that has fired or was cancelled already is a 404.",
    access: "management",
    parameters: [publishQueueUidParameter],
    responses: { "200": jsonResponse("The action was cancelled.", "ScheduledActionCancelled") },
    errors: [publishQueueItemNotFound()],
  },
];
