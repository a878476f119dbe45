// The delivery Worker's Hono app: the public routes, one handler each. hono/tiny (PatternRouter)
// is the smallest preset, and with a handful of routes its matching costs well under a
// microsecond (docs/PERFORMANCE.md has the presets and routers measured). A route's handler
// answers every method itself (GET, HEAD, its CORS preflight, 405 for the rest), so no request
// runs a middleware chain. A new public route is a line here and a handler in its own file.

import type { Context } from "hono";
import { Hono } from "hono/tiny";
import { config } from "../config";
import { errorResponse } from "../http/error-response";
import { withCors } from "./cors";
import type { DeliveryApp } from "./env";
import { fileRoute, missing } from "./file-route";

export const app = new Hono<DeliveryApp>();

// A constant answer for load balancers and uptime checks (and the benchmark's ceiling).
app.get("/health", () => new Response("ok"));

// The two file URLs: 3 segments after /v3/assets/ are the permanent URL, 4 the versioned URL.
app.all("/v3/assets/:api_key/:asset_uid/:slug", fileRoute);
app.all("/v3/assets/:api_key/:asset_uid/:file_uid/:filename", fileRoute);

// The Content Delivery API's assets (0 or 1 segment after /v3/assets: never a file URL) run in
// the content delivery Worker (src/content-delivery-worker.ts), so none of its code is in this
// bundle: the request goes there as it came, through the CONTENT service binding, and its answer
// comes back as it is. Production routes cannot split these paths from the file URLs' by segment
// count, hence a binding rather than a route (docs/DEPLOY.md).
const toContent = (c: Context<DeliveryApp>) => c.env.CONTENT.fetch(c.req.raw);
app.all("/v3/assets", toContent);
app.all("/v3/assets/:uid", toContent);

// Any other path: a 404 that no cache keeps, with CORS so that a script can read why.
app.notFound((c) =>
  withCors(missing(), c.req.header("Origin") ?? null, config(c.env).corsAllowedOrigins),
);

// Only what a handler did not answer itself: a bug, or a configuration that does not parse.
app.onError((err) => errorResponse(err));
