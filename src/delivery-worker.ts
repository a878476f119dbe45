// The public delivery Worker (wrangler.delivery.toml): the two public URL kinds and nothing
// else. Its bindings are KV and R2, read only, and Images for variants; it has no Durable
// Object, no secret, no static assets and no management code, so nothing on the hot path pays
// for, or can reach, a writer. A plain fetch handler: two URL shapes need no router, and the
// bundle stays small (docs/PERFORMANCE.md).

import { WorkerEntrypoint } from "cloudflare:workers";
import { config } from "./config";
import { preflight, withCors } from "./delivery/cors";
import type { DeliveryEnv } from "./delivery/env";
import { forgetAsset } from "./delivery/read-model-memo";
import { deliver } from "./delivery/serve";
import { parsePublicPath } from "./domain/urls";
import { errorResponse } from "./http/error-response";
import { notFound } from "./http/errors";

export default {
  async fetch(request: Request, env: DeliveryEnv, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    // A constant answer for load balancers and uptime checks (and the benchmark's ceiling).
    if (url.pathname === "/health" && /^(GET|HEAD)$/.test(request.method)) {
      return new Response("ok");
    }
    const origins = config(env).corsAllowedOrigins;
    const origin = request.headers.get("Origin");
    // The permanent URL (3 segments after /v3/assets/) or the versioned URL (4); nothing else.
    const path = parsePublicPath(url.pathname);
    if (!path) {
      const missing = errorResponse(notFound().withHeaders({ "Cache-Control": "no-store" }));
      return withCors(missing, origin, origins);
    }
    if (request.method === "OPTIONS") return preflight(origin, origins);
    const response = await deliver({ request, url, env, ctx }, path).catch(errorResponse);
    return withCors(response, origin, origins);
  },
} satisfies ExportedHandler<DeliveryEnv>;

/**
 * Called by the management Worker (service binding DELIVERY, never from the internet) after it
 * commits a change to an asset: drops this isolate's memo of the asset's KV record, so the
 * permanent URL shows the change on the next request here. Other isolates keep theirs for at
 * most READ_MODEL_MEMO_SECONDS (docs/HTTP.md: how stale a permanent URL can be).
 */
export class DeliveryControl extends WorkerEntrypoint<DeliveryEnv> {
  forgetAsset(apiKey: string, assetUid: string): void {
    forgetAsset(this.env.ASSET_INDEX, apiKey, assetUid);
  }
}
