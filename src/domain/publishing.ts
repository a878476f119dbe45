// Publishing's records and where the edge reads them (docs/PUBLISHING.md). An environment
// (production, staging, ...) holds at most one published version of each asset; the asset's
// Durable Object is the one writer of its publications, the stack's Durable Object the one writer
// of environments and delivery tokens. The delivery Worker reads what they write to KV (and the
// published catalogue), never the objects. Pure: shared by both Workers.

/** An environment of a stack, addressed by name in the API; its uid never changes. */
export interface EnvironmentRecord {
  uid: string;
  name: string;
  /** The CMA's per-locale base URLs of the site this environment feeds (kept, not used here). */
  urls: { locale: string; url: string }[];
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
}

/**
 * KV `environments:{api_key}`: every live environment of the stack, name -> uid. Written by the
 * stack's object after each environment change (at most once a second per key); the delivery
 * Worker resolves `?environment={name}` through it, so a deleted or renamed environment stops
 * answering at the edge within the freshness bound, before its publications are cleaned up.
 */
export type EnvironmentIndex = Record<string, string>;

export const environmentIndexKey = (apiKey: string): string => `environments:${apiKey}`;

/**
 * KV `delivery_token:{sha256 hex of the token}`: what a delivery token may read. Written by the
 * stack's object on create and update, deleted on revoke (a revoke is bounded by KV's
 * propagation and the delivery Worker's memo, docs/PUBLISHING.md).
 */
export interface DeliveryTokenGrant {
  apiKey: string;
  /** The token's uid (not the token). */
  uid: string;
  /** The uids of the environments the token's scope may read. */
  environments: string[];
}

export const deliveryTokenKey = (tokenSha256Hex: string): string =>
  `delivery_token:${tokenSha256Hex}`;

/** One environment's publication of an asset, as the asset's object keeps it. */
export interface Publication {
  /** The environment's uid. */
  environment: string;
  /** The asset version (`_version`) the environment serves. */
  version: number;
  /** The locales it was published in (lowercase codes, unique, sorted). */
  locales: string[];
  /** When it was published (ISO 8601), and by whom (the management token's uid). */
  time: string;
  user: string;
}
