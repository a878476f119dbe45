// The benchmarks' floor: a bare Worker that only reads or writes the R2 object its path names,
// as the platform does it with nothing else around. `npm run bench` and `npm run bench:memory`
// start it next to the service (the same workerd and bucket) and report the service against it.
// `?uploads` / `?uploadId=&partNumber=` / `?uploadId=` are an R2 multipart upload (create, part,
// complete with the parts as JSON), the floor of the service's upload sessions.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
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
