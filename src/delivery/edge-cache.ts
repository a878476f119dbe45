// The edge cache (Workers Cache API) for the permanent URL's bytes.
//
// Entries are keyed by the *versioned* URL of a version, never by the permanent URL, and the
// permanent URL picks the version from KV before it looks here. A version's bytes never change,
// so an entry cannot go stale: a replace makes the permanent URL name another key (a bypass),
// and a delete removes the KV record that leads here and evicts the entries (evictVersions).
// Only full 200 bodies are stored, never a 206, and only up to a configured size.

import { IMMUTABLE_CACHE_CONTROL, type ServedVersion } from "./headers";

/** The cached bytes of a version, or null on a miss (a cache that fails is a miss). */
export async function cachedBody(key: string): Promise<ReadableStream | null> {
  try {
    const hit = await caches.default.match(key);
    return hit?.body ?? null;
  } catch (err) {
    console.warn("edge cache match failed; reading R2", err);
    return null;
  }
}

/** Streams `body` to the client and, in the background, into the cache under `key`. */
export function storeWhileStreaming(
  ctx: { waitUntil(promise: Promise<unknown>): void },
  key: string,
  body: ReadableStream,
  v: ServedVersion,
): ReadableStream {
  const [forClient, forCache] = body.tee();
  const entry = new Response(forCache, {
    headers: {
      "Content-Type": v.contentType,
      "Content-Length": String(v.size),
      ETag: v.etag,
      "Cache-Control": IMMUTABLE_CACHE_CONTROL,
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
