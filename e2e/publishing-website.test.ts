// Publishing as a CMS and a website see it, against the real local service with both official
// SDKs, each with only its endpoint changed: the Management SDK (1.30.2) creates environments and
// delivery tokens, publishes, replaces, unpublishes, schedules and deletes; the Delivery SDK
// (5.2.0) reads what a website reads (the Content Delivery API on the public host). Plain HTTP
// covers `?environment=` on both public URL kinds (ranges, 304s, image parameters) and the
// management host's download.

import contentstack, { QueryOperation } from "@contentstack/delivery-sdk";
import type { Asset, Stack } from "@contentstack/management";
import sharp from "sharp";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { baseUrl, contentBaseUrl, newStack, publicBaseUrl } from "./api";
import { sdkStack } from "./sdk";

let cms: Stack;
let apiKey: string;
let managementToken: string;
let productionUid: string;
let stagingUid: string;
const secrets = { production: "", staging: "" };
let tokenUids: { production: string; staging: string };
let hero: Asset;
let draft: Asset;

/** A website's stack, as the Delivery SDK's README has it, pointed at the public host. */
const website = (environment: string, deliveryToken = secrets[environment as "production"]) =>
  contentstack.stack({ apiKey, deliveryToken, environment, endpoint: `${publicBaseUrl}/v3` });

/** The error an SDK call throws (it must throw). */
async function failure(call: () => Promise<unknown>) {
  try {
    await call();
  } catch (err) {
    return err as { status: number; error_code: number; error_message: string };
  }
  throw new Error("the call succeeded; an error was expected");
}

const text = async (url: string, init?: RequestInit) => {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, body: await res.text() };
};

beforeAll(async () => {
  const created = await newStack("A website that publishes");
  apiKey = created.apiKey;
  managementToken = created.token;
  cms = sdkStack(apiKey, managementToken);
  productionUid = (await cms.environment().create({ environment: { name: "production" } })).uid;
  stagingUid = (await cms.environment().create({ environment: { name: "staging" } })).uid;
  const token = async (environment: string) =>
    cms.deliveryToken().create({
      token: {
        name: `${environment} site`,
        scope: [{ module: "environment", environments: [environment], acl: { read: true } }],
      },
    });
  const [production, staging] = await Promise.all([token("production"), token("staging")]);
  secrets.production = production.token ?? "";
  secrets.staging = staging.token ?? "";
  tokenUids = { production: production.uid, staging: staging.uid };
  hero = await cms.asset().create({
    upload: Buffer.from("hero, version one"),
    filename: "hero.txt",
    content_type: "text/plain",
    title: "Hero",
    tags: ["home"],
  });
  hero.permanent_url = "hero";
  hero = await hero.update();
  draft = await cms.asset().create({
    upload: Buffer.from("never published"),
    filename: "draft.txt",
    content_type: "text/plain",
  });
});

describe("a website reads what is published", () => {
  it("sees nothing until an asset is published, then its version", async () => {
    const before = await failure(() => website("production").asset(hero.uid).fetch());
    expect(before.status).toBe(404);
    await hero.publish({ publishDetails: { locales: ["en-us"], environments: ["production"] } });
    const asset = await website("production").asset(hero.uid).fetch<{
      url: string;
      _version: number;
      title: string;
      publish_details: { environment: string };
    }>();
    expect(asset).toMatchObject({ _version: 1, title: "Hero" });
    expect(asset.publish_details.environment).toBe(productionUid);
    expect((await text(asset.url)).body).toBe("hero, version one");
  });

  it("keeps production on its version after a replace, until it is published", async () => {
    await cms.asset(hero.uid).replace({
      upload: Buffer.from("hero, version two"),
      filename: "hero.txt",
      content_type: "text/plain",
    });
    const asset = await website("production").asset(hero.uid).fetch<{ _version: number }>();
    expect(asset._version).toBe(1);
    const permanent = `${publicBaseUrl}/v3/assets/${apiKey}/${hero.uid}/hero`;
    expect((await text(`${permanent}?environment=production`)).body).toBe("hero, version one");
    expect((await text(permanent)).body).toBe("hero, version two");
  });

  it("lets staging hold a chosen version while production holds another", async () => {
    const fetched = await cms.asset(hero.uid).fetch();
    await fetched.publish({ publishDetails: { environments: ["staging"] }, version: 2 });
    const staged = await website("staging").asset(hero.uid).fetch<{ _version: number }>();
    const live = await website("production").asset(hero.uid).fetch<{ _version: number }>();
    expect([staged._version, live._version]).toEqual([2, 1]);
    const details = (await cms.asset(hero.uid).fetch({ include_publish_details: true }))
      .publish_details;
    expect(Object.fromEntries((details ?? []).map((d) => [d.environment, d.version]))).toEqual({
      [productionUid]: 1,
      [stagingUid]: 2,
    });
  });

  it("lists published assets only, with the CMA's filters, order, paging and count", async () => {
    const listing = await website("production").asset().includeCount().find<{ uid: string }>();
    expect(listing.assets?.map((a) => a.uid)).toEqual([hero.uid]);
    expect(listing.count).toBe(1);
    expect(listing.assets?.map((a) => a.uid)).not.toContain(draft.uid);
    const queried = await website("production")
      .asset()
      .query()
      .where("title", QueryOperation.EQUALS, "Hero")
      .find<{ uid: string }>();
    expect(queried.assets?.map((a) => a.uid)).toEqual([hero.uid]);
    const none = await website("production")
      .asset()
      .query()
      .where("title", QueryOperation.EQUALS, "Other")
      .find();
    expect(none.assets).toEqual([]);
    const paged = await website("production")
      .asset()
      .orderByAscending("title")
      .skip(1)
      .limit(1)
      .find();
    expect(paged.assets).toEqual([]);
  });

  it("reads the same from the content delivery Worker's own host, as an operator may give it one", async () => {
    const own = contentstack.stack({
      apiKey,
      deliveryToken: secrets.production,
      environment: "production",
      endpoint: `${contentBaseUrl}/v3`,
    });
    expect(contentBaseUrl).not.toBe(publicBaseUrl);
    const [there, here] = await Promise.all([
      own.asset(hero.uid).fetch<{ _version: number; url: string }>(),
      website("production").asset(hero.uid).fetch<{ _version: number; url: string }>(),
    ]);
    expect(there).toEqual(here);
    expect(there.url.startsWith(`${publicBaseUrl}/`)).toBe(true);
    const listed = await own.asset().includeCount().find<{ uid: string }>();
    expect(listed.assets?.map((a) => a.uid)).toEqual([hero.uid]);
    expect(listed.count).toBe(1);
    // The same checks there: a management token is refused (over plain HTTP: the SDK reports a
    // 401 as its own status 0, below).
    const refused = await text(`${contentBaseUrl}/v3/assets/${hero.uid}?environment=production`, {
      headers: { api_key: apiKey, access_token: managementToken },
    });
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ error_code: 175 });
  });
});

describe("who may read", () => {
  /** The status the Content Delivery API answers a single fetch with these credentials. */
  const answered = async (environment: string, token: string) => {
    const res = await fetch(`${publicBaseUrl}/v3/assets/${hero.uid}?environment=${environment}`, {
      headers: { api_key: apiKey, access_token: token },
    });
    return { status: res.status, body: (await res.json()) as { error_code?: number } };
  };

  it("refuses an environment outside the token's scope with a 403", async () => {
    const outside = await failure(() =>
      website("staging", secrets.production).asset(hero.uid).fetch(),
    );
    expect(outside).toMatchObject({ status: 403, error_code: 176 });
  });

  it("refuses a wrong token and a management token with a 401", async () => {
    // The SDK retries a 401 five times and then reports it as its own "unknown error" (status 0),
    // as it does against Contentstack: the refusal itself is checked over plain HTTP.
    for (const token of ["cs00000000000000000000000000000000", managementToken]) {
      await expect(website("production", token).asset(hero.uid).fetch()).rejects.toBeDefined();
      expect(await answered("production", token)).toEqual({
        status: 401,
        body: expect.objectContaining({ error_code: 175 }),
      });
    }
  });

  it("refuses a revoked token on the next request", async () => {
    expect((await answered("staging", secrets.staging)).status).toBe(200);
    await cms.deliveryToken(tokenUids.staging).delete();
    expect((await answered("staging", secrets.staging)).status).toBe(401);
    await expect(website("staging").asset(hero.uid).fetch()).rejects.toBeDefined();
  });
});

describe("scheduled, unpublished, downloaded, deleted", () => {
  it("goes live at the scheduled time with no request making it", async () => {
    const launch = await cms.asset().create({
      upload: Buffer.from("launch day"),
      filename: "launch.txt",
      content_type: "text/plain",
    });
    const at = new Date(Date.now() + 2_500).toISOString();
    await launch.publish({
      publishDetails: { locales: ["en-us"], environments: ["production"] },
      scheduledAt: at,
    });
    expect((await failure(() => website("production").asset(launch.uid).fetch())).status).toBe(404);
    // Only the website's reads from here on, which reach no Durable Object: the alarm publishes.
    await vi.waitFor(
      async () =>
        expect(
          (await website("production").asset(launch.uid).fetch<{ _version: number }>())._version,
        ).toBe(1),
      { timeout: 15_000, interval: 250 },
    );
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(at));
  });

  it("downloads through the management host, latest or published, with the SDK's download()", async () => {
    const url = `${baseUrl}/v3/assets/${apiKey}/${hero.uid}/hero`;
    const latest = await cms.asset().download({ url, responseType: "arraybuffer" });
    expect(Buffer.from(latest.data).toString()).toBe("hero, version two");
    const published = await cms
      .asset()
      .download({ url: `${url}?environment=production`, responseType: "arraybuffer" });
    expect(Buffer.from(published.data).toString()).toBe("hero, version one");
    expect((await text(`${url}?environment=production`)).status).toBe(401);
  });

  it("answers 404 on the website and the public URL once unpublished", async () => {
    const fetched = await cms.asset(hero.uid).fetch();
    await fetched.unpublish({
      publishDetails: { locales: ["en-us"], environments: ["production"] },
    });
    expect((await failure(() => website("production").asset(hero.uid).fetch())).status).toBe(404);
    const permanent = `${publicBaseUrl}/v3/assets/${apiKey}/${hero.uid}/hero`;
    expect((await text(`${permanent}?environment=production`)).status).toBe(404);
    expect((await text(permanent)).body).toBe("hero, version two");
  });

  it("drops a deleted asset from every environment", async () => {
    const gone = await cms.asset().create({
      upload: Buffer.from("short-lived"),
      filename: "gone.txt",
      content_type: "text/plain",
    });
    await gone.publish({ publishDetails: { locales: ["en-us"], environments: ["production"] } });
    const listed = await website("production").asset().find<{ uid: string }>();
    expect(listed.assets?.map((a) => a.uid)).toContain(gone.uid);
    await cms.asset(gone.uid).delete();
    expect((await failure(() => website("production").asset(gone.uid).fetch())).status).toBe(404);
    const after = await website("production").asset().find<{ uid: string }>();
    expect(after.assets?.map((a) => a.uid)).not.toContain(gone.uid);
  });
});

describe("?environment= on both public URL kinds, over plain HTTP", () => {
  let photo: Asset;
  let permanent: string;

  beforeAll(async () => {
    const png = await sharp({
      create: { width: 400, height: 300, channels: 3, background: "#3366cc" },
    })
      .png()
      .toBuffer();
    photo = await cms
      .asset()
      .create({ upload: png, filename: "photo.png", content_type: "image/png" });
    photo.permanent_url = "photo";
    photo = await photo.update();
    await photo.publish({ publishDetails: { locales: ["en-us"], environments: ["production"] } });
    await cms.asset(photo.uid).replace({
      upload: Buffer.from("not a picture any more"),
      filename: "photo.png",
      content_type: "text/plain",
    });
    permanent = `${publicBaseUrl}/v3/assets/${apiKey}/${photo.uid}/photo`;
  });

  it("serves ranges and 304s of the environment's version on both kinds", async () => {
    const versioned = `${photo.url}?environment=production`;
    for (const url of [`${permanent}?environment=production`, versioned]) {
      const whole = await fetch(url);
      const bytes = Buffer.from(await whole.arrayBuffer());
      expect(whole.headers.get("content-type")).toBe("image/png");
      expect(whole.headers.get("cache-control")).toBe("public, max-age=60");
      const range = await fetch(url, { headers: { range: "bytes=1-3" } });
      expect(range.status).toBe(206);
      expect(Buffer.from(await range.arrayBuffer()).toString("latin1")).toBe("PNG");
      const etag = whole.headers.get("etag") ?? "";
      const same = await fetch(url, { headers: { "if-none-match": etag } });
      await same.arrayBuffer();
      expect(same.status).toBe(304);
      expect(bytes.length).toBeGreaterThan(0);
    }
    expect((await text(`${photo.url}?environment=staging`)).status).toBe(404);
  });

  it("transforms the environment's version with image parameters", async () => {
    const res = await fetch(`${permanent}?environment=production&width=100&format=webp`);
    expect(res.status).toBe(200);
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 100, 75]);
    // Without the environment: the latest version, which is text now.
    expect((await text(`${permanent}?width=100&format=webp`)).body).toBe("not a picture any more");
  });
});
