// A stack created before folders, tags, the listing's columns and publishing existed (schema 1,
// no version row) is brought to the current schema in place: its catalogue rows get their columns from
// their snapshots, and listing, filtering and the asset JSON work on them. And the listings use
// the indexes the schema gives them (SQLite's own query plans).

import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  compileFilter,
  compileOrder,
  type ListFilter,
  type ListOrder,
} from "../src/domain/asset-query-sql";
import type { StackObject } from "../src/objects/stack-object";
import { migrateStackSchema, SCHEMA_VERSION } from "../src/objects/stack-schema";
import { stackStub } from "../src/objects/stubs";

const API_KEY = "blt00000000000000ee";
const UID = "blt0000000000000001";

/** A catalogue snapshot as schema 1 stored it: no tags, folder or authors in the record. */
const OLD_SNAPSHOT = {
  asset: {
    apiKey: API_KEY,
    uid: UID,
    title: "Old title",
    description: "",
    slug: null,
    currentVersion: 1,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-02T00:00:00.000Z",
    deleted: false,
    revision: 1,
  },
  current: {
    version: 1,
    fileUid: "0123456789abcdef01234567",
    filename: "old.png",
    safeFilename: "old.png",
    contentType: "image/png",
    size: 42,
    sha256: "0".repeat(64),
    etag: '"e"',
    uploaded: "2026-01-01T00:00:00.000Z",
  },
};

describe("the stack object's schema", () => {
  it("migrates a schema-1 stack in place and lists its old rows", async () => {
    const stub = stackStub(env, API_KEY);
    const result = await runInDurableObject(stub, (stack: StackObject, state) => {
      const sql = state.storage.sql;
      // Back to schema 1, as a stack created before this change has it.
      for (const table of [
        "environments",
        "delivery_tokens",
        "delivery_token_scope",
        "publications",
        "environment_drops",
        "publish_queue",
        "catalog_tags",
        "folder_holds",
      ]) {
        sql.exec(`DROP TABLE ${table}`);
      }
      for (const index of ["created", "updated", "title", "size", "filename", "type", "parent"]) {
        sql.exec(`DROP INDEX catalog_${index}`);
      }
      sql.exec("CREATE INDEX catalog_newest ON catalog (deleted, created_at DESC, uid)");
      for (const column of [
        "publications",
        "is_dir",
        "title",
        "filename",
        "content_type",
        "file_size",
        "updated_at",
        "parent_uid",
      ]) {
        sql.exec(`ALTER TABLE catalog DROP COLUMN ${column}`);
      }
      sql.exec("DROP TABLE schema_version");
      sql.exec(
        "INSERT INTO catalog (uid, revision, created_at, deleted, snapshot) VALUES (?, 1, ?, 0, ?)",
        UID,
        OLD_SNAPSHOT.asset.createdAt,
        JSON.stringify(OLD_SNAPSHOT),
      );

      const found = migrateStackSchema(state.storage);
      const again = migrateStackSchema(state.storage);
      const row = sql
        .exec(
          "SELECT title, filename, content_type, file_size, updated_at, parent_uid, is_dir FROM catalog",
        )
        .one();
      const everything = { conditions: [], search: "", includeFolders: true };
      const page = stack.listCatalog(everything, { field: "created_at", direction: "desc" }, 0, 10);
      if ("unknownFolder" in page) throw new Error("no folder was named");
      const png = stack.countCatalog({
        ...everything,
        conditions: [{ kind: "equals", field: "content_type", value: "image/png" }],
      });
      // Migration 3's and 4's tables (publishing) are there, empty.
      const environments = stack.listEnvironments(undefined, 0, 10);
      const queue = stack.listPublishQueue(0, 10);
      return { found, again, row, page, png, environments, queue };
    });
    expect(result.environments).toEqual({ items: [], count: 0 });
    expect(result.queue).toEqual({ entries: [], count: 0 });
    expect(result.found).toBe(0);
    expect(result.again).toBe(SCHEMA_VERSION);
    expect(result.row).toEqual({
      title: "Old title",
      filename: "old.png",
      content_type: "image/png",
      file_size: 42,
      updated_at: "2026-01-02T00:00:00.000Z",
      parent_uid: null,
      is_dir: 0,
    });
    expect(result.png).toBe(1);
    expect(result.page?.count).toBe(1);
    expect(result.page?.items[0]).toEqual({
      kind: "asset",
      snapshot: {
        asset: { ...OLD_SNAPSHOT.asset, tags: [], parentUid: null, createdBy: "", updatedBy: "" },
        current: OLD_SNAPSHOT.current,
      },
      publications: [],
    });
  });
});

describe("the catalogue's indexes", () => {
  const ASSETS_ONLY = { conditions: [], search: "", includeFolders: false };
  /** SQLite's plan for a listing's page and for its count, as one line each. */
  async function plans(filter: ListFilter, order: ListOrder) {
    const stub = stackStub(env, "blt00000000000000ef");
    return runInDurableObject(stub, (_stack: StackObject, state) => {
      const { where, params } = compileFilter(filter);
      const plan = (query: string) =>
        state.storage.sql
          .exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${query}`, ...params)
          .toArray()
          .map((row) => row.detail)
          .join(" | ");
      return {
        page: plan(
          `SELECT snapshot FROM catalog c WHERE ${where} ORDER BY ${compileOrder(order)} LIMIT 100`,
        ),
        count: plan(`SELECT COUNT(*) FROM catalog c WHERE ${where}`),
      };
    });
  }

  it.each([
    ["created_at", "desc", "catalog_created"],
    ["updated_at", "asc", "catalog_updated"],
    ["title", "asc", "catalog_title"],
    ["file_size", "desc", "catalog_size"],
  ] as const)(
    "reads a page sorted by %s %s in index order, with no sort",
    async (field, direction, index) => {
      const { page, count } = await plans(ASSETS_ONLY, { field, direction });
      expect(page).toContain(`USING INDEX ${index} (deleted=? AND is_dir=?)`);
      expect(page).not.toContain("TEMP B-TREE");
      expect(count).toContain("USING COVERING INDEX");
    },
  );

  it("finds a folder's assets and a content type through their indexes", async () => {
    const folder = await plans(
      { ...ASSETS_ONLY, folder: "blt0000000000000001" },
      { field: "created_at", direction: "desc" },
    );
    expect(folder.page).toContain(
      "USING INDEX catalog_parent (deleted=? AND parent_uid=? AND is_dir=?)",
    );
    expect(folder.page).not.toContain("TEMP B-TREE");
    const type = await plans(
      {
        ...ASSETS_ONLY,
        conditions: [{ kind: "equals", field: "content_type", value: "image/png" }],
      },
      { field: "created_at", direction: "desc" },
    );
    expect(type.page).toContain(
      "USING INDEX catalog_type (deleted=? AND is_dir=? AND content_type=?)",
    );
    expect(type.page).not.toContain("TEMP B-TREE");
  });

  it("looks tags up by their primary key", async () => {
    const tags = await plans(
      { ...ASSETS_ONLY, conditions: [{ kind: "tags", match: "all", tags: ["a", "b"] }] },
      { field: "created_at", direction: "desc" },
    );
    expect(tags.page).toContain("SEARCH catalog_tags USING PRIMARY KEY (tag=?)");
  });
});
