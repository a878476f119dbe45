// Everything this service stores in Workers KV, the edge's copy of what the Durable Objects hold
// (every key in docs/STORAGE.md). Three kinds of record, each under its own prefix:
// - an asset's record (ReadModel): one per asset with a permanent URL or a publication, holding
//   exactly what the public URLs need and nothing else, so a change the edge does not read (a
//   title, tags, a folder) writes nothing to KV. `?environment=` reads the same record: each
//   environment's published version sits beside the current one, so it costs no second read.
//   Written only by the asset's Durable Object (objects/asset-sync.ts, at most once a second);
// - a stack's environment index and a delivery token's grant, written by the stack's Durable
//   Object (objects/stack-sync.ts).
// All are read only by the delivery Worker (delivery/kv-reads.ts), which accepts KV's eventual
// consistency (see docs/STORAGE.md for the bound). Pure: shared by the Workers.

import type { AssetSnapshot, VersionRecord } from "./records";

/** What the edge serves a version by. */
export interface EdgeVersion {
  fileUid: string;
  filename: string;
  safeFilename: string;
  contentType: string;
  size: number;
  etag: string;
  uploaded: string;
}

/** The version an environment serves: its number too, for a versioned URL of another one. */
export interface PublishedVersion extends EdgeVersion {
  version: number;
}

/** The current version at the top level, and each environment's published one. */
export interface ReadModel extends EdgeVersion {
  slug: string | null;
  /**
   * By environment uid; absent when nothing is published (and in records written before
   * publishing existed). Written from the asset object's committed state with the rest of the
   * record, so the two can never disagree.
   */
  published?: Record<string, PublishedVersion>;
}

const edgeVersion = (v: VersionRecord): EdgeVersion => ({
  fileUid: v.fileUid,
  filename: v.filename,
  safeFilename: v.safeFilename,
  contentType: v.contentType,
  size: v.size,
  etag: v.etag,
  uploaded: v.uploaded,
});

export const readModelKey = (apiKey: string, assetUid: string): string =>
  `asset:${apiKey}/${assetUid}`;

/**
 * The record the edge needs for this state of the asset, given the version each environment
 * holds; null when it needs none: the asset is deleted, or has neither a permanent URL nor a
 * publication (no record and a record without a slug both answer 404 on the permanent URL).
 */
export function toReadModel(
  { asset, current }: AssetSnapshot,
  published: Record<string, VersionRecord> = {},
): ReadModel | null {
  const environments = Object.keys(published).sort();
  if (asset.deleted || (asset.slug === null && environments.length === 0)) return null;
  const model: ReadModel = { slug: asset.slug, ...edgeVersion(current) };
  if (environments.length > 0) {
    model.published = {};
    for (const environment of environments) {
      const v = published[environment] as VersionRecord;
      model.published[environment] = { ...edgeVersion(v), version: v.version };
    }
  }
  return model;
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
 * The uid an index gives a name, compared in NFC as names are stored. Own keys only: a parsed
 * index is a plain object, and "constructor" must not find Object's.
 */
export function environmentUidIn(index: EnvironmentIndex, name: string): string | undefined {
  const key = name.normalize("NFC");
  return Object.hasOwn(index, key) ? index[key] : undefined;
}

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
