// Every error the service answers with, in one table. Bodies follow the CMA:
// {"error_message": "...", "error_code": N, "errors": {"field": ["why"]}}.
// Messages are deliberately generic; details go to logs, never to clients.

import type { FieldErrors } from "../base/field-errors";
import type { ErrorJson } from "./response-schemas";

export type { FieldErrors };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: FieldErrors,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The same error with more response headers. */
  withHeaders(extra: Record<string, string>): ApiError {
    return new ApiError(this.status, this.code, this.message, this.errors, {
      ...this.headers,
      ...extra,
    });
  }
}

export const apiKeyInvalid = () =>
  new ApiError(412, 109, "The api_key header is missing or is not a valid stack api_key.");
export const unauthorized = () =>
  new ApiError(401, 105, "The authorization header is missing or is not valid for this stack.");
export const assetNotFound = () => new ApiError(404, 145, "Asset was not found.");
export const tokenNotFound = () => new ApiError(404, 146, "Management token was not found.");
export const notFound = () => new ApiError(404, 404, "The requested resource was not found.");
export const validationFailed = (errors: FieldErrors) =>
  new ApiError(422, 141, "Validation failed: the request has invalid fields.", errors);
/** A `parent_uid` (or listing `folder`) that names none of the stack's folders. */
export const notAFolder = (field: "parent_uid" | "folder" = "parent_uid") =>
  validationFailed({ [field]: ["is not a folder of this stack"] });
export const permanentUrlTaken = (existing: string) =>
  new ApiError(
    409,
    147,
    `The permanent URL of this asset has already been generated and cannot be changed: ${existing}`,
    { permanent_url: ["has already been set"] },
  );
export const malformedBody = (why: string) =>
  new ApiError(400, 148, `The request body is not valid: ${why}`);
export const tooLarge = (limit: number) =>
  new ApiError(413, 149, `The upload is larger than the limit of ${limit} bytes.`);
/** An upload session's file_size over the one ceiling sessions have (domain/upload-parts.ts). */
export const sessionTooLarge = (ceiling: number) =>
  new ApiError(
    413,
    149,
    `The file is larger than an upload session takes: at most ${ceiling} bytes.`,
    { file_size: [`must be at most ${ceiling} bytes`] },
  );
/** What an upload (POST /v3/assets) takes; a PUT takes JSON besides. */
export const UPLOAD_BODIES = "multipart/form-data, or raw bytes with ?filename=";
export const unsupportedMediaType = (
  accepted = "multipart/form-data, application/json, or raw bytes with ?filename=",
) => new ApiError(415, 150, `Unsupported Content-Type: send ${accepted}.`);
export const methodNotAllowed = (allow: string) =>
  new ApiError(405, 151, "Method not allowed.", undefined, { Allow: allow });
export const preconditionFailed = () =>
  new ApiError(412, 152, "A precondition (If-Match or If-Unmodified-Since) failed.");
export const rangeNotSatisfiable = (contentRange: string) =>
  new ApiError(416, 153, "The requested range is not satisfiable.", undefined, {
    "Content-Range": contentRange,
  });
export const storageUnavailable = () =>
  new ApiError(503, 154, "The file store is temporarily unavailable; try again.", undefined, {
    "Retry-After": "1",
  });
export const uploadNotOpen = (state: string) =>
  new ApiError(409, 155, `The upload session is ${state} and takes no more parts or requests.`);
export const uploadNotFound = () => new ApiError(404, 156, "Upload session was not found.");
export const lengthRequired = () =>
  new ApiError(411, 157, "Content-Length is required: each part has an exact size.");
export const tooManyRequests = () =>
  new ApiError(429, 158, "Too many requests; slow down and try again later.", undefined, {
    "Retry-After": "60",
  });
export const invalidImageParameter = (param: string, why: string) =>
  new ApiError(400, 170, `The image parameter ${param} is not valid: ${why}.`, { [param]: [why] });
/**
 * A public URL's `?dl` or `?environment=` given more than once (image parameters say so as
 * invalidImageParameter): either value would answer a question the client did not ask.
 */
export const repeatedParameter = (name: string) =>
  new ApiError(400, 174, `The query parameter ${name} is given more than once.`, {
    [name]: ["is given more than once"],
  });
export const imageEngineFailed = (engineCode: number, detail: string) =>
  new ApiError(
    502,
    171,
    `The image engine could not make this variant (its error ${engineCode}: ${detail}). The URL without image parameters serves the original.`,
  );
export const imageEngineUnavailable = () =>
  new ApiError(503, 172, "The image engine is unavailable; try again.", undefined, {
    "Retry-After": "1",
  });
export const tooManyImageTransforms = () =>
  new ApiError(
    429,
    173,
    "Too many new image variants for this stack; variants made before are not limited. Try again later.",
    undefined,
    { "Retry-After": "60" },
  );
export const versionNotFound = () => new ApiError(404, 159, "Asset version was not found.");
export const folderNotFound = () => new ApiError(404, 160, "Folder was not found.");
export const folderNotEmpty = () =>
  new ApiError(
    409,
    161,
    "The folder is not empty: move or delete the assets and folders in it first.",
  );
export const environmentNotFound = () => new ApiError(404, 162, "Environment was not found.");
export const deliveryTokenNotFound = () => new ApiError(404, 163, "Delivery token was not found.");
/** A publish queue uid that names no waiting action: unknown, fired or cancelled. */
export const publishQueueItemNotFound = () =>
  new ApiError(404, 164, "Publish queue item was not found, or has fired or been cancelled.");
/** The Content Delivery API's credentials (content-delivery/cda-access.ts). */
export const deliveryTokenInvalid = () =>
  new ApiError(
    401,
    175,
    "The access_token header is missing or is not a delivery token of this stack.",
  );
export const environmentNotInScope = () =>
  new ApiError(
    403,
    176,
    "The delivery token may not read this environment (or the stack has no environment of this name).",
  );
export const internalError = () => new ApiError(500, 500, "Internal server error.");

export function errorBody(err: ApiError): ErrorJson {
  return {
    error_message: err.message,
    error_code: err.code,
    ...(err.errors ? { errors: err.errors } : {}),
  };
}
