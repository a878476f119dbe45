// Receives an upload request (multipart form or raw body) and stores its file as a new R2
// object, recorded as pending first (upload/pending-record.ts), returning the version to commit
// and the form's text fields. Nothing is committed here: the caller commits the version in the
// asset's Durable Object afterwards, then clears the record (clearPending), or deletes the
// object and its record (discardObject) if that commit does not happen.

import { checkFilename, sanitizeFilename } from "../domain/filename";
import { newFileUid } from "../domain/ids";
import { pendingKeyOf } from "../domain/pending-uploads";
import { versionObjectKey } from "../domain/urls";
import {
  malformedBody,
  tooLarge,
  UPLOAD_BODIES,
  unsupportedMediaType,
  validationFailed,
} from "../http/errors";
import type { NewVersion } from "../objects/asset-object";
import { sha256Field, sha256FromContentDigest, verifySha256 } from "./checksum";
import { chooseContentType } from "./content-type";
import { recordedSink } from "./pending-record";
import { FORM_OVERHEAD_BYTES, readAssetForm } from "./read-multipart-form";
import { pumpBody } from "./read-raw-body";
import { bufferedPartsSink, exactLength, fixedLengthSink, type VersionSink } from "./version-sink";

export interface ReceivedUpload {
  /** The stored file, or null for a form without `asset[upload]`. */
  version: NewVersion | null;
  /** R2 key of the stored file, so the caller can discard it if the commit fails. */
  objectKey: string | null;
  /** Text fields of a multipart form, keyed without the "asset[...]" wrapper. */
  fields: Record<string, string>;
}

interface Target {
  bucket: R2Bucket;
  apiKey: string;
  assetUid: string;
  maxBytes: number;
}

export const isMultipart = (contentType: string) =>
  contentType.toLowerCase().startsWith("multipart/form-data");

export async function receiveUpload(request: Request, target: Target): Promise<ReceivedUpload> {
  const contentType = request.headers.get("content-type") ?? "";
  const length = declaredLength(request);
  if (
    length !== null &&
    length > target.maxBytes + (isMultipart(contentType) ? FORM_OVERHEAD_BYTES : 0)
  ) {
    throw tooLarge(target.maxBytes);
  }
  const body = request.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });

  if (isMultipart(contentType)) {
    const lengthChecked = length === null ? body : body.pipeThrough(exactLength(length));
    // Filled in when the parser meets the file part (a callback, hence the holder object).
    const file: { opened?: OpenedVersion } = {};
    const form = await readAssetForm(lengthChecked, contentType, target.maxBytes, (start) => {
      file.opened = openVersion(target, start.filename, start.contentType, null);
      return file.opened.sink;
    }).catch(async (err) => {
      // The file may be stored already when the rest of the form turns out to be broken.
      await discardObject(target.bucket, file.opened?.key ?? null);
      throw err;
    });
    const fields = Object.fromEntries(
      [...form.fields].map(([name, value]) => [name.slice("asset[".length, -1), value]),
    );
    const version = form.stored && file.opened ? { ...file.opened.version, ...form.stored } : null;
    const objectKey = file.opened?.key ?? null;
    const { sha256, ...rest } = fields;
    if (sha256 !== undefined) {
      await checked(target.bucket, objectKey, () => {
        if (!version) throw validationFailed({ "asset[sha256]": ["needs asset[upload]"] });
        verifySha256(sha256Field(sha256, "asset[sha256]"), version.sha256, "asset[sha256]");
      });
    }
    return { version, objectKey, fields: rest };
  }

  const given = new URL(request.url).searchParams.get("filename");
  // (A PUT's JSON never gets here: routes/assets.ts reads it first.)
  if (given === null) throw unsupportedMediaType(UPLOAD_BODIES);
  const name = checkFilename(given);
  if (!name.ok) throw validationFailed({ filename: [name.reason] });
  // Checked before any byte is read, so a malformed header costs no upload.
  const expected = sha256FromContentDigest(request.headers.get("content-digest"));
  const opened = openVersion(target, name.filename, contentType, length);
  const stored = await pumpBody(body, opened.sink, target.maxBytes);
  await checked(target.bucket, opened.key, () =>
    verifySha256(expected, stored.sha256, "Content-Digest"),
  );
  return { version: { ...opened.version, ...stored }, objectKey: opened.key, fields: {} };
}

/** Runs a check on a stored but uncommitted object, discarding the object if it fails. */
async function checked(bucket: R2Bucket, key: string | null, check: () => void): Promise<void> {
  try {
    check();
  } catch (err) {
    await discardObject(bucket, key);
    throw err;
  }
}

interface OpenedVersion {
  key: string;
  sink: VersionSink;
  version: Pick<NewVersion, "fileUid" | "filename" | "safeFilename" | "contentType">;
}

/** Opens the sink of a new version; `display` is a checked filename (checkFilename). */
function openVersion(
  target: Target,
  display: string,
  declaredType: string,
  length: number | null,
): OpenedVersion {
  const safeFilename = sanitizeFilename(display);
  const fileUid = newFileUid();
  const contentType = chooseContentType(declaredType, display);
  const key = versionObjectKey(target.apiKey, target.assetUid, fileUid, safeFilename);
  const meta = { contentType, filename: display };
  const sink: VersionSink = recordedSink(target.bucket, key, () =>
    length === null
      ? bufferedPartsSink(target.bucket, key, meta)
      : fixedLengthSink(target.bucket, key, length, meta),
  );
  return { key, sink, version: { fileUid, filename: display, safeFilename, contentType } };
}

function declaredLength(request: Request): number | null {
  const header = request.headers.get("content-length");
  if (header === null) return null;
  if (!/^\d{1,16}$/.test(header)) throw malformedBody("Content-Length is not a number");
  return Number(header);
}

/** Best-effort removal of an object whose version was never committed, and of its record. */
export async function discardObject(bucket: R2Bucket, key: string | null): Promise<void> {
  if (key === null) return;
  try {
    await bucket.delete([key, pendingKeyOf(key)]);
  } catch (err) {
    // Left for the orphan sweep, which finds it by its record: no version names the object.
    console.error("could not discard an uncommitted upload", key, err);
  }
}
