// After the management side commits a change the edge reads, it tells the delivery Worker
// through the DELIVERY service binding (DeliveryControl in src/delivery/control.ts), so the
// isolate that answers drops its memo of the KV record: an asset's (after a route's commit), or a
// stack's environment index or a delivery token's grant (after the stack's object has written
// it, from a request or its alarm). Locally that is the only delivery isolate, so the next public
// request shows the change; in production it reaches one isolate, and the others catch up within
// the documented staleness bound (docs/HTTP.md).

import type { DeliveryControl } from "../delivery/control";
import { deliveryTokenKey, environmentIndexKey } from "../domain/kv-records";

/** Calls the delivery Worker, bounded: a slow one must not hold up a committed change's answer. */
async function tell(env: Env, what: (control: Service<DeliveryControl>) => Promise<void>) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  try {
    await Promise.race([
      what(env.DELIVERY as Service<DeliveryControl>),
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

export function tellDeliveryAssetChanged(
  env: Env,
  apiKey: string,
  assetUid: string,
): Promise<void> {
  return tell(env, (control) => control.forgetAsset(apiKey, assetUid));
}

/** After KV `key` was written: the environment index or a delivery token's grant. */
export function tellDeliveryKeyWritten(env: Env, key: string): Promise<void> {
  const index = environmentIndexKey("");
  const grant = deliveryTokenKey("");
  if (key.startsWith(index)) {
    const apiKey = key.slice(index.length);
    return tell(env, (control) => control.forgetEnvironments(apiKey));
  }
  if (key.startsWith(grant)) {
    const hash = key.slice(grant.length);
    return tell(env, (control) => control.forgetDeliveryToken(hash));
  }
  return Promise.resolve();
}
