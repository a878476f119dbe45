// Contentstack's own Management SDK (@contentstack/management, pinned) publishing assets against
// the real local service, endpoint only changed: asset.publish() and unpublish() (a chosen
// version, locales, a replace production does not see until it is published), publish_details
// through fetch() and query().find() with include_publish_details, a scheduled publish that takes
// effect at its time with no request making it, bulkOperation().publish() and unpublish(), and
// the errors a client relies on as the SDK's error objects.
import type { Asset, Stack } from "@contentstack/management";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { newStack } from "./api";
import { sdkError, sdkStack } from "./sdk";

let stack: Stack;
let production: string;
let staging: string;
let asset: Asset;

beforeAll(async () => {
  const created = await newStack("Contentstack SDK publishing");
  stack = sdkStack(created.apiKey, created.token);
  production = (await stack.environment().create({ environment: { name: "production" } })).uid;
  staging = (await stack.environment().create({ environment: { name: "staging" } })).uid;
  asset = await stack.asset().create({
    upload: Buffer.from("version one"),
    filename: "hero.txt",
    content_type: "text/plain",
    title: "Hero",
  });
});

const versionsIn = async (uid: string) => {
  const fetched = await stack.asset(uid).fetch({ include_publish_details: true });
  return Object.fromEntries((fetched.publish_details ?? []).map((d) => [d.environment, d.version]));
};

describe("publishing through the official SDK", () => {
  it("publishes the latest version with asset.publish(), shown in publish_details", async () => {
    const answer = await asset.publish({
      publishDetails: { locales: ["en-us"], environments: ["production"] },
    });
    expect(answer.notice).toBe("Asset sent for publishing.");
    const fetched = await stack.asset(asset.uid).fetch({ include_publish_details: true });
    expect(fetched.publish_details).toEqual([
      {
        environment: production,
        locale: "en-us",
        version: 1,
        time: expect.any(String),
        user: expect.stringMatching(/^blt[0-9a-f]{16}$/),
      },
    ]);
  });

  it("keeps production on version 1 after a replace; staging gets version 2 by version number", async () => {
    await stack.asset(asset.uid).replace({
      upload: Buffer.from("version two"),
      filename: "hero.txt",
      content_type: "text/plain",
    });
    expect(await versionsIn(asset.uid)).toEqual({ [production]: 1 });
    const fetched = await stack.asset(asset.uid).fetch();
    await fetched.publish({ publishDetails: { environments: ["staging"] }, version: 2 });
    expect(await versionsIn(asset.uid)).toEqual({ [production]: 1, [staging]: 2 });
    // The SDK's `locale` argument adds a locale.
    await fetched.publish({
      publishDetails: { locales: ["en-us"], environments: ["staging"] },
      locale: "fr-fr",
      version: 2,
    });
    const details = (await stack.asset(asset.uid).fetch({ include_publish_details: true }))
      .publish_details;
    expect(details?.filter((d) => d.environment === staging).map((d) => d.locale)).toEqual([
      "en-us",
      "fr-fr",
    ]);
  });

  it("lists publish_details with query().find()", async () => {
    const found = await stack.asset().query({ include_publish_details: true }).find();
    const listed = found.items.find((a) => a.uid === asset.uid);
    expect(listed?.publish_details?.map((d) => d.environment).sort()).toEqual(
      [production, staging, staging].sort(),
    );
  });

  it("unpublishes with asset.unpublish()", async () => {
    const fetched = await stack.asset(asset.uid).fetch();
    const answer = await fetched.unpublish({
      publishDetails: { locales: ["en-us", "fr-fr"], environments: ["staging"] },
    });
    expect(answer.notice).toBe("Asset sent for unpublishing.");
    expect(await versionsIn(asset.uid)).toEqual({ [production]: 1 });
  });

  it("schedules a publish with scheduledAt: it takes effect at its time, with no request making it", async () => {
    const later = await stack.asset().create({
      upload: Buffer.from("launch"),
      filename: "launch.txt",
      content_type: "text/plain",
    });
    const at = new Date(Date.now() + 2_500).toISOString();
    const answer = await later.publish({
      publishDetails: { locales: ["en-us"], environments: ["production"] },
      scheduledAt: at,
    });
    expect(answer.publish_queue_uid).toMatch(/^blt[0-9a-f]{16}$/);
    expect(await versionsIn(later.uid)).toEqual({});
    // Only reads from here on: the asset's Durable Object alarm publishes it.
    await vi.waitFor(async () => expect(await versionsIn(later.uid)).toEqual({ [production]: 1 }), {
      timeout: 15_000,
      interval: 250,
    });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(at));
  });

  it("publishes and unpublishes many assets with bulkOperation()", async () => {
    const more = await Promise.all(
      ["a", "b"].map((name) =>
        stack.asset().create({
          upload: Buffer.from(name),
          filename: `${name}.txt`,
          content_type: "text/plain",
        }),
      ),
    );
    const details = {
      assets: more.map((a) => ({ uid: a.uid })),
      environments: ["staging"],
      locales: ["en-us"],
    };
    const published = await stack.bulkOperation().publish({ details });
    expect(published.notice).toBe("Bulk publish applied to 2 assets.");
    for (const a of more) expect(await versionsIn(a.uid)).toEqual({ [staging]: 1 });
    await stack.bulkOperation().unpublish({ details });
    for (const a of more) expect(await versionsIn(a.uid)).toEqual({});
  });

  it("gets refusals as the SDK's error objects", async () => {
    const fetched = await stack.asset(asset.uid).fetch();
    const unknown = await sdkError(() =>
      fetched.publish({ publishDetails: { locales: ["en-us"], environments: ["nowhere"] } }),
    );
    expect(unknown).toMatchObject({ status: 422, errorCode: 141 });
    expect(unknown.errors.environments?.[0]).toContain("nowhere");
    const noVersion = await sdkError(() =>
      fetched.publish({ publishDetails: { environments: ["production"] }, version: 99 }),
    );
    expect(noVersion).toMatchObject({ status: 422 });
    expect(Object.keys(noVersion.errors)).toEqual(["version"]);
    const past = await sdkError(() =>
      fetched.publish({
        publishDetails: { environments: ["production"] },
        scheduledAt: "2001-01-01T00:00:00.000Z",
      }),
    );
    expect(Object.keys(past.errors)).toEqual(["scheduled_at"]);
    expect(await versionsIn(asset.uid)).toEqual({ [production]: 1 });
  });
});
