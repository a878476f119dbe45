// The asset's Durable Object's publishing: publish and unpublish (now or scheduled), cancelling a
// scheduled action, firing the due ones from the alarm, and forgetting environments that were
// deleted. Each change is one synchronous storage transaction that bumps the asset's revision and
// stages the edge record (asset-sync.ts), as every commit of the asset does; what it decides
// comes from domain/publications.ts and domain/schedule.ts. AssetObject exposes these over RPC.

import { newAssetUid } from "../domain/ids";
import { applyPublish, applyUnpublish, withoutEnvironments } from "../domain/publications";
import type {
  PublicationRecord,
  PublishedMetadata,
  ScheduledAction,
} from "../domain/publishing-records";
import type { AssetRecord, AssetSnapshot, VersionRecord } from "../domain/records";
import { dueActions, findSameAction, MAX_SCHEDULED_PER_ASSET, nextDue } from "../domain/schedule";
import {
  ASSET,
  readAsset,
  readPublications,
  readScheduled,
  versionKey,
  writePublications,
  writeScheduled,
} from "./asset-storage";
import type { AssetSync } from "./asset-sync";

export interface PublishingInput {
  action: "publish" | "unpublish";
  /** Environment uids (the route resolved the names just before). */
  environments: string[];
  /** Checked locale codes (domain/publications.ts). */
  locales: string[];
  /** Publish: this version, else the latest. Unpublish: only where this version is held. */
  version: number | null;
  /** An ISO time in the future: schedule the action instead of applying it now. */
  scheduledAt: string | null;
  /** The management token's uid. */
  by: string;
}

/** Why a publish, unpublish or schedule cannot be applied to the asset. */
export type PublishingRefusal = "not_found" | "no_version" | "too_many_scheduled";

export type PublishingResult =
  /** `changed`: this request changed something (false: it repeats what is so already). */
  | { ok: true; changed: boolean; synced: boolean; scheduled: ScheduledAction | null }
  | { ok: false; reason: PublishingRefusal };

/** What apply() is about to do, or why it cannot. */
type Decision =
  | { ok: true; asset: AssetRecord; version: number | null; same: ScheduledAction | null }
  | { ok: false; reason: PublishingRefusal };

export const metadataOf = (asset: AssetRecord): PublishedMetadata => ({
  title: asset.title,
  description: asset.description,
  tags: asset.tags,
  parentUid: asset.parentUid,
  updatedAt: asset.updatedAt,
  updatedBy: asset.updatedBy,
});

/** The scheduled action an input asks for, before it has a uid. */
const wantedAction = (input: PublishingInput, version: number | null) => ({
  action: input.action,
  environments: [...input.environments].sort(),
  locales: input.locales,
  version,
  scheduledAt: input.scheduledAt as string,
});

export class AssetPublishing {
  readonly #ctx: DurableObjectState;
  readonly #sync: AssetSync;

  constructor(ctx: DurableObjectState, sync: AssetSync) {
    this.#ctx = ctx;
    this.#sync = sync;
  }

  get #storage(): SyncKvStorage {
    return this.#ctx.storage.kv;
  }

  /**
   * Why apply() would refuse this input now, or null: a bulk request asks every asset before it
   * applies anything to any of them.
   */
  refusal(input: PublishingInput): PublishingRefusal | null {
    const decision = this.#decide(input);
    return decision.ok ? null : decision.reason;
  }

  /** Publishes or unpublishes now, or schedules it. */
  async apply(input: PublishingInput): Promise<PublishingResult> {
    const result = this.#ctx.storage.transactionSync((): PublishingResult => {
      const decision = this.#decide(input);
      if (!decision.ok) return decision;
      const { asset, version } = decision;
      if (input.scheduledAt !== null) return this.#schedule(asset, input, decision);
      const now = new Date().toISOString();
      const current = readPublications(this.#storage);
      const { next, changed } =
        input.action === "publish"
          ? applyPublish(current, {
              environments: input.environments,
              locales: input.locales,
              version: version as number,
              metadata: metadataOf(asset),
              time: now,
              user: input.by,
            })
          : applyUnpublish(current, { ...input, version });
      if (changed) {
        writePublications(this.#storage, next);
        this.#commit(asset);
      }
      return { ok: true, changed, synced: false, scheduled: null };
    });
    return this.#settled(result);
  }

  /**
   * The checks of apply(), read-only: the asset exists, the version it names (or the latest, for
   * a publish) exists, and a scheduled action is either one that waits already (a retry) or
   * finds room among the waiting ones.
   */
  #decide(input: PublishingInput): Decision {
    const asset = readAsset(this.#storage);
    if (!asset || asset.deleted) return { ok: false, reason: "not_found" };
    const version = input.version ?? (input.action === "publish" ? asset.currentVersion : null);
    if (version !== null && !this.#storage.get(versionKey(version))) {
      return { ok: false, reason: "no_version" };
    }
    if (input.scheduledAt === null) return { ok: true, asset, version, same: null };
    const waiting = readScheduled(this.#storage);
    const same = findSameAction(waiting, wantedAction(input, version)) ?? null;
    if (!same && waiting.length >= MAX_SCHEDULED_PER_ASSET) {
      return { ok: false, reason: "too_many_scheduled" };
    }
    return { ok: true, asset, version, same };
  }

  #schedule(
    asset: AssetRecord,
    input: PublishingInput,
    { version, same }: { version: number | null; same: ScheduledAction | null },
  ): PublishingResult {
    if (same) return { ok: true, changed: false, synced: false, scheduled: same };
    const waiting = readScheduled(this.#storage);
    const action: ScheduledAction = {
      ...wantedAction(input, version),
      uid: newAssetUid(),
      createdAt: new Date().toISOString(),
      createdBy: input.by,
    };
    writeScheduled(this.#storage, [...waiting, action]);
    this.#commit(asset);
    return { ok: true, changed: true, synced: false, scheduled: action };
  }

  /** Cancels a waiting action; false when there is none with this uid (fired or cancelled). */
  async cancel(uid: string): Promise<boolean> {
    const cancelled = this.#ctx.storage.transactionSync(() => {
      const asset = readAsset(this.#storage);
      const waiting = readScheduled(this.#storage);
      const kept = waiting.filter((a) => a.uid !== uid);
      if (!asset || asset.deleted || kept.length === waiting.length) return false;
      writeScheduled(this.#storage, kept);
      this.#commit(asset);
      return true;
    });
    if (cancelled) await this.#sync.afterCommit();
    return cancelled;
  }

  /**
   * Applies every action whose time has come, oldest first, and forgets them, in one
   * transaction: an action fires at most once, and not at all if the transaction fails (the
   * alarm then throws and the runtime retries it). Returns how many fired.
   */
  fireDue(now: number = Date.now()): number {
    return this.#ctx.storage.transactionSync(() => {
      const asset = readAsset(this.#storage);
      const waiting = readScheduled(this.#storage);
      const due = dueActions(waiting, now);
      if (!asset || due.length === 0) return 0;
      writeScheduled(
        this.#storage,
        waiting.filter((a) => !due.includes(a)),
      );
      if (asset.deleted) return 0; // nothing of a deleted asset is published any more
      let publications = readPublications(this.#storage);
      const time = new Date(now).toISOString();
      for (const action of due) {
        publications =
          action.action === "publish"
            ? applyPublish(publications, {
                ...action,
                version: action.version as number,
                metadata: metadataOf(asset),
                time,
                user: action.createdBy,
              }).next
            : applyUnpublish(publications, action).next;
      }
      writePublications(this.#storage, publications);
      this.#commit(asset);
      return due.length;
    });
  }

  /** When the next waiting action fires (ms); null when none waits (or the asset is deleted). */
  nextAction(): number | null {
    if (readAsset(this.#storage)?.deleted !== false) return null;
    return nextDue(readScheduled(this.#storage));
  }

  /**
   * Forgets environments that no longer exist: their publications and their place in waiting
   * actions. Idempotent; true when something changed (then a sync follows).
   */
  forget(environments: readonly string[]): boolean {
    return this.#ctx.storage.transactionSync(() => {
      const asset = readAsset(this.#storage);
      if (!asset || asset.deleted) return false;
      const result = withoutEnvironments(
        readPublications(this.#storage),
        readScheduled(this.#storage),
        new Set(environments),
      );
      if (!result.changed) return false;
      writePublications(this.#storage, result.publications);
      writeScheduled(this.#storage, result.scheduled);
      this.#commit(asset);
      return true;
    });
  }

  /** The asset as the environment holds it (its published version); null when it holds none. */
  published(
    environment: string,
  ): { snapshot: AssetSnapshot; publication: PublicationRecord } | null {
    const asset = readAsset(this.#storage);
    const publication = readPublications(this.#storage)[environment];
    if (!asset || asset.deleted || !publication) return null;
    const current = this.#storage.get<VersionRecord>(versionKey(publication.version));
    return current ? { snapshot: { asset, current }, publication } : null;
  }

  /**
   * A publishing change is a commit of the asset: a new revision (so KV, the catalogue and D1
   * take it in order), not a new updated_at (publishing does not edit the asset, as in the CMA).
   */
  #commit(asset: AssetRecord): void {
    const next: AssetRecord = { ...asset, revision: asset.revision + 1 };
    this.#storage.put(ASSET, next);
    this.#sync.stage(next);
  }

  async #settled(result: PublishingResult): Promise<PublishingResult> {
    if (!result.ok) return result;
    const synced = result.changed ? await this.#sync.afterCommit() : this.#sync.isSynced();
    return { ...result, synced };
  }
}
