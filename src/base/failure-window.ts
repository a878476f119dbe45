// Failed authentication attempts per client in a sliding window: once a client has failed
// `limit` times within `windowMs`, every attempt is refused (429) until the oldest failure leaves
// the window, right token or not, so a token cannot be guessed at speed. Pure (time is passed in);
// at most `maxClients` are tracked, the least recently failing first out.

export class FailureWindow {
  readonly #failures = new Map<string, number[]>();

  constructor(
    readonly windowMs: number,
    readonly maxClients = 10_000,
  ) {}

  /** Whether `client` may try at `now`, having failed fewer than `limit` times in the window. */
  allows(client: string, now: number, limit: number): boolean {
    return this.#recent(client, now).length < limit;
  }

  /** Records a failed attempt by `client` at `now`. */
  fail(client: string, now: number): void {
    const recent = this.#recent(client, now);
    recent.push(now);
    this.#failures.delete(client); // re-inserted last: the oldest clients leave first
    this.#failures.set(client, recent);
    if (this.#failures.size > this.maxClients) {
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
  }

  #recent(client: string, now: number): number[] {
    const times = (this.#failures.get(client) ?? []).filter((t) => t > now - this.windowMs);
    if (times.length === 0) this.#failures.delete(client);
    else this.#failures.set(client, times);
    return times;
  }
}
