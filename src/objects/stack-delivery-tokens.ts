// A stack's delivery tokens (stack-schema.ts, migration 3), written only here, inside the stack's
// Durable Object. The token itself is never stored: its SHA-256 is the row's `hash` and the key
// of its grant in KV, which is all the delivery Worker reads. The environments a token may read
// are rows of delivery_token_scope, so deleting an environment drops it from every scope in one
// statement (environments.ts).

import type { EnvironmentRef } from "../domain/delivery-token-scope";
import type { DeliveryTokenGrant } from "../domain/kv-records";
import { type DeliveryTokenRecord, MAX_DELIVERY_TOKENS } from "../domain/publishing-records";
import { recordPage } from "./record-page";

/** What the record keeps as JSON: everything but the scope, which has its own table. */
type StoredToken = Omit<DeliveryTokenRecord, "environments">;

export type TokenChange = { name?: string; description?: string; scope?: EnvironmentRef[] };

export type TokenResult =
  | { ok: true; token: DeliveryTokenRecord; hash: string }
  | { ok: false; reason: "not_found" | "too_many" }
  | { ok: false; reason: "unknown_environments"; unknown: string[] };

export interface TokenPage {
  items: DeliveryTokenRecord[];
  count: number;
}

function scopeOf(sql: SqlStorage, uid: string): string[] {
  return sql
    .exec<{ environment_uid: string }>(
      "SELECT environment_uid FROM delivery_token_scope WHERE token_uid = ? ORDER BY position",
      uid,
    )
    .toArray()
    .map((row) => row.environment_uid);
}

function fromRow(sql: SqlStorage, row: { record: string }): DeliveryTokenRecord {
  const stored = JSON.parse(row.record) as StoredToken;
  return { ...stored, environments: scopeOf(sql, stored.uid) };
}

function stored(sql: SqlStorage, uid: string): { token: DeliveryTokenRecord; hash: string } | null {
  const row = sql
    .exec<{ record: string; hash: string }>(
      "SELECT record, hash FROM delivery_tokens WHERE uid = ?",
      uid,
    )
    .toArray()[0];
  return row ? { token: fromRow(sql, row), hash: row.hash } : null;
}

export function getDeliveryToken(sql: SqlStorage, uid: string): DeliveryTokenRecord | null {
  return stored(sql, uid)?.token ?? null;
}

/** A page in creation order; `name` keeps only the tokens of that name. */
export function listDeliveryTokens(
  sql: SqlStorage,
  name: string | undefined,
  skip: number,
  limit: number,
): TokenPage {
  const page = recordPage(
    sql,
    "delivery_tokens",
    "json_extract(record, '$.name')",
    name,
    skip,
    limit,
  );
  return { items: page.records.map((record) => fromRow(sql, { record })), count: page.count };
}

/** The uids of the environments a scope names (each once, in order), or the ones that are none. */
function resolveScope(
  sql: SqlStorage,
  refs: EnvironmentRef[],
): { ok: true; uids: string[] } | { ok: false; unknown: string[] } {
  const uids: string[] = [];
  const unknown: string[] = [];
  for (const ref of refs) {
    const row =
      "uid" in ref
        ? sql.exec<{ uid: string }>("SELECT uid FROM environments WHERE uid = ?", ref.uid)
        : sql.exec<{ uid: string }>(
            "SELECT uid FROM environments WHERE name = ?",
            ref.name.normalize("NFC"),
          );
    const uid = row.toArray()[0]?.uid;
    if (uid === undefined) unknown.push("uid" in ref ? ref.uid : ref.name);
    else if (!uids.includes(uid)) uids.push(uid);
  }
  return unknown.length > 0 ? { ok: false, unknown } : { ok: true, uids };
}

function writeScope(sql: SqlStorage, tokenUid: string, uids: string[]): void {
  sql.exec("DELETE FROM delivery_token_scope WHERE token_uid = ?", tokenUid);
  uids.forEach((uid, position) => {
    sql.exec(
      "INSERT INTO delivery_token_scope (token_uid, environment_uid, position) VALUES (?, ?, ?)",
      tokenUid,
      uid,
      position,
    );
  });
}

function writeRecord(sql: SqlStorage, token: DeliveryTokenRecord, hash: string): void {
  const { environments: _scope, ...record } = token;
  sql.exec(
    `INSERT INTO delivery_tokens (uid, hash, created_at, record) VALUES (?, ?, ?, ?)
     ON CONFLICT (uid) DO UPDATE SET record = excluded.record`,
    token.uid,
    hash,
    token.createdAt,
    JSON.stringify(record satisfies StoredToken),
  );
}

/** Creates a token from its record (environments not yet resolved) and its hash. */
export function createDeliveryToken(
  sql: SqlStorage,
  token: Omit<DeliveryTokenRecord, "environments">,
  scope: EnvironmentRef[],
  hash: string,
): TokenResult {
  const n = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM delivery_tokens").one().n;
  if (n >= MAX_DELIVERY_TOKENS) return { ok: false, reason: "too_many" };
  const resolved = resolveScope(sql, scope);
  if (!resolved.ok) return { ok: false, reason: "unknown_environments", unknown: resolved.unknown };
  const record = { ...token, environments: resolved.uids };
  writeRecord(sql, record, hash);
  writeScope(sql, token.uid, resolved.uids);
  return { ok: true, token: record, hash };
}

/** Changes the fields given; the same values again change nothing (not even updated_at). */
export function updateDeliveryToken(
  sql: SqlStorage,
  uid: string,
  change: TokenChange,
  by: string,
  now: string,
): TokenResult {
  const found = stored(sql, uid);
  if (!found) return { ok: false, reason: "not_found" };
  const { token, hash } = found;
  let environments = token.environments;
  if (change.scope) {
    const resolved = resolveScope(sql, change.scope);
    if (!resolved.ok) {
      return { ok: false, reason: "unknown_environments", unknown: resolved.unknown };
    }
    environments = resolved.uids;
  }
  const next: DeliveryTokenRecord = {
    ...token,
    name: change.name ?? token.name,
    description: change.description ?? token.description,
    environments,
  };
  if (JSON.stringify(next) === JSON.stringify(token)) return { ok: true, token, hash };
  const updated = { ...next, updatedAt: now, updatedBy: by };
  writeRecord(sql, updated, hash);
  writeScope(sql, uid, environments);
  return { ok: true, token: updated, hash };
}

/** Deletes a token; its hash (to remove its grant), or null when there was no such token. */
export function deleteDeliveryToken(sql: SqlStorage, uid: string): string | null {
  const found = stored(sql, uid);
  if (!found) return null;
  sql.exec("DELETE FROM delivery_tokens WHERE uid = ?", uid);
  sql.exec("DELETE FROM delivery_token_scope WHERE token_uid = ?", uid);
  return found.hash;
}

/** What the delivery Worker may know of a token: its stack, uid and environments. */
export const grantOf = (apiKey: string, token: DeliveryTokenRecord): DeliveryTokenGrant => ({
  apiKey,
  uid: token.uid,
  environments: token.environments,
});
