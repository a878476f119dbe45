// The orphan sweep, run by the cron trigger: deletes the bytes of uploads that were stored but
// never committed (a crash between the two, or a failed discard). It reads only the records of
// pending uploads (domain/pending-uploads.ts), never the whole bucket, and asks an asset's
// Durable Object only about a record that outlived ORPHAN_MIN_AGE_SECONDS: far longer than any
// upload request or session, so an upload in flight is never touched, and an asset nothing has
// gone wrong with is never woken. Each run stays within a budget of subrequests (every R2 and
// Durable Object call counts, as the platform counts them); what the budget leaves for later,
// the next run finds first, since what a run has dealt with is no longer listed.

import {
  PENDING_PREFIX,
  type PendingUpload,
  parsePendingKey,
  uploadObjectPrefix,
} from "../domain/pending-uploads";
import { assetStub } from "../objects/stubs";

export interface SweepResult {
  /** Records of pending uploads listed, and how many of them were older than the grace period. */
  listed: number;
  old: number;
  /** The orphans' object keys deleted. */
  deleted: string[];
  /** Records removed: their version was committed, or its bytes are deleted now. */
  cleared: number;
  /** Assets whose Durable Object was asked which of its versions are committed. */
  assetsAsked: number;
  /** R2 and Durable Object calls this run made; never more than the budget. */
  subrequests: number;
  /** False when the budget ran out before every old record was dealt with. */
  finished: boolean;
}

/** R2 deletes at most this many keys per call. */
const DELETE_BATCH = 1000;
/**
 * What an old record costs at most: the list of its bytes, and its asset's object once per
 * asset (so at most two calls a record, when every record names another asset).
 */
const CALLS_PER_RECORD = 1;
const CALLS_PER_ASSET = 1;

interface OldRecord {
  key: string;
  upload: PendingUpload;
}

export async function sweepOrphans(
  env: Env,
  olderThan: Date,
  budget: number,
): Promise<SweepResult> {
  let spent = 0;
  // The plan below stays within the budget; this makes it a hard limit all the same (a throw
  // before the records' deletes leaves every record whose bytes are not gone).
  const call = <T>(fn: () => Promise<T>): Promise<T> => {
    if (spent >= budget) throw new Error(`orphan sweep: the budget of ${budget} calls is spent`);
    spent++;
    return fn();
  };
  const left = () => budget - spent;
  const result: SweepResult = {
    listed: 0,
    old: 0,
    deleted: [],
    cleared: 0,
    assetsAsked: 0,
    subrequests: 0,
    finished: true,
  };

  // 1. The old records, a page at a time, as many as the rest of the budget can deal with.
  const old: OldRecord[] = [];
  const strays: string[] = []; // keys under the prefix that name no upload: removed
  const assets = new Set<string>();
  // The calls the records taken so far will cost, `more` records (and `newAssets` assets) on:
  // each record's list and asset, then the deletes of the bytes and of the records, in batches.
  const planned = (more = 0, newAssets = 0) => {
    const records = old.length + more;
    const deletes =
      Math.ceil(records / DELETE_BATCH) + Math.ceil((records + strays.length) / DELETE_BATCH);
    return records * CALLS_PER_RECORD + (assets.size + newAssets) * CALLS_PER_ASSET + deletes;
  };
  let cursor: string | undefined;
  pages: do {
    // A page is worth listing only if at least one more record of a new asset fits after it.
    if (planned(1, 1) + 1 > left()) {
      result.finished = false;
      break;
    }
    const page = await call(() =>
      env.FILES.list({ prefix: PENDING_PREFIX, limit: 1000, ...(cursor ? { cursor } : {}) }),
    );
    for (const record of page.objects) {
      result.listed++;
      if (record.uploaded >= olderThan) continue;
      const upload = parsePendingKey(record.key);
      const asset = upload ? assetId(upload) : null;
      // A stray (a key that names no upload) costs at most one more delete batch.
      const cost = asset === null ? planned() + 1 : planned(1, assets.has(asset) ? 0 : 1);
      if (cost > left()) {
        result.finished = false;
        break pages;
      }
      if (upload && asset !== null) {
        old.push({ key: record.key, upload });
        assets.add(asset);
      } else {
        strays.push(record.key);
      }
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  result.old = old.length + strays.length;

  // 2. For each asset, which of its versions are committed; the others' bytes are orphans.
  const orphanObjects: string[] = [];
  const doneRecords: string[] = [...strays];
  for (const records of byAsset(old).values()) {
    const { apiKey, assetUid } = (records[0] as OldRecord).upload;
    let committed: Set<string>;
    try {
      // null: the asset never existed (a create that failed) or is deleted: nothing is committed.
      committed = new Set((await call(() => assetStub(env, apiKey, assetUid).fileUids())) ?? []);
      result.assetsAsked++;
    } catch (err) {
      console.error(
        "orphan sweep: could not ask an asset; its records stay",
        apiKey,
        assetUid,
        err,
      );
      continue;
    }
    for (const { key, upload } of records) {
      if (!committed.has(upload.fileUid)) {
        const stored = await call(() =>
          env.FILES.list({ prefix: uploadObjectPrefix(upload), limit: 1000 }),
        );
        orphanObjects.push(...stored.objects.map((o) => o.key));
      }
      doneRecords.push(key);
    }
  }

  // 3. The bytes first, then the records: a record never goes while its bytes stay.
  for (let i = 0; i < orphanObjects.length; i += DELETE_BATCH) {
    const batch = orphanObjects.slice(i, i + DELETE_BATCH);
    await call(() => env.FILES.delete(batch));
    result.deleted.push(...batch);
  }
  for (let i = 0; i < doneRecords.length; i += DELETE_BATCH) {
    const batch = doneRecords.slice(i, i + DELETE_BATCH);
    await call(() => env.FILES.delete(batch));
    result.cleared += batch.length;
  }
  result.subrequests = spent;
  const { deleted, ...counts } = result;
  console.log("orphan sweep", JSON.stringify({ ...counts, deleted: deleted.length }));
  return result;
}

function byAsset(records: OldRecord[]): Map<string, OldRecord[]> {
  const groups = new Map<string, OldRecord[]>();
  for (const record of records) {
    const id = assetId(record.upload);
    groups.set(id, [...(groups.get(id) ?? []), record]);
  }
  return groups;
}

const assetId = (upload: PendingUpload) => `${upload.apiKey}/${upload.assetUid}`;
