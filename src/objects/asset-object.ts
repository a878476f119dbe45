// One Durable Object per asset: the single, strongly consistent writer of the asset's state.
// Every change is one synchronous storage transaction (no await inside), so concurrent requests
// are applied one after another. Each commit stages the asset's edge record in the same
// transaction; asset-sync.ts then brings KV and the stack's catalogue in step, with an alarm
// set in the same turn as the backstop.

import { DurableObject } from "cloudflare:workers";
import { decideSlug } from "../domain/exactly-once";
import type { AssetRecord, AssetSnapshot, VersionRecord } from "../domain/records";
import {
  AssetPublishing,
  type PublishingInput,
  type PublishingRefusal,
  type PublishingResult,
} from "./asset-publishing";
import {
  ASSET,
  readAsset,
  readPublications,
  readScheduled,
  readSnapshot,
  readVersions,
  versionKey,
} from "./asset-storage";
import { AssetSync } from "./asset-sync";
import { tellDeliveryAssetChanged } from "./tell-delivery";

/** A version as uploaded, before the object numbers it. */
export type NewVersion = Omit<VersionRecord, "version">;

export interface CreateInput {
  apiKey: string;
  uid: string;
  title: string;
  description: string;
  tags: string[];
  parentUid: string | null;
  slug: string | null;
  version: NewVersion;
  /** The uid of the management token making the change. */
  by: string;
}

/** What one update changes; a field left out stays as it is. */
export interface AssetChange {
  version?: NewVersion;
  title?: string;
  description?: string;
  tags?: string[];
  parentUid?: string | null;
  slug?: string;
}

export interface UpdateInput extends AssetChange {
  by: string;
}

/** `synced`: KV and the stack's catalogue show the commit already (else the alarm's retry will). */
export type CreateResult =
  | { ok: true; snapshot: AssetSnapshot; synced: boolean }
  | { ok: false; reason: "exists" };

export type UpdateResult =
  /** `slugSet`: this request gave the asset its permanent URL (or, changing nothing, repeated it). */
  | { ok: true; snapshot: AssetSnapshot; slugSet: boolean; synced: boolean }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "slug_conflict"; existing: string };

export class AssetObject extends DurableObject<Env> {
  readonly #sync: AssetSync = new AssetSync(
    this.ctx,
    () => this.env,
    () => this.#publishing,
  );
  readonly #publishing: AssetPublishing = new AssetPublishing(this.ctx, this.#sync);

  async create(input: CreateInput): Promise<CreateResult> {
    const result = this.ctx.storage.transactionSync(() => {
      if (this.#asset()) return { ok: false, reason: "exists" } as const;
      const now = new Date().toISOString();
      const asset: AssetRecord = {
        apiKey: input.apiKey,
        uid: input.uid,
        title: input.title,
        description: input.description,
        tags: input.tags,
        parentUid: input.parentUid,
        createdBy: input.by,
        updatedBy: input.by,
        slug: input.slug,
        currentVersion: 1,
        createdAt: now,
        updatedAt: now,
        deleted: false,
        revision: 1,
      };
      const current: VersionRecord = { ...input.version, version: 1 };
      this.ctx.storage.kv.put(ASSET, asset);
      this.ctx.storage.kv.put(versionKey(1), current);
      this.#sync.stage(asset, true);
      return { ok: true, snapshot: { asset, current } } as const;
    });
    if (!result.ok) return result;
    return { ...result, synced: await this.#sync.afterCommit() };
  }

  async update(input: UpdateInput): Promise<UpdateResult> {
    const result = this.ctx.storage.transactionSync(() => {
      const asset = this.#asset();
      if (!asset || asset.deleted) return { ok: false, reason: "not_found" } as const;
      const next: AssetRecord = { ...asset };
      if (input.slug !== undefined) {
        const decision = decideSlug(asset.slug, input.slug);
        if (decision.kind === "conflict") {
          return { ok: false, reason: "slug_conflict", existing: decision.existing } as const;
        }
        next.slug = input.slug;
      }
      if (input.title !== undefined) next.title = input.title;
      if (input.description !== undefined) next.description = input.description;
      if (input.tags !== undefined) next.tags = input.tags;
      if (input.parentUid !== undefined) next.parentUid = input.parentUid;
      // A file_uid already committed (a retried completion) is not committed twice.
      const known = input.version ? this.#hasFileUid(input.version.fileUid) : false;
      if (input.version && !known) {
        next.currentVersion = asset.currentVersion + 1;
        this.ctx.storage.kv.put(versionKey(next.currentVersion), {
          ...input.version,
          version: next.currentVersion,
        });
      }
      const changed =
        next.slug !== asset.slug ||
        next.title !== asset.title ||
        next.description !== asset.description ||
        next.tags.join(",") !== asset.tags.join(",") ||
        next.parentUid !== asset.parentUid ||
        next.currentVersion !== asset.currentVersion;
      // An idempotent retry (same slug, nothing else) changes nothing, not even updated_at,
      // so the client sees exactly the body of the request that won.
      if (changed) {
        next.revision = asset.revision + 1;
        next.updatedAt = new Date().toISOString();
        next.updatedBy = input.by;
        this.ctx.storage.kv.put(ASSET, next);
        this.#sync.stage(next);
      }
      const slugSet = input.slug !== undefined && (asset.slug === null || !changed);
      return {
        ok: true,
        snapshot: this.#snapshot(changed ? next : asset),
        changed,
        slugSet,
      } as const;
    });
    if (!result.ok) return result;
    const synced = result.changed ? await this.#sync.afterCommit() : this.isSynced();
    return { ok: true, snapshot: result.snapshot, slugSet: result.slugSet, synced };
  }

  /**
   * Marks the asset deleted; the sync then removes its read model, catalogue entry and bytes.
   * Returns the versions it had (so the caller can evict their cached copies), with `now` false
   * when it was deleted before (a retry after a lost response evicts again); null when there
   * never was such an asset.
   */
  async delete(): Promise<{ versions: VersionRecord[]; now: boolean } | null> {
    const result = this.ctx.storage.transactionSync(() => {
      const asset = this.#asset();
      if (!asset) return null;
      const versions = this.#versionRecords();
      if (asset.deleted) return { versions, now: false };
      const next: AssetRecord = {
        ...asset,
        deleted: true,
        revision: asset.revision + 1,
        updatedAt: new Date().toISOString(),
      };
      this.ctx.storage.kv.put(ASSET, next);
      this.#sync.stage(next);
      return { versions, now: true };
    });
    if (result?.now) await this.#sync.afterCommit();
    return result;
  }

  get(): AssetSnapshot | null {
    const asset = this.#asset();
    return asset && !asset.deleted ? this.#snapshot(asset) : null;
  }

  /**
   * The asset with version `n` in place of its current version (the CMA's ?version=); its other
   * fields are as they are now. Null when there is no such asset or version.
   */
  getVersion(n: number): AssetSnapshot | null {
    const asset = this.#asset();
    if (!asset || asset.deleted) return null;
    const version = this.ctx.storage.kv.get<VersionRecord>(versionKey(n));
    return version ? { asset, current: version } : null;
  }

  /** Every version, newest first; null when the asset does not exist. */
  versions(): VersionRecord[] | null {
    const asset = this.#asset();
    if (!asset || asset.deleted) return null;
    return this.#versionRecords();
  }

  /** The file_uids of every committed version; null when the asset does not exist (any more). */
  fileUids(): string[] | null {
    return this.versions()?.map((v) => v.fileUid) ?? null;
  }

  /** True when KV and the catalogue reflect the latest commit (used by tests and operators). */
  isSynced(): boolean {
    return this.#sync.isSynced();
  }

  /** Publishes or unpublishes now, or schedules it (docs/PUBLISHING.md). */
  publishing(input: PublishingInput): Promise<PublishingResult> {
    return this.#publishing.apply(input);
  }

  /** Why publishing(input) would be refused now, or null (a bulk request checks first). */
  publishingRefusal(input: PublishingInput): PublishingRefusal | null {
    return this.#publishing.refusal(input);
  }

  /** Cancels a scheduled action; false when it has fired or was cancelled already. */
  cancelScheduled(uid: string): Promise<boolean> {
    return this.#publishing.cancel(uid);
  }

  /** Forgets a deleted environment (the stack's alarm asks). Idempotent. */
  async dropEnvironment(environmentUid: string): Promise<void> {
    if (this.#publishing.forget([environmentUid])) await this.#sync.afterCommit();
  }

  /** The asset's publications and waiting actions; null when the asset does not exist. */
  publications() {
    if (!this.get()) return null;
    const storage = this.ctx.storage.kv;
    return { publications: readPublications(storage), scheduled: readScheduled(storage) };
  }

  /** The asset as an environment holds it (its published version); null when it holds none. */
  getPublished(environmentUid: string) {
    return this.#publishing.published(environmentUid);
  }

  /**
   * Fires the scheduled actions that are due (public so a test can make it fail). A failure
   * throws out of the alarm, and the runtime retries the alarm: nothing fired, nothing lost.
   */
  fireDueActions(): number {
    return this.#publishing.fireDue();
  }

  override async alarm(): Promise<void> {
    if (this.fireDueActions() === 0) return this.#sync.alarm();
    // As after a request's commit: wait for KV's write slot, then tell the delivery Worker, so
    // a scheduled publish shows at its time with no request needed (locally, at once).
    await this.#sync.afterCommit();
    const asset = this.#asset();
    if (asset) await tellDeliveryAssetChanged(this.env, asset.apiKey, asset.uid);
  }

  #hasFileUid(fileUid: string): boolean {
    for (const [, v] of this.ctx.storage.kv.list<VersionRecord>({ prefix: "version:" })) {
      if (v.fileUid === fileUid) return true;
    }
    return false;
  }

  #asset(): AssetRecord | undefined {
    return readAsset(this.ctx.storage.kv);
  }

  #snapshot(asset: AssetRecord): AssetSnapshot {
    return readSnapshot(this.ctx.storage.kv, asset);
  }

  #versionRecords(): VersionRecord[] {
    return readVersions(this.ctx.storage.kv);
  }
}
