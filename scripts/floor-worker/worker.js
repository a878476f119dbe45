// The benchmarks' floor: a bare Worker that only reads or writes the R2 object its path names,
// as the platform does it with nothing else around. `npm run bench` and `npm run bench:memory`
// start it next to the service (the same workerd and bucket) and report the service against it.
// `?uploads` / `?uploadId=&partNumber=` / `?uploadId=` are an R2 multipart upload (create, part,
// complete with the parts as JSON), the floor of the service's upload sessions.
// `/__d1/asset?api_key=&environment_uid=&uid=` and `/__d1/page?api_key=&environment_uid=&limit=`
// are one D1 query of the published catalogue answered as its JSON bodies, the floor of the
// Content Delivery API's reads (scripts/bench-publishing.mjs).
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/__d1/")) return d1Floor(url, env.PUBLISHED);
    const key = decodeURIComponent(url.pathname.slice(1));
    const uploadId = url.searchParams.get("uploadId");
    if (request.method === "POST" && url.searchParams.has("uploads")) {
      return Response.json({ uploadId: (await env.FILES.createMultipartUpload(key)).uploadId });
    }
    if (uploadId !== null) {
      const upload = env.FILES.resumeMultipartUpload(key, uploadId);
      if (request.method === "PUT") {
        const partNumber = Number(url.searchParams.get("partNumber"));
        return Response.json(await upload.uploadPart(partNumber, request.body));
      }
      const object = await upload.complete(await request.json());
      return Response.json({ size: object.size }, { status: 201 });
    }
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

async function d1Floor(url, db) {
  const q = (name) => url.searchParams.get(name);
  if (url.pathname === "/__d1/asset") {
    const row = await db
      .prepare(
        "SELECT body FROM published_assets WHERE api_key = ? AND environment_uid = ? AND uid = ?",
      )
      .bind(q("api_key"), q("environment_uid"), q("uid"))
      .first();
    if (!row) return new Response(null, { status: 404 });
    return new Response(`{"asset":${row.body}}`, {
      headers: { "content-type": "application/json" },
    });
  }
  const { results } = await db
    .prepare(
      `SELECT body FROM published_assets WHERE api_key = ? AND environment_uid = ?
       ORDER BY created_at DESC, uid DESC LIMIT ?`,
    )
    .bind(q("api_key"), q("environment_uid"), Number(q("limit") ?? 100))
    .all();
  return new Response(`{"assets":[${results.map((r) => r.body).join(",")}]}`, {
    headers: { "content-type": "application/json" },
  });
}
