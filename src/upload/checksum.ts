// A client-supplied SHA-256 of an upload, checked against the one computed while the bytes
// streamed. Raw bodies declare it in RFC 9530's `Content-Digest: sha-256=:<base64>:`; forms in
// the `asset[sha256]` field; upload sessions in `upload.sha256` (both 64 hex digits). Pure.

import { validationFailed } from "../http/errors";

const HEX = /^[0-9a-fA-F]{64}$/;

/** The hex digest a hex field names, or a 422 naming the field. */
export function sha256Field(value: string, field: string): string {
  if (!HEX.test(value)) throw validationFailed({ [field]: ["must be 64 hexadecimal digits"] });
  return value.toLowerCase();
}

/**
 * The SHA-256 named in a Content-Digest header, or null when the header is absent or names
 * other algorithms only. A malformed sha-256 member is a 422.
 */
export function sha256FromContentDigest(header: string | null): string | null {
  if (header === null) return null;
  for (const member of header.split(",")) {
    const eq = member.indexOf("=");
    if (eq === -1 || member.slice(0, eq).trim().toLowerCase() !== "sha-256") continue;
    const m = /^:([A-Za-z0-9+/]{43}=):$/.exec(member.slice(eq + 1).trim());
    if (!m?.[1])
      throw validationFailed({ "Content-Digest": ["sha-256 must be :<base64 of 32 bytes>:"] });
    return Array.from(atob(m[1]), (ch) => ch.charCodeAt(0).toString(16).padStart(2, "0")).join("");
  }
  return null;
}

/** A 422 when the client's digest is not the bytes' digest. */
export function verifySha256(expected: string | null, actual: string, field: string): void {
  if (expected !== null && expected !== actual) {
    throw validationFailed({
      [field]: [`does not match the uploaded bytes, whose SHA-256 is ${actual}`],
    });
  }
}
