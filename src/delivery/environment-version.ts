// `?environment={name}` on both public URL kinds: the version an environment holds. The asset's KV
// record carries each environment's published version beside the current one
// (domain/kv-records.ts), and the stack's environment index turns the name into its uid: the
// two records are read in parallel, each memoised (kv-reads.ts), so the parameter costs the
// plain permanent URL's one read plus one more that runs beside it.

import {
  type EnvironmentIndex,
  environmentIndexKey,
  environmentUidIn,
  type PublishedVersion,
  type ReadModel,
  readModelKey,
} from "../domain/kv-records";
import type { DeliveryEnv } from "./env";
import { kvRecord } from "./kv-reads";

export interface EnvironmentView {
  /** The asset's record (its slug is the permanent URL's, whatever the environment). */
  model: ReadModel;
  /** The version the environment serves. */
  version: PublishedVersion;
}

/**
 * What the named environment holds of the asset; null when nothing: no such environment (or it
 * was deleted or renamed), nothing published there, or no such asset.
 */
export async function environmentVersion(
  env: DeliveryEnv,
  apiKey: string,
  assetUid: string,
  name: string,
): Promise<EnvironmentView | null> {
  const [model, index] = await Promise.all([
    kvRecord<ReadModel>(env, readModelKey(apiKey, assetUid)),
    kvRecord<EnvironmentIndex>(env, environmentIndexKey(apiKey)),
  ]);
  const uid = index ? environmentUidIn(index, name) : undefined;
  const published = model?.published;
  if (!model || !published || uid === undefined || !Object.hasOwn(published, uid)) return null;
  return { model, version: published[uid] as PublishedVersion };
}
