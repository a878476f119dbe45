// The handler of both file URLs (the permanent and the versioned URL), whatever the method:
// the path decoded and checked once (domain/urls.ts), the CORS preflight, then delivery
// (serve.ts), with the CORS headers on every answer, errors included.

import type { Context } from "hono";
import { config } from "../config";
import { parsePublicPath } from "../domain/urls";
import { errorResponse } from "../http/error-response";
import { notFound } from "../http/errors";
import type { Ctx } from "./answer";
import { preflight, withCors } from "./cors";
import type { DeliveryApp } from "./env";
import { deliver } from "./serve";

export function fileRoute(c: Context<DeliveryApp>): Promise<Response> | Response {
  const request = c.req.raw;
  const href = request.url;
  const origins = config(c.env).corsAllowedOrigins;
  const origin = request.headers.get("Origin");
  const path = parsePublicPath(pathOf(href));
  // A path that does not decode, or has an empty segment, names no file (an OPTIONS included).
  if (!path) return withCors(missing(), origin, origins);
  if (request.method === "OPTIONS") return preflight(origin, origins);
  let url: URL | undefined;
  const at: Ctx = {
    request,
    get url() {
      url ??= new URL(href);
      return url;
    },
    hasQuery: href.includes("?"),
    env: c.env,
    ctx: c.executionCtx,
  };
  return deliver(at, path).then(
    (response) => withCors(response, origin, origins),
    (err) => withCors(errorResponse(err), origin, origins),
  );
}

/** The delivery Worker's 404: no cache keeps it, since KV may know the asset a moment later. */
export const missing = (): Response =>
  errorResponse(notFound().withHeaders({ "Cache-Control": "no-store" }));

// What URL parsing would leave as is: then the pathname is the text between the origin and the
// query, with no URL object made for it (most requests). Anything else goes through the parser:
// other characters (which it would encode), and dot segments, plain or encoded (which it would
// resolve).
const PLAIN_URL = /^https?:\/\/[^/?#]+\/[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*(\?[^#]*)?$/;
const DOT_SEGMENT = /\/(\.|%2e)/i;

/** The URL's path as `new URL(href).pathname` gives it. */
export function pathOf(href: string): string {
  if (!PLAIN_URL.test(href) || DOT_SEGMENT.test(href)) return new URL(href).pathname;
  const start = href.indexOf("/", href.indexOf("//") + 2);
  const query = href.indexOf("?", start);
  return query === -1 ? href.slice(start) : href.slice(start, query);
}
