// Public delivery of both URL kinds (no authentication), the delivery Worker's whole job. It
// reads the edge cache, KV and R2 only, and asks the Images binding for image variants
// (DeliveryEnv has nothing else):
//   versioned  /v3/assets/{api_key}/{uid}/{file_uid}/{filename}  -> the edge cache, else one R2
//                                                                    read (key = path)
//   permanent  /v3/assets/{api_key}/{uid}/{slug}                  -> one KV read (memoised), then
//                                                                    the edge cache or one R2 read
// What to answer (200, 206, 304, 412, 416) is decided by delivery/plan.ts from metadata alone
// (answer.ts); this file only finds the version and its bytes. Image parameters hand the
// selected version to serve-image.ts.
// KV is eventually consistent: after a replace, a permanent URL can serve the previous version
// until the new read model reaches this location (docs/HTTP.md gives the bound).

import { config, publicBase } from "../config";
import { isApiKey, isAssetUid, isFileUid } from "../domain/ids";
import { type ReadModel, readModelKey, readModelObjectKey } from "../domain/read-model";
import { type PublicPath, parsePublicPath, versionedPath, versionObjectKey } from "../domain/urls";
import {
  ApiError,
  invalidImageParameter,
  methodNotAllowed,
  notFound,
  storageUnavailable,
} from "../http/errors";
import { type ImageParams, parseImageParams } from "../images/params";
import { answer, type Ctx, type Method, withDownload } from "./answer";
import { PUBLIC_METHODS } from "./cors";
import { assetCacheTag, cachedVersion, storeMetadata, storeWhileStreaming } from "./edge-cache";
import type { DeliveryEnv } from "./env";
import {
  contentHeaders,
  IMMUTABLE_CACHE_CONTROL,
  permanentCacheControl,
  type ServedVersion,
} from "./headers";
import { isPlainRequest } from "./plan";
import { readR2, versionOfObject, withRetry } from "./r2-reads";
import { memoized } from "./read-model-memo";
import { serveImage } from "./serve-image";

const MAX_R2_KEY_BYTES = 1024;

/** The answer to a GET or HEAD of a public URL; any other method is a 405. */
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
  const method = c.request.method;
  if (method !== "GET" && method !== "HEAD") throw methodNotAllowed(PUBLIC_METHODS.join(", "));
  const url = c.url;
  const path = parsePublicPath(url.pathname);
  if (!path || !isApiKey(path.apiKey) || !isAssetUid(path.assetUid)) throw notFound();
  const image = url.search === "" ? null : imageParams(c, url.searchParams);
  return path.kind === "versioned"
    ? serveVersioned(c, path, method, image)
    : servePermanent(c, path, method, image);
}

/** The query's image parameters (null: none); a bad value of one is a 400 naming it. */
function imageParams(c: Ctx, query: URLSearchParams): ImageParams | null {
  const parsed = parseImageParams(query, config(c.env).imageWidths);
  if (!parsed.ok) throw invalidImageParameter(parsed.param, parsed.reason);
  return parsed.params;
}

async function serveVersioned(
  c: Ctx,
  path: Extract<PublicPath, { kind: "versioned" }>,
  method: Method,
  image: ImageParams | null,
): Promise<Response> {
  if (!isFileUid(path.fileUid)) throw notFound();
  const key = versionObjectKey(path.apiKey, path.assetUid, path.fileUid, path.filename);
  // R2 keys are at most 1,024 bytes: a longer one names nothing (and R2 would refuse it).
  if (new TextEncoder().encode(key).byteLength > MAX_R2_KEY_BYTES) throw notFound();
  const bucket = c.env.FILES;
  const maxCached = config(c.env).edgeCacheMaxBytes;
  const cacheKey = `${publicBase(c.env, c.request.url)}${versionedPath(path.apiKey, path.assetUid, path.fileUid, path.filename)}`;
  const tag = assetCacheTag(path.apiKey, path.assetUid);
  const readRange = (range: Parameters<typeof readR2>[2]) => readR2(bucket, key, range);
  const exists = () => objectExists(bucket, key);
  const keepsBytes = (v: ServedVersion) => maxCached > 0 && v.size <= maxCached;
  /** The whole object from R2, kept in the edge cache on the way when it is small enough. */
  const readAll = async (version: ServedVersion) => {
    const body = await readR2(bucket, key, null);
    return body && keepsBytes(version)
      ? storeWhileStreaming(c.ctx, cacheKey, tag, body, version, exists)
      : body;
  };
  const hit = maxCached > 0 ? await cachedVersion(cacheKey) : null;

  if (!hit && !image && method === "GET" && isPlainRequest(c.request.headers)) {
    // A miss costs exactly one R2 read: metadata and bytes together.
    const object = await withRetry(() => bucket.get(key));
    if (!object) throw notFound();
    const version = versionOfObject(object);
    let body: ReadableStream = object.body;
    if (keepsBytes(version)) {
      body = storeWhileStreaming(c.ctx, cacheKey, tag, body, version, exists);
    } else if (maxCached > 0) storeMetadata(c.ctx, cacheKey, tag, version, exists);
    return withDownload(
      c,
      version.filename,
      contentHeaders(version, IMMUTABLE_CACHE_CONTROL, null),
      body,
      200,
    );
  }

  // The version's metadata: the edge cache's, else R2's (then cached, so the next HEAD, 304, or
  // variant of a large file needs no R2 read either). A variant is only served for a version
  // that exists: a delete evicts the version's own entry here, not its variants'.
  let held = hit?.body ?? null;
  let version: ServedVersion;
  if (hit) version = hit.version;
  else {
    version = await headVersion(bucket, key);
    if (maxCached > 0) storeMetadata(c.ctx, cacheKey, tag, version, exists);
  }
  const open = async () => {
    const body = held;
    held = null; // handed over: whoever opens it consumes or releases it
    return body ?? readAll(version);
  };
  try {
    if (image) {
      const request = {
        params: image,
        versionedUrl: cacheKey,
        apiKey: path.apiKey,
        cacheTag: tag,
        cacheControl: IMMUTABLE_CACHE_CONTROL,
        immutable: true,
        extra: new Headers(),
      };
      return await serveImage(c, method, request, { version, open, readRange });
    }
    return await answer(
      c,
      method,
      version,
      IMMUTABLE_CACHE_CONTROL,
      true,
      new Headers(),
      (range) => (range ? readRange(range) : open()),
    );
  } finally {
    await held?.cancel().catch(() => undefined);
  }
}

async function servePermanent(
  c: Ctx,
  path: Extract<PublicPath, { kind: "permanent" }>,
  method: Method,
  image: ImageParams | null,
): Promise<Response> {
  const settings = config(c.env);
  const key = readModelKey(path.apiKey, path.assetUid);
  const model = await memoized(c.env.ASSET_INDEX, key, settings.readModelMemoMs, () =>
    readRecord(c.env.ASSET_INDEX, key),
  );
  if (!model || model.slug === null || model.slug !== path.slug) throw notFound();
  const cacheControl = permanentCacheControl(settings.permanentMaxAge);
  const versioned = `${publicBase(c.env, c.request.url)}${versionedPath(path.apiKey, path.assetUid, model.fileUid, model.safeFilename)}`;

  if (settings.permanentUrlMode === "redirect") {
    // The versioned URL takes the same query (?dl, image parameters), so it answers the same.
    const query = c.url.search;
    return new Response(null, {
      status: 302,
      headers: { Location: `${versioned}${query}`, "Cache-Control": cacheControl },
    });
  }

  const objectKey = readModelObjectKey(path.apiKey, path.assetUid, model);
  const version = versionOfModel(model);
  const extra = new Headers({ Link: `<${versioned}>; rel="canonical"` });
  const tag = assetCacheTag(path.apiKey, path.assetUid);
  const readRange = (range: Parameters<typeof readR2>[2]) => readR2(c.env.FILES, objectKey, range);
  // The version comes from KV; the cache only saves reading its bytes.
  const cacheable = settings.edgeCacheMaxBytes > 0 && version.size <= settings.edgeCacheMaxBytes;
  const readAll = async () => {
    if (!cacheable) return readR2(c.env.FILES, objectKey, null);
    const hit = await cachedVersion(versioned);
    if (hit?.body) return hit.body;
    const body = await readR2(c.env.FILES, objectKey, null);
    const exists = () => objectExists(c.env.FILES, objectKey);
    return body && storeWhileStreaming(c.ctx, versioned, tag, body, version, exists);
  };

  if (image) {
    return serveImage(
      c,
      method,
      {
        params: image,
        versionedUrl: versioned,
        apiKey: path.apiKey,
        cacheTag: tag,
        cacheControl,
        immutable: false,
        extra,
      },
      { version, open: readAll, readRange },
    );
  }
  return answer(c, method, version, cacheControl, false, extra, (range) =>
    range ? readRange(range) : readAll(),
  );
}

/** Whether the object is still there (asked after a cache fill, in the background). */
const objectExists = async (bucket: DeliveryEnv["FILES"], key: string) =>
  (await withRetry(() => bucket.head(key))) !== null;

async function headVersion(bucket: DeliveryEnv["FILES"], key: string): Promise<ServedVersion> {
  const meta = await withRetry(() => bucket.head(key));
  if (!meta) throw notFound();
  return versionOfObject(meta);
}

async function readRecord(kv: DeliveryEnv["ASSET_INDEX"], key: string): Promise<ReadModel | null> {
  try {
    return await kv.get<ReadModel>(key, { type: "json" });
  } catch (err) {
    console.error("KV read failed", key, err);
    throw storageUnavailable();
  }
}

function versionOfModel(m: ReadModel): ServedVersion {
  return {
    contentType: m.contentType,
    size: m.size,
    etag: m.etag,
    uploaded: new Date(m.uploaded),
    filename: m.filename,
  };
}
