// Completing an upload session: R2 assembles the parts into the version's object, its SHA-256 is
// finished by the session's Durable Object (from the running hash the parts carried, reading back
// only what they did not cover, a bounded step per call), the client's digest is checked, and the
// asset's Durable Object commits the version. Until that commit the asset is unchanged. A retry
// after a lost response is safe at every step: R2's object is found already assembled, the hash
// goes on from its last step, and a version already committed is recognised by its file_uid.

import type { AssetSnapshot } from "../domain/records";
import {
  ApiError,
  assetNotFound,
  uploadNotFound,
  uploadNotOpen,
  validationFailed,
} from "../http/errors";

const partsRejected = () =>
  new ApiError(
    409,
    155,
    "R2 could not assemble the parts (one may have been sent twice at once); the session is open again: send the parts again, then complete.",
  );

import type { NewVersion } from "../objects/asset-object";
import { assetStub, type uploadStub } from "../objects/stubs";
import type { PartRecord, UploadSession } from "../objects/upload-object";
import { verifySha256 } from "./checksum";
import { clearPending } from "./pending-record";
import { discardObject } from "./receive-upload";

type UploadStub = ReturnType<typeof uploadStub>;

export interface Completed {
  mode: UploadSession["mode"];
  snapshot: AssetSnapshot;
}

/** `by`: the uid of the management token completing the session (the asset's author). */
export async function completeSession(env: Env, stub: UploadStub, by: string): Promise<Completed> {
  const begin = await stub.beginComplete(Date.now());
  if (!begin.ok) {
    if (begin.reason === "not_found") throw uploadNotFound();
    if (begin.reason === "not_open") throw uploadNotOpen(begin.state);
    if (begin.reason === "missing_parts") {
      const shown = begin.missing.slice(0, 20).join(", ");
      const more = begin.missing.length > 20 ? ` and ${begin.missing.length - 20} more` : "";
      throw validationFailed({ parts: [`missing part numbers: ${shown}${more}`] });
    }
    // Completed before (a retry after a lost response): answer with the asset as it is now.
    const { session } = begin.status;
    const snapshot = await assetStub(env, session.apiKey, session.assetUid).get();
    if (!snapshot) throw assetNotFound();
    return { mode: session.mode, snapshot };
  }

  const { session, parts } = begin.status;
  let failed = false;
  try {
    const object = await assemble(env.FILES, session, parts);
    const sha256 = await hashAssembled(stub, object);
    try {
      verifySha256(session.sha256, sha256, "sha256");
    } catch (err) {
      failed = true;
      throw err;
    }
    const version: NewVersion = {
      fileUid: session.fileUid,
      filename: session.filename,
      safeFilename: session.safeFilename,
      contentType: session.contentType,
      size: object.size,
      sha256,
      etag: object.httpEtag,
      uploaded: object.uploaded.toISOString(),
      // Read from part 1's bytes as they were stored: the file's header is at its start.
      dimension: parts.find((p) => p.partNumber === 1)?.dimension ?? null,
    };
    const snapshot = await commit(env, session, version, by);
    if (!snapshot) {
      failed = true;
      throw assetNotFound();
    }
    await stub.endComplete("completed");
    await clearPending(env.FILES, session.objectKey);
    return { mode: session.mode, snapshot };
  } catch (err) {
    if (failed) {
      // Nothing was committed and nothing will be: the assembled object goes too.
      await discardObject(env.FILES, session.objectKey);
      await stub.endComplete("failed");
    } else {
      // Unexpected (R2 or the Durable Object failed): let a retry take over at once.
      await stub.releaseComplete().catch(() => undefined);
    }
    throw err;
  }
}

async function assemble(
  bucket: R2Bucket,
  session: UploadSession,
  parts: PartRecord[],
): Promise<R2Object> {
  const upload = bucket.resumeMultipartUpload(session.objectKey, session.r2UploadId);
  const ordered = [...parts].sort((a, b) => a.partNumber - b.partNumber);
  try {
    return await upload.complete(ordered.map((p) => ({ partNumber: p.partNumber, etag: p.etag })));
  } catch (err) {
    // A retry after an earlier completion whose response was lost: R2 already assembled it.
    const existing = await bucket.head(session.objectKey);
    if (existing && existing.size === session.fileSize) return existing;
    console.warn("R2 could not assemble an upload", session.uid, err);
    throw partsRejected();
  }
}

/**
 * The whole file's SHA-256, in as many calls to the session's Durable Object as its size takes
 * (UploadObject.hashStep): none of them, nor this request, hashes more than one step's bytes.
 */
async function hashAssembled(stub: UploadStub, object: R2Object): Promise<string> {
  for (;;) {
    const step = await stub.hashStep({ etag: object.etag, size: object.size });
    // The session left "completing" under this request (its lease ran out): nothing commits.
    if (!step.ok) throw uploadNotOpen(step.state ?? "gone");
    if (step.done) return step.sha256;
  }
}

/** Commits the version once; null when the asset to replace no longer exists. */
async function commit(
  env: Env,
  session: UploadSession,
  version: NewVersion,
  by: string,
): Promise<AssetSnapshot | null> {
  const stub = assetStub(env, session.apiKey, session.assetUid);
  const already = async () => {
    const versions = await stub.versions();
    return versions?.some((v) => v.fileUid === session.fileUid) ? stub.get() : null;
  };
  if (session.mode === "create") {
    const created = await stub.create({
      apiKey: session.apiKey,
      uid: session.assetUid,
      title: session.title ?? session.filename,
      description: session.description ?? "",
      tags: [],
      parentUid: null,
      slug: null,
      version,
      by,
    });
    if (created.ok) return created.snapshot;
    const snapshot = await already();
    if (!snapshot)
      throw new Error(`asset ${session.assetUid} exists without upload ${session.uid}`);
    return snapshot;
  }
  // The object commits a file_uid at most once, so a retried replacement is a no-op there.
  const updated = await stub.update({ version, by });
  return updated.ok ? updated.snapshot : null;
}
