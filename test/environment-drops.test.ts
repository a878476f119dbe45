// Deleting an environment unpublishes everything from it in the background
// (objects/environment-drops.ts): the stack's alarm asks each asset published there to drop it,
// at most DROPS_PER_RUN a run (Workers' subrequest cap), re-armed until none is left; an asset
// that fails is asked again later, and nothing else stops.

import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import {
  DROP_RETRY_MS,
  DROPS_PER_RUN,
  type Drop,
  runDrops,
} from "../src/objects/environment-drops";
import type { StackObject } from "../src/objects/stack-object";
import { stackStub } from "../src/objects/stubs";
import { auth, call, createStack, type Stack } from "./helpers";

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

describe("deleting an environment", () => {
  it("arms the stack's alarm, which drops the environment from every asset published there", async () => {
    const stack: Stack = await createStack("Dropping an environment");
    const res = await call("/v3/environments", {
      method: "POST",
      headers: auth(stack, { "content-type": "application/json" }),
      body: JSON.stringify({ environment: { name: "retired" } }),
    });
    const { uid } = ((await res.json()) as { environment: { uid: string } }).environment;
    const stub = stackStub(env, stack.apiKey);
    const asked: string[] = [];
    await runInDurableObject(stub, (obj: StackObject, state) => {
      publish(state.storage.sql, uid, 45);
      // Stands in for the assets' objects, recording what each is asked to drop.
      const holder = obj as unknown as { env: Env };
      const assets = {
        idFromName: (name: string) => name,
        get: (name: string) => ({
          dropEnvironment: async (environmentUid: string) => {
            asked.push(`${name}:${environmentUid}`);
          },
        }),
      } as unknown as Env["ASSETS"];
      holder.env = { ...holder.env, ASSETS: assets };
    });
    const deleted = await call("/v3/environments/retired", {
      method: "DELETE",
      headers: auth(stack),
    });
    expect(deleted.status).toBe(200);
    // The delete armed the alarm for now; the runtime may already be running it. Run whatever
    // is armed until every asset was asked.
    await vi.waitFor(
      async () => {
        await runDurableObjectAlarm(stub);
        expect(asked).toHaveLength(45);
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(new Set(asked)).toEqual(
      new Set(Array.from({ length: 45 }, (_, i) => `${stack.apiKey}/${assetUid(i)}:${uid}`)),
    );
    await runInDurableObject(stub, (_o: StackObject, state) => {
      expect(publications(state.storage.sql)).toBe(0);
      expect(drops(state.storage.sql)).toBe(0);
    });
    // Nothing left: the alarm is not armed again.
    expect(await runDurableObjectAlarm(stub)).toBe(false);
  });
});
