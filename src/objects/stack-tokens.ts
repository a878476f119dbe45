// The stack's management tokens in its Durable Object's `tokens` table (stack-schema.ts): only
// their SHA-256 is stored, and a presented token is compared with every live one in constant time.
// Functions over the stack object's SQLite; it runs them.

import { hexToBytes } from "../base/token-hash";

export function insertToken(sql: SqlStorage, uid: string, hash: string): void {
  sql.exec(
    "INSERT INTO tokens (uid, hash, created_at) VALUES (?, ?, ?)",
    uid,
    hash,
    new Date().toISOString(),
  );
}

/** Revokes a token; false if there is no such live token. */
export function revokeLiveToken(sql: SqlStorage, uid: string): boolean {
  const cursor = sql.exec(
    "UPDATE tokens SET revoked_at = ? WHERE uid = ? AND revoked_at IS NULL",
    new Date().toISOString(),
    uid,
  );
  return cursor.rowsWritten > 0;
}

/**
 * The uid of the live token whose SHA-256 is `tokenHash`, or null. Compared with every live token
 * in constant time (crypto.subtle.timingSafeEqual), looking at all of them whatever matches.
 */
export function liveTokenWithHash(sql: SqlStorage, tokenHash: string): string | null {
  const presented = hexToBytes(tokenHash);
  let match: string | null = null;
  for (const row of sql.exec<{ uid: string; hash: string }>(
    "SELECT uid, hash FROM tokens WHERE revoked_at IS NULL",
  )) {
    const stored = hexToBytes(row.hash);
    if (stored.length === presented.length && crypto.subtle.timingSafeEqual(stored, presented)) {
      match = row.uid;
    }
  }
  return match;
}
