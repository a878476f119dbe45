// How the asset's Durable Object brings its copies in step after a commit: the stack's catalogue,
// the asset's rows of the published catalogue in D1 (and, once the asset is deleted, its R2
// objects), and the edge record in KV, written through a KvWriter so the key gets at most one
// write a second. The commit stages the edge record in its
// own transaction and sets a backstop alarm in the same turn; push() then does the rest and
// re-arms the alarm for whatever is left, so every copy converges even if the instance dies.

import { readModelKey, toReadModel } from "../domain/kv-records";
import type { AssetRecord, VersionRecord } from "../domain/records";
import { assetObjectPrefix } from "../domain/urls";
import { type PublishedRow, publishedRows } from "../http/published-view";
import {
  publishedVersions,
  publishingState,
  readAsset,
  readPublications,
  readSnapshot,
  versionKey,
} from "./asset-storage";
import { KvWriter } from "./kv-writer";
import { writePublishedRows } from "./published-rows";
import { stackStub } from "./stubs";

/** The alarm set with every commit: it runs only if the push after the commit never finishes. */
const BACKSTOP_MS = 10_000;
/** Before the next try after the catalogue or R2 failed. */
const RETRY_MS = 10_000;
/**
 * How long a management request waits for KV's next write slot for its asset's key: the slot
 * comes at most a second after the previous write (two, after a 429). Waiting makes the answer
 * mean "the permanent URL serves this" wherever KV is read at once (locally; in production, in
 * the location that wrote it); past this, the alarm finishes the write.
 */
const SETTLE_WAIT_MS = 2_500;

/** The soonest the alarm is set for: a second, KV's own write interval for one key. */
const MIN_ALARM_MS = 1_000;

/** The revision the catalogue (and, for a deleted asset, R2's removal) last reflected. */
const CATALOGUED = "synced_revision";
/** How many rows of the published catalogue (D1) the last write left for the asset. */
const PUBLISHED_ROWS = "published_rows";

/** What the asset's publishing (asset-publishing.ts) gives the sync. */
export interface PublishingHooks {
  /** When the next scheduled action fires (ms), or null: the alarm is armed for it too. */
  nextAction(): number | null;
  /** Forgets environments the stack's object says no longer exist; true when that committed. */
  forget(environments: readonly string[]): boolean;
}

export class AssetSync {
  readonly #ctx: DurableObjectState;
  readonly #env: () => Env;
  readonly #kv: KvWriter;
  readonly #publishing: () => PublishingHooks;
  #chain: Promise<void> = Promise.resolve();

  /** `env` is read at each push, so the object's current bindings are the ones written to. */
  constructor(ctx: DurableObjectState, env: () => Env, publishing: () => PublishingHooks) {
    this.#ctx = ctx;
    this.#env = env;
    this.#kv = new KvWriter(ctx.storage, () => env().ASSET_INDEX);
    this.#publishing = publishing;
  }

  /**
   * Stages the edge record of the asset's state now. Call it inside the commit's transaction;
   * `fresh` for the commit that creates the asset, whose key no one has written yet.
   */
  stage(asset: AssetRecord, fresh = false): void {
    const storage = this.#ctx.storage.kv;
    const key = readModelKey(asset.apiKey, asset.uid);
    if (fresh) this.#kv.markAbsent(key);
    const model = toReadModel(readSnapshot(storage, asset), publishedVersions(storage));
    this.#kv.stage(key, model && JSON.stringify(model));
  }

  /** True when KV and the catalogue show the latest commit. */
  isSynced(): boolean {
    const asset = readAsset(this.#ctx.storage.kv);
    if (!asset) return true;
    return this.#catalogued(asset) && this.#kv.isSettled(readModelKey(asset.apiKey, asset.uid));
  }

  /**
   * Called right after a commit (before any await, so the backstop alarm is written with it):
   * pushes the state to every copy, waiting for KV's write slot if need be. True when all show it.
   */
  afterCommit(): Promise<boolean> {
    const backstop = this.#ctx.storage.setAlarm(Date.now() + BACKSTOP_MS);
    return backstop.then(() => this.push(SETTLE_WAIT_MS));
  }

  /** The alarm: whatever is due, then the alarm again for what is left. */
  async alarm(): Promise<void> {
    await this.push(0);
  }

  /**
   * Pushes the current state; re-arms (or clears) the alarm for what is left. Never throws.
   * The catalogue (with D1) and KV are tried apart: while one fails the other still takes the
   * commit, and a KV write left waiting behind a failed catalogue would arm the alarm for a
   * time already past, over and over.
   */
  async push(waitMs: number): Promise<boolean> {
    // The catalogue first: the stack's object answers it with the environments deleted meanwhile,
    // which the asset forgets (restaging its edge record) before KV is written. A catalogue that
    // fails does not hold KV back: the alarm armed below tries it again.
    try {
      await this.#catalogue();
    } catch (err) {
      console.error("catalogue sync failed; will retry", err);
    }
    const asset = readAsset(this.#ctx.storage.kv);
    try {
      if (asset) await this.#kv.settle(readModelKey(asset.apiKey, asset.uid), waitMs);
    } catch (err) {
      console.error("KV sync failed; will retry", err);
    }
    await this.#arm();
    return this.isSynced();
  }

  /** The next time anything is left to do, or no alarm when nothing is. */
  async #arm(): Promise<void> {
    const asset = readAsset(this.#ctx.storage.kv);
    const catalogued = !asset || this.#catalogued(asset);
    const due = [
      catalogued ? null : Date.now() + RETRY_MS,
      this.#kv.nextDue(),
      this.#publishing().nextAction(),
    ].filter((t): t is number => t !== null);
    if (due.length === 0) await this.#ctx.storage.deleteAlarm();
    // Never in the past: what was due has just been tried, and an alarm due at once would spin.
    else await this.#ctx.storage.setAlarm(Math.max(Math.min(...due), Date.now() + MIN_ALARM_MS));
  }

  #catalogued(asset: AssetRecord): boolean {
    return (this.#ctx.storage.kv.get<number>(CATALOGUED) ?? 0) >= asset.revision;
  }

  /** Runs one catalogue push at a time, so an older state can never land after a newer one. */
  #catalogue(): Promise<void> {
    const run = this.#chain.then(() => this.#catalogueUntilCurrent());
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #catalogueUntilCurrent(): Promise<void> {
    const storage = this.#ctx.storage.kv;
    for (;;) {
      const asset = readAsset(storage);
      if (!asset || this.#catalogued(asset)) return;
      const env = this.#env();
      const stack = stackStub(env, asset.apiKey);
      if (asset.deleted) {
        await stack.removeFromCatalog(asset.uid, asset.revision);
        await this.#writeRows(env, asset, []);
        // A KV record still naming these bytes answers 404 once they are gone, as it does
        // wherever KV has not yet seen the delete.
        await deleteObjects(env.FILES, assetObjectPrefix(asset.apiKey, asset.uid));
      } else {
        const { deletedEnvironments } = await stack.putInCatalog(
          readSnapshot(storage, asset),
          publishingState(storage),
        );
        // Published to (or scheduled for) an environment deleted meanwhile: forget it, and
        // push that state instead of this one.
        if (deletedEnvironments.length > 0 && this.#publishing().forget(deletedEnvironments)) {
          continue;
        }
        const versionOf = (n: number) => storage.get<VersionRecord>(versionKey(n)) as VersionRecord;
        await this.#writeRows(
          env,
          asset,
          publishedRows(asset, readPublications(storage), versionOf),
        );
      }
      storage.put(CATALOGUED, asset.revision);
    }
  }

  /**
   * The asset's rows of the published catalogue. An asset published nowhere, now and at its last
   * write (or never written), costs D1 nothing: most assets are never published.
   */
  async #writeRows(env: Env, asset: AssetRecord, rows: PublishedRow[]): Promise<void> {
    const storage = this.#ctx.storage.kv;
    const before = storage.get<number>(PUBLISHED_ROWS) ?? 0;
    if (rows.length === 0 && before === 0) return;
    // Counted before the batch: one that fails may still have landed (its answer lost), and
    // the next write must then not take D1 for empty and skip removing these rows.
    if (rows.length > before) storage.put(PUBLISHED_ROWS, rows.length);
    await writePublishedRows(env.PUBLISHED, asset.apiKey, asset.uid, asset.revision, rows);
    storage.put(PUBLISHED_ROWS, rows.length);
  }
}

async function deleteObjects(bucket: R2Bucket, prefix: string): Promise<void> {
  for (;;) {
    const page = await bucket.list({ prefix, limit: 1000 });
    if (page.objects.length === 0) return;
    await bucket.delete(page.objects.map((o) => o.key));
    if (!page.truncated) return;
  }
}
