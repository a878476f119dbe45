// One Durable Object per stack: the stack record, its management tokens (hashes only) and the
// catalogue of its assets used for listing. Token checks read here, never from KV, so a revoked
// token fails on the very next request everywhere.

import { DurableObject } from "cloudflare:workers";
import { FailureWindow } from "../auth/failure-window";
import { hexToBytes } from "../auth/token-hash";
import type { AssetSnapshot } from "../domain/records";

export interface StackRecord {
  apiKey: string;
  name: string;
  createdAt: string;
}

export type AuthResult =
  | { ok: true }
  | { ok: false; reason: "unknown_stack" | "bad_token" | "rate_limited" };

export class StackObject extends DurableObject<Env> {
  // In memory: an instance restart forgets the failures, which an attacker cannot cause at will.
  readonly #failures = new FailureWindow(60_000);

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS stack (
      id INTEGER PRIMARY KEY CHECK (id = 1), api_key TEXT NOT NULL, name TEXT NOT NULL,
      created_at TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS tokens (
      uid TEXT PRIMARY KEY, hash TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS catalog (
      uid TEXT PRIMARY KEY, revision INTEGER NOT NULL, created_at TEXT NOT NULL,
      deleted INTEGER NOT NULL, snapshot TEXT)`);
    sql.exec(
      "CREATE INDEX IF NOT EXISTS catalog_newest ON catalog (deleted, created_at DESC, uid)",
    );
  }

  /** Creates the stack with its first token; false if this api_key is already taken. */
  createStack(stack: StackRecord, tokenUid: string, tokenHash: string): boolean {
    return this.ctx.storage.transactionSync(() => {
      if (this.getStack()) return false;
      this.ctx.storage.sql.exec(
        "INSERT INTO stack (id, api_key, name, created_at) VALUES (1, ?, ?, ?)",
        stack.apiKey,
        stack.name,
        stack.createdAt,
      );
      this.#insertToken(tokenUid, tokenHash);
      return true;
    });
  }

  getStack(): StackRecord | null {
    const row = this.ctx.storage.sql
      .exec<{ api_key: string; name: string; created_at: string }>(
        "SELECT api_key, name, created_at FROM stack WHERE id = 1",
      )
      .toArray()[0];
    return row ? { apiKey: row.api_key, name: row.name, createdAt: row.created_at } : null;
  }

  /** Adds a token given its hash; false if the stack does not exist. */
  addToken(tokenUid: string, tokenHash: string): boolean {
    if (!this.getStack()) return false;
    this.#insertToken(tokenUid, tokenHash);
    return true;
  }

  /** Revokes a token; false if there is no such live token. */
  revokeToken(tokenUid: string): boolean {
    const cursor = this.ctx.storage.sql.exec(
      "UPDATE tokens SET revoked_at = ? WHERE uid = ? AND revoked_at IS NULL",
      new Date().toISOString(),
      tokenUid,
    );
    return cursor.rowsWritten > 0;
  }

  /**
   * Checks a token's SHA-256 against every live token of this stack in constant time
   * (crypto.subtle.timingSafeEqual), looking at all of them whatever matches.
   */
  /** `client` may fail at most `failuresPerMinute` times a minute; then it is refused (429). */
  authorize(tokenHash: string, client: string, failuresPerMinute: number): AuthResult {
    if (!this.getStack()) return { ok: false, reason: "unknown_stack" };
    // Checked before the token, so a refused client learns nothing about its guess.
    const now = Date.now();
    if (!this.#failures.allows(client, now, failuresPerMinute)) {
      return { ok: false, reason: "rate_limited" };
    }
    const presented = hexToBytes(tokenHash);
    let match = false;
    for (const row of this.ctx.storage.sql.exec<{ hash: string }>(
      "SELECT hash FROM tokens WHERE revoked_at IS NULL",
    )) {
      const stored = hexToBytes(row.hash);
      if (stored.length === presented.length && crypto.subtle.timingSafeEqual(stored, presented)) {
        match = true;
      }
    }
    if (match) return { ok: true };
    this.#failures.fail(client, now);
    return { ok: false, reason: "bad_token" };
  }

  /** Called by an asset's Durable Object; a write older than the stored revision is ignored. */
  putInCatalog(snapshot: AssetSnapshot): void {
    const { asset } = snapshot;
    this.ctx.storage.sql.exec(
      `INSERT INTO catalog (uid, revision, created_at, deleted, snapshot) VALUES (?, ?, ?, 0, ?)
       ON CONFLICT (uid) DO UPDATE SET revision = excluded.revision, deleted = 0,
         snapshot = excluded.snapshot
       WHERE excluded.revision > catalog.revision`,
      asset.uid,
      asset.revision,
      asset.createdAt,
      JSON.stringify(snapshot),
    );
  }

  /** Leaves a tombstone, so a late, older putInCatalog cannot bring the asset back. */
  removeFromCatalog(uid: string, revision: number): void {
    this.ctx.storage.sql.exec(
      `INSERT INTO catalog (uid, revision, created_at, deleted, snapshot) VALUES (?, ?, '', 1, NULL)
       ON CONFLICT (uid) DO UPDATE SET revision = excluded.revision, deleted = 1, snapshot = NULL
       WHERE excluded.revision > catalog.revision`,
      uid,
      revision,
    );
  }

  /**
   * Live assets, newest first. A non-empty `search` keeps those whose title or current filename
   * contains it (ASCII letters in any case; LIKE's wildcards in it are taken literally).
   */
  listCatalog(
    skip: number,
    limit: number,
    search = "",
  ): { assets: AssetSnapshot[]; count: number } {
    const sql = this.ctx.storage.sql;
    const filter = `deleted = 0 AND (? = '' OR json_extract(snapshot, '$.asset.title') LIKE ? ESCAPE '\\'
      OR json_extract(snapshot, '$.current.filename') LIKE ? ESCAPE '\\')`;
    const pattern = `%${search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const matching = [search, pattern, pattern] as const;
    const count = sql
      .exec<{ n: number }>(`SELECT COUNT(*) AS n FROM catalog WHERE ${filter}`, ...matching)
      .one().n;
    const assets = sql
      .exec<{ snapshot: string }>(
        `SELECT snapshot FROM catalog WHERE ${filter}
         ORDER BY created_at DESC, uid DESC LIMIT ? OFFSET ?`,
        ...matching,
        limit,
        skip,
      )
      .toArray()
      .map((row) => JSON.parse(row.snapshot) as AssetSnapshot);
    return { assets, count };
  }

  #insertToken(uid: string, hash: string): void {
    this.ctx.storage.sql.exec(
      "INSERT INTO tokens (uid, hash, created_at) VALUES (?, ?, ?)",
      uid,
      hash,
      new Date().toISOString(),
    );
  }
}
