// Subrequests counted per invocation, as the platform counts them: every request, scheduled
// event, alarm or RPC call that enters a Worker or a Durable Object starts a fresh count, and
// every binding call made while it runs (awaited promises, timers and waitUntil work included)
// counts against it. AsyncLocalStorage carries the count through the invocation's async work.

import { AsyncLocalStorage } from "node:async_hooks";

interface Invocation {
  /** What entered (for the error message). */
  entry: string;
  /** The object whose method runs (a call it makes to itself is not a new invocation). */
  owner: object | null;
  cap: number;
  used: number;
}

const current = new AsyncLocalStorage<Invocation>();

/** Runs `fn` as a new invocation of `entry` with a budget of `cap` subrequests. */
export function enter<T>(entry: string, owner: object | null, cap: number, fn: () => T): T {
  const running = current.getStore();
  if (owner && running?.owner === owner) return fn();
  return current.run({ entry, owner, cap, used: 0 }, fn);
}

/**
 * Counts one subrequest of the running invocation; throws as the platform does past its cap.
 * A call made outside any invocation (a test's own setup) is not counted.
 */
export function spend(what: string): void {
  const running = current.getStore();
  if (!running) return;
  running.used++;
  if (running.used > running.cap) {
    throw new Error(
      `Too many subrequests: ${what} would be subrequest ${running.used} of ${running.entry}, over the limit of ${running.cap} per invocation`,
    );
  }
}

/** The subrequests the running invocation has made so far (0 outside any). */
export const spent = (): number => current.getStore()?.used ?? 0;
