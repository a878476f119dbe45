// Worker entry: the HTTP app and the Durable Object classes the runtime instantiates.

import { app } from "./app";
import { config } from "./config";
import { sweepOrphans } from "./maintenance/orphan-sweep";

export { AssetObject } from "./objects/asset-object";
export { StackObject } from "./objects/stack-object";
export { UploadObject } from "./objects/upload-object";

export default {
  fetch: app.fetch,
  // The cron trigger in wrangler.toml: the orphan sweep (maintenance/orphan-sweep.ts).
  async scheduled(_controller, env, ctx) {
    const minAge = config(env).orphanMinAgeMs;
    ctx.waitUntil(sweepOrphans(env, new Date(Date.now() - minAge)));
  },
} satisfies ExportedHandler<Env>;
