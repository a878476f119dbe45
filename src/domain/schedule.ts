// Scheduled publishing (`scheduled_at`): when a scheduled action may be set, and which are due.
// The asset's Durable Object keeps its actions and fires them from its alarm
// (objects/asset-publishing.ts); this file only decides. Pure.

import type { ScheduledAction } from "./publishing-records";

/** How far ahead an action may be scheduled: ten years (a date beyond is surely a typo). */
export const MAX_SCHEDULE_AHEAD_MS = 10 * 366 * 24 * 3600 * 1000;

/** The most actions one asset may have waiting (each is a row of the stack's publish queue). */
export const MAX_SCHEDULED_PER_ASSET = 100;

export type ScheduleCheck = { ok: true; at: string } | { ok: false; reason: string };

// ISO 8601 / RFC 3339 date and time with an explicit offset; seconds and fractions optional.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * The instant a `scheduled_at` names, as milliseconds; null when the text is not a real date and
 * time with an offset (a 30th of February, hour 24, a missing zone all are refused: JavaScript's
 * own parser would roll them over to another day or read them as local time).
 */
export function parseDateTime(text: string): number | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s = "0", frac = "", zone = "Z"] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return null;
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== "Z") {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (zone.startsWith("-") ? -1 : 1) * (oh * 60 + om);
  }
  const millis = frac === "" ? 0 : Math.floor(Number(`0${frac}`) * 1000);
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  return utc - offsetMinutes * 60_000;
}

/** Checks a `scheduled_at` against the time now: it must name a moment still to come. */
export function checkScheduledAt(text: string, now: number): ScheduleCheck {
  const at = parseDateTime(text);
  if (at === null) {
    return {
      ok: false,
      reason: "must be a date and time in ISO 8601 with a zone, e.g. 2030-01-31T09:00:00Z",
    };
  }
  if (at <= now) return { ok: false, reason: "must be in the future" };
  if (at - now > MAX_SCHEDULE_AHEAD_MS) return { ok: false, reason: "must be within ten years" };
  return { ok: true, at: new Date(at).toISOString() };
}

/** The action's time as milliseconds. */
export const actionTime = (action: ScheduledAction): number => Date.parse(action.scheduledAt);

/** Oldest first: by time, then by when each was scheduled, then by uid (a fixed order). */
export function byDueTime(a: ScheduledAction, b: ScheduledAction): number {
  return (
    actionTime(a) - actionTime(b) ||
    a.createdAt.localeCompare(b.createdAt) ||
    a.uid.localeCompare(b.uid)
  );
}

/** The actions whose time has come, in the order they fire. */
export function dueActions(actions: readonly ScheduledAction[], now: number): ScheduledAction[] {
  return actions.filter((a) => actionTime(a) <= now).sort(byDueTime);
}

/** When the next action fires (ms), or null when none waits. */
export function nextDue(actions: readonly ScheduledAction[]): number | null {
  let next: number | null = null;
  for (const action of actions) {
    const at = actionTime(action);
    if (next === null || at < next) next = at;
  }
  return next;
}

/**
 * The waiting action a request repeats, if any: same kind, environments, locales, version and
 * time. A client that retries after a lost answer gets the action it made, not a second one.
 */
export function findSameAction(
  actions: readonly ScheduledAction[],
  wanted: Omit<ScheduledAction, "uid" | "createdAt" | "createdBy">,
): ScheduledAction | undefined {
  const key = (a: typeof wanted) =>
    JSON.stringify([a.action, a.environments, a.locales, a.version, a.scheduledAt]);
  const target = key(wanted);
  return actions.find((a) => key(a) === target);
}
