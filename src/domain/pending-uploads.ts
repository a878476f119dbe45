// The record of uploads not yet committed: an empty R2 object under PENDING_PREFIX for each
// version's bytes, written before the bytes and removed once the version is committed (or its
// bytes discarded). Whatever is left there past the grace period is an upload that crashed
// between storing and committing: the orphan sweep (maintenance/orphan-sweep.ts) reads only
// these records, never the whole bucket. Pure: key shapes only.

export const PENDING_PREFIX = "_pending/";

export interface PendingUpload {
  apiKey: string;
  assetUid: string;
  fileUid: string;
}

/**
 * The record's key for a version's object key `{api_key}/{asset_uid}/{file_uid}/{name}`. Two
 * segments, so no public URL (three or four segments) can ever name one.
 */
export function pendingKeyOf(objectKey: string): string {
  const [apiKey, assetUid, fileUid] = objectKey.split("/");
  return `${PENDING_PREFIX}${apiKey}.${assetUid}.${fileUid}`;
}

/** The upload a record names; null for a key that is not one. */
export function parsePendingKey(key: string): PendingUpload | null {
  if (!key.startsWith(PENDING_PREFIX)) return null;
  const [apiKey, assetUid, fileUid, ...rest] = key.slice(PENDING_PREFIX.length).split(".");
  if (!apiKey || !assetUid || !fileUid || rest.length > 0) return null;
  return { apiKey, assetUid, fileUid };
}

/** Where the upload's bytes are: the prefix of its object key. */
export const uploadObjectPrefix = (p: PendingUpload): string =>
  `${p.apiKey}/${p.assetUid}/${p.fileUid}/`;
