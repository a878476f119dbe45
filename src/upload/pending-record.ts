// The record of an upload not yet committed (domain/pending-uploads.ts): written before the first
// byte of a version is stored, removed once the version is committed or its bytes discarded.
// Whatever a crash leaves behind, the orphan sweep finds here without listing the bucket.

import { pendingKeyOf } from "../domain/pending-uploads";
import { storageUnavailable } from "../http/errors";
import type { VersionSink } from "./version-sink";

/** Records the upload of `objectKey`; a 503 when R2 cannot (nothing is stored then). */
export async function recordPending(bucket: R2Bucket, objectKey: string): Promise<void> {
  try {
    await bucket.put(pendingKeyOf(objectKey), new Uint8Array(0));
  } catch (err) {
    console.error("could not record a pending upload", objectKey, err);
    throw storageUnavailable();
  }
}

/** Drops the record once the version is committed. Best effort: one left behind costs the sweep a check. */
export async function clearPending(bucket: R2Bucket, objectKey: string): Promise<void> {
  try {
    await bucket.delete(pendingKeyOf(objectKey));
  } catch (err) {
    console.warn("could not clear a pending upload's record", objectKey, err);
  }
}

/**
 * A sink that records the upload of `objectKey` before it opens the real one (`open`), so no
 * byte reaches R2 unrecorded. Opened on the first write or close; aborting an unopened one
 * stores nothing.
 */
export function recordedSink(
  bucket: R2Bucket,
  objectKey: string,
  open: () => VersionSink,
): VersionSink {
  let opening: Promise<VersionSink> | null = null;
  const sink = () => {
    opening ??= recordPending(bucket, objectKey).then(open);
    return opening;
  };
  return {
    write: async (chunk) => (await sink()).write(chunk),
    close: async () => (await sink()).close(),
    abort: async () => {
      const opened = await opening?.catch(() => null);
      await opened?.abort();
    },
  };
}
