// The records the Durable Objects keep. The asset's Durable Object is their only writer.

/** One immutable version of an asset's bytes. */
/** An image's width and height in pixels, as its file declares them (images/dimension-reader.ts). */
export interface Dimensions {
  width: number;
  height: number;
}

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
  /**
   * A raster image's displayed width and height, read from its header as it streamed
   * (upload/file-facts.ts); null for other files, absent in versions stored before issue 13.
   */
  dimension?: Dimensions | null;
}

export interface AssetRecord {
  apiKey: string;
  uid: string;
  title: string;
  description: string;
  /** Trimmed, unique, in the order given (domain/tags.ts). */
  tags: string[];
  /** The folder the asset is in; null at the root. Moving it never changes a URL. */
  parentUid: string | null;
  /** The uid of the management token that created the asset, and of the last one to change it. */
  createdBy: string;
  updatedBy: string;
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

/**
 * An asset record as stored, brought to the current shape: records written before tags, folders
 * and authors existed (issue 13) have none of them.
 */
export function currentAssetShape(
  stored: Omit<AssetRecord, "tags" | "parentUid" | "createdBy" | "updatedBy"> &
    Partial<AssetRecord>,
): AssetRecord {
  return { tags: [], parentUid: null, createdBy: "", updatedBy: "", ...stored };
}

/** The CMA's name for the root folder in a listing's `folder=`. */
export const ROOT_FOLDER = "cs_root";

/** The content type the CMA gives folders, in its own spelling (clients compare it). */
export const FOLDER_CONTENT_TYPE = "application/vnd.contenstack.folder";

/** A folder of assets (the CMA's `is_dir` assets). It lives in the stack's catalogue only. */
export interface FolderRecord {
  uid: string;
  name: string;
  /** The folder it is in; null at the root. */
  parentUid: string | null;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
}
