// The delivery Worker's env (wrangler.delivery.toml). The public path is typed with this, not
// with the management Worker's Env, so the compiler refuses any use of a Durable Object, a
// secret or a write there: the storage bindings are narrowed to the reads delivery makes.
// (The platform itself grants a KV or R2 binding both reads and writes; docs/SECURITY.md.)

import type { ConfigVars } from "../config";

export interface DeliveryEnv extends ConfigVars {
  /** The edge read model, written only by the assets' Durable Objects. */
  ASSET_INDEX: Pick<KVNamespace, "get">;
  /** Every version's bytes. */
  FILES: Pick<R2Bucket, "get" | "head">;
  /** Cloudflare Images: makes image variants (locally, sharp). */
  IMAGES: Pick<ImagesBinding, "input">;
  /** New image variants made per stack (rate-limiting binding, keyed by api_key). */
  IMAGE_TRANSFORMS: RateLimit;
  /**
   * The content delivery Worker (src/content-delivery-worker.ts): the Content Delivery API's
   * routes are forwarded to it as they came (delivery/app.ts).
   */
  CONTENT: Pick<Fetcher, "fetch">;
}

/** The Hono app's environment (delivery/app.ts). */
export type DeliveryApp = { Bindings: DeliveryEnv };
