// The operations around the API: health and the admin metrics (routes/admin.ts). The document
// itself and the reference page are static files (public/openapi.json, public/reference.html).

import type { OperationSpec } from "./operation-spec";
import { jsonResponse } from "./responses";

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
];
