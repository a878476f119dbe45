// The content delivery Worker (wrangler.content.toml): the Content Delivery API's asset routes
// (content-delivery/content-app.ts), which the public host's Worker forwards to it through a
// service binding. Its bindings are KV and D1, read only; it has no R2, no Images, no Durable
// Object, no secret and no management code.

import { contentApp } from "./content-delivery/content-app";
import type { ContentEnv } from "./content-delivery/content-env";

export default { fetch: contentApp.fetch } satisfies ExportedHandler<ContentEnv>;

// The control entrypoint the management Worker calls through its CONTENT_CONTROL binding.
export { ContentControl } from "./content-delivery/content-control";
