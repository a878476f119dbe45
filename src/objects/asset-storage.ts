// The asset object's storage schema (docs/STORAGE.md): its record under `asset`, each version
// under `version:{n, 10 digits}`, its publications by environment uid under `publications`, and
// its waiting scheduled actions under `scheduled`. Read by the object, its publishing
// (asset-publishing.ts) and its sync (asset-sync.ts).

import type { Publications } from "../domain/publications";
import type { PublishingState, ScheduledAction } from "../domain/publishing-records";
import {
  type AssetRecord,
  type AssetSnapshot,
  currentAssetShape,
  type VersionRecord,
} from "../domain/records";

export const ASSET = "asset";
export const versionKey = (n: number) => `version:${String(n).padStart(10, "0")}`;

export function readAsset(storage: SyncKvStorage): AssetRecord | undefined {
  const stored = storage.get<AssetRecord>(ASSET);
  return stored && currentAssetShape(stored);
}

export function readSnapshot(storage: SyncKvStorage, asset: AssetRecord): AssetSnapshot {
  const current = storage.get<VersionRecord>(versionKey(asset.currentVersion));
  if (!current) throw new Error(`asset ${asset.uid} has no version ${asset.currentVersion}`);
  return { asset, current };
}

/** Every version record, newest first (kept after a delete: only the bytes go). */
export function readVersions(storage: SyncKvStorage): VersionRecord[] {
  const list = [...storage.list<VersionRecord>({ prefix: "version:" })];
  return list.map(([, v]) => v).reverse();
}

const PUBLICATIONS = "publications";
const SCHEDULED = "scheduled";

export function readPublications(storage: SyncKvStorage): Publications {
  return storage.get<Publications>(PUBLICATIONS) ?? {};
}

export function writePublications(storage: SyncKvStorage, publications: Publications): void {
  if (Object.keys(publications).length === 0) storage.delete(PUBLICATIONS);
  else storage.put(PUBLICATIONS, publications);
}

/** The waiting actions, in the order they were scheduled. */
export function readScheduled(storage: SyncKvStorage): ScheduledAction[] {
  return storage.get<ScheduledAction[]>(SCHEDULED) ?? [];
}

export function writeScheduled(storage: SyncKvStorage, scheduled: ScheduledAction[]): void {
  if (scheduled.length === 0) storage.delete(SCHEDULED);
  else storage.put(SCHEDULED, scheduled);
}

/** The version record each environment holds. */
export function publishedVersions(storage: SyncKvStorage): Record<string, VersionRecord> {
  const versions: Record<string, VersionRecord> = {};
  for (const [environment, publication] of Object.entries(readPublications(storage))) {
    const version = storage.get<VersionRecord>(versionKey(publication.version));
    if (!version)
      throw new Error(`publication of a version the asset lacks: ${publication.version}`);
    versions[environment] = version;
  }
  return versions;
}

/** What the stack's object keeps of the asset's publishing (without the published fields). */
export function publishingState(storage: SyncKvStorage): PublishingState {
  return {
    publications: Object.values(readPublications(storage)).map(
      ({ metadata: _, ...publication }) => publication,
    ),
    scheduled: readScheduled(storage),
  };
}
