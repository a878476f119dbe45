// Public delivery of both URL kinds (no authentication). The hot path reads KV and R2 only,
// never a Durable Object:
//   versioned  /v3/assets/{api_key}/{uid}/{file_uid}/{filename}  -> one R2 read (key = path)
//   permanent  /v3/assets/{api_key}/{uid}/{slug}                  -> one KV read, then the edge
//                                                                    cache or one R2 read
// What to answer (200, 206, 304, 412, 416) is decided by delivery/plan.ts from metadata alone;
// this file only fetches that metadata and the bytes.
// KV is eventually consistent: after a replace, a permanent URL can serve the previous version
// until the new read model reaches this location (docs/HTTP.md gives the bound).

import type { Context } from "hono";
import { config, publicBase } from "../config";
import { attachmentDisposition, downloadName } from "../delivery/content-disposition";
import { PUBLIC_METHODS } from "../delivery/cors";
import { cachedBody, storeWhileStreaming } from "../delivery/edge-cache";
import { parseEntityTag } from "../delivery/entity-tags";
import {
  contentHeaders,
  IMMUTABLE_CACHE_CONTROL,
  notModifiedHeaders,
  permanentCacheControl,
  type ServedVersion,
} from "../delivery/headers";
import { isPlainRequest, planDelivery } from "../delivery/plan";
import { isRangeNotSatisfiable, withRetry } from "../delivery/r2-reads";
import { type ByteRange, unsatisfiedRange } from "../delivery/range";
import { memoized } from "../delivery/read-model-memo";
import { isApiKey, isAssetUid, isFileUid } from "../domain/ids";
import { type PublicPath, parsePublicPath, versionedPath, versionObjectKey } from "../domain/urls";
import {
  ApiError,
  methodNotAllowed,
  notFound,
  preconditionFailed,
  rangeNotSatisfiable,
  storageUnavailable,
} from "../http/errors";
import { type ReadModel, readModelKey, readModelObjectKey } from "../objects/read-model";

type Ctx = Context<{ Bindings: Env }>;

const MAX_R2_KEY_BYTES = 1024;
type Method = "GET" | "HEAD";

/** Fetches the bytes of the selected version (a range of them, or all); null when missing. */
type ReadBytes = (range: ByteRange | null) => Promise<ReadableStream | null>;

export async function deliver(c: Ctx): Promise<Response> {
  try {
    return await route(c);
  } catch (err) {
    // An error must not be kept by a cache: a 404 can turn into a 200 once KV catches up.
    if (err instanceof ApiError) throw err.withHeaders({ "Cache-Control": "no-store" });
    throw err;
  }
}

async function route(c: Ctx): Promise<Response> {
  const method = c.req.method;
  if (method !== "GET" && method !== "HEAD") throw methodNotAllowed(PUBLIC_METHODS.join(", "));
  const path = parsePublicPath(new URL(c.req.url).pathname);
  if (!path || !isApiKey(path.apiKey) || !isAssetUid(path.assetUid)) throw notFound();
  return path.kind === "versioned"
    ? serveVersioned(c, path, method)
    : servePermanent(c, path, method);
}

async function serveVersioned(
  c: Ctx,
  path: Extract<PublicPath, { kind: "versioned" }>,
  method: Method,
): Promise<Response> {
  if (!isFileUid(path.fileUid)) throw notFound();
  const key = versionObjectKey(path.apiKey, path.assetUid, path.fileUid, path.filename);
  // R2 keys are at most 1,024 bytes: a longer one names nothing (and R2 would refuse it).
  if (new TextEncoder().encode(key).byteLength > MAX_R2_KEY_BYTES) throw notFound();
  const bucket = c.env.FILES;
  if (method === "GET" && isPlainRequest(c.req.raw.headers)) {
    // The common case costs exactly one R2 read: metadata and bytes together.
    const object = await withRetry(() => bucket.get(key));
    if (!object) throw notFound();
    const version = fromR2(object);
    return withDownload(
      c,
      version,
      contentHeaders(version, IMMUTABLE_CACHE_CONTROL, null),
      object.body,
      200,
    );
  }
  const meta = await withRetry(() => bucket.head(key));
  if (!meta) throw notFound();
  return answer(c, method, fromR2(meta), IMMUTABLE_CACHE_CONTROL, true, new Headers(), (range) =>
    readR2(bucket, key, range),
  );
}

async function servePermanent(
  c: Ctx,
  path: Extract<PublicPath, { kind: "permanent" }>,
  method: Method,
): Promise<Response> {
  const settings = config(c.env);
  const key = readModelKey(path.apiKey, path.assetUid);
  const model = await memoized(c.env.ASSET_INDEX, key, settings.readModelMemoMs, () =>
    readRecord(c.env.ASSET_INDEX, key),
  );
  if (!model || model.slug === null || model.slug !== path.slug) throw notFound();
  const cacheControl = permanentCacheControl(settings.permanentMaxAge);
  const versioned = `${publicBase(c.env, c.req.url)}${versionedPath(path.apiKey, path.assetUid, model.fileUid, model.safeFilename)}`;

  if (settings.permanentUrlMode === "redirect") {
    const dl = c.req.query("dl");
    const location = dl === undefined ? versioned : `${versioned}?dl=${encodeURIComponent(dl)}`;
    return new Response(null, {
      status: 302,
      headers: { Location: location, "Cache-Control": cacheControl },
    });
  }

  const objectKey = readModelObjectKey(path.apiKey, path.assetUid, model);
  const version = fromReadModel(model);
  const extra = new Headers({ Link: `<${versioned}>; rel="canonical"` });
  const cacheable = version.size <= settings.edgeCacheMaxBytes;
  return answer(c, method, version, cacheControl, false, extra, async (range) => {
    if (range || !cacheable) return readR2(c.env.FILES, objectKey, range);
    const hit = await cachedBody(versioned);
    if (hit) return hit;
    const body = await readR2(c.env.FILES, objectKey, null);
    return body && storeWhileStreaming(c.executionCtx, versioned, body, version);
  });
}

/** Carries out the plan for one version: 304, 412, 416, or its bytes (all or one range). */
async function answer(
  c: Ctx,
  method: Method,
  version: ServedVersion,
  cacheControl: string,
  immutable: boolean,
  extra: Headers,
  read: ReadBytes,
): Promise<Response> {
  const etag = parseEntityTag(version.etag) ?? { weak: false, opaque: version.etag };
  const plan = planDelivery(method, c.req.raw.headers, {
    etag,
    lastModified: version.uploaded.getTime(),
    size: version.size,
    immutable,
  });
  if (plan.status === 304) {
    return new Response(null, {
      status: 304,
      headers: merge(notModifiedHeaders(version, cacheControl), extra),
    });
  }
  if (plan.status === 412) throw preconditionFailed();
  if (plan.status === 416) throw rangeNotSatisfiable(unsatisfiedRange(version.size));
  const range = plan.status === 206 ? plan.range : null;
  const headers = merge(contentHeaders(version, cacheControl, range), extra);
  let body: ReadableStream | null = null;
  if (method === "GET") {
    try {
      body = await read(range);
    } catch (err) {
      if (isRangeNotSatisfiable(err)) throw rangeNotSatisfiable(unsatisfiedRange(version.size));
      throw err;
    }
    if (!body) {
      // The metadata names bytes that are gone (e.g. the asset was just deleted): a 404.
      console.warn("public URL names a missing R2 object", new URL(c.req.url).pathname);
      throw notFound();
    }
  }
  return withDownload(c, version, headers, body, plan.status);
}

function withDownload(
  c: Ctx,
  version: ServedVersion,
  headers: Headers,
  body: ReadableStream | null,
  status: 200 | 206,
): Response {
  const name = downloadName(c.req.query("dl") ?? null, version.filename);
  if (name !== null) headers.set("Content-Disposition", attachmentDisposition(name));
  return new Response(body, { status, headers });
}

async function readRecord(kv: KVNamespace, key: string): Promise<ReadModel | null> {
  try {
    return await kv.get<ReadModel>(key, { type: "json" });
  } catch (err) {
    console.error("KV read failed", key, err);
    throw storageUnavailable();
  }
}

async function readR2(
  bucket: R2Bucket,
  key: string,
  range: ByteRange | null,
): Promise<ReadableStream | null> {
  const options = range
    ? { range: { offset: range.start, length: range.end - range.start + 1 } }
    : {};
  const object = await withRetry(() => bucket.get(key, options));
  return object?.body ?? null;
}

function merge(headers: Headers, extra: Headers): Headers {
  for (const [name, value] of extra) headers.set(name, value);
  return headers;
}

function fromR2(object: R2Object): ServedVersion {
  return {
    contentType: object.httpMetadata?.contentType ?? "application/octet-stream",
    size: object.size,
    etag: object.httpEtag,
    uploaded: object.uploaded,
    filename: object.customMetadata?.filename ?? object.key.slice(object.key.lastIndexOf("/") + 1),
  };
}

function fromReadModel(m: ReadModel): ServedVersion {
  return {
    contentType: m.contentType,
    size: m.size,
    etag: m.etag,
    uploaded: new Date(m.uploaded),
    filename: m.filename,
  };
}
