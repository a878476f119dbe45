// Reads from R2 on the public path, retried with a short bounded backoff when R2 fails in a way
// a retry can fix. Exhausted retries answer 503 (a CDN retries or serves stale), never 500.
// Other errors (a range R2 refuses, a bug) are not retried.

import { storageUnavailable } from "../http/errors";

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before the second try; doubled before each later one. */
  baseDelayMs: number;
}

export const R2_READ_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 25 };

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** R2 refuses a range outside the object: not transient, and the caller answers 416. */
export const isRangeNotSatisfiable = (err: unknown): boolean =>
  err instanceof Error && /not satisfiable|InvalidRange|\(10039\)/i.test(err.message);

/** Failures a retry can fix: R2's internal errors and lost connections. Others are bugs. */
export const isTransient = (err: unknown): boolean =>
  err instanceof Error &&
  /\(10001\)|\(10043\)|internal error|network connection lost|timed? ?out|unavailable|reset/i.test(
    err.message,
  );

export async function withRetry<T>(
  op: () => Promise<T>,
  policy: RetryPolicy = R2_READ_RETRY,
  sleep: (ms: number) => Promise<void> = wait,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (!isTransient(err)) throw err;
      if (attempt >= policy.attempts) {
        console.error("R2 read failed after retries", err);
        throw storageUnavailable();
      }
      console.warn("R2 read failed, retrying", attempt, err);
      await sleep(policy.baseDelayMs * 2 ** (attempt - 1));
    }
  }
}
