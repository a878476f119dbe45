// The asset management API (API.md, "Assets"): upload, replace, get, list, versions, delete,
// and generating the permanent URL. Authentication runs first (auth/management-auth.ts).

import { type Context, Hono } from "hono";
import { requireManagementToken, type StackVariables } from "../auth/management-auth";
import { config, publicBase } from "../config";
import { evictVersions } from "../delivery/edge-cache";
import { assetView, versionView } from "../domain/asset-view";
import { isAssetUid, newAssetUid } from "../domain/ids";
import { parsePermanentUrlInput } from "../domain/slug";
import { permanentPath, versionedPath } from "../domain/urls";
import {
  assetNotFound,
  permanentUrlTaken,
  unsupportedMediaType,
  validationFailed,
} from "../http/errors";
import {
  type AssetFields,
  assetFieldsSchema,
  assetUpdateJsonSchema,
  listQuerySchema,
  readJson,
  validate,
} from "../http/schemas";
import type { UpdateInput } from "../objects/asset-object";
import { assetStub, stackStub } from "../objects/stubs";
import { discardObject, isMultipart, receiveUpload } from "../upload/receive-upload";
import { tellDeliveryAssetChanged } from "./tell-delivery";

type Env_ = { Bindings: Env; Variables: StackVariables };
type Ctx = Context<Env_>;

export const assetRoutes = new Hono<Env_>();

assetRoutes.use("/", requireManagementToken());
assetRoutes.use("/:uid", requireManagementToken());
assetRoutes.use("/:uid/versions", requireManagementToken());

assetRoutes.post("/", createAsset);
assetRoutes.get("/", listAssets);
assetRoutes.get("/:uid", getAsset);
assetRoutes.put("/:uid", updateAsset);
assetRoutes.delete("/:uid", deleteAsset);
assetRoutes.get("/:uid/versions", listVersions);

const baseUrl = (c: Ctx) => publicBase(c.env, c.req.url);

function assetUidParam(c: Ctx): string {
  const uid = c.req.param("uid") ?? "";
  if (!isAssetUid(uid)) throw assetNotFound();
  return uid;
}

/** Validates the text fields, and turns `permanent_url` into a slug for this asset. */
function toUpdate(fields: unknown, apiKey: string, uid: string): UpdateInput {
  const valid: AssetFields = validate(assetFieldsSchema, fields);
  const update: UpdateInput = {};
  if (valid.title !== undefined) update.title = valid.title;
  if (valid.description !== undefined) update.description = valid.description;
  if (valid.permanent_url !== undefined) {
    const check = parsePermanentUrlInput(valid.permanent_url, apiKey, uid);
    if (!check.ok) throw validationFailed({ permanent_url: [check.reason] });
    update.slug = check.slug;
  }
  return update;
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
    if (!received.version) throw validationFailed({ "asset[upload]": ["is required"] });
    const fields = toUpdate(received.fields, apiKey, uid);
    const result = await assetStub(c.env, apiKey, uid).create({
      apiKey,
      uid,
      title: fields.title ?? received.version.filename,
      description: fields.description ?? "",
      slug: fields.slug ?? null,
      version: received.version,
    });
    if (!result.ok) throw new Error(`fresh asset uid ${uid} already exists`);
    await tellDeliveryAssetChanged(c.env, apiKey, uid);
    return c.json(
      { notice: "Asset created successfully.", asset: assetView(result.snapshot, baseUrl(c)) },
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

  let update: UpdateInput;
  let objectKey: string | null = null;
  if (isJson) {
    const body = validate(assetUpdateJsonSchema, await readJson(c.req.raw));
    update = toUpdate(body.asset, apiKey, uid);
  } else {
    const received = await receiveUpload(c.req.raw, {
      bucket: c.env.FILES,
      apiKey,
      assetUid: uid,
      maxBytes: config(c.env).maxUploadBytes,
    });
    objectKey = received.objectKey;
    try {
      update = toUpdate(received.fields, apiKey, uid);
    } catch (err) {
      await discardObject(c.env.FILES, objectKey);
      throw err;
    }
    if (received.version) update.version = received.version;
  }
  if (Object.keys(update).length === 0) {
    throw validationFailed({
      asset: ["nothing to update: send a file, title, description or permanent_url"],
    });
  }

  const result = await stub.update(update).catch(async (err) => {
    await discardObject(c.env.FILES, objectKey);
    throw err;
  });
  if (!result.ok) {
    await discardObject(c.env.FILES, objectKey);
    if (result.reason === "not_found") throw assetNotFound();
    throw permanentUrlTaken(baseUrl(c) + permanentPath(apiKey, uid, result.existing));
  }
  await tellDeliveryAssetChanged(c.env, apiKey, uid);
  const notice =
    update.slug !== undefined
      ? "Permanent URL generated successfully."
      : "Asset updated successfully.";
  return c.json({ notice, asset: assetView(result.snapshot, baseUrl(c)) });
}

async function getAsset(c: Ctx) {
  const snapshot = await assetStub(c.env, c.get("apiKey"), assetUidParam(c)).get();
  if (!snapshot) throw assetNotFound();
  return c.json({ asset: assetView(snapshot, baseUrl(c)) });
}

async function listAssets(c: Ctx) {
  const query = validate(listQuerySchema, c.req.query());
  const page = await stackStub(c.env, c.get("apiKey")).listCatalog(
    query.skip,
    query.limit,
    query.search?.trim() ?? "",
  );
  const base = baseUrl(c);
  return c.json({ assets: page.assets.map((s) => assetView(s, base)), count: page.count });
}

async function listVersions(c: Ctx) {
  const apiKey = c.get("apiKey");
  const uid = assetUidParam(c);
  const versions = await assetStub(c.env, apiKey, uid).versions();
  if (!versions) throw assetNotFound();
  const base = baseUrl(c);
  return c.json({ versions: versions.map((v) => versionView(base, apiKey, uid, v)) });
}

async function deleteAsset(c: Ctx) {
  const apiKey = c.get("apiKey");
  const uid = assetUidParam(c);
  const deleted = await assetStub(c.env, apiKey, uid).delete();
  if (!deleted) throw assetNotFound();
  // This location's edge cache may hold the bytes under the versioned URLs: drop them now, also
  // when a retry finds the asset deleted already (its first try may have died before this).
  const base = baseUrl(c);
  await evictVersions(
    deleted.versions.map((v) => `${base}${versionedPath(apiKey, uid, v.fileUid, v.safeFilename)}`),
  );
  if (!deleted.now) throw assetNotFound();
  await tellDeliveryAssetChanged(c.env, apiKey, uid);
  return c.json({ notice: "Asset deleted successfully." });
}
