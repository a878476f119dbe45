// The benchmarks' Hono hit Worker: the least a Hono app can do to answer a versioned URL from the
// delivery Worker's own edge-cache entries with headers of its own. It routes the versioned URL's
// shape on hono/tiny (as src/delivery/app.ts does), matches the entry the delivery Worker stored
// under PUBLIC_BASE_URL + the path, and answers its body in a new Response with the contract's
// headers, built once (no validation, no conditionals, no ranges, no CORS logic). The cache floor
// (scripts/cache-floor-worker/) returns the cache's Response as it is, which a Worker with its own
// headers cannot; `npm run bench` reports this Worker against both floors, as the bound a Hono app
// answering hits with its own headers meets in this runtime.
import { Hono } from "hono/tiny";

const HEADERS = new Headers({
  "Content-Type": "application/octet-stream",
  ETag: '"bench"',
  "Last-Modified": "Thu, 01 Jan 2026 00:00:00 GMT",
  "Cache-Control": "public, max-age=31536000, immutable",
  "Accept-Ranges": "bytes",
  "X-Content-Type-Options": "nosniff",
  "Access-Control-Allow-Origin": "*",
});

const app = new Hono();
app.get("/v3/assets/:api_key/:asset_uid/:file_uid/:filename", async (c) => {
  const url = c.req.url;
  const hit = await caches.default.match(c.env.PUBLIC_BASE_URL + url.slice(url.indexOf("/", 8)));
  if (!hit) return new Response("not in the edge cache", { status: 404 });
  const headers = new Headers(HEADERS);
  headers.set("Content-Length", hit.headers.get("Content-Length") ?? "0");
  return new Response(hit.body, { headers });
});

export default app;
