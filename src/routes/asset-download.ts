// The CMA's "download an asset with permanent URL" on the management host:
// GET/HEAD /v3/assets/{api_key}/{uid}/{slug} with a management token of the path's stack. Unlike
// the public permanent URL (the delivery Worker, reading KV), it reads the asset's Durable Object,
// so it answers what was just committed, with no propagation delay: the latest version, or with
// ?environment= the one published there. The bytes come from R2 and the HTTP semantics are the
// public URLs' (ranges, conditional requests, ?dl: delivery/answer.ts); image parameters are the
// public host's alone and are ignored here (docs/API-NOTES.md).

import { type Context, Hono } from "hono";
import { requireManagementToken, type StackVariables } from "../auth/management-auth";
import { answer } from "../delivery/answer";
import { servedVersion } from "../delivery/headers";
import { readR2 } from "../delivery/r2-reads";
import { isAssetUid } from "../domain/ids";
import type { AssetSnapshot } from "../domain/records";
import { versionObjectKey } from "../domain/urls";
import { assetNotFound, environmentNotFound } from "../http/errors";
import { assetStub, stackStub } from "../objects/stubs";

type Env_ = { Bindings: Env; Variables: StackVariables };

/**
 * The answer is the token holder's: no shared cache may keep it, and a browser revalidates it
 * every time (the asset can change at any moment), which costs a 304 when it has not.
 */
export const DOWNLOAD_CACHE_CONTROL = "private, no-cache";

export const assetDownloadRoutes = new Hono<Env_>();

assetDownloadRoutes.use("/:api_key/:uid/:slug", requireManagementToken("path"));
assetDownloadRoutes.get("/:api_key/:uid/:slug", downloadAsset);

async function downloadAsset(c: Context<Env_>): Promise<Response> {
  const apiKey = c.get("apiKey");
  const uid = c.req.param("uid") ?? "";
  if (!isAssetUid(uid)) throw assetNotFound();
  const snapshot = await selectedVersion(c.env, apiKey, uid, c.req.query("environment"));
  // The slug must be the asset's own, as on the public permanent URL.
  if (!snapshot || snapshot.asset.slug === null || snapshot.asset.slug !== c.req.param("slug")) {
    throw assetNotFound();
  }
  const { current } = snapshot;
  const key = versionObjectKey(apiKey, uid, current.fileUid, current.safeFilename);
  const method = c.req.method === "HEAD" ? "HEAD" : "GET";
  const url = new URL(c.req.url);
  const request = { request: c.req.raw, url, hasQuery: url.search !== "" };
  return answer(
    request,
    method,
    servedVersion(current),
    DOWNLOAD_CACHE_CONTROL,
    false,
    null,
    (range) => readR2(c.env.FILES, key, range),
  );
}

/**
 * The asset with the version to serve as its current one: the latest, or the one published to
 * the named environment (resolved by the stack's object, as a publish resolves it); null when
 * the asset is not there. An environment the stack does not have is a 404 of its own.
 */
async function selectedVersion(
  env: Env,
  apiKey: string,
  uid: string,
  environment: string | undefined,
): Promise<AssetSnapshot | null> {
  const asset = assetStub(env, apiKey, uid);
  if (environment === undefined) return asset.get();
  const resolved = await stackStub(env, apiKey).resolveEnvironments([environment]);
  if (!resolved.ok) throw environmentNotFound();
  const environmentUid = resolved.uids[environment] ?? "";
  return (await asset.getPublished(environmentUid))?.snapshot ?? null;
}
