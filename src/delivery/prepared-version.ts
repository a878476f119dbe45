// What a permanent URL's answer derives from the version its KV record names (the version to
// serve, its R2 key, its versioned URL and the Link header that points at it), worked out once
// per record object instead of on every request. The read-model memo hands out the same record
// object for as long as it keeps it, so on a busy URL this runs once per isolate every few
// seconds; docs/PERFORMANCE.md has the profile that asked for it. With the memo off every read
// is a new object and this runs per request, as before.

import type { EdgeVersion } from "../domain/kv-records";
import { versionedPath, versionObjectKey } from "../domain/urls";
import { type HeaderPairs, type ServedVersion, servedVersion } from "./headers";

export interface PreparedVersion {
  version: ServedVersion;
  /** The version's R2 key. */
  objectKey: string;
  /** Its versioned URL: the edge cache's key for it, and the canonical link. */
  versionedUrl: string;
  /** Headers every answer of the permanent URL carries (Link); read, never changed. */
  extra: HeaderPairs;
}

// Keyed by the record's version object; the public origin is checked as well, since without
// PUBLIC_BASE_URL it comes from each request's URL.
const prepared = new WeakMap<EdgeVersion, { base: string; value: PreparedVersion }>();

export function preparedVersion(
  base: string,
  apiKey: string,
  assetUid: string,
  v: EdgeVersion,
): PreparedVersion {
  const known = prepared.get(v);
  if (known && known.base === base) return known.value;
  const versionedUrl = `${base}${versionedPath(apiKey, assetUid, v.fileUid, v.safeFilename)}`;
  const value: PreparedVersion = {
    version: servedVersion(v),
    objectKey: versionObjectKey(apiKey, assetUid, v.fileUid, v.safeFilename),
    versionedUrl,
    extra: [["Link", `<${versionedUrl}>; rel="canonical"`]],
  };
  prepared.set(v, { base, value });
  return value;
}
