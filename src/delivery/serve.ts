// Public delivery of both URL kinds (no authentication), the delivery Worker's whole job. It
// reads the edge cache, KV and R2 only (DeliveryEnv has nothing else):
//   versioned  /v3/assets/{api_key}/{uid}/{file_uid}/{filename}  -> the edge cache, else one R2
//                                                                    read (key = path)
//   permanent  /v3/assets/{api_key}/{uid}/{slug}                  -> one KV read (memoised), then
//                                                                    the edge cache or one R2 read
// What to answer (200, 206, 304, 412, 416) is decided by delivery/plan.ts from metadata alone;
// this file only fetches that metadata and the bytes.
// KV is eventually consistent: after a replace, a permanent URL can serve the previous version
// until the new read model reaches this location (docs/HTTP.md gives the bound).

import type { Context } from "hono";
import { config, publicBase } from "../config";
import { isApiKey, isAssetUid, isFileUid } from "../domain/ids";
import { type ReadModel, readModelKey, readModelObjectKey } from "../domain/read-model";
import { type PublicPath, parsePublicPath, versionedPath, versionObjectKey } from "../domain/urls";
import {
  ApiError,
  methodNotAllowed,
  notFound,
  preconditionFailed,
  rangeNotSatisfiable,
  storageUnavailable,
} from "../http/errors";
import { attachmentDisposition, downloadName } from "./content-disposition";
import { PUBLIC_METHODS } from "./cors";
import {
  assetCacheTag,
  type CachedVersion,
  cachedVersion,
  storeWhileStreaming,
} from "./edge-cache";
import { parseEntityTag } from "./entity-tags";
import type { DeliveryEnv } from "./env";
import {
  contentHeaders,
  IMMUTABLE_CACHE_CONTROL,
  notModifiedHeaders,
  permanentCacheControl,
  type ServedVersion,
} from "./headers";
import { isPlainRequest, planDelivery } from "./plan";
import { isRangeNotSatisfiable, withRetry } from "./r2-reads";
import { type ByteRange, unsatisfiedRange } from "./range";
import { memoized } from "./read-model-memo";

type Ctx = Context<{ Bindings: DeliveryEnv }>;

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
  const maxCached = config(c.env).edgeCacheMaxBytes;
  const cacheKey = `${publicBase(c.env, c.req.url)}${versionedPath(path.apiKey, path.assetUid, path.fileUid, path.filename)}`;
  const hit = maxCached > 0 ? await cachedVersion(cacheKey) : null;
  if (hit) {
    return answerFromCache(c, method, hit, IMMUTABLE_CACHE_CONTROL, true, new Headers(), (range) =>
      readR2(bucket, key, range),
    );
  }
  if (method === "GET" && isPlainRequest(c.req.raw.headers)) {
    // A miss costs exactly one R2 read: metadata and bytes together.
    const object = await withRetry(() => bucket.get(key));
    if (!object) throw notFound();
    const version = fromR2(object);
    const body =
      version.size <= maxCached
        ? storeWhileStreaming(
            c.executionCtx,
            cacheKey,
            assetCacheTag(path.apiKey, path.assetUid),
            object.body,
            version,
          )
        : object.body;
    return withDownload(
      c,
      version,
      contentHeaders(version, IMMUTABLE_CACHE_CONTROL, null),
      body,
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
    // The version comes from KV; the cache only saves reading its bytes.
    const hit = await cachedVersion(versioned);
    if (hit) return hit.body;
    const body = await readR2(c.env.FILES, objectKey, null);
    const tag = assetCacheTag(path.apiKey, path.assetUid);
    return body && storeWhileStreaming(c.executionCtx, versioned, tag, body, version);
  });
}

/**
 * Answers from a cache hit's metadata; the cached bytes serve a full GET, and a range reads R2
 * (a 206 is never cut from the cached stream). Bytes not sent are released.
 */
async function answerFromCache(
  c: Ctx,
  method: Method,
  hit: CachedVersion,
  cacheControl: string,
  immutable: boolean,
  extra: Headers,
  readRange: ReadBytes,
): Promise<Response> {
  let sent = false;
  try {
    return await answer(c, method, hit.version, cacheControl, immutable, extra, async (range) => {
      if (range) return readRange(range);
      sent = true;
      return hit.body;
    });
  } finally {
    if (!sent) await hit.body.cancel().catch(() => undefined);
  }
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

async function readRecord(kv: DeliveryEnv["ASSET_INDEX"], key: string): Promise<ReadModel | null> {
  try {
    return await kv.get<ReadModel>(key, { type: "json" });
  } catch (err) {
    console.error("KV read failed", key, err);
    throw storageUnavailable();
  }
}

async function readR2(
  bucket: DeliveryEnv["FILES"],
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
