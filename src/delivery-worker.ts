// The public delivery Worker (wrangler.delivery.toml): a Hono app (delivery/app.ts) with the two
// public URL kinds. Its bindings are KV and R2, read only, and Images for variants; it has no
// Durable Object, no secret, no static assets and no management code, so nothing on the hot path
// pays for, or can reach, a writer.

import { WorkerEntrypoint } from "cloudflare:workers";
import { app } from "./delivery/app";
import type { DeliveryEnv } from "./delivery/env";
import { forgetAsset } from "./delivery/read-model-memo";

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
