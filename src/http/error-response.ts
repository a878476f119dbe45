// The one place an error becomes an answer, for every Worker's apps (their onError): an ApiError
// is answered as it says; anything else is logged and answered 500, or 503 when the runtime
// marks it retryable (an overloaded or reset Durable Object). Never a stack trace.

import { ApiError, errorBody, internalError, storageUnavailable } from "./errors";

export function errorResponse(err: unknown): Response {
  const apiError =
    err instanceof ApiError ? err : isRetryable(err) ? storageUnavailable() : internalError();
  if (!(err instanceof ApiError)) console.error("unhandled error", err);
  return Response.json(errorBody(apiError), {
    status: apiError.status,
    headers: apiError.headers,
  });
}

function isRetryable(err: unknown): boolean {
  return (
    typeof err === "object" && err !== null && (err as { retryable?: unknown }).retryable === true
  );
}
