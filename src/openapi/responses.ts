// Response objects: successes name a response schema; errors are grouped by status from the
// ApiErrors of http/errors.ts, so each documented error_code and message is the one the code
// sends.

import { type ApiError, errorBody } from "../http/errors";
import type { ResponseSchemaName } from "./components";
import { ref } from "./json-schemas";
import type { Response, ResponseHeader } from "./types";

export function jsonResponse(description: string, schema: ResponseSchemaName): Response {
  return { description, content: { "application/json": { schema: ref(schema) } } };
}

const HEADER_NOTES: Record<string, string> = {
  "Retry-After": "Seconds to wait before trying again.",
};

/** One response per status; its description lists every error_code it can carry. */
export function errorResponses(errors: readonly ApiError[]): Record<string, Response> {
  const byStatus = new Map<number, ApiError[]>();
  for (const error of errors) {
    const same = byStatus.get(error.status) ?? [];
    // One line per distinct error: a code may come with different limits (413 for a JSON body
    // and for an upload), but the shared factories repeat across the access and the route.
    if (!same.some((e) => e.code === error.code && e.message === error.message)) same.push(error);
    byStatus.set(error.status, same);
  }
  const responses: Record<string, Response> = {};
  for (const [status, same] of [...byStatus].sort(([a], [b]) => a - b)) {
    const headers: Record<string, ResponseHeader> = {};
    for (const name of same.flatMap((e) => Object.keys(e.headers ?? {}))) {
      headers[name] = { description: HEADER_NOTES[name] ?? name, schema: { type: "string" } };
    }
    const first = same[0] as ApiError;
    responses[String(status)] = {
      description: same.map((e) => `- \`error_code\` ${e.code}: ${e.message}`).join("\n"),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      content: { "application/json": { schema: ref("Error"), example: errorBody(first) } },
    };
  }
  return responses;
}
