// Identifier formats of the CMA: api_key and asset uid are "blt" + 16 lowercase hex digits,
// a version's file_uid is 24 lowercase hex digits. All are random, never derived from input.

// Exported for the response schemas (http/response-schemas.ts) and the OpenAPI document.
export const BLT_ID = /^blt[0-9a-f]{16}$/;
export const FILE_UID = /^[0-9a-f]{24}$/;
export const TOKEN_UID = /^blt[0-9a-f]{16}$/;

function randomHex(bytes: number): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(buf, (b) => b.toString(16).padStart(2, "0")).join("");
}

export const newApiKey = (): string => `blt${randomHex(8)}`;
export const newAssetUid = (): string => `blt${randomHex(8)}`;
export const newFileUid = (): string => randomHex(12);
export const newTokenUid = (): string => `blt${randomHex(8)}`;
/** A management token: "cs" + 32 hex digits (128 random bits), shown to its owner once. */
export const newManagementToken = (): string => `cs${randomHex(16)}`;
/** An environment or a delivery token: "blt" + 16 hex digits, as the CMA's uids. */
export const newEnvironmentUid = (): string => `blt${randomHex(8)}`;
export const newDeliveryTokenUid = (): string => `blt${randomHex(8)}`;
/** A delivery token: the same form as a management token; they live in different stores. */
export const newDeliveryToken = (): string => `cs${randomHex(16)}`;

export const isApiKey = (s: string): boolean => BLT_ID.test(s);
export const isAssetUid = (s: string): boolean => BLT_ID.test(s);
export const isFileUid = (s: string): boolean => FILE_UID.test(s);
export const isTokenUid = (s: string): boolean => TOKEN_UID.test(s);

export const UPLOAD_UID = /^upl[0-9a-f]{24}$/;
/** An upload session: "upl" + 24 hex digits. */
export const newUploadUid = (): string => `upl${randomHex(12)}`;
export const isUploadUid = (s: string): boolean => UPLOAD_UID.test(s);
