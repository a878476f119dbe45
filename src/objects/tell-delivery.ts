// After the management side commits a change the edge reads, it tells the Workers that read it,
// so the isolate that answers drops its memo of the KV record: the delivery Worker (DELIVERY,
// DeliveryControl in src/delivery/control.ts) for an asset's record (after a route's commit) and
// a stack's environment index; the content delivery Worker (CONTENT_CONTROL, ContentControl in
// src/content-delivery/content-control.ts) for that index and a delivery token's grant (after the
// stack's object has written it, from a request or its alarm). Locally each is the only isolate
// of its Worker, so the next request shows the change; in production it reaches one isolate, and
// the others catch up within the documented staleness bound (docs/HTTP.md).

import type { ContentControl } from "../content-delivery/content-control";
import type { DeliveryControl } from "../delivery/control";
import { deliveryTokenKey, environmentIndexKey } from "../domain/kv-records";

/** Calls a Worker's control entrypoint, bounded: a slow one must not hold up a committed change. */
async function tell<T>(binding: unknown, what: (control: T) => Promise<void>) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  try {
    await Promise.race([
      what(binding as T),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("no answer within 2 s")), 2000);
      }),
    ]);
  } catch (err) {
    // The change is committed; at worst the memo serves the old record a few seconds longer.
    console.warn("could not tell an edge Worker about a change", err);
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}

const delivery = (env: Env, what: (control: Service<DeliveryControl>) => Promise<void>) =>
  tell(env.DELIVERY, what);
const content = (env: Env, what: (control: Service<ContentControl>) => Promise<void>) =>
  tell(env.CONTENT_CONTROL, what);

export function tellDeliveryAssetChanged(
  env: Env,
  apiKey: string,
  assetUid: string,
): Promise<void> {
  return delivery(env, (control) => control.forgetAsset(apiKey, assetUid));
}

/** After KV `key` was written: the environment index or a delivery token's grant. */
export async function tellDeliveryKeyWritten(env: Env, key: string): Promise<void> {
  const index = environmentIndexKey("");
  const grant = deliveryTokenKey("");
  if (key.startsWith(index)) {
    const apiKey = key.slice(index.length);
    await Promise.all([
      delivery(env, (control) => control.forgetEnvironments(apiKey)),
      content(env, (control) => control.forgetEnvironments(apiKey)),
    ]);
  } else if (key.startsWith(grant)) {
    const hash = key.slice(grant.length);
    await content(env, (control) => control.forgetDeliveryToken(hash));
  }
}
