// The stack and token operations (routes/stacks.ts), as the OpenAPI document describes them.

import {
  malformedBody,
  storageUnavailable,
  tokenNotFound,
  tooLarge,
  validationFailed,
} from "../http/errors";
import { MAX_JSON_BYTES } from "../http/schemas";
import type { OperationSpec } from "./operation-spec";
import { tokenUidParameter } from "./parameters";
import { JSON_LIMITS, jsonContent } from "./request-bodies";
import { jsonResponse } from "./responses";

export const STACK_OPERATIONS: OperationSpec[] = [
  {
    method: "post",
    path: "/v3/stacks",
    operationId: "createStack",
    tag: "Stacks and tokens",
    summary: "Create a stack",
    description: `Creates a stack (a tenant) with a fresh random \`api_key\`, and its first management token. The token is in this answer only: the service keeps just its SHA-256. Not idempotent: every request creates another stack. ${JSON_LIMITS}`,
    access: "admin",
    requestBody: {
      description: "The stack's name.",
      required: true,
      content: { "application/json": jsonContent("StackCreate", { stack: { name: "Demo" } }) },
    },
    responses: { "201": jsonResponse("The stack and its first token.", "StackCreated") },
    errors: [
      malformedBody("it is not valid JSON"),
      tooLarge(MAX_JSON_BYTES),
      validationFailed({ name: ["must not be empty"] }),
      storageUnavailable(),
    ],
  },
  {
    method: "post",
    path: "/v3/stacks/management_tokens",
    operationId: "createManagementToken",
    tag: "Stacks and tokens",
    summary: "Mint a management token",
    description:
      "Mints another management token for the stack that `api_key` names, shown in this answer only. A stack may hold several, for instance one per client, so that each can be revoked alone. The request has no body.",
    access: "stack-admin",
    responses: { "201": jsonResponse("The new token.", "TokenCreated") },
  },
  {
    method: "delete",
    path: "/v3/stacks/management_tokens/{token_uid}",
    operationId: "revokeManagementToken",
    tag: "Stacks and tokens",
    summary: "Revoke a management token",
    description:
      "Revokes the token at once: its very next request fails with 401, at every location, because tokens are checked against the stack's Durable Object and never against a cached copy. An unknown or already revoked token is a 404.",
    access: "stack-admin",
    parameters: [tokenUidParameter],
    responses: { "200": jsonResponse("The token was revoked.", "TokenRevoked") },
    errors: [tokenNotFound()],
  },
];
