// The KV records the public host reads (an asset's read model, a stack's environment index, a
// delivery token's grant), each through the isolate's memo (kv-memo.ts): at most one KV
// read per record and isolate every READ_MODEL_MEMO_SECONDS. KV is eventually consistent, so a
// record can lag its writer by KV's propagation plus that memo (docs/HTTP.md). A KV failure is a
// 503, never a 500: a CDN retries it or serves what it had.

import { type ConfigVars, config } from "../config";
import { storageUnavailable } from "../http/errors";
import type { DeliveryEnv } from "./env";
import { memoized } from "./kv-memo";

/** KV `key`'s JSON record, of the type its key prefix holds; null when there is none. */
export function kvRecord<T>(
  env: Pick<DeliveryEnv, "ASSET_INDEX"> & ConfigVars,
  key: string,
): Promise<T | null> {
  const kv = env.ASSET_INDEX;
  return memoized<T>(kv, key, config(env).readModelMemoMs, async () => {
    try {
      return await kv.get<T>(key, { type: "json" });
    } catch (err) {
      console.error("KV read failed", key, err);
      throw storageUnavailable();
    }
  });
}
