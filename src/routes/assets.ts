// The asset management API (docs/CONTRACT.md, "The management API"): upload, replace, get, list, versions, delete,
// and generating the permanent URL. Authentication runs first (auth/management-auth.ts).

import { type Context, Hono } from "hono";
import { requireManagementToken, type StackVariables } from "../auth/management-auth";
import { config, publicBase } from "../config";
import { evictVersions } from "../delivery/edge-cache";
import { isAssetUid, newAssetUid } from "../domain/ids";
import { publishDetails } from "../domain/publications";
import { permanentPath, versionedPath } from "../domain/urls";
import { assetUpdateJsonSchema, getAssetQuerySchema } from "../http/asset-schemas";
import { assetView, versionView } from "../http/asset-view";
import {
  assetNotFound,
  permanentUrlTaken,
  unsupportedMediaType,
  validationFailed,
  versionNotFound,
} from "../http/errors";
import { readJson, validate } from "../http/schemas";
import { answerBase } from "../http/url-base";
import type { AssetChange, CreateResult, UpdateResult } from "../objects/asset-object";
import { assetStub } from "../objects/stubs";
import { tellDeliveryAssetChanged } from "../objects/tell-delivery";
import { clearPending } from "../upload/pending-record";
import { discardObject, isMultipart, receiveUpload } from "../upload/receive-upload";
import { formChange, jsonChange } from "./asset-input";
import { listAssets } from "./asset-listing";
import { getReferences } from "./asset-references";
import { withFolderHeld } from "./folder-moves";
import { folderRoutes } from "./folders";
import { assetPublishRoutes } from "./publishing";

type Env_ = { Bindings: Env; Variables: StackVariables };
type Ctx = Context<Env_>;

export const assetRoutes = new Hono<Env_>();

// Every management path under /v3/assets, folders included (`/folders` matches `/:uid`), and
// only those: the public URLs have 3 or 4 segments.
assetRoutes.use("/", requireManagementToken());
assetRoutes.use("/:uid", requireManagementToken());
assetRoutes.use("/:uid/versions", requireManagementToken());
assetRoutes.use("/:uid/references", requireManagementToken());
assetRoutes.use("/folders/:uid", requireManagementToken());

// Before /:uid, which "folders" would otherwise match.
assetRoutes.route("/folders", folderRoutes);
assetRoutes.post("/", createAsset);
assetRoutes.get("/", listAssets);
assetRoutes.get("/:uid", getAsset);
assetRoutes.put("/:uid", updateAsset);
assetRoutes.delete("/:uid", deleteAsset);
assetRoutes.get("/:uid/versions", listVersions);
assetRoutes.get("/:uid/references", getReferences);
assetRoutes.route("/", assetPublishRoutes);

function assetUidParam(c: Ctx): string {
  const uid = c.req.param("uid") ?? "";
  if (!isAssetUid(uid)) throw assetNotFound();
  return uid;
}

async function createAsset(c: Ctx) {
  const apiKey = c.get("apiKey");
  const uid = newAssetUid();
  const received = await receiveUpload(c.req.raw, {
    bucket: c.env.FILES,
    apiKey,
    assetUid: uid,
    maxBytes: config(c.env).maxUploadBytes,
  });
  try {
    const { version } = received;
    if (!version) throw validationFailed({ "asset[upload]": ["is required"] });
    const fields = formChange(received.fields, apiKey, uid);
    const parentUid = fields.parentUid ?? null;
    const result = await withFolderHeld<CreateResult>(
      c.env,
      apiKey,
      uid,
      parentUid,
      () =>
        assetStub(c.env, apiKey, uid).create({
          apiKey,
          uid,
          title: fields.title ?? version.filename,
          description: fields.description ?? "",
          tags: fields.tags ?? [],
          parentUid,
          slug: fields.slug ?? null,
          version,
          by: c.get("tokenUid"),
        }),
      (created) => created.ok && !created.synced,
    );
    if (!result.ok) throw new Error(`fresh asset uid ${uid} already exists`);
    c.executionCtx.waitUntil(clearPending(c.env.FILES, received.objectKey as string));
    // Nothing to tell the delivery Worker: no one has seen this fresh uid.
    return c.json(
      { notice: "Asset created successfully.", asset: assetView(result.snapshot, answerBase(c)) },
      201,
    );
  } catch (err) {
    await discardObject(c.env.FILES, received.objectKey);
    throw err;
  }
}

async function updateAsset(c: Ctx) {
  const apiKey = c.get("apiKey");
  const uid = assetUidParam(c);
  const stub = assetStub(c.env, apiKey, uid);
  const contentType = c.req.header("content-type") ?? "";
  // `?filename=` makes the body the file's raw bytes, whatever their type (a .json file is
  // uploaded with its own application/json), exactly as POST /v3/assets reads it.
  const isRaw = !isMultipart(contentType) && c.req.query("filename") !== undefined;
  const isJson = !isRaw && /^application\/json\b/i.test(contentType);
  if (!isJson && !isMultipart(contentType) && !isRaw) throw unsupportedMediaType();

  // Refuse before receiving any bytes when there is nothing to update.
  if (!(await stub.get())) throw assetNotFound();

  let change: AssetChange;
  let objectKey: string | null = null;
  if (isJson) {
    const body = validate(assetUpdateJsonSchema, await readJson(c.req.raw));
    change = jsonChange(body.asset, apiKey, uid);
  } else {
    const received = await receiveUpload(c.req.raw, {
      bucket: c.env.FILES,
      apiKey,
      assetUid: uid,
      maxBytes: config(c.env).maxUploadBytes,
    });
    objectKey = received.objectKey;
    try {
      change = formChange(received.fields, apiKey, uid);
    } catch (err) {
      await discardObject(c.env.FILES, objectKey);
      throw err;
    }
    if (received.version) change.version = received.version;
  }
  if (Object.keys(change).length === 0) {
    throw validationFailed({
      asset: [
        "nothing to update: send a file, title, description, tags, parent_uid or permanent_url",
      ],
    });
  }

  let result: UpdateResult;
  try {
    result = await withFolderHeld<UpdateResult>(
      c.env,
      apiKey,
      uid,
      change.parentUid,
      () => stub.update({ ...change, by: c.get("tokenUid") }),
      (updated) =>
        updated.ok && updated.snapshot.asset.parentUid === change.parentUid && !updated.synced,
    );
  } catch (err) {
    await discardObject(c.env.FILES, objectKey);
    throw err;
  }
  if (!result.ok) {
    await discardObject(c.env.FILES, objectKey);
    if (result.reason === "not_found") throw assetNotFound();
    throw permanentUrlTaken(
      publicBase(c.env, c.req.url) + permanentPath(apiKey, uid, result.existing),
    );
  }
  if (objectKey) c.executionCtx.waitUntil(clearPending(c.env.FILES, objectKey));
  // The delivery Worker reads only the slug and the current version (domain/kv-records.ts).
  if (change.slug !== undefined || change.version) {
    await tellDeliveryAssetChanged(c.env, apiKey, uid);
  }
  // Said when this request set the permanent URL, or repeated exactly the request that did.
  const notice = result.slugSet
    ? "Permanent URL generated successfully."
    : "Asset updated successfully.";
  return c.json({ notice, asset: assetView(result.snapshot, answerBase(c)) });
}

async function getAsset(c: Ctx) {
  const query = validate(getAssetQuerySchema, c.req.query());
  const stub = assetStub(c.env, c.get("apiKey"), assetUidParam(c));
  const snapshot = await (query.version === undefined
    ? stub.get()
    : stub.getVersion(query.version));
  if (!snapshot) {
    throw query.version !== undefined && (await stub.get()) ? versionNotFound() : assetNotFound();
  }
  const asset = assetView(snapshot, answerBase(c));
  if (query.include_publish_details === "true") {
    const publishing = await stub.publications();
    asset.publish_details = publishDetails(Object.values(publishing?.publications ?? {}));
  }
  return c.json({ asset });
}

async function listVersions(c: Ctx) {
  const apiKey = c.get("apiKey");
  const uid = assetUidParam(c);
  const versions = await assetStub(c.env, apiKey, uid).versions();
  if (!versions) throw assetNotFound();
  const base = answerBase(c);
  return c.json({ versions: versions.map((v) => versionView(base, apiKey, uid, v)) });
}

async function deleteAsset(c: Ctx) {
  const apiKey = c.get("apiKey");
  const uid = assetUidParam(c);
  const deleted = await assetStub(c.env, apiKey, uid).delete();
  if (!deleted) throw assetNotFound();
  // This location's edge cache may hold the bytes under the versioned URLs: drop them now, also
  // when a retry finds the asset deleted already (its first try may have died before this).
  const base = publicBase(c.env, c.req.url);
  await evictVersions(
    deleted.versions.map((v) => `${base}${versionedPath(apiKey, uid, v.fileUid, v.safeFilename)}`),
  );
  if (!deleted.now) throw assetNotFound();
  await tellDeliveryAssetChanged(c.env, apiKey, uid);
  return c.json({ notice: "Asset deleted successfully." });
}
