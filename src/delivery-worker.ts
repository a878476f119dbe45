// The public delivery Worker (wrangler.delivery.toml): a Hono app (delivery/app.ts) with the two
// public URL kinds. Its bindings are KV and R2, read only, and Images for variants; it has no
// Durable Object, no secret, no static assets and no management code, so nothing on the hot path
// pays for, or can reach, a writer.

import { WorkerEntrypoint } from "cloudflare:workers";
import { app } from "./delivery/app";
import type { DeliveryEnv } from "./delivery/env";
import { forgetAsset, forgetKey } from "./delivery/read-model-memo";
import { deliveryTokenKey, environmentIndexKey } from "./domain/publishing";

export default { fetch: app.fetch } satisfies ExportedHandler<DeliveryEnv>;

/**
 * Called by the management side (service binding DELIVERY, never from the internet) after it
 * commits a change the edge reads: drops this isolate's memo of that KV record (an asset's, a
 * stack's environment index, a delivery token's grant), so the next request here shows the
 * change. Other isolates keep theirs for at most their memo's lifetime (docs/HTTP.md: how stale
 * a permanent URL can be; docs/PUBLISHING.md).
 */
export class DeliveryControl extends WorkerEntrypoint<DeliveryEnv> {
  forgetAsset(apiKey: string, assetUid: string): void {
    forgetAsset(this.env.ASSET_INDEX, apiKey, assetUid);
  }

  /** After the stack's object wrote its environment index (an environment changed). */
  forgetEnvironments(apiKey: string): void {
    forgetKey(this.env.ASSET_INDEX, environmentIndexKey(apiKey));
  }

  /** After the stack's object wrote or deleted a delivery token's grant. */
  forgetDeliveryToken(tokenSha256Hex: string): void {
    forgetKey(this.env.ASSET_INDEX, deliveryTokenKey(tokenSha256Hex));
  }
}
