// The content delivery Worker's control entrypoint, ContentControl (exported by
// content-delivery-worker.ts): how the management side tells this Worker that a KV record its
// access checks may hold in their memo changed. Here, below objects/, so the management side's
// caller (objects/tell-delivery.ts) can name its type without importing an entry point.

import { WorkerEntrypoint } from "cloudflare:workers";
import { forgetKey } from "../delivery/kv-memo";
import { deliveryTokenKey, environmentIndexKey } from "../domain/kv-records";
import type { ContentEnv } from "./content-env";

/**
 * Called by the management side (service binding CONTENT_CONTROL, never from the internet) after
 * the stack's object wrote a record the Content Delivery API checks: drops this isolate's memo of
 * it, so the next request here shows the change (a revoked token refused at once). Other
 * isolates keep theirs for at most their memo's lifetime (docs/PUBLISHING.md).
 */
export class ContentControl extends WorkerEntrypoint<ContentEnv> {
  /** After the stack's object wrote its environment index (an environment changed). */
  forgetEnvironments(apiKey: string): void {
    forgetKey(this.env.ASSET_INDEX, environmentIndexKey(apiKey));
  }

  /** After the stack's object wrote or deleted a delivery token's grant. */
  forgetDeliveryToken(tokenSha256Hex: string): void {
    forgetKey(this.env.ASSET_INDEX, deliveryTokenKey(tokenSha256Hex));
  }
}
