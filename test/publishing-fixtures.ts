// What the tests of published versions set up the same way: a stack's environments, and an asset
// with a permanent URL whose versions are uploaded one after another, each published to its
// environments as it comes (the Content Delivery API, ?environment= and the management download).

import { expect } from "vitest";
import {
  type AssetJson,
  createEnvironment,
  publishAsset,
  replaceAsset,
  type Stack,
  setPermanentUrl,
  uploadAsset,
} from "./helpers";

/** Creates the stack's environments, one after another; returns their uids in that order. */
export async function createEnvironments<const Names extends readonly string[]>(
  of: Stack,
  names: Names,
): Promise<{ [K in keyof Names]: string }> {
  const uids: string[] = [];
  for (const name of names) uids.push(await createEnvironment(of, name));
  return uids as { [K in keyof Names]: string };
}

/** One version of an asset: its file, and where it is published once uploaded. */
export interface VersionSpec {
  name: string;
  bytes: Uint8Array | string;
  /** publishAsset's environments (and locales, en-us unless given); none: published nowhere. */
  publish?: { environments: string[]; locales?: string[] };
  /** The upload's form fields (the first version only: a replace takes none). */
  fields?: Record<string, string>;
  /** The file's type (the first version only: a replace is text/plain). */
  type?: string;
}

/**
 * Uploads the first version, gives it the permanent URL `slug` (a PUT, expecting a 200; null:
 * whatever its fields set), then replaces it with each next version, publishing each version to
 * its environments right after it is uploaded. Returns every version's asset JSON as its upload
 * or replace answered (the first's is from before the permanent URL was set), and the permanent
 * URL (null when there is none).
 */
export async function assetWithVersions<
  const Specs extends readonly [VersionSpec, ...VersionSpec[]],
>(
  of: Stack,
  slug: string | null,
  specs: Specs,
): Promise<{ versions: { [K in keyof Specs]: AssetJson }; permanent: string | null }> {
  const [first, ...next] = specs;
  const asset = await uploadAsset(of, first.name, first.bytes, first.fields, first.type);
  let permanent = asset.permanent_url ?? null;
  if (slug !== null) {
    const set = await setPermanentUrl(of, asset.uid, slug);
    expect(set.status, await set.clone().text()).toBe(200);
    permanent = ((await set.json()) as { asset: AssetJson }).asset.permanent_url ?? null;
  }
  if (first.publish) await publishAsset(of, asset.uid, first.publish);
  const versions = [asset];
  for (const version of next) {
    versions.push(await replaceAsset(of, asset.uid, version.name, version.bytes));
    if (version.publish) await publishAsset(of, asset.uid, version.publish);
  }
  return { versions: versions as { [K in keyof Specs]: AssetJson }, permanent };
}
