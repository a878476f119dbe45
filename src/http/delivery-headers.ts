// Response headers of the public URLs (API.md, "URLs served to the public"). Pure: built from
// the version's metadata, so HEAD needs no byte read and every response kind shares them.

export interface ServedVersion {
  contentType: string;
  size: number;
  /** Quoted strong validator (R2's httpEtag). */
  etag: string;
  /** When the version was stored. */
  uploaded: Date;
}

export const IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable";
export const permanentCacheControl = (maxAge: number) => `public, max-age=${maxAge}`;

// Types a browser would run script from when opened on our origin: served in a CSP sandbox,
// so an uploaded page cannot act with this origin's cookies or storage.
const ACTIVE_TYPES =
  /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml|text\/javascript|application\/javascript)$/;

export function deliveryHeaders(v: ServedVersion, cacheControl: string): Headers {
  const headers = new Headers({
    "Content-Type": v.contentType,
    "Content-Length": String(v.size),
    ETag: v.etag,
    "Last-Modified": v.uploaded.toUTCString(),
    "Cache-Control": cacheControl,
    "X-Content-Type-Options": "nosniff",
  });
  if (ACTIVE_TYPES.test(v.contentType)) headers.set("Content-Security-Policy", "sandbox");
  return headers;
}
