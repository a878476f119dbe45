// The upload-session operations (routes/uploads.ts), as the OpenAPI document describes them.

import { DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_UPLOAD_BYTES } from "../config";
import {
  DEFAULT_PART_BYTES,
  MAX_PARTS,
  MIN_PART_BYTES,
  sessionCeiling,
} from "../domain/upload-parts";
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
import { MAX_JSON_BYTES } from "../http/schemas";
import { UPLOAD_TTL_MS } from "../routes/uploads";
import type { OperationSpec } from "./operation-spec";
import { partNumberParameter, uploadUidParameter } from "./parameters";
import { JSON_LIMITS, jsonContent, RAW_FILE, RAW_FILE_RANGE } from "./request-bodies";
import { jsonResponse } from "./responses";

const MiB = 1024 * 1024;
const NOT_OPEN = uploadNotOpen("{state}");

export const UPLOAD_OPERATIONS: OperationSpec[] = [
  {
    method: "post",
    path: "/v3/uploads",
    operationId: "startUpload",
    tag: "Upload sessions",
    summary: "Start an upload session",
    description: `Starts a session for a file larger than one request may carry (\`MAX_UPLOAD_BYTES\`, ${DEFAULT_MAX_UPLOAD_BYTES / MiB} MiB by default): for a new asset, or with \`asset_uid\` to replace that asset's file (a replacement takes no title or description). The answer's \`part_size\` and \`part_count\` say how to cut the file: every part but the last is exactly \`part_size\` bytes, the last one is the rest.

- \`part_size\` defaults to ${DEFAULT_PART_BYTES / MiB} MiB (more when the file would need over ${MAX_PARTS.toLocaleString("en")} parts). It must be at least ${MIN_PART_BYTES / MiB} MiB and at most \`MAX_UPLOAD_BYTES\`, and the file may have at most ${MAX_PARTS.toLocaleString("en")} parts (R2's limits); otherwise a 422.
- A \`file_size\` over the sessions' ceiling is a 413 naming \`file_size\` and the ceiling: \`MAX_FILE_BYTES\` (${DEFAULT_MAX_FILE_BYTES} bytes, R2's largest object, by default), or ${MAX_PARTS.toLocaleString("en")} parts of \`MAX_UPLOAD_BYTES\` when that is less (${sessionCeiling(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_UPLOAD_BYTES)} bytes with the defaults).
- \`sha256\` (64 hex digits), when sent, is checked against the whole file when the session completes.

An abandoned session is aborted, and its parts deleted from R2, ${UPLOAD_TTL_MS / 3_600_000} hours after it started (\`expires_at\`). Not idempotent: every request starts another session. ${JSON_LIMITS}`,
    access: "management",
    requestBody: {
      description: "The file to come, and the new asset's fields or the asset to replace.",
      required: true,
      content: {
        "application/json": jsonContent("UploadCreate", {
          upload: { filename: "video.mp4", file_size: 734003200, part_size: 8388608 },
        }),
      },
    },
    responses: { "201": jsonResponse("The session was started.", "UploadStarted") },
    errors: [
      malformedBody("it is not valid JSON"),
      assetNotFound(),
      sessionTooLarge(sessionCeiling(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_UPLOAD_BYTES)),
      tooLarge(MAX_JSON_BYTES),
      validationFailed({ part_size: [`must be at least ${MIN_PART_BYTES} bytes`] }),
    ],
  },
  {
    method: "get",
    path: "/v3/uploads/{uid}",
    operationId: "getUpload",
    tag: "Upload sessions",
    summary: "Read an upload session",
    description:
      "The session's state, the parts R2 holds (`parts`, each with its size and SHA-256) and those still to send (`missing_parts`): after an interruption, send the missing ones and complete.",
    access: "management",
    parameters: [uploadUidParameter],
    responses: { "200": jsonResponse("The session.", "UploadFound") },
    errors: [uploadNotFound()],
  },
  {
    method: "put",
    path: "/v3/uploads/{uid}/parts/{part}",
    operationId: "putUploadPart",
    tag: "Upload sessions",
    summary: "Send one part",
    description: `Streams part \`part\` of the file straight into R2. \`Content-Length\` is required (411 without it) and must be exactly the part's size, \`part_size\` or the rest of the file for the last part; a length over \`MAX_UPLOAD_BYTES\` is a 413, any other wrong one a 422, both before a byte is read.

Parts may be sent in any order and in parallel. Parts sent one after another in order also carry the whole file's SHA-256 on, so completing has nothing to read back. Sending a part number again replaces its bytes, so a part whose answer was lost can simply be sent again, though never twice at the same time (docs/API-NOTES.md, "Known limits"). A part whose body breaks off is not recorded. The answer gives the part's SHA-256.`,
    access: "management",
    parameters: [uploadUidParameter, partNumberParameter],
    requestBody: {
      description: "The part's bytes.",
      required: true,
      content: { [RAW_FILE_RANGE]: RAW_FILE },
    },
    responses: { "200": jsonResponse("The part was stored.", "PartReceived") },
    errors: [
      malformedBody("the upload stream ended with an error"),
      uploadNotFound(),
      NOT_OPEN,
      lengthRequired(),
      tooLarge(DEFAULT_MAX_UPLOAD_BYTES),
      validationFailed({ part: ["part 2 of 3 must be exactly 5242880 bytes, not 100"] }),
    ],
  },
  {
    method: "post",
    path: "/v3/uploads/{uid}/complete",
    operationId: "completeUpload",
    tag: "Upload sessions",
    summary: "Complete an upload session",
    description: `R2 assembles the parts, the whole file's SHA-256 is finished (from the hash the parts carried when they arrived in order; whatever they did not cover is read back, in bounded steps) and checked against the session's \`sha256\`, and only then does the asset's Durable Object commit the version: the asset changes atomically or not at all. A new asset answers 201 as POST /v3/assets does, a replacement 200 as PUT /v3/assets/{uid} does.

- Every part must have been sent; a 422 names the missing ones.
- A checksum that does not match is a 422, deletes the assembled file and ends the session as \`failed\`.
- Idempotent: completing again after success answers with the asset again (a retry after a lost response), and concurrent completions commit one version. A completion that failed half way goes on from where its hash stopped.
- When R2 cannot assemble the parts (one sent twice at the same time) the answer is a 409 and the session is open again: send the parts again, then complete.`,
    access: "management",
    parameters: [uploadUidParameter],
    responses: {
      "200": jsonResponse("The asset's file was replaced.", "AssetUpdated"),
      "201": jsonResponse("The asset was created.", "AssetCreated"),
    },
    errors: [
      uploadNotFound(),
      assetNotFound(),
      NOT_OPEN,
      validationFailed({ parts: ["missing part numbers: 2, 3"] }),
    ],
  },
  {
    method: "delete",
    path: "/v3/uploads/{uid}",
    operationId: "abortUpload",
    tag: "Upload sessions",
    summary: "Abort an upload session",
    description:
      "Aborts an open session and deletes its parts from R2. A session that is completing, completed, aborted, expired or failed is a 409.",
    access: "management",
    parameters: [uploadUidParameter],
    responses: { "200": jsonResponse("The session was aborted.", "UploadAborted") },
    errors: [uploadNotFound(), NOT_OPEN],
  },
];
