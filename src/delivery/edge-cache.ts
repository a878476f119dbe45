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

// An entry's one private header: what an answer needs of the version or variant, its fields
// percent-encoded and separated by spaces (bytes held or not, size, stored at, ETag, type, name).
// One header, not one per field: a match hands every header of the entry over to the Worker
// (locally Miniflare's cache parses each one in JavaScript), so an entry with the floor's few
// headers is as cheap to read as the floor's (docs/PERFORMANCE.md). A client never sees it:
// answers are built from ServedVersion and VariantMeta by headers.ts.
const VERSION = "X-Version";
/** The Cache-Tag of every entry of one asset: a purge by this tag drops all its versions. */
export const assetCacheTag = (apiKey: string, assetUid: string): string => `${apiKey}/${assetUid}`;

/** A version's metadata, and its bytes when they are held; null on a miss (or a failing cache). */
export async function cachedVersion(key: string): Promise<CachedVersion | null> {
  const hit = await cached(key);
  if (!hit) return null;
  const entry = entryOf(key, hit.headers.get(VERSION));
  // An entry without the metadata (written by an older release) counts as a miss and is refilled.
  if (!entry?.version) {
    await hit.body?.cancel();
    return null;
  }
  if (entry.held) return { version: entry.version, body: hit.body ?? emptyBody() };
  await hit.body?.cancel();
  return { version: entry.version, body: null };
}

/**
 * The version's bytes when its entry holds them, else null: for the permanent URL, which knows
 * the version from KV and needs none of the entry's metadata.
 */
export async function cachedBytes(key: string): Promise<ReadableStream | null> {
  const hit = await cached(key);
  if (hit?.headers.get(VERSION)?.startsWith(HELD)) return hit.body ?? emptyBody();
  await hit?.body?.cancel();
  return null;
}

interface Entry {
  held: boolean;
  meta: VariantMeta;
  /** For a version's entry (it has a size); undefined for a variant's. */
  version?: ServedVersion;
}

const HELD = "held ";

// The entries parsed lately, by cache key. An entry's metadata never changes (its key is a
// versioned URL), so a hit whose header is the same text reuses what was parsed, and with it the
// answer's header values (headers.ts), instead of parsing a date and a name per request.
const parsed = new Map<string, { raw: string; entry: Entry }>();
const PARSED_MAX = 1000;

function entryOf(key: string, raw: string | null): Entry | null {
  if (raw === null) return null;
  const known = parsed.get(key);
  if (known?.raw === raw) return known.entry;
  const entry = parseEntry(raw);
  if (!entry) return null;
  parsed.delete(key); // re-inserted last, so the oldest leave first
  parsed.set(key, { raw, entry });
  if (parsed.size > PARSED_MAX) parsed.delete(parsed.keys().next().value as string);
  return entry;
}

function parseEntry(raw: string): Entry | null {
  const fields = raw.split(" ");
  if (fields.length !== 6) return null;
  try {
    const [bytes, sizeText, uploadedText, etag, contentType, filename] = fields.map((field) =>
      decodeURIComponent(field),
    ) as [string, string, string, string, string, string];
    const uploaded = new Date(uploadedText);
    if ((bytes !== "held" && bytes !== "none") || Number.isNaN(uploaded.getTime())) return null;
    const meta: VariantMeta = { contentType, etag, uploaded, filename };
    const size = Number(sizeText);
    const sized = sizeText !== "-" && Number.isSafeInteger(size) && size >= 0;
    if (sizeText !== "-" && !sized) return null;
    return { held: bytes === "held", meta, ...(sized ? { version: { ...meta, size } } : {}) };
  } catch {
    return null; // a field that does not decode: not an entry this code wrote
  }
}

/** A variant made before, or null (its length is not known: the engine streams it). */
export async function cachedVariant(key: string): Promise<CachedVariant | null> {
  const hit = await cached(key);
  if (!hit) return null;
  const entry = entryOf(key, hit.headers.get(VERSION));
  if (!entry?.held) {
    await hit.body?.cancel();
    return null;
  }
  return { meta: entry.meta, body: hit.body ?? emptyBody() };
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
  const fields = [bytes, size ?? "-", v.uploaded.toISOString(), v.etag, v.contentType, v.filename];
  return {
    "Cache-Control": `public, max-age=${EDGE_ENTRY_MAX_AGE}`,
    "Cache-Tag": tag,
    [VERSION]: fields.map((field) => encodeURIComponent(field)).join(" "),
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
