// The benchmarks' cache floor: the least a Worker answering from the edge cache can do. A hit is
// `caches.default.match(request)` returned as it is; a miss reads the R2 object its path names,
// answers it, and puts a copy in the cache (a day's TTL) in the background. `npm run bench`
// starts it next to the service (the same workerd, bucket and cache) and reports every route
// against it as well as against the bare R2 Worker (scripts/floor-worker/).
//
// With ANSWER_HEADERS set (wrangler.contract.toml) it is the same floor answering the headers a
// versioned URL answers (the object's Last-Modified, and the constant ones the variable gives,
// its Cache-Control included), stored in its entries and returned as they are: what the floor
// does, with the contract's headers instead of four. `npm run bench` checks they are the
// versioned URL's own before it measures.
export default {
  async fetch(request, env, ctx) {
    const cache = caches.default;
    const hit = await cache.match(request);
    if (hit) return hit;
    const key = decodeURIComponent(new URL(request.url).pathname.slice(1));
    const object = await env.FILES.get(key);
    if (!object) return new Response(null, { status: 404 });
    const headers = {
      "Content-Type": object.httpMetadata?.contentType ?? "application/octet-stream",
      "Content-Length": String(object.size),
      ETag: object.httpEtag,
      "Cache-Control": "public, max-age=86400",
    };
    if (env.ANSWER_HEADERS) {
      headers["Last-Modified"] = object.uploaded.toUTCString();
      Object.assign(headers, JSON.parse(env.ANSWER_HEADERS));
    }
    const response = new Response(object.body, { headers });
    ctx.waitUntil(cache.put(request, response.clone()));
    return response;
  },
};
