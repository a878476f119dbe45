// What a publish, unpublish or bulk request asks for, checked and turned into what the asset's
// Durable Object applies: locale codes, the version, the time of a scheduled action, and the
// environments resolved to uids by the stack's object. Everything a request can get wrong is
// found here, before any asset is touched; each refusal is a 422 naming its field.

import { isAssetUid } from "../domain/ids";
import { checkLocales, DEFAULT_LOCALE } from "../domain/publications";
import { checkScheduledAt } from "../domain/schedule";
import { validationFailed } from "../http/errors";
import type { PublishingInput } from "../objects/asset-publishing";
import { stackStub } from "../objects/stubs";

export type Action = PublishingInput["action"];

/** What one request asks of every asset it names. */
export interface Ask {
  action: Action;
  environments: string[];
  locales: string[];
  scheduledAt: string | null;
  by: string;
}

/** The locales named (the list and the SDK's single `locale`); none named: the default one. */
export function localesOf(list: string[] | undefined, single: string | undefined): string[] {
  const named = [...(list ?? []), ...(single === undefined ? [] : [single])];
  const check = checkLocales(list === undefined && single === undefined ? [DEFAULT_LOCALE] : named);
  if (!check.ok) throw validationFailed({ locales: [check.reason] });
  return check.locales;
}

export const versionOf = (value: number | string | undefined): number | null =>
  value === undefined ? null : Number(value);

export function scheduledAtOf(text: string | undefined): string | null {
  if (text === undefined) return null;
  const check = checkScheduledAt(text, Date.now());
  if (!check.ok) throw validationFailed({ scheduled_at: [check.reason] });
  return check.at;
}

/**
 * The uids of the environments named. A bulk request may also name them by uid, as the CMA's
 * bulk examples do; a name that is also some environment's uid means the environment of that
 * name.
 */
export async function environmentUids(
  env: Env,
  apiKey: string,
  names: string[],
  byUid = false,
): Promise<string[]> {
  const stack = stackStub(env, apiKey);
  const resolved = await stack.resolveEnvironments(names);
  if (resolved.ok) return unique(Object.values(resolved.uids));
  if (!byUid) throw unknownEnvironments(resolved.unknown);
  const known = await stack.environmentNames();
  const asUids = resolved.unknown.filter((n) => Object.hasOwn(known, n));
  const unknown = resolved.unknown.filter((n) => !Object.hasOwn(known, n));
  if (unknown.length > 0) throw unknownEnvironments(unknown);
  const rest = names.filter((n) => !asUids.includes(n));
  const byName = rest.length === 0 ? null : await stack.resolveEnvironments(rest);
  if (byName && !byName.ok) throw unknownEnvironments(byName.unknown);
  return unique([...asUids, ...Object.values(byName?.uids ?? {})]);
}

const unique = (uids: string[]) => [...new Set(uids)].sort();

const unknownEnvironments = (names: string[]) =>
  validationFailed({
    environments: [`not an environment of this stack: ${names.slice(0, 10).join(", ")}`],
  });

/** A bulk request's asset uids: well formed and each named once. */
export function bulkUids(assets: { uid: string }[]): string[] {
  const uids = assets.map((a) => a.uid);
  const bad = uids.filter((uid) => !isAssetUid(uid));
  if (bad.length > 0) {
    throw validationFailed({ assets: [`not an asset uid: ${bad.slice(0, 10).join(", ")}`] });
  }
  const twice = uids.filter((uid, i) => uids.indexOf(uid) !== i);
  if (twice.length > 0) {
    throw validationFailed({ assets: [`named more than once: ${twice.slice(0, 10).join(", ")}`] });
  }
  return uids;
}
