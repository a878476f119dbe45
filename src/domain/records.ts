// The records the Durable Objects keep. The asset's Durable Object is their only writer.

/** One immutable version of an asset's bytes. */
export interface VersionRecord {
  version: number;
  fileUid: string;
  /** As uploaded (NFC, no control characters), shown in the API and in Content-Disposition. */
  filename: string;
  /** The single-segment form used in the versioned URL and the R2 key. */
  safeFilename: string;
  contentType: string;
  size: number;
  sha256: string;
  /** R2's httpEtag of the object, quoted; the ETag of every public response for this version. */
  etag: string;
  /** When R2 stored the bytes (ISO 8601); the version's created_at and Last-Modified. */
  uploaded: string;
}

export interface AssetRecord {
  apiKey: string;
  uid: string;
  title: string;
  description: string;
  /** The permanent URL's slug; null until generated, then never changed. */
  slug: string | null;
  currentVersion: number;
  createdAt: string;
  updatedAt: string;
  deleted: boolean;
  /** Incremented by every committed change; orders writes to KV and the stack catalogue. */
  revision: number;
}

/** What the API shows of an asset: the asset and its current version. */
export interface AssetSnapshot {
  asset: AssetRecord;
  current: VersionRecord;
}
