// Upload sessions (this service's extension of the CMA, for files larger than one request):
//   POST   /v3/uploads                    start one, for a new asset or a replacement
//   PUT    /v3/uploads/{uid}/parts/{n}    send part n (raw bytes, exact size; a retry replaces it)
//   GET    /v3/uploads/{uid}              which parts R2 holds
//   POST   /v3/uploads/{uid}/complete     make the file the asset's current version, atomically
//   DELETE /v3/uploads/{uid}              abort
// Parts are R2 multipart parts streamed straight through; the session's state lives in its
// UploadObject, and the version is committed by the asset's AssetObject like any other upload.

import { type Context, Hono } from "hono";
import { requireManagementToken, type StackVariables } from "../auth/management-auth";
import { linkFor } from "../base/running-hash";
import { config, publicBase } from "../config";
import { sanitizeFilename } from "../domain/filename";
import { isAssetUid, isUploadUid, newAssetUid, newFileUid, newUploadUid } from "../domain/ids";
import { WHOLE_NUMBER } from "../domain/text";
import { missingParts, partSizeOf, planParts, sessionCeiling } from "../domain/upload-parts";
import { versionObjectKey } from "../domain/urls";
import { assetView } from "../http/asset-view";
import {
  assetNotFound,
  lengthRequired,
  malformedBody,
  sessionTooLarge,
  tooLarge,
  uploadNotFound,
  uploadNotOpen,
  validationFailed,
} from "../http/errors";
import type { UploadJson } from "../http/response-schemas";
import { readJson, uploadCreateSchema, validate } from "../http/schemas";
import { assetStub, uploadStub } from "../objects/stubs";
import { tellDeliveryAssetChanged } from "../objects/tell-delivery";
import type { PartRecord, UploadSession } from "../objects/upload-object";
import { sha256Field } from "../upload/checksum";
import { completeSession } from "../upload/complete-session";
import { chooseContentType } from "../upload/content-type";
import { recordPending } from "../upload/pending-record";
import { pumpBody } from "../upload/read-raw-body";
import { partSink } from "../upload/version-sink";

type Env_ = { Bindings: Env; Variables: StackVariables };
type Ctx = Context<Env_>;

/** An abandoned session is aborted (its parts deleted from R2) this long after it started. */
export const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

export const uploadRoutes = new Hono<Env_>();

uploadRoutes.use("*", requireManagementToken());
uploadRoutes.post("/", startUpload);
uploadRoutes.get("/:uid", getUpload);
uploadRoutes.put("/:uid/parts/:part", putPart);
uploadRoutes.post("/:uid/complete", completeUpload);
uploadRoutes.delete("/:uid", abortUpload);

function sessionStub(c: Ctx) {
  const uid = c.req.param("uid") ?? "";
  if (!isUploadUid(uid)) throw uploadNotFound();
  return uploadStub(c.env, c.get("apiKey"), uid);
}

export function uploadView(session: UploadSession, parts: PartRecord[]): UploadJson {
  return {
    uid: session.uid,
    asset_uid: session.assetUid,
    kind: session.mode,
    filename: session.filename,
    content_type: session.contentType,
    file_size: String(session.fileSize),
    part_size: session.partSize,
    part_count: session.partCount,
    parts: parts.map((p) => ({ part_number: p.partNumber, size: p.size, sha256: p.sha256 })),
    missing_parts: missingParts(
      session,
      parts.map((p) => p.partNumber),
    ),
    ...(session.sha256 ? { sha256: session.sha256 } : {}),
    state: session.state,
    created_at: session.createdAt,
    expires_at: session.expiresAt,
  };
}

async function startUpload(c: Ctx) {
  const apiKey = c.get("apiKey");
  const input = validate(uploadCreateSchema, await readJson(c.req.raw)).upload;
  const settings = config(c.env);
  const ceiling = sessionCeiling(settings.maxFileBytes, settings.maxUploadBytes);
  if (input.file_size > ceiling) throw sessionTooLarge(ceiling);
  const planned = planParts(input.file_size, input.part_size, settings.maxUploadBytes);
  if (!planned.ok) throw validationFailed(planned.errors);
  const sha256 = input.sha256 === undefined ? null : sha256Field(input.sha256, "sha256");
  const filename = input.filename; // checked by the schema (domain/filename.ts's rule)

  let assetUid = newAssetUid();
  let mode: UploadSession["mode"] = "create";
  if (input.asset_uid !== undefined) {
    if (input.title !== undefined || input.description !== undefined) {
      throw validationFailed({ asset_uid: ["a replacement takes no title or description"] });
    }
    if (!isAssetUid(input.asset_uid) || !(await assetStub(c.env, apiKey, input.asset_uid).get())) {
      throw assetNotFound();
    }
    assetUid = input.asset_uid;
    mode = "replace";
  }

  const fileUid = newFileUid();
  const safeFilename = sanitizeFilename(filename);
  const contentType = chooseContentType(input.content_type ?? "", filename);
  const objectKey = versionObjectKey(apiKey, assetUid, fileUid, safeFilename);
  // Recorded before R2 holds anything of it: a session that never commits is found by the sweep.
  await recordPending(c.env.FILES, objectKey);
  const r2Upload = await c.env.FILES.createMultipartUpload(objectKey, {
    httpMetadata: { contentType },
    customMetadata: { filename },
  });
  const now = Date.now();
  const session: UploadSession = {
    ...planned.plan,
    uid: newUploadUid(),
    apiKey,
    assetUid,
    mode,
    fileUid,
    filename,
    safeFilename,
    contentType,
    objectKey,
    r2UploadId: r2Upload.uploadId,
    sha256,
    title: input.title ?? null,
    description: input.description ?? null,
    state: "open",
    completingUntil: null,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + UPLOAD_TTL_MS).toISOString(),
  };
  if (!(await uploadStub(c.env, apiKey, session.uid).start(session))) {
    throw new Error(`fresh upload uid ${session.uid} already exists`);
  }
  return c.json({ notice: "Upload started.", upload: uploadView(session, []) }, 201);
}

async function getUpload(c: Ctx) {
  const status = await sessionStub(c).status();
  if (!status) throw uploadNotFound();
  return c.json({ upload: uploadView(status.session, status.parts) });
}

async function putPart(c: Ctx) {
  const stub = sessionStub(c);
  const status = await stub.status();
  if (!status) throw uploadNotFound();
  const { session } = status;
  if (session.state !== "open") throw uploadNotOpen(session.state);
  const raw = c.req.param("part") ?? "";
  // Digits only, no leading zero: `/parts/01` is not part 1.
  const partNumber = WHOLE_NUMBER.test(raw) ? Number(raw) : 0;
  const size = partSizeOf(session, partNumber);
  if (size === null) {
    throw validationFailed({
      part_number: [`must be a whole number from 1 to ${session.partCount}`],
    });
  }
  const header = c.req.header("content-length");
  if (header === undefined) throw lengthRequired();
  if (!/^\d{1,16}$/.test(header)) throw malformedBody("Content-Length is not a number");
  // No part is larger than one request may be: a longer body is refused as too large, unread.
  const limit = config(c.env).maxUploadBytes;
  if (Number(header) > limit) throw tooLarge(limit);
  if (Number(header) !== size) {
    throw validationFailed({
      part: [
        `part ${partNumber} of ${session.partCount} must be exactly ${size} bytes, not ${header}`,
      ],
    });
  }
  const r2Upload = c.env.FILES.resumeMultipartUpload(session.objectKey, session.r2UploadId);
  const body = c.req.raw.body ?? new ReadableStream<Uint8Array>({ start: (ctl) => ctl.close() });
  // The sink enforces the exact size (400 for a wrong length), so no other limit is passed; a
  // refused part is drained whole, which the Content-Length checked above bounds.
  // Parts sent in order carry the whole file's hash on, so completing need not read them again.
  const running = linkFor(partNumber, status.parts);
  const sink = partSink(r2Upload, partNumber, size, running);
  const part = await pumpBody(body, sink, Number.POSITIVE_INFINITY);
  const recorded = await stub.recordPart(part);
  if (!recorded.ok) throw uploadNotOpen(recorded.state ?? "gone");
  return c.json({ part: { part_number: part.partNumber, size: part.size, sha256: part.sha256 } });
}

async function completeUpload(c: Ctx) {
  const result = await completeSession(c.env, sessionStub(c), c.get("tokenUid"));
  // A new asset has no permanent URL yet, so only a replacement concerns the delivery Worker.
  if (result.mode !== "create") {
    await tellDeliveryAssetChanged(c.env, c.get("apiKey"), result.snapshot.asset.uid);
  }
  const asset = assetView(result.snapshot, publicBase(c.env, c.req.url));
  return result.mode === "create"
    ? c.json({ notice: "Asset created successfully.", asset }, 201)
    : c.json({ notice: "Asset updated successfully.", asset });
}

async function abortUpload(c: Ctx) {
  const result = await sessionStub(c).abort();
  if (!result.ok) {
    if (result.state === null) throw uploadNotFound();
    throw uploadNotOpen(result.state);
  }
  return c.json({ notice: "Upload aborted." });
}
