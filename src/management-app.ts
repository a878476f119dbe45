// The management Worker's Hono application: the management API, the console and the single
// error handler. Handlers live in routes/. The public URLs are the delivery Worker's
// (src/delivery-worker.ts); here they are unknown paths (404).

import { Hono } from "hono";
import { consoleRoutes } from "./console/console-routes";
import { homeRoutes } from "./home/home-routes";
import { errorResponse } from "./http/error-response";
import { notFound } from "./http/errors";
import { adminRoutes } from "./routes/admin";
import { assetDownloadRoutes } from "./routes/asset-download";
import { assetRoutes } from "./routes/assets";
import { deliveryTokenRoutes } from "./routes/delivery-tokens";
import { environmentRoutes } from "./routes/environments";
import { publishQueueRoutes } from "./routes/publish-queue";
import { bulkRoutes } from "./routes/publishing";
import { stackRoutes } from "./routes/stacks";
import { uploadRoutes } from "./routes/uploads";

export const app = new Hono<{ Bindings: Env }>();

// A constant answer for load balancers and uptime checks: it touches no binding.
app.get("/health", (c) => c.text("ok"));

// What a newcomer sees first: what this is, and links to the console and the API reference.
app.route("/", homeRoutes);

// Before /v3/stacks, whose admin routes take the ADMIN_TOKEN instead of a management token.
app.route("/v3/stacks/delivery_tokens", deliveryTokenRoutes);
app.route("/v3/stacks", stackRoutes);
app.route("/v3/environments", environmentRoutes);
app.route("/v3/admin", adminRoutes);
app.route("/v3/assets", assetRoutes);
// The public permanent URL's path, here with a management token: the CMA's download.
app.route("/v3/assets", assetDownloadRoutes);
app.route("/v3/uploads", uploadRoutes);
app.route("/v3/bulk", bulkRoutes);
app.route("/v3/publish-queue", publishQueueRoutes);

// The web console for content managers (src/console/); it calls the API above in-process.
app.route(
  "/console",
  consoleRoutes((request, env, ctx) => app.fetch(request, env, ctx)),
);

app.notFound(() => {
  throw notFound();
});

app.onError((err) => errorResponse(err));
