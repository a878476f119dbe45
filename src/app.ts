// The Hono application: routes and the single error handler. Handlers live in routes/.

import { Hono } from "hono";
import { consoleRoutes } from "./console/routes";
import { publicCors } from "./delivery/cors";
import { ApiError, errorBody, internalError, notFound, storageUnavailable } from "./http/errors";
import { adminRoutes } from "./routes/admin";
import { assetRoutes } from "./routes/assets";
import { deliver } from "./routes/delivery";
import { stackRoutes } from "./routes/stacks";
import { uploadRoutes } from "./routes/uploads";

export const app = new Hono<{ Bindings: Env }>();

// Public URLs first: 3 or 4 segments after /v3/assets/ (management routes have at most 2).
// CORS answers OPTIONS preflights itself (204) and adds its headers to every other answer.
app.use("/v3/assets/:api_key/:uid/:slug", publicCors);
app.use("/v3/assets/:api_key/:uid/:file_uid/:filename", publicCors);
app.all("/v3/assets/:api_key/:uid/:slug", deliver);
app.all("/v3/assets/:api_key/:uid/:file_uid/:filename", deliver);

// A constant answer for load balancers and uptime checks (and the benchmark's ceiling): it
// touches no binding.
app.get("/health", (c) => c.text("ok"));

app.route("/v3/stacks", stackRoutes);
app.route("/v3/admin", adminRoutes);
app.route("/v3/assets", assetRoutes);
app.route("/v3/uploads", uploadRoutes);

// The web console for content managers (src/console/); it calls the API above in-process.
app.route(
  "/console",
  consoleRoutes((request, env, ctx) => app.fetch(request, env, ctx)),
);

app.notFound(() => {
  throw notFound();
});

app.onError((err, c) => {
  const apiError =
    err instanceof ApiError ? err : isRetryable(err) ? storageUnavailable() : internalError();
  if (!(err instanceof ApiError)) console.error("unhandled error", err);
  return c.json(errorBody(apiError), apiError.status as 400, apiError.headers);
});

/** Errors the runtime marks as worth retrying (an overloaded or reset Durable Object). */
function isRetryable(err: unknown): boolean {
  return (
    typeof err === "object" && err !== null && (err as { retryable?: unknown }).retryable === true
  );
}
