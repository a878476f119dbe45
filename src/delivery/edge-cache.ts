// The edge cache (Workers Cache API) for both URL kinds.
//
// Entries are keyed by the *versioned* URL of a version, never by the permanent URL: a version's
// bytes never change, so an entry cannot go stale. The versioned URL reads its own key; the
// permanent URL picks the version from KV first, then reads that version's key, so a replace
// makes it name another key (a bypass). A delete removes the KV record and evicts the entries
// in this location (evictVersions); elsewhere they live until their TTL (EDGE_ENTRY_MAX_AGE) or a
// purge by the Cache-Tag every entry carries (docs/HTTP.md). Only full 200 bodies are stored, never a 206,
// and only up to a configured size.
//
// An entry keeps the version's metadata in its headers, so a hit on the versioned URL answers
// HEAD, 304, 412 and ranges without asking R2 what the version is.

import type { ServedVersion } from "./headers";

// How long a location keeps an entry, whatever the answer's own Cache-Control (a year,
// immutable, for browsers and CDNs): it bounds how long a location that missed a delete's
// eviction (another location, or a delete that died before evicting) serves the bytes, at the
// cost of one R2 read per location and version a day.
export const EDGE_ENTRY_MAX_AGE = 86_400;

export interface CachedVersion {
  version: ServedVersion;
  body: ReadableStream;
}

// Private headers of a cache entry; a client never sees them (answers are built from
// ServedVersion by headers.ts).
const UPLOADED = "X-Version-Uploaded";
const FILENAME = "X-Version-Filename";

/** The Cache-Tag of every entry of one asset: a purge by this tag drops all its versions. */
export const assetCacheTag = (apiKey: string, assetUid: string): string => `${apiKey}/${assetUid}`;

/** The cached bytes and metadata of a version, or null on a miss (a cache that fails is a miss). */
export async function cachedVersion(key: string): Promise<CachedVersion | null> {
  try {
    const hit = await caches.default.match(key);
    if (!hit?.body) return null;
    const version = fromEntry(hit.headers);
    if (version) return { version, body: hit.body };
    // An entry without the metadata (written before it was kept): refilled by this miss.
    await hit.body.cancel();
    return null;
  } catch (err) {
    console.warn("edge cache match failed; reading R2", err);
    return null;
  }
}

/** Streams `body` to the client and, in the background, into the cache under `key`. */
export function storeWhileStreaming(
  ctx: { waitUntil(promise: Promise<unknown>): void },
  key: string,
  tag: string,
  body: ReadableStream,
  v: ServedVersion,
): ReadableStream {
  const [forClient, forCache] = body.tee();
  const entry = new Response(forCache, {
    headers: {
      "Content-Type": v.contentType,
      "Content-Length": String(v.size),
      ETag: v.etag,
      "Cache-Control": `public, max-age=${EDGE_ENTRY_MAX_AGE}`,
      "Cache-Tag": tag,
      [UPLOADED]: v.uploaded.toISOString(),
      [FILENAME]: encodeURIComponent(v.filename),
    },
  });
  ctx.waitUntil(
    caches.default.put(key, entry).catch((err) => console.warn("edge cache put failed", err)),
  );
  return forClient;
}

export async function evictVersions(keys: string[]): Promise<void> {
  await Promise.all(keys.map((key) => caches.default.delete(key)));
}

function fromEntry(headers: Headers): ServedVersion | null {
  const uploaded = headers.get(UPLOADED);
  const filename = headers.get(FILENAME);
  const etag = headers.get("ETag");
  const size = Number(headers.get("Content-Length"));
  if (uploaded === null || filename === null || etag === null || !Number.isSafeInteger(size)) {
    return null;
  }
  return {
    contentType: headers.get("Content-Type") ?? "application/octet-stream",
    size,
    etag,
    uploaded: new Date(uploaded),
    filename: decodeURIComponent(filename),
  };
}
