// The management Worker (wrangler.toml): the management API, the console, the reference page and
// static files, the Durable Object classes the runtime instantiates, and the hourly sweep. The
// public URLs are served by the other Worker, src/delivery-worker.ts.

import { config } from "./config";
import { sweepOrphans } from "./maintenance/orphan-sweep";
import { app } from "./management-app";

export { AssetObject } from "./objects/asset-object";
export { StackObject } from "./objects/stack-object";
export { UploadObject } from "./objects/upload-object";

export default {
  fetch: app.fetch,
  // The cron trigger in wrangler.toml: the orphan sweep (maintenance/orphan-sweep.ts).
  async scheduled(_controller, env, ctx) {
    const { orphanMinAgeMs, sweepMaxSubrequests } = config(env);
    ctx.waitUntil(sweepOrphans(env, new Date(Date.now() - orphanMinAgeMs), sweepMaxSubrequests));
  },
} satisfies ExportedHandler<Env>;
