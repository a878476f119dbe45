// The edge read model in Workers KV: one record per asset with a permanent URL, holding exactly
// what the permanent-URL hot path needs and nothing else, so a change the edge does not read
// (a title, tags, a folder) writes nothing to KV. Written only by the asset's Durable Object
// (objects/asset-sync.ts, at most once a second); read only by public delivery, which accepts
// KV's eventual consistency (see docs/STORAGE.md for the bound). Pure: shared by both Workers.

import type { AssetSnapshot } from "./records";
import { versionObjectKey } from "./urls";

export interface ReadModel {
  slug: string | null;
  fileUid: string;
  filename: string;
  safeFilename: string;
  contentType: string;
  size: number;
  etag: string;
  uploaded: string;
}

export const readModelKey = (apiKey: string, assetUid: string): string =>
  `asset:${apiKey}/${assetUid}`;

/**
 * The record the edge needs for this state of the asset; null when it needs none: the asset is
 * deleted, or has no permanent URL yet (no record and a record without a slug both answer 404).
 */
export function toReadModel({ asset, current }: AssetSnapshot): ReadModel | null {
  if (asset.deleted || asset.slug === null) return null;
  return {
    slug: asset.slug,
    fileUid: current.fileUid,
    filename: current.filename,
    safeFilename: current.safeFilename,
    contentType: current.contentType,
    size: current.size,
    etag: current.etag,
    uploaded: current.uploaded,
  };
}

export const readModelObjectKey = (apiKey: string, assetUid: string, m: ReadModel): string =>
  versionObjectKey(apiKey, assetUid, m.fileUid, m.safeFilename);
