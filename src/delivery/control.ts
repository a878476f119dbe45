// The delivery Worker's control entrypoint, DeliveryControl (exported by delivery-worker.ts):
// how the management side tells this Worker that a KV record it may hold in its memo changed.
// Here, below objects/, so the management side's caller (objects/tell-delivery.ts) can name its
// type without importing an entry point.

import { WorkerEntrypoint } from "cloudflare:workers";
import { environmentIndexKey } from "../domain/kv-records";
import type { DeliveryEnv } from "./env";
import { forgetAsset, forgetKey } from "./kv-memo";

/**
 * Called by the management side (service binding DELIVERY, never from the internet) after it
 * commits a change the file URLs read: drops this isolate's memo of that KV record (an asset's,
 * or a stack's environment index), so the next request here shows the change. Other isolates keep theirs for at most their memo's lifetime (docs/HTTP.md: how stale
 * a permanent URL can be; docs/PUBLISHING.md).
 */
export class DeliveryControl extends WorkerEntrypoint<DeliveryEnv> {
  forgetAsset(apiKey: string, assetUid: string): void {
    forgetAsset(this.env.ASSET_INDEX, apiKey, assetUid);
  }

  /** After the stack's object wrote its environment index (read by `?environment=`). */
  forgetEnvironments(apiKey: string): void {
    forgetKey(this.env.ASSET_INDEX, environmentIndexKey(apiKey));
  }
}
