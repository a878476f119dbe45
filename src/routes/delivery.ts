// Public delivery of both URL kinds (no authentication). The hot path reads KV and R2 only,
// never a Durable Object:
//   versioned  /v3/assets/{api_key}/{uid}/{file_uid}/{filename}  -> one R2 read (key = path)
//   permanent  /v3/assets/{api_key}/{uid}/{slug}                  -> one KV read + one R2 read
// KV is eventually consistent: after a replace, a permanent URL can serve the previous version
// until the new read model reaches this location (docs/STORAGE.md gives the bound).

import type { Context } from "hono";
import { config, publicBase } from "../config";
import { isApiKey, isAssetUid, isFileUid } from "../domain/ids";
import { type PublicPath, parsePublicPath, versionedPath, versionObjectKey } from "../domain/urls";
import {
  deliveryHeaders,
  IMMUTABLE_CACHE_CONTROL,
  permanentCacheControl,
  type ServedVersion,
} from "../http/delivery-headers";
import { methodNotAllowed, notFound } from "../http/errors";
import { type ReadModel, readModelKey, readModelObjectKey } from "../objects/read-model";

type Ctx = Context<{ Bindings: Env }>;

export const ALLOWED_METHODS = "GET, HEAD";

export async function deliver(c: Ctx): Promise<Response> {
  const method = c.req.method;
  if (method !== "GET" && method !== "HEAD") throw methodNotAllowed(ALLOWED_METHODS);
  const path = parsePublicPath(new URL(c.req.url).pathname);
  if (!path || !isApiKey(path.apiKey) || !isAssetUid(path.assetUid)) throw notFound();
  return path.kind === "versioned"
    ? serveVersioned(c, path, method === "HEAD")
    : servePermanent(c, path, method === "HEAD");
}

async function serveVersioned(
  c: Ctx,
  path: Extract<PublicPath, { kind: "versioned" }>,
  head: boolean,
): Promise<Response> {
  if (!isFileUid(path.fileUid)) throw notFound();
  const key = versionObjectKey(path.apiKey, path.assetUid, path.fileUid, path.filename);
  if (head) {
    const meta = await c.env.FILES.head(key);
    if (!meta) throw notFound();
    return new Response(null, { headers: deliveryHeaders(fromR2(meta), IMMUTABLE_CACHE_CONTROL) });
  }
  const object = await c.env.FILES.get(key);
  if (!object) throw notFound();
  return new Response(object.body, {
    headers: deliveryHeaders(fromR2(object), IMMUTABLE_CACHE_CONTROL),
  });
}

async function servePermanent(
  c: Ctx,
  path: Extract<PublicPath, { kind: "permanent" }>,
  head: boolean,
): Promise<Response> {
  const model = await c.env.ASSET_INDEX.get<ReadModel>(readModelKey(path.apiKey, path.assetUid), {
    type: "json",
  });
  if (!model || model.slug === null || model.slug !== path.slug) throw notFound();
  const headers = deliveryHeaders(
    fromReadModel(model),
    permanentCacheControl(config(c.env).permanentMaxAge),
  );
  headers.set(
    "Link",
    `<${publicBase(c.env, c.req.url)}${versionedPath(path.apiKey, path.assetUid, model.fileUid, model.safeFilename)}>; rel="canonical"`,
  );
  if (head) return new Response(null, { headers });
  const object = await c.env.FILES.get(readModelObjectKey(path.apiKey, path.assetUid, model));
  if (!object) {
    // The read model names bytes that are gone (e.g. the asset was just deleted): a 404.
    console.warn("read model points at a missing R2 object", path.apiKey, path.assetUid);
    throw notFound();
  }
  return new Response(object.body, { headers });
}

function fromR2(object: R2Object): ServedVersion {
  return {
    contentType: object.httpMetadata?.contentType ?? "application/octet-stream",
    size: object.size,
    etag: object.httpEtag,
    uploaded: object.uploaded,
  };
}

function fromReadModel(m: ReadModel): ServedVersion {
  return { contentType: m.contentType, size: m.size, etag: m.etag, uploaded: new Date(m.uploaded) };
}
