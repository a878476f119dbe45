// The pure publishing decisions (domain/publications.ts, domain/schedule.ts): what a publish,
// an unpublish, a deleted environment and a scheduled time do, with no I/O.

import { describe, expect, it } from "vitest";
import {
  applyPublish,
  applyUnpublish,
  checkLocales,
  type Publications,
  publishDetails,
  withoutEnvironments,
} from "../src/domain/publications";
import type { PublishedMetadata, ScheduledAction } from "../src/domain/publishing-records";
import {
  checkScheduledAt,
  dueActions,
  findSameAction,
  nextDue,
  parseDateTime,
} from "../src/domain/schedule";

const META: PublishedMetadata = {
  title: "Boy",
  description: "",
  tags: ["a"],
  parentUid: null,
  updatedAt: "2026-01-01T00:00:00.000Z",
  updatedBy: "bltuser",
};

const publish = (current: Publications, over: Partial<Parameters<typeof applyPublish>[1]> = {}) =>
  applyPublish(current, {
    environments: ["envA"],
    locales: ["en-us"],
    version: 1,
    metadata: META,
    time: "2026-01-02T00:00:00.000Z",
    user: "bltuser",
    ...over,
  });

describe("publishing", () => {
  it("publishes a version to each environment named", () => {
    const { next, changed } = publish({}, { environments: ["envA", "envB"], version: 2 });
    expect(changed).toBe(true);
    expect(Object.keys(next).sort()).toEqual(["envA", "envB"]);
    expect(next.envA).toMatchObject({ environment: "envA", version: 2, locales: ["en-us"] });
    expect(next.envA?.metadata).toEqual(META);
  });

  it("changes nothing when the environment shows exactly this already (a retry)", () => {
    const first = publish({}).next;
    const again = publish(first, { time: "2027-01-01T00:00:00.000Z" });
    expect(again.changed).toBe(false);
    expect(again.next.envA?.time).toBe("2026-01-02T00:00:00.000Z");
  });

  it("replaces another version and adds the locales given to those held", () => {
    const first = publish({}, { locales: ["fr-fr"] }).next;
    const { next, changed } = publish(first, { version: 3, locales: ["en-us"] });
    expect(changed).toBe(true);
    expect(next.envA).toMatchObject({ version: 3, locales: ["en-us", "fr-fr"] });
  });

  it("publishes again when the asset's fields changed since (the new title is shown)", () => {
    const first = publish({}).next;
    const { next, changed } = publish(first, { metadata: { ...META, title: "New" } });
    expect(changed).toBe(true);
    expect(next.envA?.metadata.title).toBe("New");
  });

  it("leaves the other environments alone", () => {
    const first = publish({}, { environments: ["envA", "envB"] }).next;
    const { next } = publish(first, { environments: ["envB"], version: 2 });
    expect(next.envA?.version).toBe(1);
    expect(next.envB?.version).toBe(2);
  });
});

describe("unpublishing", () => {
  const both = publish({}, { environments: ["envA", "envB"], locales: ["en-us", "fr-fr"] }).next;

  it("removes the locales given; the environment keeps the others", () => {
    const { next, changed } = applyUnpublish(both, {
      environments: ["envA"],
      locales: ["fr-fr"],
      version: null,
    });
    expect(changed).toBe(true);
    expect(next.envA?.locales).toEqual(["en-us"]);
    expect(next.envB?.locales).toEqual(["en-us", "fr-fr"]);
  });

  it("leaves nothing in an environment whose last locale goes", () => {
    const { next } = applyUnpublish(both, {
      environments: ["envA"],
      locales: ["en-us", "fr-fr"],
      version: null,
    });
    expect(next.envA).toBeUndefined();
  });

  it("is a no-op for an environment holding nothing, another version, or other locales", () => {
    for (const d of [
      { environments: ["envC"], locales: ["en-us"], version: null },
      { environments: ["envA"], locales: ["en-us"], version: 2 },
      { environments: ["envA"], locales: ["de-de"], version: null },
    ]) {
      const { next, changed } = applyUnpublish(both, d);
      expect(changed).toBe(false);
      expect(next).toEqual(both);
    }
  });
});

describe("environments that no longer exist", () => {
  const action = (uid: string, environments: string[]): ScheduledAction => ({
    uid,
    action: "publish",
    environments,
    locales: ["en-us"],
    version: 1,
    scheduledAt: "2030-01-01T00:00:00.000Z",
    createdAt: "2026-01-01T00:00:00.000Z",
    createdBy: "bltuser",
  });

  it("drops their publications and their place in waiting actions", () => {
    const pubs = publish({}, { environments: ["envA", "envB"] }).next;
    const result = withoutEnvironments(
      pubs,
      [action("a1", ["envA", "envB"]), action("a2", ["envA"])],
      new Set(["envA"]),
    );
    expect(result.changed).toBe(true);
    expect(Object.keys(result.publications)).toEqual(["envB"]);
    expect(result.scheduled.map((a) => [a.uid, a.environments])).toEqual([["a1", ["envB"]]]);
  });

  it("changes nothing when none of them is used", () => {
    const pubs = publish({}).next;
    const result = withoutEnvironments(pubs, [action("a1", ["envA"])], new Set(["envZ"]));
    expect(result.changed).toBe(false);
  });
});

describe("locales", () => {
  it("keeps valid codes lowercase, once each, sorted", () => {
    expect(checkLocales(["fr-FR", "en-us", "EN-US", "zh-hans-cn", "es-419"])).toEqual({
      ok: true,
      locales: ["en-us", "es-419", "fr-fr", "zh-hans-cn"],
    });
  });

  it.each([
    [[]],
    [[""]],
    [["en_us"]],
    [["e"]],
    [["english-united-states"]],
    [["en-us "]],
    [["en-us\u0000"]],
    [["../en"]],
    [["en-ü"]],
    [Array.from({ length: 51 }, (_, i) => `l${String.fromCharCode(97 + (i % 26))}`)],
  ])("refuses %j", (values) => {
    expect(checkLocales(values).ok).toBe(false);
  });
});

describe("publish_details", () => {
  it("has one entry per environment and locale", () => {
    const pubs = publish({}, { environments: ["envB", "envA"], locales: ["fr-fr", "en-us"] }).next;
    expect(
      publishDetails(Object.values(pubs)).map((d) => `${d.environment}/${d.locale}/${d.version}`),
    ).toEqual(["envA/en-us/1", "envA/fr-fr/1", "envB/en-us/1", "envB/fr-fr/1"]);
  });
});

describe("scheduled_at", () => {
  const now = Date.parse("2026-06-01T12:00:00.000Z");

  it("takes a future ISO 8601 time with a zone, kept in UTC", () => {
    expect(checkScheduledAt("2026-06-01T13:30:00+02:00", now)).toEqual({
      ok: false,
      reason: "must be in the future",
    });
    expect(checkScheduledAt("2026-06-01T14:30:01.5+02:00", now)).toEqual({
      ok: true,
      at: "2026-06-01T12:30:01.500Z",
    });
    expect(checkScheduledAt("2026-06-02T00:00Z", now)).toEqual({
      ok: true,
      at: "2026-06-02T00:00:00.000Z",
    });
  });

  it.each([
    "2026-02-30T00:00:00Z",
    "2026-06-01T24:00:00Z",
    "2026-06-02T10:00:00",
    "2026-06-02",
    "tomorrow",
    "",
    "2026-06-02T10:00:00+25:00",
    "+275760-09-13T00:00:00Z",
    "2026-06-02 10:00:00Z",
  ])("refuses the malformed %j", (text) => {
    expect(checkScheduledAt(text, now)).toMatchObject({ ok: false });
    expect(parseDateTime(text)).toBeNull();
  });

  it("refuses the past, now, and more than ten years ahead", () => {
    expect(checkScheduledAt("2026-06-01T12:00:00Z", now).ok).toBe(false);
    expect(checkScheduledAt("2020-01-01T00:00:00Z", now).ok).toBe(false);
    expect(checkScheduledAt("2040-01-01T00:00:00Z", now).ok).toBe(false);
  });

  it("fires due actions oldest first and finds a repeated request", () => {
    const base = {
      action: "publish" as const,
      environments: ["envA"],
      locales: ["en-us"],
      version: 1,
      createdAt: "2026-01-01T00:00:00.000Z",
      createdBy: "bltuser",
    };
    const actions: ScheduledAction[] = [
      { ...base, uid: "late", scheduledAt: "2026-06-01T12:00:02.000Z" },
      { ...base, uid: "early", scheduledAt: "2026-06-01T11:00:00.000Z" },
      { ...base, uid: "future", scheduledAt: "2026-07-01T00:00:00.000Z" },
    ];
    expect(dueActions(actions, now + 2000).map((a) => a.uid)).toEqual(["early", "late"]);
    expect(nextDue(actions)).toBe(Date.parse("2026-06-01T11:00:00.000Z"));
    expect(nextDue([])).toBeNull();
    const { uid: _, createdAt: __, createdBy: ___, ...wanted } = actions[2] as ScheduledAction;
    expect(findSameAction(actions, wanted)?.uid).toBe("future");
    expect(findSameAction(actions, { ...wanted, locales: ["fr-fr"] })).toBeUndefined();
  });
});
