// Writes Workers KV keys from a Durable Object within KV's limit of one write a second per key
// (Cloudflare: "writes to the same key within 1 second will cause rate limiting (429)"), for any
// key the object owns. The object stages the value a key must come to hold, inside the
// transaction that decided it, so the intent is as durable as the change; the writer puts it
// once the key's second has passed. So a burst of changes collapses into its last value, a value
// KV already holds is not written again, and a 429 is retried a second later. What is staged
// lives in the object's storage: the owner arms its alarm for nextDue() after every commit and
// flush, and the alarm calls flush(), so a crash or a failed write delays KV, never loses it.
//
// Meant for small records (the whole last-written value is kept to compare with): the asset's
// edge record, and any other key one object alone writes. A key must have one writer: the
// spacing and the "already holds" check only know this object's own writes.

/** KV's per-key write rate: one a second. */
export const KV_WRITE_INTERVAL_MS = 1000;
/** After a write failed for another reason than its rate (KV unreachable, a 5xx). */
const FAILED_RETRY_MS = 10_000;

const STAGED = "kv-write:staged:";
const WRITTEN = "kv-write:written:";

/** The value a key must come to hold (null: the key must not exist). */
interface Staged {
  value: string | null;
  /** No attempt before this time (ms): set after a failed write. */
  notBefore: number;
}

/** The last write this object made to a key. */
interface Written {
  /** What KV holds now, when known (a failed write may or may not have landed). */
  value: string | null;
  known: boolean;
  /** When it finished (ms); the next write waits KV_WRITE_INTERVAL_MS from here. */
  at: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A 429 from KV: the binding reports it in the error's message. */
const isRateLimited = (err: unknown) => /\b429\b|too many requests/i.test(String(err));

export class KvWriter {
  readonly #storage: SyncKvStorage;
  readonly #kv: () => KVNamespace;
  #chain: Promise<void> = Promise.resolve();

  /** `kv` is looked up at each write, so the object's current binding is the one written to. */
  constructor(storage: DurableObjectStorage, kv: () => KVNamespace) {
    this.#storage = storage.kv;
    this.#kv = kv;
  }

  /**
   * Records that `key` must come to hold `value` (null: be deleted), replacing anything staged
   * before. Synchronous: call it inside the transaction that commits the change.
   */
  stage(key: string, value: string | null): void {
    const before = this.#staged(key);
    this.#storage.put<Staged>(STAGED + key, { value, notBefore: before?.notBefore ?? 0 });
  }

  /** Records that KV has no value under `key` (a key no one has written yet), so staging null writes nothing. */
  markAbsent(key: string): void {
    this.#storage.put<Written>(WRITTEN + key, { value: null, known: true, at: 0 });
  }

  /** True when KV holds what was last staged for `key` (as far as this object knows). */
  isSettled(key: string): boolean {
    const staged = this.#staged(key);
    return staged === undefined || this.#holds(staged, this.#written(key));
  }

  /**
   * The earliest time a staged key may be written (for the owner's alarm); null when none is
   * staged. Never before now: a key never written is due at once, and setAlarm refuses times <= 0.
   */
  nextDue(): number | null {
    let next: number | null = null;
    for (const [name, staged] of this.#storage.list<Staged>({ prefix: STAGED })) {
      const written = this.#written(name.slice(STAGED.length));
      // A value KV holds already needs no write, nor an alarm: the next flush forgets it.
      if (this.#holds(staged, written)) continue;
      const due = this.#due(staged, written);
      if (next === null || due < next) next = due;
    }
    return next === null ? null : Math.max(next, Date.now());
  }

  /** Writes every staged key that is due, and drops those KV already holds. One flush at a time. */
  flush(): Promise<void> {
    const run = this.#chain.then(() => this.#flushDue());
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Waits until KV holds what is staged for `key` (or something staged later), writing it as soon
   * as its second allows; gives up when that would take longer than `maxWaitMs`. True when done.
   */
  async settle(key: string, maxWaitMs: number): Promise<boolean> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      await this.flush();
      const staged = this.#staged(key);
      if (!staged) return true;
      const due = this.#due(staged, this.#written(key));
      if (due > deadline) return false;
      await sleep(Math.max(due - Date.now(), 1));
    }
  }

  async #flushDue(): Promise<void> {
    const now = Date.now();
    const writes: Promise<void>[] = [];
    for (const [name, staged] of this.#storage.list<Staged>({ prefix: STAGED })) {
      const key = name.slice(STAGED.length);
      const written = this.#written(key);
      if (this.#holds(staged, written)) this.#storage.delete(name);
      else if (this.#due(staged, written) <= now) writes.push(this.#write(key, staged.value));
    }
    await Promise.all(writes);
  }

  async #write(key: string, value: string | null): Promise<void> {
    try {
      if (value === null) await this.#kv().delete(key);
      else await this.#kv().put(key, value);
      this.#storage.put<Written>(WRITTEN + key, { value, known: true, at: Date.now() });
      // A value staged while this write was under way stays staged for the next one.
      if (this.#staged(key)?.value === value) this.#storage.delete(STAGED + key);
    } catch (err) {
      const at = Date.now();
      this.#storage.put<Written>(WRITTEN + key, { value: null, known: false, at });
      // A 429 is retried once the key's second has passed (the Written time above sees to it).
      const staged = this.#staged(key);
      if (staged && !isRateLimited(err)) {
        this.#storage.put<Staged>(STAGED + key, { ...staged, notBefore: at + FAILED_RETRY_MS });
      }
      console.error("KV write failed; it will be retried", key, err);
    }
  }

  /** True when KV is known to hold the staged value already. */
  #holds(staged: Staged, written: Written | undefined): boolean {
    return written?.known === true && written.value === staged.value;
  }

  #due(staged: Staged, written: Written | undefined): number {
    if (this.#holds(staged, written)) return 0; // nothing to write
    return Math.max(staged.notBefore, written ? written.at + KV_WRITE_INTERVAL_MS : 0);
  }

  #staged(key: string): Staged | undefined {
    return this.#storage.get<Staged>(STAGED + key);
  }

  #written(key: string): Written | undefined {
    return this.#storage.get<Written>(WRITTEN + key);
  }
}
