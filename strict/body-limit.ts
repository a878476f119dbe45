// The plan's request body limit, as Cloudflare's edge applies it before any Worker runs: a body
// declared larger gets its own HTML 413 (not the API's JSON), and a body without a declared
// length is cut off once it passes the limit.

const TOO_LARGE = `<html>
<head><title>413 Request Entity Too Large</title></head>
<body>
<center><h1>413 Request Entity Too Large</h1></center>
<hr><center>cloudflare</center>
</body>
</html>
`;

/** Cloudflare's answer when the request declares a body over `limit` bytes; null otherwise. */
export function refuseOversized(request: Request, limit: number): Response | null {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (!(declared > limit)) return null;
  return new Response(TOO_LARGE, {
    status: 413,
    headers: { "content-type": "text/html", connection: "close" },
  });
}

/** The request, its body (when it declares no length) failing once it passes `limit` bytes. */
export function capBody<R extends Request>(request: R, limit: number): R {
  if (!request.body || request.headers.has("content-length")) return request;
  const reader = request.body.getReader();
  let seen = 0;
  // A byte stream, as the runtime's own bodies are, so the code can still read it with BYOB.
  const body = new ReadableStream({
    type: "bytes",
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      seen += value.byteLength;
      if (seen > limit) {
        await reader.cancel().catch(() => undefined);
        return controller.error(new Error(`request body over the plan's limit of ${limit} bytes`));
      }
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Request(request, { body, duplex: "half" } as RequestInit) as R;
}
