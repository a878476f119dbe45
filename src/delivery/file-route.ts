// The handler of both file URLs (the permanent and the versioned URL), whatever the method:
// the path decoded and checked once (domain/urls.ts), the CORS preflight, then delivery
// (serve.ts), with the CORS headers on every answer, errors included.

import type { Context } from "hono";
import { config } from "../config";
import { parsePublicPath } from "../domain/urls";
import { errorResponse } from "../http/error-response";
import { notFound } from "../http/errors";
import { preflight, withCors } from "./cors";
import type { DeliveryApp } from "./env";
import { deliver } from "./serve";

export async function fileRoute(c: Context<DeliveryApp>): Promise<Response> {
  const request = c.req.raw;
  const url = new URL(request.url);
  const origins = config(c.env).corsAllowedOrigins;
  const origin = request.headers.get("Origin");
  const path = parsePublicPath(url.pathname);
  // A path that does not decode, or has an empty segment, names no file (an OPTIONS included).
  if (!path) return withCors(missing(), origin, origins);
  if (request.method === "OPTIONS") return preflight(origin, origins);
  const response = await deliver({ request, url, env: c.env, ctx: c.executionCtx }, path).catch(
    errorResponse,
  );
  return withCors(response, origin, origins);
}

/** The delivery Worker's 404: no cache keeps it, since KV may know the asset a moment later. */
export const missing = (): Response =>
  errorResponse(notFound().withHeaders({ "Cache-Control": "no-store" }));
