// Builds the OpenAPI 3.1 document of the management API from the operations table. Pure: the
// same input gives the same document. `npm run generate` writes it to public/openapi.json, a
// static file (e2e/generated-files.test.ts fails when that file is stale).

import {
  type ApiError,
  apiKeyInvalid,
  storageUnavailable,
  tooManyRequests,
  unauthorized,
} from "../http/errors";
import { ASSET_OPERATIONS } from "./asset-operations";
import { componentSchemas, SECURITY_SCHEMES, type SecuritySchemeName } from "./components";
import { DELIVERY_TOKEN_OPERATIONS } from "./delivery-token-operations";
import { DOWNLOAD_OPERATIONS } from "./download-operations";
import { ENVIRONMENT_OPERATIONS } from "./environment-operations";
import { FOLDER_OPERATIONS } from "./folder-operations";
import { type Access, type OperationSpec, TAGS } from "./operation-spec";
import { PUBLISH_OPERATIONS } from "./publish-operations";
import { errorResponses } from "./responses";
import { SERVICE_OPERATIONS } from "./service-operations";
import { STACK_OPERATIONS } from "./stack-operations";
import type { OpenApiDocument, Operation, PathItem, SecurityRequirement } from "./types";
import { UPLOAD_OPERATIONS } from "./upload-operations";

const OPERATIONS: readonly OperationSpec[] = [
  ...ASSET_OPERATIONS,
  ...DOWNLOAD_OPERATIONS,
  ...FOLDER_OPERATIONS,
  ...UPLOAD_OPERATIONS,
  ...ENVIRONMENT_OPERATIONS,
  ...PUBLISH_OPERATIONS,
  ...DELIVERY_TOKEN_OPERATIONS,
  ...STACK_OPERATIONS,
  ...SERVICE_OPERATIONS,
];

const all = (...schemes: SecuritySchemeName[]): SecurityRequirement[] => [
  Object.fromEntries(schemes.map((name) => [name, []])),
];

/** The credentials of each access, and the errors checking them can answer with. */
const ACCESS: Record<Access, { security: SecurityRequirement[]; errors: ApiError[] }> = {
  none: { security: [], errors: [] },
  // auth/management-auth.ts: api_key (412), then the token (401), failures per client and the
  // stack's rate limit (429), all read from the stack's Durable Object (503 when overloaded).
  management: {
    security: all("apiKey", "managementToken"),
    errors: [apiKeyInvalid(), unauthorized(), tooManyRequests(), storageUnavailable()],
  },
  admin: { security: all("adminToken"), errors: [unauthorized(), tooManyRequests()] },
  "stack-admin": {
    security: all("apiKey", "adminToken"),
    errors: [unauthorized(), tooManyRequests(), apiKeyInvalid(), storageUnavailable()],
  },
};

const INTRODUCTION = `The management API of Permanent asset URLs, in the shape of Contentstack's Content Management API. Management requests carry two headers, \`api_key\` (the stack) and \`authorization\` (one of its management tokens); the stack and token routes take the deployment's ADMIN_TOKEN in \`authorization\` instead.

Every error is JSON: \`{"error_message": "...", "error_code": N}\`, with \`"errors": {"field": ["why"]}\` when fields are invalid. Each operation lists the statuses and error codes it answers with; any operation may also answer 500 (a bug, logged) or 404 for a path no route serves.

The public URLs that serve the files, \`/v3/assets/{api_key}/{uid}/{file_uid}/{filename}\` and \`/v3/assets/{api_key}/{uid}/{slug}\`, take no credentials and are described in docs/HTTP.md.

This document is served at \`/openapi.json\`, and the interactive reference generated from it at \`/reference\`: both are static files, generated from the code by \`npm run generate\` and checked by the tests.`;

function toOperation(spec: OperationSpec): Operation {
  const access = ACCESS[spec.access];
  return {
    operationId: spec.operationId,
    tags: [spec.tag],
    summary: spec.summary,
    description: spec.description,
    security: access.security,
    parameters: spec.parameters ?? [],
    ...(spec.requestBody ? { requestBody: spec.requestBody } : {}),
    responses: {
      ...spec.responses,
      ...errorResponses([...access.errors, ...(spec.errors ?? [])]),
    },
  };
}

export function openApiDocument(version: string): OpenApiDocument {
  const paths: Record<string, PathItem> = {};
  for (const spec of OPERATIONS) {
    const item = paths[spec.path] ?? {};
    paths[spec.path] = item;
    if (item[spec.method]) throw new Error(`${spec.method} ${spec.path} is described twice`);
    item[spec.method] = toOperation(spec);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Permanent asset URLs: management API",
      version,
      description: INTRODUCTION,
      license: { name: "MIT", identifier: "MIT" },
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    tags: [...TAGS],
    paths,
    components: { schemas: componentSchemas(), securitySchemes: SECURITY_SCHEMES },
  };
}
