// CORS for the public URLs (docs/CONTRACT.md, docs/HTTP.md): any origin by default, or a configured allow-list; the
// headers a player or download tool needs are exposed; OPTIONS preflights are answered 204.
// Pure: headers from the request's Origin and the allowed origins (the Fetch standard's CORS
// protocol; no credentials, so `*` is a valid answer).

export const PUBLIC_METHODS = ["GET", "HEAD", "OPTIONS"];

const EXPOSED = [
  "ETag",
  "Last-Modified",
  "Content-Length",
  "Content-Range",
  "Accept-Ranges",
  "Content-Disposition",
  "Link",
  "Vary",
  "X-Image-Transform",
].join(",");
const FILE_REQUEST_HEADERS = [
  "Range",
  "If-Match",
  "If-None-Match",
  "If-Modified-Since",
  "If-Unmodified-Since",
  "If-Range",
].join(",");
/** What the delivery SDK sends the Content Delivery API from a page (X-User-Agent included). */
export const CDA_REQUEST_HEADERS = ["api_key", "access_token", "branch", "X-User-Agent"].join(",");
const PREFLIGHT_MAX_AGE = "86400";

const anyOrigin = (origins: readonly string[]) => origins.length === 1 && origins[0] === "*";

/** Adds the CORS headers to an answer (errors included) for a request from `origin`. */
export function withCors(response: Response, origin: string | null, origins: readonly string[]) {
  setCors(response.headers, origin, origins);
  return response;
}

/** The answer to an OPTIONS preflight: 204, what may be asked, for how long. */
export function preflight(
  origin: string | null,
  origins: readonly string[],
  requestHeaders: string = FILE_REQUEST_HEADERS,
): Response {
  const headers = new Headers();
  setCors(headers, origin, origins);
  headers.set("Access-Control-Max-Age", PREFLIGHT_MAX_AGE);
  headers.set("Access-Control-Allow-Methods", PUBLIC_METHODS.join(","));
  headers.set("Access-Control-Allow-Headers", requestHeaders);
  return new Response(null, { status: 204, headers });
}

function setCors(headers: Headers, origin: string | null, origins: readonly string[]) {
  headers.set("Access-Control-Expose-Headers", EXPOSED);
  if (anyOrigin(origins)) headers.set("Access-Control-Allow-Origin", "*");
  else {
    // With an allow-list the answer depends on Origin, so caches must key on it.
    headers.append("Vary", "Origin");
    if (origin !== null && origins.includes(origin)) {
      headers.set("Access-Control-Allow-Origin", origin);
    }
  }
}
