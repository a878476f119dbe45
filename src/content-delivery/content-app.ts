// The content delivery Worker's Hono app: the Content Delivery API's two asset routes, nothing
// else. The public host's Worker forwards exactly these two shapes here through its CONTENT
// service binding (delivery/app.ts), so the file URLs' Worker carries none of this code; an
// operator may also give this Worker a hostname of its own (docs/DEPLOY.md). hono/tiny, as there.

import { Hono } from "hono/tiny";
import { config } from "../config";
import { withCors } from "../delivery/cors";
import { errorResponse } from "../http/error-response";
import { deliveryAssetRoute, deliveryAssetsRoute } from "./cda-routes";
import type { ContentApp } from "./content-env";

export const contentApp = new Hono<ContentApp>();

// For load balancers and uptime checks on a hostname of its own.
contentApp.get("/health", () => new Response("ok"));

contentApp.all("/v3/assets", deliveryAssetsRoute);
contentApp.all("/v3/assets/:uid", deliveryAssetRoute);

// Any other path (reachable only on a hostname of its own): a 404 no cache keeps, with CORS.
contentApp.notFound((c) =>
  withCors(
    new Response("Not Found", { status: 404, headers: { "Cache-Control": "no-store" } }),
    c.req.header("Origin") ?? null,
    config(c.env).corsAllowedOrigins,
  ),
);

// Only what a route did not answer itself: a bug, or a configuration that does not parse.
contentApp.onError((err) => errorResponse(err));
