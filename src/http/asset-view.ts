// The JSON shapes of the management API (field names as in Contentstack's CMA), typed by the
// response schemas so that a view and its documented shape cannot drift apart.

import {
  type AssetSnapshot,
  FOLDER_CONTENT_TYPE,
  type FolderRecord,
  type VersionRecord,
} from "../domain/records";
import { permanentPath, versionedPath } from "../domain/urls";
import type { AssetJson, FolderJson, VersionJson } from "./response-schemas";

export function versionUrl(base: string, apiKey: string, uid: string, v: VersionRecord): string {
  return base + versionedPath(apiKey, uid, v.fileUid, v.safeFilename);
}

/**
 * An asset as the API shows it. `base` is the public origin the URLs start with, or "" for the
 * relative URLs a request can ask for (relative_urls=true).
 */
export function assetView({ asset, current }: AssetSnapshot, base: string): AssetJson {
  return {
    uid: asset.uid,
    title: asset.title,
    description: asset.description,
    tags: asset.tags,
    parent_uid: asset.parentUid,
    is_dir: false,
    filename: current.filename,
    content_type: current.contentType,
    file_size: String(current.size),
    sha256: current.sha256,
    ...(current.dimension ? { dimension: current.dimension } : {}),
    url: versionUrl(base, asset.apiKey, asset.uid, current),
    ...(asset.slug
      ? { permanent_url: base + permanentPath(asset.apiKey, asset.uid, asset.slug) }
      : {}),
    _version: current.version,
    created_at: asset.createdAt,
    updated_at: asset.updatedAt,
    created_by: asset.createdBy,
    updated_by: asset.updatedBy,
  };
}

export function folderView(folder: FolderRecord): FolderJson {
  return {
    uid: folder.uid,
    name: folder.name,
    parent_uid: folder.parentUid,
    is_dir: true,
    content_type: FOLDER_CONTENT_TYPE,
    tags: [],
    created_at: folder.createdAt,
    updated_at: folder.updatedAt,
    created_by: folder.createdBy,
    updated_by: folder.updatedBy,
  };
}

export function versionView(
  base: string,
  apiKey: string,
  uid: string,
  v: VersionRecord,
): VersionJson {
  return {
    _version: v.version,
    file_uid: v.fileUid,
    filename: v.filename,
    content_type: v.contentType,
    file_size: String(v.size),
    sha256: v.sha256,
    url: versionUrl(base, apiKey, uid, v),
    created_at: v.uploaded,
  };
}
