// What publishing and unpublishing do to an asset's publications, as pure decisions over the
// record the asset's Durable Object keeps (one PublicationRecord per environment uid). The
// object applies them inside one synchronous storage transaction, so concurrent requests are
// applied one after another, and a decision that changes nothing leaves the asset untouched:
// a retry after a lost answer is a no-op that answers the same.

import {
  isLocaleCode,
  MAX_LOCALES,
  type Publication,
  type PublicationRecord,
  type PublishedMetadata,
  type ScheduledAction,
} from "./publishing-records";

/** An asset's publications by environment uid. */
export type Publications = Record<string, PublicationRecord>;

/** The locale publishing uses when a request names none: Contentstack's default master locale. */
export const DEFAULT_LOCALE = "en-us";

export type LocalesCheck = { ok: true; locales: string[] } | { ok: false; reason: string };

/**
 * Checks a request's locales: 1 to MAX_LOCALES codes, case ignored (kept lowercase), each once;
 * returned sorted, so the same set is always stored and compared the same way.
 */
export function checkLocales(values: readonly string[]): LocalesCheck {
  if (values.length === 0) return { ok: false, reason: "must name at least one locale" };
  if (values.length > MAX_LOCALES) {
    return { ok: false, reason: `must name at most ${MAX_LOCALES} locales` };
  }
  const locales = new Set<string>();
  for (const value of values) {
    const code = value.toLowerCase();
    if (!isLocaleCode(code)) {
      return { ok: false, reason: "each locale must be a code such as en-us or fr-fr" };
    }
    locales.add(code);
  }
  return { ok: true, locales: [...locales].sort() };
}

export interface PublishDecision {
  environments: readonly string[];
  locales: readonly string[];
  version: number;
  metadata: PublishedMetadata;
  time: string;
  user: string;
}

export interface Outcome {
  next: Publications;
  changed: boolean;
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])].sort();
const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

function sameMetadata(a: PublishedMetadata, b: PublishedMetadata): boolean {
  return (
    a.title === b.title &&
    a.description === b.description &&
    a.parentUid === b.parentUid &&
    a.updatedAt === b.updatedAt &&
    a.updatedBy === b.updatedBy &&
    sameList(a.tags, b.tags)
  );
}

/**
 * Publishes `version` to each environment: one that holds another version now holds this one,
 * the locales given are added to those it had, and the asset's fields are taken as they are now.
 * An environment that already shows exactly this is left as it is (its time too).
 */
export function applyPublish(current: Publications, d: PublishDecision): Outcome {
  const next: Publications = { ...current };
  let changed = false;
  for (const environment of d.environments) {
    const held = current[environment];
    const locales = union(held?.locales ?? [], d.locales);
    if (
      held &&
      held.version === d.version &&
      sameList(held.locales, locales) &&
      sameMetadata(held.metadata, d.metadata)
    ) {
      continue;
    }
    next[environment] = {
      environment,
      version: d.version,
      locales,
      time: d.time,
      user: d.user,
      metadata: d.metadata,
    };
    changed = true;
  }
  return { next, changed };
}

export interface UnpublishDecision {
  environments: readonly string[];
  locales: readonly string[];
  /** Only an environment holding this version is unpublished; null: whatever it holds. */
  version: number | null;
}

/**
 * Removes the given locales from each environment's publication; one left with no locale holds
 * nothing. An environment that holds nothing (or another version than the one named) is left as
 * it is, so unpublishing twice is harmless.
 */
export function applyUnpublish(current: Publications, d: UnpublishDecision): Outcome {
  const next: Publications = { ...current };
  let changed = false;
  for (const environment of d.environments) {
    const held = current[environment];
    if (!held || (d.version !== null && held.version !== d.version)) continue;
    const locales = held.locales.filter((l) => !d.locales.includes(l));
    if (locales.length === held.locales.length) continue;
    if (locales.length === 0) delete next[environment];
    else next[environment] = { ...held, locales };
    changed = true;
  }
  return { next, changed };
}

/**
 * Forgets an environment that no longer exists: its publication, and its place in every waiting
 * action (an action left with no environment is dropped).
 */
export function withoutEnvironments(
  publications: Publications,
  scheduled: readonly ScheduledAction[],
  gone: ReadonlySet<string>,
): { publications: Publications; scheduled: ScheduledAction[]; changed: boolean } {
  const kept: Publications = {};
  let changed = false;
  for (const [environment, publication] of Object.entries(publications)) {
    if (gone.has(environment)) changed = true;
    else kept[environment] = publication;
  }
  const actions: ScheduledAction[] = [];
  for (const action of scheduled) {
    const environments = action.environments.filter((e) => !gone.has(e));
    if (environments.length !== action.environments.length) changed = true;
    if (environments.length > 0) actions.push({ ...action, environments });
  }
  return { publications: kept, scheduled: actions, changed };
}

/** The CMA's `publish_details`: one entry per environment and locale, in a fixed order. */
export interface PublishDetail {
  environment: string;
  locale: string;
  version: number;
  time: string;
  user: string;
}

export function publishDetails(publications: readonly Publication[]): PublishDetail[] {
  return [...publications]
    .sort((a, b) => a.environment.localeCompare(b.environment))
    .flatMap((p) =>
      p.locales.map((locale) => ({
        environment: p.environment,
        locale,
        version: p.version,
        time: p.time,
        user: p.user,
      })),
    );
}
