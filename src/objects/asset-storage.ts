// The asset object's storage schema (docs/STORAGE.md): its record under `asset`, each version
// under `version:{n, 10 digits}`. Read by the object and by its sync (asset-sync.ts).

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
