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

/** What an image variant's answer needs: its own type and ETag, its source's time and name. */
export interface VariantMeta {
  contentType: string;
  etag: string;
  uploaded: Date;
  /** The name `?dl` downloads it under (the source's, with the variant format's extension). */
  filename: string;
}

export interface CachedVariant {
  meta: VariantMeta;
  body: ReadableStream;
}

// Private headers of a cache entry; a client never sees them (answers are built from
// ServedVersion and VariantMeta by headers.ts).
const UPLOADED = "X-Version-Uploaded";
const FILENAME = "X-Version-Filename";

/** The Cache-Tag of every entry of one asset: a purge by this tag drops all its versions. */
export const assetCacheTag = (apiKey: string, assetUid: string): string => `${apiKey}/${assetUid}`;

/** The cached bytes and metadata of a version, or null on a miss (a cache that fails is a miss). */
export async function cachedVersion(key: string): Promise<CachedVersion | null> {
  const hit = await cached(key);
  if (!hit) return null;
  const size = Number(hit.headers.get("Content-Length"));
  const meta = metaOf(hit.headers);
  // An entry without the metadata (written before it was kept) is refilled by this miss.
  if (!meta || hit.headers.get("Content-Length") === null || !Number.isSafeInteger(size)) {
    await hit.body.cancel();
    return null;
  }
  return { version: { ...meta, size }, body: hit.body };
}

/** A variant made before, or null (its length is not known: the engine streams it). */
export async function cachedVariant(key: string): Promise<CachedVariant | null> {
  const hit = await cached(key);
  if (!hit) return null;
  const meta = metaOf(hit.headers);
  if (!meta) {
    await hit.body.cancel();
    return null;
  }
  return { meta, body: hit.body };
}

/** Streams a version's bytes to the client and, in the background, into the cache under `key`. */
export function storeWhileStreaming(
  ctx: { waitUntil(promise: Promise<unknown>): void },
  key: string,
  tag: string,
  body: ReadableStream,
  v: ServedVersion,
): ReadableStream {
  return store(ctx, key, tag, body, v, { "Content-Length": String(v.size) });
}

/** Streams a variant to the client and, in the background, into the cache under `key`. */
export function storeVariantWhileStreaming(
  ctx: { waitUntil(promise: Promise<unknown>): void },
  key: string,
  tag: string,
  body: ReadableStream,
  v: VariantMeta,
): ReadableStream {
  return store(ctx, key, tag, body, v, {});
}

export async function evictVersions(keys: string[]): Promise<void> {
  await Promise.all(keys.map((key) => caches.default.delete(key)));
}

async function cached(key: string): Promise<(Response & { body: ReadableStream }) | null> {
  try {
    const hit = await caches.default.match(key);
    return hit?.body ? (hit as Response & { body: ReadableStream }) : null;
  } catch (err) {
    console.warn("edge cache match failed; reading R2", err);
    return null;
  }
}

function store(
  ctx: { waitUntil(promise: Promise<unknown>): void },
  key: string,
  tag: string,
  body: ReadableStream,
  v: VariantMeta,
  length: Record<string, string>,
): ReadableStream {
  const [forClient, forCache] = body.tee();
  const entry = new Response(forCache, {
    headers: {
      ...length,
      "Content-Type": v.contentType,
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

function metaOf(headers: Headers): VariantMeta | null {
  const uploaded = headers.get(UPLOADED);
  const filename = headers.get(FILENAME);
  const etag = headers.get("ETag");
  if (uploaded === null || filename === null || etag === null) return null;
  try {
    return {
      contentType: headers.get("Content-Type") ?? "application/octet-stream",
      etag,
      uploaded: new Date(uploaded),
      filename: decodeURIComponent(filename),
    };
  } catch {
    return null; // a filename that does not decode: not an entry this code wrote
  }
}
