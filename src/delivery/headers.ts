// Response headers of the public URLs (docs/CONTRACT.md, "The public URLs"). Pure: built from
// the version's metadata, so HEAD, 304 and 206 never need the bytes to know them.

import { type ByteRange, contentRange } from "./range";

/** What an image variant's answer needs: its own type and ETag, its source's time and name. */
export interface VariantMeta {
  contentType: string;
  etag: string;
  uploaded: Date;
  /** The name `?dl` downloads it under (the source's, with the variant format's extension). */
  filename: string;
}

export interface ServedVersion {
  contentType: string;
  size: number;
  /** Quoted strong validator (R2's httpEtag). */
  etag: string;
  /** When the version was stored. */
  uploaded: Date;
  /** The name given at upload, used for `?dl` downloads. */
  filename: string;
}

/** A version as stored (an asset object's version record, or its KV read model) to serve. */
export const servedVersion = (v: {
  contentType: string;
  size: number;
  etag: string;
  uploaded: string;
  filename: string;
}): ServedVersion => ({
  contentType: v.contentType,
  size: v.size,
  etag: v.etag,
  uploaded: new Date(v.uploaded),
  filename: v.filename,
});

export const IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable";
export const permanentCacheControl = (maxAge: number) => `public, max-age=${maxAge}`;

// Types a browser may render as a document that runs script when opened on our origin (HTML,
// SVG and every other XML type, XSLT, JavaScript): served in a CSP sandbox, so an uploaded page
// cannot act with this origin's cookies or storage. PDFs stay out: browsers do not show them
// sandboxed.
const ACTIVE_TYPES = /html|xml|xsl|script/i;

type Pairs = [string, string][];
/** Headers some answers add to a version's own (a permanent URL's Link); read, never changed. */
export type HeaderPairs = readonly (readonly [string, string])[];

// A version's headers, worked out once per version object rather than per request: the
// read-model memo (through prepared-version.ts) and the edge cache's metadata memo hand out the
// same object for as long as they keep it, and nothing changes one once made. A full answer's
// Headers object itself is built once and shared: a Response copies the Headers it is given (in
// the runtime, without converting every name and value from JavaScript again, which was a fifth
// of the Worker's time on a hit), and whatever changes headers (a range, ?dl, CORS) changes a
// copy. `extra` is the same array for as long as the version object is (prepared-version.ts), so
// it keys the memo too. A variant's metadata (VariantMeta) is memoised the same way; an object is
// either a version's or a variant's, never both (edge-cache.ts makes them apart).
interface Built {
  cacheControl: string;
  extra: HeaderPairs | null;
  notModified: Pairs;
  /** A version's 200 headers, or a variant's. */
  full: Headers | null;
}
const built = new WeakMap<object, Built>();

function builtFor(
  v: Pick<ServedVersion, "etag" | "uploaded">,
  cacheControl: string,
  extra: HeaderPairs | null,
): Built {
  const known = built.get(v);
  if (known && known.cacheControl === cacheControl && known.extra === extra) return known;
  const notModified: Pairs = [
    ["ETag", v.etag],
    ["Last-Modified", v.uploaded.toUTCString()],
    ["Cache-Control", cacheControl],
    ...(extra ?? []).map(([name, value]): Pairs[0] => [name, value]),
  ];
  const entry: Built = { cacheControl, extra, notModified, full: null };
  built.set(v, entry);
  return entry;
}

/** Headers every 304 carries (RFC 9110 §15.4.5): the validators and the caching policy. */
export function notModifiedHeaders(
  v: Pick<ServedVersion, "etag" | "uploaded">,
  cacheControl: string,
  extra: HeaderPairs | null = null,
): Headers {
  return new Headers(builtFor(v, cacheControl, extra).notModified);
}

/**
 * Headers of a 200 (no range) or a 206 (one range) of this version. A 200's are shared by every
 * answer of this version: hand them to a Response (which copies them) or copy them before any
 * change (answer.ts, withDownload); a 206's are its own.
 */
export function contentHeaders(
  v: ServedVersion,
  cacheControl: string,
  range: ByteRange | null,
  extra: HeaderPairs | null = null,
): Headers {
  const entry = builtFor(v, cacheControl, extra);
  entry.full ??= new Headers([
    ...entry.notModified,
    ["Content-Type", v.contentType],
    ["Accept-Ranges", "bytes"],
    ["X-Content-Type-Options", "nosniff"],
    ...(ACTIVE_TYPES.test(v.contentType)
      ? [["Content-Security-Policy", "sandbox"] as Pairs[0]]
      : []),
    ["Content-Length", String(v.size)],
  ]);
  if (!range) return entry.full;
  const headers = new Headers(entry.full);
  headers.set("Content-Range", contentRange(range, v.size));
  headers.set("Content-Length", String(range.end - range.start + 1));
  return headers;
}

/**
 * Headers of an image variant (src/delivery/serve-image.ts): its own type and strong ETag, the
 * source's Last-Modified, the URL kind's caching. No Content-Length (the engine streams it) and
 * no ranges: a Range is answered with the whole variant. Shared, as a version's 200 headers are
 * (the edge cache's memo hands out the same VariantMeta for an unchanged entry): hand them to a
 * Response, or copy them before any change.
 */
export function variantHeaders(
  v: VariantMeta,
  cacheControl: string,
  extra: HeaderPairs | null,
): Headers {
  const entry = builtFor(v, cacheControl, extra);
  entry.full ??= new Headers([
    ...entry.notModified,
    ["Content-Type", v.contentType],
    ["Accept-Ranges", "none"],
    ["X-Content-Type-Options", "nosniff"],
  ]);
  return entry.full;
}
