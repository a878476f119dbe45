// Deleting an environment unpublishes everything from it in the background
// (objects/environment-drops.ts): the stack's alarm asks each asset published there to drop it,
// at most DROPS_PER_RUN a run (Workers' subrequest cap), re-armed until none is left; an asset
// that fails is asked again later, and nothing else stops. The whole path, from the delete
// through the alarm to the assets' KV records and D1 rows, is in publishing-lifecycle.test.ts.

import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  DROP_RETRY_MS,
  DROPS_PER_RUN,
  type Drop,
  runDrops,
} from "../src/objects/environment-drops";
import type { StackObject } from "../src/objects/stack-object";
import { stackStub } from "../src/objects/stubs";

const assetUid = (i: number) => `blt${i.toString(16).padStart(16, "0")}`;

/** Records that `count` assets are published to `environmentUid` (as putInCatalog does). */
function publish(sql: SqlStorage, environmentUid: string, count: number) {
  for (let i = 0; i < count; i++) {
    sql.exec(
      "INSERT INTO publications (asset_uid, environment_uid) VALUES (?, ?)",
      assetUid(i),
      environmentUid,
    );
  }
}

const publications = (sql: SqlStorage) =>
  sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM publications").one().n;
const drops = (sql: SqlStorage) =>
  sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM environment_drops").one().n;

describe("runDrops", () => {
  it("drops a bounded batch per run until no publication of a deleted environment is left", async () => {
    const stub = stackStub(env, "blt00000000000000d1");
    await runInDurableObject(stub, async (_o: StackObject, state) => {
      const sql = state.storage.sql;
      publish(sql, "bltdeleted0000000000", 95);
      publish(sql, "bltkept000000000000", 3);
      sql.exec(
        "INSERT INTO environment_drops (environment_uid, deleted_at) VALUES (?, ?)",
        "bltdeleted0000000000",
        "2026-01-01T00:00:00.000Z",
      );
      const batches: Drop[][] = [];
      let batch: Drop[] = [];
      const drop = async (d: Drop) => {
        batch.push(d);
      };
      const now = 1_000;
      for (;;) {
        const next = await runDrops(sql, drop, now);
        batches.push(batch);
        batch = [];
        if (next === null) break;
        expect(next).toBe(now);
      }
      expect(batches.map((b) => b.length)).toEqual([DROPS_PER_RUN, DROPS_PER_RUN, 15]);
      expect(new Set(batches.flat().map((d) => d.assetUid)).size).toBe(95);
      expect(batches.flat().every((d) => d.environmentUid === "bltdeleted0000000000")).toBe(true);
      // The live environment's publications are untouched; the deletion is finished.
      expect(publications(sql)).toBe(3);
      expect(drops(sql)).toBe(0);
    });
  });

  it("keeps what an asset failed to drop, and runs again later", async () => {
    const stub = stackStub(env, "blt00000000000000d2");
    await runInDurableObject(stub, async (_o: StackObject, state) => {
      const sql = state.storage.sql;
      publish(sql, "bltdeleted0000000000", 3);
      sql.exec(
        "INSERT INTO environment_drops (environment_uid, deleted_at) VALUES (?, ?)",
        "bltdeleted0000000000",
        "2026-01-01T00:00:00.000Z",
      );
      const failing = assetUid(1);
      const next = await runDrops(
        sql,
        async (d) => {
          if (d.assetUid === failing) throw new Error("the asset's object is overloaded");
        },
        5_000,
      );
      expect(next).toBe(5_000 + DROP_RETRY_MS);
      expect(
        sql
          .exec("SELECT asset_uid FROM publications")
          .toArray()
          .map((r) => r.asset_uid),
      ).toEqual([failing]);
      expect(await runDrops(sql, async () => undefined, 20_000)).toBeNull();
      expect(drops(sql)).toBe(0);
    });
  });
});
