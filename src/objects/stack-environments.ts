// A stack's environments (stack-schema.ts, migration 3), written only here, inside the stack's
// Durable Object: names are unique by construction (a UNIQUE column checked in the same
// transaction as the write), and a rename changes the name alone, never the uid that
// publications, delivery tokens and the edge's index refer to.

import { type EnvironmentIndex, environmentUidIn } from "../domain/kv-records";
import { type EnvironmentRecord, MAX_ENVIRONMENTS } from "../domain/publishing-records";
import { recordPage } from "./record-page";

export type EnvironmentChange = Partial<
  Pick<EnvironmentRecord, "name" | "urls" | "servers" | "deployContent">
>;

export type EnvironmentResult =
  | { ok: true; environment: EnvironmentRecord }
  | { ok: false; reason: "not_found" | "duplicate" | "too_many" | "other_uid" };

export interface EnvironmentPage {
  items: EnvironmentRecord[];
  count: number;
}

const parse = (row: { record: string }) => JSON.parse(row.record) as EnvironmentRecord;

export function getEnvironment(sql: SqlStorage, name: string): EnvironmentRecord | null {
  const row = sql
    .exec<{ record: string }>("SELECT record FROM environments WHERE name = ?", name)
    .toArray()[0];
  return row ? parse(row) : null;
}

/** A page in creation order; `name` keeps only the environment of that name. */
export function listEnvironments(
  sql: SqlStorage,
  name: string | undefined,
  skip: number,
  limit: number,
): EnvironmentPage {
  const page = recordPage(sql, "environments", "name", name, skip, limit);
  return { items: page.records.map((record) => parse({ record })), count: page.count };
}

const nameTaken = (sql: SqlStorage, name: string, exceptUid: string) =>
  sql.exec("SELECT 1 FROM environments WHERE name = ? AND uid <> ?", name, exceptUid).toArray()
    .length > 0;

function write(sql: SqlStorage, env: EnvironmentRecord): void {
  sql.exec(
    `INSERT INTO environments (uid, name, created_at, record) VALUES (?, ?, ?, ?)
     ON CONFLICT (uid) DO UPDATE SET name = excluded.name, record = excluded.record`,
    env.uid,
    env.name,
    env.createdAt,
    JSON.stringify(env),
  );
}

export function createEnvironment(sql: SqlStorage, env: EnvironmentRecord): EnvironmentResult {
  if (nameTaken(sql, env.name, env.uid)) return { ok: false, reason: "duplicate" };
  const n = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM environments").one().n;
  if (n >= MAX_ENVIRONMENTS) return { ok: false, reason: "too_many" };
  write(sql, env);
  return { ok: true, environment: env };
}

/**
 * Changes the fields given; the same values again change nothing (not even updated_at). `uid`,
 * when the request carried one back, must be the environment's.
 */
export function updateEnvironment(
  sql: SqlStorage,
  name: string,
  change: EnvironmentChange & { uid?: string },
  by: string,
  now: string,
): EnvironmentResult {
  const env = getEnvironment(sql, name);
  if (!env) return { ok: false, reason: "not_found" };
  const { uid, ...fields } = change;
  if (uid !== undefined && uid !== env.uid) return { ok: false, reason: "other_uid" };
  const next: EnvironmentRecord = { ...env, ...fields };
  if (next.name !== env.name && nameTaken(sql, next.name, env.uid)) {
    return { ok: false, reason: "duplicate" };
  }
  if (JSON.stringify(next) === JSON.stringify(env)) return { ok: true, environment: env };
  const updated = { ...next, updatedAt: now, updatedBy: by };
  write(sql, updated);
  return { ok: true, environment: updated };
}

/**
 * Deletes the environment and takes it out of every delivery token's scope, in one step; its
 * publications are left for the alarm to remove (environment-drops.ts), recorded here.
 */
export function deleteEnvironment(
  sql: SqlStorage,
  name: string,
  now: string,
): EnvironmentRecord | null {
  const env = getEnvironment(sql, name);
  if (!env) return null;
  sql.exec("DELETE FROM environments WHERE uid = ?", env.uid);
  sql.exec("DELETE FROM delivery_token_scope WHERE environment_uid = ?", env.uid);
  sql.exec(
    "INSERT OR IGNORE INTO environment_drops (environment_uid, deleted_at) VALUES (?, ?)",
    env.uid,
    now,
  );
  return env;
}

/** Every environment, name -> uid: the edge's index (KV `environments:{api_key}`). */
export function environmentIndex(sql: SqlStorage): EnvironmentIndex {
  // fromEntries defines own keys: an environment may be called "__proto__" or "constructor".
  return Object.fromEntries(
    sql
      .exec<{ name: string; uid: string }>("SELECT name, uid FROM environments ORDER BY name")
      .toArray()
      .map((row) => [row.name, row.uid]),
  );
}

/** Every environment, uid -> name. */
export function environmentNames(sql: SqlStorage): Record<string, string> {
  return Object.fromEntries(
    sql
      .exec<{ name: string; uid: string }>("SELECT name, uid FROM environments")
      .toArray()
      .map((row) => [row.uid, row.name]),
  );
}

export type Resolution =
  | { ok: true; uids: Record<string, string> }
  | { ok: false; unknown: string[] };

/**
 * The uids of environments given by name (compared in NFC, as names are stored), keyed by the
 * names as given; or every name that is none of them.
 */
export function resolveEnvironments(sql: SqlStorage, names: string[]): Resolution {
  const index = environmentIndex(sql);
  const found = names.map((name) => [name, environmentUidIn(index, name)] as const);
  const unknown = [...new Set(found.filter(([, uid]) => uid === undefined).map(([name]) => name))];
  if (unknown.length > 0) return { ok: false, unknown };
  return { ok: true, uids: Object.fromEntries(found) as Record<string, string> };
}
