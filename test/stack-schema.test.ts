// A stack created before folders, tags and the listing's columns existed (schema 1, no version
// row) is brought to the current schema in place: its catalogue rows get their columns from
// their snapshots, and listing, filtering and the asset JSON work on them.

import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
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
      sql.exec("DROP TABLE catalog_tags");
      sql.exec("DROP TABLE folder_holds");
      for (const index of ["updated", "title", "size", "filename", "type", "parent"]) {
        sql.exec(`DROP INDEX catalog_${index}`);
      }
      for (const column of [
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
      const png = stack.countCatalog({
        ...everything,
        conditions: [{ kind: "equals", field: "content_type", value: "image/png" }],
      });
      return { found, again, row, page, png };
    });
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
    expect(result.page.count).toBe(1);
    expect(result.page.items[0]).toEqual({
      kind: "asset",
      snapshot: {
        asset: { ...OLD_SNAPSHOT.asset, tags: [], parentUid: null, createdBy: "", updatedBy: "" },
        current: OLD_SNAPSHOT.current,
      },
    });
  });
});
