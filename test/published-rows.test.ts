// The published catalogue's writes (objects/published-rows.ts) against the real local D1: an
// asset's rows replaced in one batch, never by an older revision (deletes included).

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Publications } from "../src/domain/publications";
import type { AssetRecord, VersionRecord } from "../src/domain/records";
import { publishedRows } from "../src/http/published-view";
import { writePublishedRows } from "../src/objects/published-rows";

const API_KEY = "blt0000000000000001";
const UID = "blt00000000000000a1";

const asset = (over: Partial<AssetRecord> = {}): AssetRecord => ({
  apiKey: API_KEY,
  uid: UID,
  title: "Now",
  description: "",
  tags: ["now"],
  parentUid: null,
  createdBy: "blt000000000000000f",
  updatedBy: "blt000000000000000f",
  slug: "boy",
  currentVersion: 2,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-03T00:00:00.000Z",
  deleted: false,
  revision: 5,
  ...over,
});

const version = (n: number): VersionRecord => ({
  version: n,
  fileUid: `${"0".repeat(23)}${n}`,
  filename: `v${n}.jpg`,
  safeFilename: `v${n}.jpg`,
  contentType: "image/jpeg",
  size: 100 * n,
  sha256: "a".repeat(64),
  etag: `"e${n}"`,
  uploaded: `2026-01-0${n}T00:00:00.000Z`,
});

const publication = (environment: string, v: number, title: string, tags: string[]) => ({
  environment,
  version: v,
  locales: ["en-us", "fr-fr"],
  time: "2026-01-04T00:00:00.000Z",
  user: "blt000000000000000f",
  metadata: {
    title,
    description: "",
    tags,
    parentUid: null,
    updatedAt: "2026-01-02T00:00:00.000Z",
    updatedBy: "blt000000000000000f",
  },
});

const rowsOf = (publications: Publications, over: Partial<AssetRecord> = {}) =>
  publishedRows(asset(over), publications, version);

async function stored() {
  const { results } = await env.PUBLISHED.prepare(
    `SELECT environment_uid, title, filename, file_size, version, locales, revision, body
     FROM published_assets WHERE api_key = ? AND uid = ? ORDER BY environment_uid`,
  )
    .bind(API_KEY, UID)
    .all<Record<string, string | number>>();
  const tags = await env.PUBLISHED.prepare(
    "SELECT environment_uid, tag FROM published_tags WHERE api_key = ? AND uid = ? ORDER BY 1, 2",
  )
    .bind(API_KEY, UID)
    .all<{ environment_uid: string; tag: string }>();
  return { rows: results, tags: tags.results.map((t) => `${t.environment_uid}:${t.tag}`) };
}

describe("the published catalogue's rows", () => {
  it("hold what each environment shows: its version's file and the fields as published", async () => {
    const publications: Publications = {
      envProd: publication("envProd", 1, "Then", ["old"]),
      envStage: publication("envStage", 2, "Now", ["now", "new"]),
    };
    await writePublishedRows(env.PUBLISHED, API_KEY, UID, 5, rowsOf(publications));
    const { rows, tags } = await stored();
    expect(
      rows.map((r) => [r.environment_uid, r.title, r.filename, r.file_size, r.version]),
    ).toEqual([
      ["envProd", "Then", "v1.jpg", 100, 1],
      ["envStage", "Now", "v2.jpg", 200, 2],
    ]);
    expect(JSON.parse(rows[0]?.locales as string)).toEqual(["en-us", "fr-fr"]);
    expect(tags).toEqual(["envProd:old", "envStage:new", "envStage:now"]);
    const body = JSON.parse(rows[0]?.body as string);
    expect(body).toMatchObject({
      uid: UID,
      title: "Then",
      _version: 1,
      file_size: "100",
      url: `/v3/assets/${API_KEY}/${UID}/${version(1).fileUid}/v1.jpg`,
      permanent_url: `/v3/assets/${API_KEY}/${UID}/boy`,
      publish_details: { environment: "envProd", locale: "en-us" },
    });
  });

  it("are replaced by a newer revision, and an older one changes nothing (deletes included)", async () => {
    const one: Publications = { envProd: publication("envProd", 1, "A", ["a"]) };
    await writePublishedRows(env.PUBLISHED, API_KEY, UID, 10, rowsOf(one));
    // Revision 11 unpublishes everything.
    await writePublishedRows(env.PUBLISHED, API_KEY, UID, 11, []);
    expect((await stored()).rows).toEqual([]);
    // A late retry of revision 10 must not bring the row back.
    await writePublishedRows(env.PUBLISHED, API_KEY, UID, 10, rowsOf(one));
    expect((await stored()).rows).toEqual([]);
    // Revision 12 publishes again; a late revision 11 must not remove it.
    const two: Publications = { envStage: publication("envStage", 2, "B", ["b"]) };
    await writePublishedRows(env.PUBLISHED, API_KEY, UID, 12, rowsOf(two));
    await writePublishedRows(env.PUBLISHED, API_KEY, UID, 11, []);
    const { rows, tags } = await stored();
    expect(rows.map((r) => [r.environment_uid, r.revision])).toEqual([["envStage", 12]]);
    expect(tags).toEqual(["envStage:b"]);
    // The same revision again (a retry after a lost answer) writes the same rows.
    await writePublishedRows(env.PUBLISHED, API_KEY, UID, 12, rowsOf(two));
    expect((await stored()).rows).toHaveLength(1);
  });

  it("write 100 environments with 50 tags each in one batch of five statements", async () => {
    const tags = Array.from({ length: 50 }, (_, i) => `tag-${i}`);
    const many: Publications = {};
    for (let i = 0; i < 100; i++) {
      const environment = `env${String(i).padStart(3, "0")}`;
      many[environment] = publication(environment, 2, "Many", tags);
    }
    const batches: number[] = [];
    const db = env.PUBLISHED;
    const counting = {
      prepare: db.prepare.bind(db),
      batch: (statements: D1PreparedStatement[]) => {
        batches.push(statements.length);
        return db.batch(statements);
      },
    } as unknown as D1Database;
    await writePublishedRows(counting, API_KEY, UID, 20, rowsOf(many));
    expect(batches).toEqual([5]);
    const { rows, tags: stored_ } = await stored();
    expect(rows).toHaveLength(100);
    expect(stored_).toHaveLength(5000);
  });
});
