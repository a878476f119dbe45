// After the management Worker commits a change to an asset, it tells the delivery Worker through
// the DELIVERY service binding (DeliveryControl in src/delivery-worker.ts), so the isolate that
// answers drops its memo of the asset's KV record. Locally that is the only delivery isolate,
// so the next public request shows the change; in production it reaches one isolate, and the
// others catch up within the documented staleness bound (docs/HTTP.md).

import type { DeliveryControl } from "../delivery-worker";

export async function tellDeliveryAssetChanged(
  env: Env,
  apiKey: string,
  assetUid: string,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  try {
    // Bounded: a slow delivery Worker must not hold up a committed change's answer.
    await Promise.race([
      (env.DELIVERY as Service<DeliveryControl>).forgetAsset(apiKey, assetUid),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("no answer within 2 s")), 2000);
      }),
    ]);
  } catch (err) {
    // The change is committed; at worst the memo serves the old record a few seconds longer.
    console.warn("could not tell the delivery Worker about a change", err);
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}
