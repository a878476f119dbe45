// Reads from R2 on the public path, retried with a short bounded backoff when R2 fails in a way
// a retry can fix. Exhausted retries answer 503 (a CDN retries or serves stale), never 500.
// Other errors (a range R2 refuses, a bug) are not retried.

import { storageUnavailable } from "../http/errors";
import type { DeliveryEnv } from "./env";
import type { ServedVersion } from "./headers";
import type { ByteRange } from "./range";

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

/** The bytes of one object (a range of them, or all), read with retries; null when missing. */
export async function readR2(
  bucket: DeliveryEnv["FILES"],
  key: string,
  range: ByteRange | null,
): Promise<ReadableStream | null> {
  const options = range
    ? { range: { offset: range.start, length: range.end - range.start + 1 } }
    : {};
  const object = await withRetry(() => bucket.get(key, options));
  return object?.body ?? null;
}

/** What the answer needs to know of a version, from its R2 object. */
export function versionOfObject(object: R2Object): ServedVersion {
  return {
    contentType: object.httpMetadata?.contentType ?? "application/octet-stream",
    size: object.size,
    etag: object.httpEtag,
    uploaded: object.uploaded,
    filename: object.customMetadata?.filename ?? object.key.slice(object.key.lastIndexOf("/") + 1),
  };
}
