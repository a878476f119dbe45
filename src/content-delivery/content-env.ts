// The content delivery Worker's env (wrangler.content.toml): what the Content Delivery API reads,
// and nothing more. KV for the access checks (a stack's environment index, a delivery token's
// grant) and the published catalogue in D1; no R2, no Images, no Durable Object, no secret. The
// storage bindings are narrowed to the reads it makes (the platform grants both reads and writes;
// docs/SECURITY.md).

import type { ConfigVars } from "../config";

export interface ContentEnv extends ConfigVars {
  /** The edge records the stacks' Durable Objects write (domain/kv-records.ts). */
  ASSET_INDEX: Pick<KVNamespace, "get">;
  /**
   * The published catalogue (D1), written only by the assets' Durable Objects: each request opens
   * a session any read replica may answer (published-reads.ts).
   */
  PUBLISHED: Pick<D1Database, "withSession">;
}

/** The Hono app's environment (content-app.ts). */
export type ContentApp = { Bindings: ContentEnv };
