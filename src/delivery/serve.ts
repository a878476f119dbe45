// Public delivery of both URL kinds (no authentication), the delivery Worker's whole job. It
// reads the edge cache, KV and R2 only, and asks the Images binding for image variants
// (DeliveryEnv has nothing else):
//   versioned  /v3/assets/{api_key}/{uid}/{file_uid}/{filename}  -> the edge cache, else one R2
//                                                                    read (key = path)
//   permanent  /v3/assets/{api_key}/{uid}/{slug}                  -> one KV read (memoised), then
//                                                                    the edge cache or one R2 read
// `?environment={name}` on either serves the version published to that environment
// (environment-version.ts: the asset's KV record and the stack's environment index, read in
// parallel and memoised); a versioned URL of another version is a 404 there, and its answer
// takes the permanent URL's short caching, since an unpublish ends it.
// What to answer (200, 206, 304, 412, 416) is decided by delivery/plan.ts from metadata alone
// (answer.ts); this file only finds the version and its bytes. Image parameters hand the
// selected version to serve-image.ts.
// KV is eventually consistent: after a replace, a permanent URL can serve the previous version
// until the new read model reaches this location (docs/HTTP.md gives the bound).

import { config, publicBase } from "../config";
import { isApiKey, isAssetUid, isFileUid } from "../domain/ids";
import { type EdgeVersion, type ReadModel, readModelKey } from "../domain/kv-records";
import { type PublicPath, versionedPath, versionObjectKey } from "../domain/urls";
import {
  ApiError,
  invalidImageParameter,
  methodNotAllowed,
  notFound,
  repeatedParameter,
} from "../http/errors";
import type { ImageParams } from "../images/params";
import { answer, type Ctx, type Method, withDownload } from "./answer";
import { PUBLIC_METHODS } from "./cors";
import {
  assetCacheTag,
  cachedBytes,
  cachedVersion,
  storeMetadata,
  storeWhileStreaming,
} from "./edge-cache";
import type { DeliveryEnv } from "./env";
import { environmentVersion } from "./environment-version";
import {
  contentHeaders,
  IMMUTABLE_CACHE_CONTROL,
  permanentCacheControl,
  type ServedVersion,
} from "./headers";
import { imageQuery } from "./image-query";
import { kvRecord } from "./kv-reads";
import { isPlainRequest } from "./plan";
import { preparedVersion } from "./prepared-version";
import { readR2, versionOfObject, withRetry } from "./r2-reads";
import { serveImage } from "./serve-image";

const MAX_R2_KEY_BYTES = 1024;

/** The answer to a GET or HEAD of a public URL; any other method is a 405. */
export async function deliver(c: Ctx, path: PublicPath): Promise<Response> {
  try {
    return await route(c, path);
  } catch (err) {
    // An error must not be kept by a cache: a 404 can turn into a 200 once KV catches up.
    if (err instanceof ApiError) throw err.withHeaders({ "Cache-Control": "no-store" });
    throw err;
  }
}

async function route(c: Ctx, path: PublicPath): Promise<Response> {
  const method = c.request.method;
  if (method !== "GET" && method !== "HEAD") throw methodNotAllowed(PUBLIC_METHODS.join(", "));
  if (!isApiKey(path.apiKey) || !isAssetUid(path.assetUid)) throw notFound();
  // Most requests have no query: then no URL is parsed for it.
  const plain = !c.hasQuery;
  // A repeated parameter is refused, never read as its first value (as image parameters are).
  if (!plain) {
    for (const name of ["dl", "environment"]) {
      if (c.url.searchParams.getAll(name).length > 1) throw repeatedParameter(name);
    }
  }
  const image = plain ? null : imageParams(c);
  // Never an image parameter, nor part of a variant's key: it only selects the version.
  const environment = plain ? null : c.url.searchParams.get("environment");
  return path.kind === "versioned"
    ? serveVersioned(c, path, method, image, environment)
    : servePermanent(c, path, method, image, environment);
}

/** The query's image parameters (null: none); a bad value of one is a 400 naming it. */
function imageParams(c: Ctx): ImageParams | null {
  const parsed = imageQuery(c.url, config(c.env).imageWidths);
  if (!parsed.ok) throw invalidImageParameter(parsed.param, parsed.reason);
  return parsed.params;
}

async function serveVersioned(
  c: Ctx,
  path: Extract<PublicPath, { kind: "versioned" }>,
  method: Method,
  image: ImageParams | null,
  environment: string | null,
): Promise<Response> {
  if (!isFileUid(path.fileUid)) throw notFound();
  let cacheControl = IMMUTABLE_CACHE_CONTROL;
  if (environment !== null) {
    const held = await environmentVersion(c.env, path.apiKey, path.assetUid, environment);
    const v = held?.version;
    if (!v || v.fileUid !== path.fileUid || v.safeFilename !== path.filename) throw notFound();
    cacheControl = permanentCacheControl(config(c.env).permanentMaxAge);
  }
  const key = versionObjectKey(path.apiKey, path.assetUid, path.fileUid, path.filename);
  // R2 keys are at most 1,024 bytes: a longer one names nothing (and R2 would refuse it).
  // (A UTF-16 code unit is at most 3 bytes of UTF-8: a short key needs no encoding to know.)
  if (
    key.length * 3 > MAX_R2_KEY_BYTES &&
    new TextEncoder().encode(key).byteLength > MAX_R2_KEY_BYTES
  ) {
    throw notFound();
  }
  const bucket = c.env.FILES;
  const caching = config(c.env).edgeCacheMaxBytes > 0;
  const cacheKey = `${publicBase(c.env, c.request.url)}${versionedPath(path.apiKey, path.assetUid, path.fileUid, path.filename)}`;
  const at: Stored = { objectKey: key, cacheKey, tag: assetCacheTag(path.apiKey, path.assetUid) };
  const readRange = (range: Parameters<typeof readR2>[2]) => readR2(bucket, key, range);
  const hit = caching ? await cachedVersion(cacheKey) : null;

  if (!hit && !image && method === "GET" && isPlainRequest(c.request.headers)) {
    // A miss costs exactly one R2 read: metadata and bytes together.
    const object = await withRetry(() => bucket.get(key));
    if (!object) throw notFound();
    const version = versionOfObject(object);
    let body: ReadableStream = object.body;
    if (keepsBytes(c, version)) body = keepWhileStreaming(c, at, version, body);
    else if (caching) keepMetadata(c, at, version);
    return withDownload(
      c,
      version.filename,
      contentHeaders(version, cacheControl, null),
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
    if (caching) keepMetadata(c, at, version);
  }
  const open = async () => {
    const body = held;
    held = null; // handed over: whoever opens it consumes or releases it
    return body ?? readAndKeep(c, at, version);
  };
  try {
    if (image) {
      const request = {
        params: image,
        versionedUrl: cacheKey,
        apiKey: path.apiKey,
        cacheTag: at.tag,
        cacheControl,
        immutable: true,
        extra: null,
      };
      return await serveImage(c, method, request, { version, open, readRange });
    }
    return await answer(c, method, version, cacheControl, true, null, (range) =>
      range ? readRange(range) : open(),
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
  environment: string | null,
): Promise<Response> {
  const settings = config(c.env);
  let model: ReadModel | null;
  let served: EdgeVersion | undefined;
  if (environment === null) {
    model = await kvRecord<ReadModel>(c.env, readModelKey(path.apiKey, path.assetUid));
    served = model ?? undefined;
  } else {
    const held = await environmentVersion(c.env, path.apiKey, path.assetUid, environment);
    model = held?.model ?? null;
    served = held?.version;
  }
  if (!model || !served || model.slug === null || model.slug !== path.slug) throw notFound();
  const cacheControl = permanentCacheControl(settings.permanentMaxAge);
  const base = publicBase(c.env, c.request.url);
  const {
    version,
    objectKey,
    versionedUrl: versioned,
    extra,
  } = preparedVersion(base, path.apiKey, path.assetUid, served);

  if (settings.permanentUrlMode === "redirect") {
    // The versioned URL takes the same query (?dl, image parameters), so it answers the same;
    // but not `environment`, which this answer has applied: the target's bytes never change.
    return new Response(null, {
      status: 302,
      headers: {
        Location: `${versioned}${withoutEnvironment(c.url)}`,
        "Cache-Control": cacheControl,
      },
    });
  }

  const at: Stored = {
    objectKey,
    cacheKey: versioned,
    tag: assetCacheTag(path.apiKey, path.assetUid),
  };
  const readRange = (range: Parameters<typeof readR2>[2]) => readR2(c.env.FILES, objectKey, range);
  // The version comes from KV; the cache only saves reading its bytes.
  const readAll = async () =>
    (keepsBytes(c, version) && (await cachedBytes(versioned))) || readAndKeep(c, at, version);

  if (image) {
    return serveImage(
      c,
      method,
      {
        params: image,
        versionedUrl: versioned,
        apiKey: path.apiKey,
        cacheTag: at.tag,
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

/** Where a version is kept: its R2 object, and its entry in the edge cache with that entry's tag. */
interface Stored {
  objectKey: string;
  cacheKey: string;
  tag: string;
}

/** Whether the edge cache keeps this version's bytes (else at most its metadata). */
const keepsBytes = (c: Ctx, v: ServedVersion) => {
  const max = config(c.env).edgeCacheMaxBytes;
  return max > 0 && v.size <= max;
};

/** The version's whole bytes from R2, kept in the edge cache on the way when they fit. */
async function readAndKeep(c: Ctx, at: Stored, version: ServedVersion) {
  const body = await readR2(c.env.FILES, at.objectKey, null);
  return body && keepsBytes(c, version) ? keepWhileStreaming(c, at, version, body) : body;
}

const keepWhileStreaming = (c: Ctx, at: Stored, v: ServedVersion, body: ReadableStream) =>
  storeWhileStreaming(c.ctx, at.cacheKey, at.tag, body, v, stillStored(c, at));

const keepMetadata = (c: Ctx, at: Stored, v: ServedVersion) =>
  storeMetadata(c.ctx, at.cacheKey, at.tag, v, stillStored(c, at));

/** Whether the object is still there (asked after a cache fill, in the background). */
const stillStored = (c: Ctx, at: Stored) => async () =>
  (await withRetry(() => c.env.FILES.head(at.objectKey))) !== null;

async function headVersion(bucket: DeliveryEnv["FILES"], key: string): Promise<ServedVersion> {
  const meta = await withRetry(() => bucket.head(key));
  if (!meta) throw notFound();
  return versionOfObject(meta);
}

/** The URL's query without `environment` (as it came when it has none). */
function withoutEnvironment(url: URL): string {
  if (!url.searchParams.has("environment")) return url.search;
  const query = new URLSearchParams(url.search);
  query.delete("environment");
  const rest = query.toString();
  return rest === "" ? "" : `?${rest}`;
}
