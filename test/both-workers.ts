// The workerd suite's Worker: both Workers' fetch handlers behind one entry, with the management
// Worker's bindings (a superset of the delivery Worker's), so every test reaches either through
// SELF. As the two hostnames do in production, the public URL shapes (3 or 4 segments after
// /v3/assets/) go to the delivery Worker and everything else to the management Worker; a request
// to MANAGEMENT_HOST always goes to the management Worker (its download with a permanent URL has
// the public URL's path). The end-to-end suite (e2e/) runs the two real Workers side by side.
//
// Both come through their strict/ entries, which enforce production's limits on the local
// bindings unless the suite runs with STRICT_LIMITS=0 (README, "Strict local mode").

import type { DeliveryEnv } from "../src/delivery/env";
import deliveryWorker from "../strict/delivery";
import managementWorker from "../strict/management";

export { DeliveryControl } from "../strict/delivery";
export { AssetObject, StackObject, UploadObject } from "../strict/management";

/** What either Worker may be given: the management Worker's env and the delivery Worker's vars. */
export type BothEnv = Env & DeliveryEnv;

const PUBLIC_SHAPE = /^\/v3\/assets\/[^/]*\/[^/]*\/./;

/** The management Worker's own hostname in these tests. */
export const MANAGEMENT_HOST = "api.test";

export default {
  fetch(request: Request, env: BothEnv, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    const worker =
      url.hostname !== MANAGEMENT_HOST && PUBLIC_SHAPE.test(url.pathname)
        ? deliveryWorker
        : managementWorker;
    return Promise.resolve(worker.fetch(request, env, ctx));
  },
  scheduled: managementWorker.scheduled,
} satisfies ExportedHandler<BothEnv>;
