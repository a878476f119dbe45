// Why the published catalogue is in D1: `node scripts/bench-published-storage.mjs` (under
// `flock -x /work/test.lock` on a shared machine) measures, in one workerd and one run, the
// Content Delivery API's listing and a publish's write with 10,000 published assets kept two
// ways (scripts/published-storage-bench/worker.js): D1 rows as the service keeps them (the
// migrations of migrations/published), and the alternative of one R2 JSON snapshot per
// environment. Each row is p50/p99 over interleaved rounds of requests sent one at a time, and
// the ratio R2/D1 of each; docs/PUBLISHING.md gives the figures. Prints the rows; writes nothing.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { applyMigrations } from "./d1-migrations.mjs";
import { OFFLINE_ENV } from "./serve.mjs";

const ROOT = join(import.meta.dirname, "..");
const ASSETS = Number(process.env.BENCH_PUBLISHED_ASSETS ?? 10_000);
const ROUNDS = 5;
const PER_ROUND = 20;

const KINDS = [
  ["listing, newest first, first page", (store) => `/list/${store}`],
  ["listing, one content type, page 10", (store) => `/list/${store}?type=image/png&skip=900`],
  ["one asset published again (write)", (store, i) => `/publish/${store}?i=${i}`],
];

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function timed(mf, path, method) {
  const started = performance.now();
  const res = await mf.dispatchFetch(`http://bench${path}`, { method });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return performance.now() - started;
}

async function main() {
  Object.assign(process.env, OFFLINE_ENV);
  const mf = new Miniflare({
    modules: true,
    script: readFileSync(join(ROOT, "scripts/published-storage-bench/worker.js"), "utf8"),
    compatibilityDate: "2026-04-26",
    d1Databases: ["PUBLISHED"],
    r2Buckets: ["SNAPSHOTS"],
  });
  try {
    await applyMigrations(await mf.getD1Database("PUBLISHED"));
    const seeded = await (
      await mf.dispatchFetch(`http://bench/seed?n=${ASSETS}`, { method: "POST" })
    ).json();
    const samples = new Map();
    let publish = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, path] of KINDS) {
        for (const store of round % 2 === 0 ? ["d1", "r2"] : ["r2", "d1"]) {
          const key = `${name}|${store}`;
          const list = samples.get(key) ?? [];
          samples.set(key, list);
          const method = name.includes("write") ? "POST" : "GET";
          for (let i = 0; i < PER_ROUND; i++) {
            list.push(await timed(mf, path(store, publish++ % ASSETS), method));
          }
        }
      }
    }
    console.log(
      `${ASSETS} published assets; the R2 snapshot is ${(seeded.snapshotBytes / 1e6).toFixed(1)} MB`,
    );
    console.log("| operation | D1 p50 / p99 (ms) | R2 snapshot p50 / p99 (ms) | R2 / D1 at p50 |");
    console.log("| --- | --- | --- | --- |");
    for (const [name] of KINDS) {
      const [d1, r2] = ["d1", "r2"].map((s) => samples.get(`${name}|${s}`).sort((a, b) => a - b));
      const p = (list) =>
        `${percentile(list, 0.5).toFixed(1)} / ${percentile(list, 0.99).toFixed(1)}`;
      const ratio = percentile(r2, 0.5) / percentile(d1, 0.5);
      console.log(`| ${name} | ${p(d1)} | ${p(r2)} | ${ratio.toFixed(1)}x |`);
    }
  } finally {
    await mf.dispose();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
