// The Content Delivery API's asset routes on the public host, what a website reads with the
// official delivery SDK: GET/HEAD /v3/assets (a page of an environment's published assets) and
// /v3/assets/{uid} (one of them), answering only what is published (the published catalogue in
// D1, published-reads.ts), for a delivery token whose scope holds the environment
// (cda-access.ts). With 0 or 1 segment after /v3/assets they never meet the file URLs (3 or 4).
// JSON answers in the CDA's shapes, errors included, with CORS for pages and a preflight that
// allows the SDK's headers. Answers depend on the request's credentials, so no cache keeps them.
// They run in the content delivery Worker (content-app.ts), which the public host forwards to.

import type { Context } from "hono";
import { config, publicBase } from "../config";
import { CDA_REQUEST_HEADERS, PUBLIC_METHODS, preflight, withCors } from "../delivery/cors";
import { parseDeliveryFetch, parseDeliveryListing } from "../domain/delivery-query";
import { deliveryAsset } from "../domain/delivery-view";
import { isAssetUid } from "../domain/ids";
import { errorResponse } from "../http/error-response";
import {
  ApiError,
  assetNotFound,
  methodNotAllowed,
  storageUnavailable,
  validationFailed,
} from "../http/errors";
import { refuseRepeatedParameters } from "../http/request-fields";
import { deliveryScope } from "./cda-access";
import type { ContentApp } from "./content-env";
import {
  listPublished,
  type PublishedScope,
  type PublishedSession,
  readPublished,
} from "./published-reads";

type Ctx = Context<ContentApp>;

const NO_STORE = { "Cache-Control": "no-store" };

/** GET /v3/assets: `{"assets": [...]}`, with `count` when include_count=true. */
export const deliveryAssetsRoute = (c: Ctx) =>
  cda(c, async (scope, db, base) => {
    const parsed = parseDeliveryListing(new URL(c.req.url).searchParams);
    if (!parsed.ok) throw validationFailed({ [parsed.field]: [parsed.reason] });
    const listing = parsed.value;
    const page = await listPublished(db, scope, listing);
    const assets = page.bodies.map((body) => deliveryAsset(body, base, listing));
    return page.count === null ? { assets } : { assets, count: page.count };
  });

/** GET /v3/assets/{uid}: `{"asset": {...}}` as published to the environment, else 404. */
export const deliveryAssetRoute = (c: Ctx) =>
  cda(c, async (scope, db, base) => {
    const uid = c.req.param("uid") ?? "";
    const parsed = parseDeliveryFetch(new URL(c.req.url).searchParams);
    if (!parsed.ok) throw validationFailed({ [parsed.field]: [parsed.reason] });
    if (!isAssetUid(uid)) throw assetNotFound();
    const body = await readPublished(db, scope, uid, parsed.value);
    if (body === null) throw assetNotFound();
    return { asset: deliveryAsset(body, base, parsed.value) };
  });

/** The method, the credentials, then `read`'s JSON; CORS on every answer. */
async function cda(
  c: Ctx,
  read: (scope: PublishedScope, db: PublishedSession, base: string) => Promise<unknown>,
): Promise<Response> {
  const request = c.req.raw;
  const origins = config(c.env).corsAllowedOrigins;
  const origin = request.headers.get("Origin");
  if (request.method === "OPTIONS") return preflight(origin, origins, CDA_REQUEST_HEADERS);
  let response: Response;
  try {
    if (request.method !== "GET" && request.method !== "HEAD") {
      throw methodNotAllowed(PUBLIC_METHODS.join(", "));
    }
    // Before the scope: a second `environment` must not be read as the first (nor any parameter).
    refuseRepeatedParameters(request.url);
    const scope = await deliveryScope(c.env, request);
    // Any read replica may answer: the catalogue lags its writers as KV does (published-reads.ts).
    const db = c.env.PUBLISHED.withSession("first-unconstrained");
    const body = await read(scope, db, publicBase(c.env, request.url)).catch(unavailable);
    response = Response.json(body, { headers: NO_STORE });
  } catch (err) {
    response = errorResponse(err instanceof ApiError ? err.withHeaders(NO_STORE) : err);
  }
  return withCors(response, origin, origins);
}

/** A D1 failure is a 503 (a client or CDN retries it), never a 500; our own errors pass. */
function unavailable(err: unknown): never {
  if (err instanceof ApiError) throw err;
  console.error("published catalogue read failed", err);
  throw storageUnavailable();
}
