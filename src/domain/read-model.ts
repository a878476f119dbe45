// The edge read model in Workers KV: one record per live asset, holding exactly what the
// permanent-URL hot path needs. Written only by the asset's Durable Object (after each commit,
// retried by alarm until it succeeds); read only by public delivery, which accepts KV's
// eventual consistency (see docs/STORAGE.md for the bound). Pure: shared by both Workers.

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
  /** The asset revision this record reflects. */
  revision: number;
}

export const readModelKey = (apiKey: string, assetUid: string): string =>
  `asset:${apiKey}/${assetUid}`;

export function toReadModel({ asset, current }: AssetSnapshot): ReadModel {
  return {
    slug: asset.slug,
    fileUid: current.fileUid,
    filename: current.filename,
    safeFilename: current.safeFilename,
    contentType: current.contentType,
    size: current.size,
    etag: current.etag,
    uploaded: current.uploaded,
    revision: asset.revision,
  };
}

export const readModelObjectKey = (apiKey: string, assetUid: string, m: ReadModel): string =>
  versionObjectKey(apiKey, assetUid, m.fileUid, m.safeFilename);
