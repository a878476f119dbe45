// CORS for the public URLs (API.md): any origin by default, or a configured allow-list; the
// headers a player or download tool needs are exposed; OPTIONS preflights are answered 204.

import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { config } from "../config";
import type { DeliveryEnv } from "./env";

export const PUBLIC_METHODS = ["GET", "HEAD", "OPTIONS"];

const EXPOSED = [
  "ETag",
  "Last-Modified",
  "Content-Length",
  "Content-Range",
  "Accept-Ranges",
  "Content-Disposition",
  "Link",
];
const REQUEST_HEADERS = [
  "Range",
  "If-Match",
  "If-None-Match",
  "If-Modified-Since",
  "If-Unmodified-Since",
  "If-Range",
];

const byOrigins = new WeakMap<object, MiddlewareHandler>();

export const publicCors: MiddlewareHandler<{ Bindings: DeliveryEnv }> = (c, next) => {
  const origins = config(c.env).corsAllowedOrigins;
  let handler = byOrigins.get(origins);
  if (!handler) {
    handler = cors({
      origin: origins.length === 1 && origins[0] === "*" ? "*" : origins,
      allowMethods: PUBLIC_METHODS,
      allowHeaders: REQUEST_HEADERS,
      exposeHeaders: EXPOSED,
      maxAge: 86400,
    });
    byOrigins.set(origins, handler);
  }
  return handler(c, next);
};
