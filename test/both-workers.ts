// The workerd suite's Worker: the management and delivery Workers' fetch handlers behind one
// entry, with the management Worker's bindings (a superset of the others'), so every test reaches
// either through SELF. As the two hostnames do in production, the public URL shapes (3 or 4 segments after
// /v3/assets/) go to the delivery Worker and everything else to the management Worker; a request
// to MANAGEMENT_HOST always goes to the management Worker (its download with a permanent URL has
// the public URL's path), and one to DELIVERY_HOST always to the delivery Worker (its Content
// Delivery API has the management API's paths). The delivery Worker forwards the Content Delivery
// API to the content delivery Worker through its CONTENT binding, here the ContentDelivery
// entrypoint below, as in production. The end-to-end suite (e2e/) runs the three real Workers
// side by side.
//
// Both come through their strict/ entries, which enforce production's limits on the local
// bindings unless the suite runs with STRICT_LIMITS=0 (README, "Strict local mode").

import { WorkerEntrypoint } from "cloudflare:workers";
import type { DeliveryEnv } from "../src/delivery/env";
import contentWorker from "../strict/content";
import deliveryWorker from "../strict/delivery";
import managementWorker from "../strict/management";

export { ContentControl } from "../strict/content";
export { DeliveryControl } from "../strict/delivery";
export { AssetObject, StackObject, UploadObject } from "../strict/management";

/** What either Worker may be given: the management Worker's env and the delivery Worker's vars. */
export type BothEnv = Env & DeliveryEnv;

/** The content delivery Worker, as the delivery Worker's CONTENT binding reaches it. */
export class ContentDelivery extends WorkerEntrypoint<BothEnv> {
  override fetch(request: Request): Promise<Response> {
    return Promise.resolve(contentWorker.fetch(request, this.env, this.ctx));
  }
}

const PUBLIC_SHAPE = /^\/v3\/assets\/[^/]*\/[^/]*\/./;

/** The management Worker's own hostname in these tests. */
export const MANAGEMENT_HOST = "api.test";
/** The delivery Worker's own hostname in these tests. */
export const DELIVERY_HOST = "cdn.test";

function workerFor(url: URL) {
  if (url.hostname === DELIVERY_HOST) return deliveryWorker;
  if (url.hostname === MANAGEMENT_HOST) return managementWorker;
  return PUBLIC_SHAPE.test(url.pathname) ? deliveryWorker : managementWorker;
}

export default {
  fetch(request: Request, env: BothEnv, ctx: ExecutionContext): Promise<Response> {
    return Promise.resolve(workerFor(new URL(request.url)).fetch(request, env, ctx));
  },
  scheduled: managementWorker.scheduled,
} satisfies ExportedHandler<BothEnv>;
