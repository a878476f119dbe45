// The delivery-token operations (routes/delivery-tokens.ts), as the OpenAPI document describes
// them.

import { MAX_DELIVERY_TOKENS } from "../domain/publishing-records";
import { deliveryTokenNotFound, malformedBody, tooLarge, validationFailed } from "../http/errors";
import { MAX_JSON_BYTES } from "../http/schemas";
import type { OperationSpec } from "./operation-spec";
import { deliveryTokenUidParameter, smallListParameters } from "./parameters";
import { JSON_LIMITS, jsonContent } from "./request-bodies";
import { jsonResponse } from "./responses";

const BODY_ERRORS = [malformedBody("it is not valid JSON"), tooLarge(MAX_JSON_BYTES)];
const UNKNOWN = validationFailed({
  scope: ["names environments this stack does not have: nowhere"],
});

const SCOPE = `\`scope\` holds exactly one \`{"module": "environment", "environments": [...], "acl": {"read": true}}\`, naming 1 to 100 of the stack's environments by name, or as objects with their \`uid\` (or \`name\`), as an answer shows them; and optionally \`{"module": "branch", "branches": ["main"], "acl": {"read": true}}\` (a stack here has one branch). A delivery token only reads: any other \`acl\` is a 422, as is an environment the stack does not have.`;

const ABOUT =
  "A delivery token lets a website's build read the published assets of the environments in its scope through the Content Delivery API (`GET /v3/assets` on the public host, with `api_key` and `access_token`). It is never a management token, nor the other way round. The service keeps only its SHA-256; the delivery Worker checks a grant written under that hash, so a change or a revoke reaches the edge within the freshness bound (docs/PUBLISHING.md).";

export const DELIVERY_TOKEN_OPERATIONS: OperationSpec[] = [
  {
    method: "post",
    path: "/v3/stacks/delivery_tokens",
    operationId: "createDeliveryToken",
    tag: "Delivery tokens",
    summary: "Create a delivery token",
    description: `Creates a delivery token. The token itself (\`cs\` + 32 hex digits) is in this answer only: Contentstack shows it again later, this service cannot. \`name\`: 1 to 255 characters; \`description\`: optional. ${SCOPE} A stack has at most ${MAX_DELIVERY_TOKENS}. Not idempotent: every request creates another token. ${ABOUT} ${JSON_LIMITS}`,
    access: "management",
    requestBody: {
      description: "The token's name, description and scope.",
      required: true,
      content: {
        "application/json": jsonContent("DeliveryTokenCreate", {
          token: {
            name: "Website",
            description: "The production site's build",
            scope: [{ module: "environment", environments: ["production"], acl: { read: true } }],
          },
        }),
      },
    },
    responses: {
      "201": jsonResponse("The token, with the token itself this once.", "DeliveryTokenCreated"),
    },
    errors: [
      ...BODY_ERRORS,
      UNKNOWN,
      validationFailed({
        token: [`a stack may have at most ${MAX_DELIVERY_TOKENS} delivery tokens`],
      }),
    ],
  },
  {
    method: "get",
    path: "/v3/stacks/delivery_tokens",
    operationId: "listDeliveryTokens",
    tag: "Delivery tokens",
    summary: "List delivery tokens",
    description:
      "The stack's delivery tokens in creation order, a page at a time, with `count`; never the tokens themselves. With `count=true` the answer is only how many match (`DeliveryTokenCount`). Other query parameters are ignored.",
    access: "management",
    parameters: smallListParameters("tokens"),
    responses: { "200": jsonResponse("A page of delivery tokens.", "DeliveryTokenListing") },
    errors: [validationFailed({ query: ['may only filter on name: {"name": "..."}'] })],
  },
  {
    method: "get",
    path: "/v3/stacks/delivery_tokens/{uid}",
    operationId: "getDeliveryToken",
    tag: "Delivery tokens",
    summary: "Read a delivery token",
    description:
      "The token's name, description and scope (each environment with its uid and current name), but not the token itself.",
    access: "management",
    parameters: [deliveryTokenUidParameter],
    responses: { "200": jsonResponse("The delivery token.", "DeliveryTokenFound") },
    errors: [deliveryTokenNotFound()],
  },
  {
    method: "put",
    path: "/v3/stacks/delivery_tokens/{uid}",
    operationId: "updateDeliveryToken",
    tag: "Delivery tokens",
    summary: "Change a delivery token",
    description: `Changes its name, description or scope (${SCOPE}) The token itself stays the same and keeps working. The body may carry back every field of a fetched token (the SDK's update()); the read-only ones are ignored, but a \`uid\` must be this token's. ${JSON_LIMITS}`,
    access: "management",
    parameters: [deliveryTokenUidParameter],
    requestBody: {
      description: "The fields to change.",
      required: true,
      content: {
        "application/json": jsonContent("DeliveryTokenUpdate", {
          token: {
            scope: [
              {
                module: "environment",
                environments: ["production", "staging"],
                acl: { read: true },
              },
            ],
          },
        }),
      },
    },
    responses: { "200": jsonResponse("The token as it is now.", "DeliveryTokenUpdated") },
    errors: [
      ...BODY_ERRORS,
      deliveryTokenNotFound(),
      UNKNOWN,
      validationFailed({ uid: ["is not the uid of the token in the URL"] }),
    ],
  },
  {
    method: "delete",
    path: "/v3/stacks/delivery_tokens/{uid}",
    operationId: "deleteDeliveryToken",
    tag: "Delivery tokens",
    summary: "Revoke a delivery token",
    description:
      "Revokes the token: its grant is deleted, so the Content Delivery API refuses it (401) within the freshness bound (locally, on the next request). Revoking again is a 404.",
    access: "management",
    parameters: [deliveryTokenUidParameter],
    responses: { "200": jsonResponse("The token was revoked.", "DeliveryTokenDeleted") },
    errors: [deliveryTokenNotFound()],
  },
];
