// The edge cache (Workers Cache API) for both URL kinds.
//
// Entries are keyed by the *versioned* URL of a version, never by the permanent URL: a version's
// bytes never change, so an entry cannot go stale. The versioned URL reads its own key; the
// permanent URL picks the version from KV first, then reads that version's key, so a replace
// makes it name another key (a bypass). A delete removes the KV record and evicts the entries
// in this location (evictVersions); an entry whose fill finished after that finds its object
// gone and removes itself. Elsewhere entries live until their TTL (EDGE_ENTRY_MAX_AGE) or a purge
// by the Cache-Tag every entry carries (docs/HTTP.md). Only full 200 bodies are stored.
//
// An entry keeps the version's metadata in its headers, so a hit answers HEAD, 304, 412 and a
// range's headers without asking R2 what the version is. A version over the size limit has its
// metadata cached alone (its bytes come from R2). Image variants (serve-image.ts) are entries
// too, keyed by the versioned URL plus their canonical parameters.

import type { ServedVersion, VariantMeta } from "./headers";

// How long a location keeps an entry, whatever the answer's own Cache-Control (a year,
// immutable, for browsers and CDNs): it bounds how long a location that missed a delete's
// eviction (another location, or a delete that died before evicting) serves the bytes, at the
// cost of one R2 read per location and version a day.
export const EDGE_ENTRY_MAX_AGE = 86_400;

export interface CachedVersion {
  version: ServedVersion;
  /** The version's bytes; null when the entry holds its metadata alone (a large version). */
  body: ReadableStream | null;
}

export interface CachedVariant {
  meta: VariantMeta;
  body: ReadableStream;
}

type Ctx = { waitUntil(promise: Promise<unknown>): void };

// Private headers of a cache entry; a client never sees them (answers are built from
// ServedVersion and VariantMeta by headers.ts).
const UPLOADED = "X-Version-Uploaded";
const FILENAME = "X-Version-Filename";
const SIZE = "X-Version-Size";
const BYTES = "X-Version-Bytes"; // "held", or "none" for metadata alone

/** The Cache-Tag of every entry of one asset: a purge by this tag drops all its versions. */
export const assetCacheTag = (apiKey: string, assetUid: string): string => `${apiKey}/${assetUid}`;

/** A version's metadata, and its bytes when they are held; null on a miss (or a failing cache). */
export async function cachedVersion(key: string): Promise<CachedVersion | null> {
  const hit = await cached(key);
  if (!hit) return null;
  const h = hit.headers;
  const held = h.get(BYTES);
  const version = versionOf(key, h.get("ETag"), h.get(UPLOADED), h.get(FILENAME), h.get(SIZE), h);
  // An entry without the metadata (written by an older release) counts as a miss and is refilled.
  if (!version || (held !== "held" && held !== "none")) {
    await hit.body?.cancel();
    return null;
  }
  const body = held === "held" ? (hit.body ?? emptyBody()) : null;
  if (!body) await hit.body?.cancel();
  return { version, body };
}

/**
 * The version's bytes when its entry holds them, else null: for the permanent URL, which knows
 * the version from KV and needs none of the entry's metadata.
 */
export async function cachedBytes(key: string): Promise<ReadableStream | null> {
  const hit = await cached(key);
  if (hit?.headers.get(BYTES) === "held") return hit.body ?? emptyBody();
  await hit?.body?.cancel();
  return null;
}

// The versions parsed from entries lately, by cache key. An entry's metadata never changes (its
// key is a versioned URL), so a hit whose raw values match reuses the parsed version, and with it
// the answer's header values (headers.ts), instead of parsing a date and a name per request.
const parsed = new Map<string, { raw: string; version: ServedVersion }>();
const PARSED_MAX = 1000;

function versionOf(
  key: string,
  etag: string | null,
  uploaded: string | null,
  filename: string | null,
  sizeText: string | null,
  headers: Headers,
): ServedVersion | null {
  const raw = `${etag}\n${uploaded}\n${filename}\n${sizeText}\n${headers.get("Content-Type")}`;
  const known = parsed.get(key);
  if (known?.raw === raw) return known.version;
  const meta = metaOf(headers);
  const size = Number(sizeText);
  if (!meta || !Number.isSafeInteger(size)) return null;
  const version = { ...meta, size };
  parsed.delete(key); // re-inserted last, so the oldest leave first
  parsed.set(key, { raw, version });
  if (parsed.size > PARSED_MAX) parsed.delete(parsed.keys().next().value as string);
  return version;
}

/** A variant made before, or null (its length is not known: the engine streams it). */
export async function cachedVariant(key: string): Promise<CachedVariant | null> {
  const hit = await cached(key);
  if (!hit) return null;
  const meta = metaOf(hit.headers);
  if (!meta) {
    await hit.body?.cancel();
    return null;
  }
  return { meta, body: hit.body ?? emptyBody() };
}

/**
 * Streams a version's bytes to the client and, in the background, into the cache under `key`.
 * `exists` is asked once the entry is stored: a delete that ran meanwhile removed the object,
 * and then the entry goes too.
 */
export function storeWhileStreaming(
  ctx: Ctx,
  key: string,
  tag: string,
  body: ReadableStream,
  v: ServedVersion,
  exists: () => Promise<boolean>,
): ReadableStream {
  const [forClient, forCache] = body.tee();
  const entry = new Response(forCache, { headers: entryHeaders(tag, v, v.size, "held") });
  ctx.waitUntil(put(key, entry, exists));
  return forClient;
}

/** Caches a large version's metadata alone (its bytes stay in R2), checked as above. */
export function storeMetadata(
  ctx: Ctx,
  key: string,
  tag: string,
  v: ServedVersion,
  exists: () => Promise<boolean>,
): void {
  ctx.waitUntil(
    put(key, new Response(null, { headers: entryHeaders(tag, v, v.size, "none") }), exists),
  );
}

/**
 * Streams a variant to the client and, in the background, into the cache under `key`, unless it
 * turns out larger than `maxBytes`: the cache copy can run ahead of a slow client, and the bytes
 * it is ahead by wait in the isolate, so past the limit the copy is dropped.
 */
export function storeVariantWhileStreaming(
  ctx: Ctx,
  key: string,
  tag: string,
  body: ReadableStream,
  v: VariantMeta,
  maxBytes: number,
): ReadableStream {
  const [forClient, forCache] = body.tee();
  const entry = new Response(atMost(forCache, maxBytes), {
    headers: entryHeaders(tag, v, null, "held"),
  });
  ctx.waitUntil(put(key, entry, null));
  return forClient;
}

export async function evictVersions(keys: string[]): Promise<void> {
  await Promise.all(keys.map((key) => caches.default.delete(key)));
}

async function cached(key: string): Promise<Response | null> {
  try {
    return (await caches.default.match(key)) ?? null;
  } catch (err) {
    console.warn("edge cache match failed; reading R2", err);
    return null;
  }
}

async function put(
  key: string,
  entry: Response,
  exists: (() => Promise<boolean>) | null,
): Promise<void> {
  try {
    await caches.default.put(key, entry);
    if (exists && !(await exists())) await caches.default.delete(key);
  } catch (err) {
    if (!String(err).includes(TOO_LARGE)) console.warn("edge cache put failed", err);
  }
}

function entryHeaders(
  tag: string,
  v: VariantMeta,
  size: number | null,
  bytes: "held" | "none",
): Record<string, string> {
  return {
    "Content-Type": v.contentType,
    ETag: v.etag,
    "Cache-Control": `public, max-age=${EDGE_ENTRY_MAX_AGE}`,
    "Cache-Tag": tag,
    [UPLOADED]: v.uploaded.toISOString(),
    [FILENAME]: encodeURIComponent(v.filename),
    [BYTES]: bytes,
    ...(size === null ? {} : { [SIZE]: String(size) }),
    ...(size !== null && bytes === "held" ? { "Content-Length": String(size) } : {}),
  };
}

const TOO_LARGE = "a variant over the edge cache's size limit is not kept";

/** The stream's bytes until there are more than `max`: then it errors, and the put is dropped. */
function atMost(body: ReadableStream<Uint8Array>, max: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let seen = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await reader.read();
      if (next.done) return controller.close();
      seen += next.value.byteLength;
      if (seen <= max) return controller.enqueue(next.value);
      await reader.cancel(); // the client's copy goes on from the other branch of the tee
      controller.error(new Error(TOO_LARGE));
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

const emptyBody = () => new Response("").body as ReadableStream;

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
