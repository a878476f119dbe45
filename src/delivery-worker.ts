// The public delivery Worker (wrangler.delivery.toml): the two public URL kinds and nothing
// else. Its bindings are KV and R2, read only; it has no Durable Object, no secret, no static
// assets and no management code, so nothing on the hot path pays for, or can reach, a writer.
// hono/tiny (the smallest router preset) keeps the bundle small: there are three routes.

import { WorkerEntrypoint } from "cloudflare:workers";
import { Hono } from "hono/tiny";
import { publicCors } from "./delivery/cors";
import type { DeliveryEnv } from "./delivery/env";
import { forgetAsset } from "./delivery/read-model-memo";
import { deliver } from "./delivery/serve";
import { errorResponse } from "./http/error-response";
import { notFound } from "./http/errors";

const app = new Hono<{ Bindings: DeliveryEnv }>();

// 3 segments after /v3/assets/: the permanent URL; 4: the versioned URL. CORS answers OPTIONS
// preflights itself (204) and adds its headers to every other answer.
app.use("/v3/assets/:api_key/:uid/:slug", publicCors);
app.use("/v3/assets/:api_key/:uid/:file_uid/:filename", publicCors);
app.all("/v3/assets/:api_key/:uid/:slug", deliver);
app.all("/v3/assets/:api_key/:uid/:file_uid/:filename", deliver);

// A constant answer for load balancers and uptime checks (and the benchmark's ceiling).
app.get("/health", (c) => c.text("ok"));

app.notFound(() => {
  throw notFound();
});
app.onError((err) => errorResponse(err));

export default { fetch: app.fetch } satisfies ExportedHandler<DeliveryEnv>;

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
