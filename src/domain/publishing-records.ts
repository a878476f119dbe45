// Publishing's records (docs/PUBLISHING.md); what the edge reads of them in KV is in kv-records.ts. An environment
// (production, staging, ...) holds at most one published version of each asset; the asset's
// Durable Object is the one writer of its publications, the stack's Durable Object the one writer
// of environments and delivery tokens. The delivery Worker reads what they write to KV (and the
// published catalogue), never the objects. Pure: shared by the Workers.

/** How many environments a stack may have (the KV index holds them all in one record). */
export const MAX_ENVIRONMENTS = 100;
/** An environment's name: 1 to this many characters (it is a path segment and a query value). */
export const MAX_ENVIRONMENT_NAME = 100;
/** How many delivery tokens a stack may have. */
export const MAX_DELIVERY_TOKENS = 100;

/** An environment of a stack, addressed by name in the API; its uid never changes. */
export interface EnvironmentRecord {
  uid: string;
  /** Unique in the stack, NFC, trimmed, no control characters. A rename changes only this. */
  name: string;
  /** The CMA's per-locale base URLs of the site this environment feeds (kept, not used here). */
  urls: { locale: string; url: string }[];
  /** The CMA's deployment servers and deploy_content flag (kept and shown, not used here). */
  servers: { name: string }[];
  deployContent: boolean;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
}

/**
 * A locale code as the CMA writes them: lowercase language, then up to three lowercase subtags
 * (`en-us`, `fr-fr`, `zh-hans-cn`, `es-419`). Publications and environment URLs take only these.
 */
export const LOCALE_CODE = /^[a-z]{2,3}(-[a-z0-9]{2,8}){0,3}$/;
export const isLocaleCode = (s: string): boolean => LOCALE_CODE.test(s);

/** The one branch a stack has here; delivery tokens' branch scope may only name it. */
export const MAIN_BRANCH = "main";

/**
 * A delivery token as the stack's object keeps it: never the token itself (its SHA-256 is in
 * the object and, as the grant's key, in KV). A management token is never a delivery token: they
 * live in different tables and only the delivery Worker reads grants.
 */
export interface DeliveryTokenRecord {
  uid: string;
  name: string;
  description: string;
  /** The uids of the environments it may read, in the order given. */
  environments: string[];
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
}

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

/**
 * What an environment shows of the asset besides its bytes: the asset's own fields as they were
 * when it was published there (the Content Delivery API answers with what was published, as
 * Contentstack's does). The slug is not among them: the permanent URL is one for all.
 */
export interface PublishedMetadata {
  title: string;
  description: string;
  tags: string[];
  parentUid: string | null;
  updatedAt: string;
  updatedBy: string;
}

/** A publication as the asset's object keeps it: the publish details and what was published. */
export interface PublicationRecord extends Publication {
  metadata: PublishedMetadata;
}

/** The most locales one publish or unpublish may name. */
export const MAX_LOCALES = 50;

/**
 * A publish or unpublish to happen later (`scheduled_at`), kept by the asset's object until its
 * alarm fires it; listed and cancelled through the publish queue (GET /v3/publish-queue).
 */
export interface ScheduledAction {
  /** "blt" + 16 hex: the publish queue's uid of this action. */
  uid: string;
  action: "publish" | "unpublish";
  /** Environment uids. */
  environments: string[];
  locales: string[];
  /**
   * A publish: the version it publishes, fixed when it was scheduled (the one given, else the
   * latest then). An unpublish: the version it is limited to, or null for whatever is published.
   */
  version: number | null;
  /** When it fires (ISO 8601, milliseconds, UTC). */
  scheduledAt: string;
  createdAt: string;
  /** The management token's uid that scheduled it. */
  createdBy: string;
}

/** What an asset's object tells the stack's object about publishing, with each snapshot. */
export interface PublishingState {
  publications: Publication[];
  scheduled: ScheduledAction[];
}
