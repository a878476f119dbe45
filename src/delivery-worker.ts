// The public delivery Worker (wrangler.delivery.toml): a Hono app (delivery/app.ts) with the two
// public URL kinds. Its bindings are KV and R2, read only, and Images for variants; it has no
// Durable Object, no secret, no static assets and no management code, so nothing on the hot path
// pays for, or can reach, a writer.

import { app } from "./delivery/app";
import type { DeliveryEnv } from "./delivery/env";

export default { fetch: app.fetch } satisfies ExportedHandler<DeliveryEnv>;

// The control entrypoint the management Worker calls through its DELIVERY binding.
export { DeliveryControl } from "./delivery/control";
