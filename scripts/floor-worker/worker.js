// The benchmarks' floor: a bare Worker that only reads or writes the R2 object its path names,
// as the platform does it with nothing else around. `npm run bench` and `npm run bench:memory`
// start it next to the service (the same workerd and bucket) and report the service against it.
export default {
  async fetch(request, env) {
    const key = decodeURIComponent(new URL(request.url).pathname.slice(1));
    if (request.method === "PUT") {
      await env.FILES.put(key, request.body);
      return new Response(null, { status: 201 });
    }
    const object = await env.FILES.get(key, { onlyIf: request.headers });
    if (!object) return new Response(null, { status: 404 });
    if (!("body" in object)) return new Response(null, { status: 304 });
    return new Response(object.body, { headers: { etag: object.httpEtag } });
  },
};
