// The operations around the API: health, the admin metrics (routes/admin.ts), and this
// documentation itself (routes/api-docs.ts).

import type { OperationSpec } from "./operation-spec";
import { jsonResponse } from "./responses";

/** How long clients and caches may keep /openapi.json and /reference, in seconds. */
export const DOCS_MAX_AGE = 300;

export const SERVICE_OPERATIONS: OperationSpec[] = [
  {
    method: "get",
    path: "/health",
    operationId: "getHealth",
    tag: "Operations",
    summary: "Health check",
    description:
      "Answers `ok` without touching any binding, for load balancers and uptime checks (and as the benchmark's ceiling).",
    access: "none",
    responses: {
      "200": {
        description: "The Worker runs.",
        content: { "text/plain": { schema: { type: "string", const: "ok" } } },
      },
    },
  },
  {
    method: "get",
    path: "/v3/admin/metrics",
    operationId: "getMetrics",
    tag: "Operations",
    summary: "Read the answering isolate's counters",
    description:
      "Counters of the isolate that answers, for operators: `durable_object_stubs` is how many Durable Object stubs it has made. `npm run stress` reads it before and after a flood of public requests, to show that they never reach a Durable Object.",
    access: "admin",
    responses: { "200": jsonResponse("The counters.", "Metrics") },
  },
  {
    method: "get",
    path: "/openapi.json",
    operationId: "getOpenApiDocument",
    tag: "Documentation",
    summary: "This OpenAPI document",
    description: `This document (OpenAPI 3.1), generated from the zod schemas that validate the requests and type the responses, so it describes what the code does. Caches may keep it for ${DOCS_MAX_AGE} seconds.`,
    access: "none",
    responses: {
      "200": {
        description: "The document.",
        content: { "application/json": { schema: { type: "object" } } },
      },
    },
  },
  {
    method: "get",
    path: "/reference",
    operationId: "getApiReference",
    tag: "Documentation",
    summary: "The interactive API reference",
    description:
      "An HTML page generated from this document: every operation with its parameters, bodies and answers, and a form to try it from the browser. Credentials typed there stay in the tab's sessionStorage; they are never put in a URL.",
    access: "none",
    responses: {
      "200": {
        description: "The page.",
        content: { "text/html": { schema: { type: "string" } } },
      },
    },
  },
];
