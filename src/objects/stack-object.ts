// One Durable Object per stack: the stack record, its management tokens (hashes only), the
// catalogue of its assets used for listing (catalog.ts), its folders (folders.ts), and its
// environments and delivery tokens (stack-publishing.ts). Token checks read here, never from KV,
// so a revoked management token fails on the very next request everywhere.

import { DurableObject } from "cloudflare:workers";
import { FailureWindow } from "../base/failure-window";
import type { ListFilter, ListOrder } from "../domain/asset-query-sql";
import type { EnvironmentRef } from "../domain/delivery-token-scope";
import type {
  DeliveryTokenRecord,
  EnvironmentRecord,
  PublishingState,
} from "../domain/publishing-records";
import type { AssetSnapshot, FolderRecord } from "../domain/records";
import { type CatalogPage, countCatalog, listCatalog } from "./catalog";
import type { Drop } from "./environment-drops";
import type { TokenChange } from "./stack-delivery-tokens";
import {
  type EnvironmentChange,
  type EnvironmentPage,
  environmentNames,
  getEnvironment,
  listEnvironments,
  type Resolution,
  resolveEnvironments,
} from "./stack-environments";
import {
  createFolder,
  deleteFolder,
  type FolderChangeResult,
  type FolderDeleteResult,
  getFolder,
  holdFolder,
  releaseHold,
  type UnknownFolder,
  unknownFolder,
  updateFolder,
} from "./stack-folders";
import {
  catalogueAsset,
  getQueueEntry,
  listQueue,
  NOTHING_PUBLISHED,
  type QueueEntry,
  type QueuePage,
  uncatalogueAsset,
} from "./stack-publications";
import { StackPublishing } from "./stack-publishing";
import { migrateStackSchema } from "./stack-schema";
import { insertToken, liveTokenWithHash, revokeLiveToken } from "./stack-tokens";
import { assetStub } from "./stubs";

export interface StackRecord {
  apiKey: string;
  name: string;
  createdAt: string;
}

export type AuthResult =
  | { ok: true; tokenUid: string }
  | { ok: false; reason: "unknown_stack" | "bad_token" | "rate_limited" };

export class StackObject extends DurableObject<Env> {
  // In memory: an instance restart forgets the failures, which an attacker cannot cause at will.
  readonly #failures = new FailureWindow(60_000);
  readonly #publishing: StackPublishing;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrateStackSchema(ctx.storage);
    this.#publishing = new StackPublishing(
      ctx,
      () => this.env,
      () => this.getStack()?.apiKey ?? null,
      (d) => this.#dropFromAsset(d),
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
      insertToken(this.ctx.storage.sql, tokenUid, tokenHash);
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
    insertToken(this.ctx.storage.sql, tokenUid, tokenHash);
    return true;
  }

  /** Revokes a token; false if there is no such live token. */
  revokeToken(tokenUid: string): boolean {
    return revokeLiveToken(this.ctx.storage.sql, tokenUid);
  }

  /**
   * Checks a token's SHA-256 against every live token of this stack in constant time
   * (stack-tokens.ts). `client` may fail at most `failuresPerMinute` times a minute; then it is
   * refused (429).
   */
  authorize(tokenHash: string, client: string, failuresPerMinute: number): AuthResult {
    if (!this.getStack()) return { ok: false, reason: "unknown_stack" };
    // Checked before the token, so a refused client learns nothing about its guess.
    const now = Date.now();
    if (!this.#failures.allows(client, now, failuresPerMinute)) {
      return { ok: false, reason: "rate_limited" };
    }
    const match = liveTokenWithHash(this.ctx.storage.sql, tokenHash);
    if (match !== null) return { ok: true, tokenUid: match };
    this.#failures.fail(client, now);
    return { ok: false, reason: "bad_token" };
  }

  /** From an asset's Durable Object with its publishing state (an older revision is ignored);
   * answers the environments the state names that no longer exist. */
  putInCatalog(snapshot: AssetSnapshot, publishing: PublishingState = NOTHING_PUBLISHED) {
    const sql = this.ctx.storage.sql;
    return this.ctx.storage.transactionSync(() => catalogueAsset(sql, snapshot, publishing));
  }

  /** Leaves a tombstone, so a late, older putInCatalog cannot bring the asset back. */
  removeFromCatalog(uid: string, revision: number): void {
    const sql = this.ctx.storage.sql;
    this.ctx.storage.transactionSync(() => uncatalogueAsset(sql, uid, revision));
  }

  /** The scheduled actions still waiting, the next to fire first. */
  listPublishQueue(skip: number, limit: number, assetUid?: string): QueuePage {
    return listQueue(this.ctx.storage.sql, skip, limit, assetUid);
  }

  getPublishQueueEntry(uid: string): QueueEntry | null {
    return getQueueEntry(this.ctx.storage.sql, uid);
  }

  /**
   * Live assets (and folders, when asked) matching the filter, a page at a time; or the listing
   * parameter that names no folder of this stack (`folder`, or a `parent_uid` in `query`).
   */
  listCatalog(
    filter: ListFilter,
    order: ListOrder,
    skip: number,
    limit: number,
  ): CatalogPage | UnknownFolder {
    return (
      unknownFolder(this.ctx.storage.sql, filter) ??
      listCatalog(this.ctx.storage.sql, filter, order, skip, limit)
    );
  }

  /** How many entries match; or the unknown folder, as for listCatalog. */
  countCatalog(filter: ListFilter): number | UnknownFolder {
    const sql = this.ctx.storage.sql;
    return unknownFolder(sql, filter) ?? countCatalog(sql, filter);
  }

  getFolder(uid: string): FolderRecord | null {
    return getFolder(this.ctx.storage.sql, uid);
  }

  createFolder(folder: FolderRecord): FolderChangeResult {
    return this.ctx.storage.transactionSync(() => createFolder(this.ctx.storage.sql, folder));
  }

  updateFolder(
    uid: string,
    change: { name?: string; parentUid?: string | null },
    by: string,
  ): FolderChangeResult {
    const now = new Date().toISOString();
    return this.ctx.storage.transactionSync(() =>
      updateFolder(this.ctx.storage.sql, uid, change, by, now),
    );
  }

  deleteFolder(uid: string): FolderDeleteResult {
    return this.ctx.storage.transactionSync(() =>
      deleteFolder(this.ctx.storage.sql, uid, Date.now()),
    );
  }

  /** Before an asset moves into a folder; false when the stack has no such folder. */
  holdFolder(folderUid: string, assetUid: string): boolean {
    return this.ctx.storage.transactionSync(() =>
      holdFolder(this.ctx.storage.sql, folderUid, assetUid, Date.now()),
    );
  }

  /** When the move was refused after all. */
  releaseHold(folderUid: string, assetUid: string): void {
    releaseHold(this.ctx.storage.sql, folderUid, assetUid);
  }

  listEnvironments(name: string | undefined, skip: number, limit: number): EnvironmentPage {
    return listEnvironments(this.ctx.storage.sql, name, skip, limit);
  }

  getEnvironment(name: string): EnvironmentRecord | null {
    return getEnvironment(this.ctx.storage.sql, name);
  }

  createEnvironment(env: EnvironmentRecord) {
    return this.#publishing.createEnvironment(env);
  }

  updateEnvironment(name: string, change: EnvironmentChange & { uid?: string }, by: string) {
    return this.#publishing.updateEnvironment(name, change, by);
  }

  deleteEnvironment(name: string): Promise<boolean> {
    return this.#publishing.deleteEnvironment(name);
  }

  /** The uids of the environments a publish names (compared in NFC), or the unknown names. */
  resolveEnvironments(names: string[]): Resolution {
    return resolveEnvironments(this.ctx.storage.sql, names);
  }

  /** uid -> name of every environment (publish_details, the console). */
  environmentNames(): Record<string, string> {
    return environmentNames(this.ctx.storage.sql);
  }

  listDeliveryTokens(name: string | undefined, skip: number, limit: number) {
    return this.#publishing.listDeliveryTokens(name, skip, limit);
  }

  getDeliveryToken(uid: string) {
    return this.#publishing.getDeliveryToken(uid);
  }

  createDeliveryToken(
    token: Omit<DeliveryTokenRecord, "environments">,
    scope: EnvironmentRef[],
    hash: string,
  ) {
    return this.#publishing.createDeliveryToken(token, scope, hash);
  }

  updateDeliveryToken(uid: string, change: TokenChange, by: string) {
    return this.#publishing.updateDeliveryToken(uid, change, by);
  }

  deleteDeliveryToken(uid: string): Promise<boolean> {
    return this.#publishing.deleteDeliveryToken(uid);
  }

  /** KV writes of the environment index and grants, and a deleted environment's drops. */
  override async alarm(): Promise<void> {
    await this.#publishing.alarm();
  }

  /** Asks an asset published to a deleted environment to drop it (environment-drops.ts). */
  async #dropFromAsset(d: Drop): Promise<void> {
    const apiKey = this.getStack()?.apiKey;
    if (apiKey) await assetStub(this.env, apiKey, d.assetUid).dropEnvironment(d.environmentUid);
  }
}
