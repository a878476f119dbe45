// How the stack's Durable Object brings the edge in step with its publishing records: the KV
// environment index (`environments:{api_key}`) after an environment changes, a delivery token's
// grant (`delivery_token:{sha256}`) after the token changes or is revoked, and the background
// removal of a deleted environment's publications (environment-drops.ts).
//
// KV keys are written through a KvWriter: staged in the transaction that commits the change,
// written at most once a second per key (KV's limit), retried by the alarm. A request waits a
// little for its own key, so that its answer means the edge reads the change (locally; in
// production, after KV's propagation). Once a key is written the delivery Worker is told to drop
// its memo of it; which keys still need telling is stored too, so the alarm tells after a crash.

import { type Drop, dropsPending, runDrops } from "./environment-drops";
import { KvWriter } from "./kv-writer";
import { tellDeliveryKeyWritten } from "./tell-delivery";

/** The alarm set with every commit: it runs only if the push after the commit never finishes. */
const BACKSTOP_MS = 10_000;
/** How long a request waits for KV's next write slot for its key (at most a second away). */
const SETTLE_WAIT_MS = 2_500;
/** Keys written but not yet announced to the delivery Worker. */
const ANNOUNCE = "announce:";

export class StackSync {
  readonly #ctx: DurableObjectState;
  readonly #env: () => Env;
  readonly #kv: KvWriter;
  readonly #drop: (d: Drop) => Promise<void>;

  /** `env` is read at each write, so the object's current bindings are the ones written to. */
  constructor(ctx: DurableObjectState, env: () => Env, drop: (d: Drop) => Promise<void>) {
    this.#ctx = ctx;
    this.#env = env;
    this.#kv = new KvWriter(ctx.storage, () => env().ASSET_INDEX);
    this.#drop = drop;
  }

  /** Records that KV `key` must come to hold `value` (null: deleted). Inside the commit. */
  stage(key: string, value: string | null): void {
    this.#kv.stage(key, value);
    this.#ctx.storage.kv.put(ANNOUNCE + key, true);
  }

  /**
   * Right after a commit (before any await, so the backstop alarm is written with it): writes
   * `key` as soon as its second allows, tells the delivery Worker, and arms the alarm for
   * whatever is left. True when KV holds what was staged.
   */
  async afterCommit(key: string): Promise<boolean> {
    const backstop = this.#ctx.storage.setAlarm(Date.now() + BACKSTOP_MS);
    await backstop;
    let written = false;
    try {
      written = await this.#kv.settle(key, SETTLE_WAIT_MS);
    } catch (err) {
      console.error("KV write of a publishing record failed; the alarm retries", err);
    }
    await this.#announce();
    // A deleted environment's drops start now (or go on, if an earlier deletion's are running).
    await this.#arm(dropsPending(this.#ctx.storage.sql) ? Date.now() : null);
    return written;
  }

  /** The alarm: KV writes that are due, then a batch of environment drops, then re-arm. */
  async alarm(): Promise<void> {
    try {
      await this.#kv.flush();
    } catch (err) {
      console.error("KV write of a publishing record failed; the alarm retries", err);
    }
    await this.#announce();
    const next = await runDrops(this.#ctx.storage.sql, this.#drop);
    await this.#arm(next);
  }

  /** Tells the delivery Worker about every key KV now holds as staged. */
  async #announce(): Promise<void> {
    const storage = this.#ctx.storage.kv;
    const written = [...storage.list({ prefix: ANNOUNCE })]
      .map(([name]) => name.slice(ANNOUNCE.length))
      .filter((key) => this.#kv.isSettled(key));
    await Promise.all(written.map((key) => tellDeliveryKeyWritten(this.#env(), key)));
    for (const key of written) storage.delete(ANNOUNCE + key);
  }

  /** The alarm for the next KV write or drop run, whichever comes first; none when idle. */
  async #arm(dropsDue: number | null): Promise<void> {
    const due = [this.#kv.nextDue(), dropsDue].filter((t): t is number => t !== null);
    if (due.length === 0) await this.#ctx.storage.deleteAlarm();
    else await this.#ctx.storage.setAlarm(Math.min(...due));
  }
}
