// The Content Delivery API's asset routes on the public host (content-delivery/cda-routes.ts,
// reached through the delivery Worker's forwarding): what an environment has published, as it
// was published (from the published catalogue in D1), one asset or a listing with the CMA's
// filters; who may read (a delivery token of the stack whose scope holds the environment,
// checked against the KV records the stack's object writes); the CDA's error shapes, CORS and
// methods; changes shown on the next request.

import { beforeAll, describe, expect, it } from "vitest";
import { DELIVERY_HOST } from "./both-workers";
import { imageFixture } from "./fixtures/images/decoded";
import {
  type AssetJson,
  auth,
  call,
  createDeliveryToken,
  createEnvironment,
  createStack,
  fetchText,
  publishAsset,
  type Stack,
  sendJson,
  uploadAsset,
} from "./helpers";
import { assetWithVersions, createEnvironments } from "./publishing-fixtures";

const CDN = `https://${DELIVERY_HOST}`;

let stack: Stack;
let other: Stack;
let production: { uid: string; token: string };
let staging: { uid: string; token: string };
let theirs: { uid: string; token: string };
let productionUid: string;
/** Version 1 is published to production, version 2 to staging. */
let report: { v1: AssetJson; v2: AssetJson };
/** A PNG published to production in French only. */
let banner: AssetJson;
let draft: AssetJson;

const cda = (path: string, headers: Record<string, string>, init: RequestInit = {}) =>
  fetchText(`${CDN}${path}`, { headers, ...init });
const as = (token: string, of: Stack = stack) => ({ api_key: of.apiKey, access_token: token });

beforeAll(async () => {
  stack = await createStack("Website");
  other = await createStack("Another site");
  [productionUid] = await createEnvironments(stack, ["production", "staging"]);
  await createEnvironment(other, "production");
  production = await createDeliveryToken(stack, ["production"]);
  staging = await createDeliveryToken(stack, ["staging"]);
  theirs = await createDeliveryToken(other, ["production"]);

  const fields = { "asset[title]": "Annual report", "asset[tags]": "report,yearly" };
  const { versions } = await assetWithVersions(stack, "report", [
    {
      name: "report.txt",
      bytes: "first version",
      fields,
      publish: { environments: ["production"] },
    },
    { name: "report-2.txt", bytes: "second version", publish: { environments: ["staging"] } },
  ]);
  const [v1, v2] = versions;
  // Edited after publishing: the environments keep showing what was published.
  const edited = await sendJson(stack, "PUT", `/v3/assets/${v1.uid}`, {
    asset: { title: "Edited later" },
  });
  expect(edited.status).toBe(200);
  report = { v1, v2 };
  [banner] = (
    await assetWithVersions(stack, null, [
      {
        name: "banner.png",
        bytes: imageFixture("png-123x45.png"),
        fields: { "asset[title]": "Banner", "asset[tags]": "home" },
        type: "image/png",
        publish: { environments: ["production"], locales: ["fr-fr"] },
      },
    ])
  ).versions;
  draft = await uploadAsset(stack, "draft.txt", "not published");
});

type One = { asset: Record<string, unknown> & { url: string; _version: number } };
type Many = { assets: One["asset"][]; count?: number };
const fetchOne = async (uid: string, query: string, token = production.token) => {
  const res = await cda(`/v3/assets/${uid}?${query}`, as(token));
  return { status: res.status, headers: res.headers, body: JSON.parse(res.text) as One };
};
const list = async (query: string, token = production.token) => {
  const res = await cda(`/v3/assets?${query}`, as(token));
  expect(res.status, res.text).toBe(200);
  return JSON.parse(res.text) as Many;
};
const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));

describe("one published asset", () => {
  it("answers the version and fields as published, with URLs on this host", async () => {
    const { status, headers, body } = await fetchOne(report.v1.uid, "environment=production");
    expect(status).toBe(200);
    expect(headers.get("content-type")).toContain("application/json");
    expect(headers.get("cache-control")).toBe("no-store");
    const cdnUrl = (url: string) => `${CDN}${new URL(url).pathname}`;
    expect(body.asset).toMatchObject({
      uid: report.v1.uid,
      title: "Annual report",
      tags: ["report", "yearly"],
      filename: "report.txt",
      _version: 1,
      url: cdnUrl(report.v1.url),
      permanent_url: `${CDN}/v3/assets/${stack.apiKey}/${report.v1.uid}/report`,
      publish_details: { environment: productionUid, locale: "en-us", user: stack.tokenUid },
    });
    expect((await fetchText(body.asset.url)).text).toBe("first version");
  });

  it("answers another environment's version with its own token", async () => {
    const { body } = await fetchOne(report.v1.uid, "environment=staging", staging.token);
    expect(body.asset).toMatchObject({ _version: 2, filename: "report-2.txt" });
    expect(body.asset.url).toBe(`${CDN}${new URL(report.v2.url).pathname}`);
  });

  it("answers 404 for an asset not published there, unknown, or not an asset uid", async () => {
    for (const uid of [draft.uid, "blt0000000000000001", "not-a-uid"]) {
      const { status, body } = await fetchOne(uid, "environment=production");
      expect(status, uid).toBe(404);
      expect(body).toMatchObject({ error_code: 145 });
    }
  });

  it("takes version, relative_urls, include_dimension and locale", async () => {
    expect((await fetchOne(report.v1.uid, "environment=production&version=1")).status).toBe(200);
    expect((await fetchOne(report.v1.uid, "environment=production&version=2")).status).toBe(404);
    const relative = await fetchOne(report.v1.uid, "environment=production&relative_urls=true");
    expect(relative.body.asset.url).toBe(new URL(report.v1.url).pathname);
    const plain = await fetchOne(banner.uid, "environment=production");
    expect(plain.body.asset).not.toHaveProperty("dimension");
    const sized = await fetchOne(banner.uid, "environment=production&include_dimension=true");
    expect(sized.body.asset.dimension).toEqual({ width: 123, height: 45 });
    expect((await fetchOne(banner.uid, "environment=production&locale=en-us")).status).toBe(404);
    const french = await fetchOne(banner.uid, "environment=production&locale=fr-fr");
    expect(french.body.asset).toMatchObject({ publish_details: { locale: "fr-fr" } });
  });

  it("refuses bad parameters with a 422 naming them", async () => {
    const { status, body } = await fetchOne(report.v1.uid, "environment=production&version=0");
    expect(status).toBe(422);
    expect(body).toMatchObject({ errors: { version: ["must be at least 1"] } });
  });

  it("answers HEAD with no body", async () => {
    const res = await cda(
      `/v3/assets/${report.v1.uid}?environment=production`,
      as(production.token),
      {
        method: "HEAD",
      },
    );
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
  });
});

describe("the listing", () => {
  it("lists what the environment has published, newest first, with count when asked", async () => {
    const all = await list("environment=production");
    expect(all.assets.map((a) => a.uid)).toEqual([banner.uid, report.v1.uid]);
    expect(all).not.toHaveProperty("count");
    expect(all.assets[1]).toMatchObject({ _version: 1, title: "Annual report" });
    const counted = await list("environment=production&include_count=true&limit=1");
    expect(counted.count).toBe(2);
    expect(counted.assets.map((a) => a.uid)).toEqual([banner.uid]);
    const staged = await list("environment=staging&include_count=true", staging.token);
    expect(staged.assets.map((a) => [a.uid, a._version])).toEqual([[report.v1.uid, 2]]);
  });

  it("filters and sorts as the CMA's listing does, on what was published", async () => {
    const ids = async (query: string) =>
      (await list(`environment=production&${query}`)).assets.map((a) => a.uid);
    expect(await ids(`query=${q({ tags: { $in: ["yearly"] } })}`)).toEqual([report.v1.uid]);
    expect(await ids(`query=${q({ title: "Annual report" })}`)).toEqual([report.v1.uid]);
    expect(await ids(`query=${q({ title: "Edited later" })}`)).toEqual([]);
    expect(await ids(`query=${q({ title: { $regex: "^ann", $options: "i" } })}`)).toEqual([
      report.v1.uid,
    ]);
    expect(await ids(`query=${q({ content_type: { $regex: "^image/" } })}`)).toEqual([banner.uid]);
    expect(await ids(`query=${q({ file_size: { $lt: 100 } })}`)).toEqual([report.v1.uid]);
    expect(await ids("asc=title")).toEqual([report.v1.uid, banner.uid]);
    expect(await ids("asc=title&skip=1")).toEqual([banner.uid]);
    expect(await ids("locale=fr-fr")).toEqual([banner.uid]);
    const regexCount = await list(
      `environment=production&include_count=true&query=${q({ filename: { $regex: "\\.txt$" } })}`,
    );
    expect(regexCount.count).toBe(1);
  });

  it("refuses what the CMA's listing refuses, naming it", async () => {
    for (const [query, field] of [
      ["limit=101", "limit"],
      [`query=${q({ $where: "1" })}`, "query"],
      ["asc=uid", "asc"],
    ]) {
      const res = await cda(`/v3/assets?environment=production&${query}`, as(production.token));
      expect(res.status, query).toBe(422);
      expect(JSON.parse(res.text).errors).toHaveProperty(field as string);
    }
  });
});

describe("changes", () => {
  it("shows an unpublish, a publish and a delete on the next request", async () => {
    const note = await uploadAsset(stack, "note.txt", "a note");
    await publishAsset(stack, note.uid, { environments: ["production"] });
    expect((await fetchOne(note.uid, "environment=production")).status).toBe(200);
    await publishAsset(stack, note.uid, { environments: ["production"] }, { action: "unpublish" });
    expect((await fetchOne(note.uid, "environment=production")).status).toBe(404);
    await publishAsset(stack, note.uid, { environments: ["production"] });
    expect((await list("environment=production")).assets.map((a) => a.uid)).toContain(note.uid);
    const deleted = await call(`/v3/assets/${note.uid}`, {
      method: "DELETE",
      headers: auth(stack),
    });
    expect(deleted.status).toBe(200);
    expect((await fetchOne(note.uid, "environment=production")).status).toBe(404);
    expect((await list("environment=production")).assets.map((a) => a.uid)).not.toContain(note.uid);
  });
});

describe("who may read", () => {
  it("answers 412 without a valid api_key", async () => {
    for (const headers of [
      { access_token: production.token },
      as(production.token, { ...stack, apiKey: "blt00" }),
    ]) {
      const res = await cda("/v3/assets?environment=production", headers);
      expect(res.status).toBe(412);
      expect(JSON.parse(res.text)).toMatchObject({ error_code: 109 });
    }
  });

  it("answers 401 without a delivery token of the stack: none, wrong, a management token, another stack's", async () => {
    const cases: Record<string, string>[] = [
      { api_key: stack.apiKey },
      as("cs00000000000000000000000000000000"),
      as(stack.token),
      as(theirs.token),
    ];
    for (const headers of cases) {
      for (const path of [
        "/v3/assets?environment=production",
        "/v3/assets/blt0000000000000001?environment=production",
      ]) {
        const res = await cda(path, headers);
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(JSON.parse(res.text)).toEqual({
          error_message:
            "The access_token header is missing or is not a delivery token of this stack.",
          error_code: 175,
        });
        expect(res.headers.get("cache-control")).toBe("no-store");
        expect(res.headers.get("access-control-allow-origin")).toBe("*");
      }
    }
  });

  it("answers 422 without an environment", async () => {
    for (const path of ["/v3/assets", "/v3/assets?environment="]) {
      const res = await cda(path, as(production.token));
      expect(res.status).toBe(422);
      expect(JSON.parse(res.text)).toMatchObject({ errors: { environment: ["is required"] } });
    }
  });

  it("answers 403 for an environment outside the token's scope, or no environment of the stack", async () => {
    for (const name of ["staging", "nowhere", "constructor", "__proto__"]) {
      const res = await cda(`/v3/assets?environment=${name}`, as(production.token));
      expect(res.status, name).toBe(403);
      expect(JSON.parse(res.text)).toMatchObject({ error_code: 176 });
    }
  });

  it("refuses a revoked token on the next request", async () => {
    const brief = await createDeliveryToken(stack, ["staging"]);
    expect((await cda("/v3/assets?environment=production", as(brief.token))).status).toBe(403);
    const revoked = await sendJson(stack, "DELETE", `/v3/stacks/delivery_tokens/${brief.uid}`);
    expect(revoked.status).toBe(200);
    expect((await cda("/v3/assets?environment=staging", as(brief.token))).status).toBe(401);
  });

  it("refuses a deleted environment on the next request", async () => {
    await createEnvironment(stack, "preview");
    const both = await createDeliveryToken(stack, ["preview", "production"]);
    const deleted = await sendJson(stack, "DELETE", "/v3/environments/preview");
    expect(deleted.status).toBe(200);
    expect((await cda("/v3/assets?environment=preview", as(both.token))).status).toBe(403);
  });
});

describe("methods and CORS", () => {
  it("answers a preflight with the SDK's headers allowed", async () => {
    for (const path of ["/v3/assets", "/v3/assets/blt0000000000000001"]) {
      const res = await cda(path, { origin: "https://www.example.com" }, { method: "OPTIONS" });
      expect(res.status).toBe(204);
      const allowed = res.headers.get("access-control-allow-headers")?.toLowerCase() ?? "";
      for (const header of ["api_key", "access_token", "x-user-agent"]) {
        expect(allowed).toContain(header);
      }
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
    }
  });

  it("takes no other method", async () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      const res = await cda("/v3/assets?environment=production", as(production.token), { method });
      expect(res.status, method).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    }
  });
});
