// `npm run bench:sweep`: the hourly orphan sweep on 50,000 R2 objects, in the strict local mode
// with the subrequest cap at 1,000 (STRICT_SUBREQUESTS), run through the real cron handler.
//
// One local service (its Workers in one workerd, scripts/serve.mjs, in this process, fresh
// state). The bucket is seeded through Miniflare with:
//   47,800 objects of committed versions (4,780 assets x 10), with no record: as a clean commit
//          leaves them
//    1,000 orphans (250 assets x 4): bytes and their record of a pending upload, as a crash
//          between storing and committing leaves them
//      100 uploads in flight: bytes and record, younger than the grace period
// (50,000 objects; the committed assets have no Durable Object at all, so any call to one
// would show.) Once the grace period (ORPHAN_MIN_AGE_SECONDS, 180 s here) has passed for the
// orphans and not for the uploads in flight, the cron handler runs until a run finds nothing
// old. For each run: the sweep's own count of subrequests (its log line), the strict mode's
// verdict (a run over 1,000 would throw), and workerd's peak resident memory during the run
// (VmHWM, reset just before it) and its growth over the RSS just before.
//
// Exits 1 unless: every orphan's bytes and record are gone within the stated number of runs
// (ceil(1,000 / per-run capacity) + 1), nothing else is touched, the only assets asked are the
// 250 with orphans (one split by a run's budget is asked by the next run too), and every run
// made at most SWEEP_MAX_SUBREQUESTS (500) calls.
// Writes its results as JSON into docs/ ("--out -" writes nothing). Run it on a quiet machine:
//   flock -x /work/test.lock npm run bench:sweep
// `npm run bench:sweep -- --small --out -` checks the script itself with 4,780 committed objects.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { ROOT } from "./local-service.mjs";
import { childrenNamed, memoryOf, resetPeak } from "./process-memory.mjs";
import { startService } from "./serve.mjs";

const { values: opts } = parseArgs({
  options: {
    out: { type: "string", default: join(ROOT, "docs", "sweep-results.json") },
    // A tenth of the committed objects, for a quick check of the script itself.
    small: { type: "boolean", default: false },
  },
});
const COMMITTED_ASSETS = opts.small ? 478 : 4_780;
const VERSIONS = 10;
const ORPHAN_ASSETS = 250;
const ORPHANS_EACH = 4;
const IN_FLIGHT = 100;
// Long enough that every run below ends before the uploads in flight (seeded once the orphans'
// grace has passed) age past it, even on a loaded machine; the committed objects are seeded
// while the orphans age.
const GRACE_S = 180;
const CAP = 1_000;
const BUDGET = 500; // SWEEP_MAX_SUBREQUESTS's default
const PENDING = "_pending/";

const log = (line) => console.log(`[bench:sweep] ${line}`);
const hex = (n, digits) => n.toString(16).padStart(digits, "0");
const apiKey = `blt${hex(0xbe7c4, 16)}`;
const assetUid = (n) => `blt${hex(n + 1, 16)}`;
const objectKey = (asset, version) => `${apiKey}/${assetUid(asset)}/${hex(version + 1, 24)}/f.bin`;
const recordKey = (key) => `${PENDING}${key.split("/").slice(0, 3).join(".")}`;

/** Runs `tasks` (functions returning promises) `width` at a time. */
async function pool(tasks, width = 64) {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: width }, worker));
}

async function listAll(bucket, prefix) {
  const keys = [];
  let cursor;
  do {
    const page = await bucket.list({ prefix, limit: 1000, ...(cursor ? { cursor } : {}) });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys;
}

const state = mkdtempSync(join(tmpdir(), "pau-sweep-"));
const sweepLines = [];
let waiting = null;
const service = await startService({
  port: 0,
  publicPort: 0,
  stateDir: state,
  logLevel: "warn",
  vars: { ORPHAN_MIN_AGE_SECONDS: String(GRACE_S), SWEEP_MAX_SUBREQUESTS: String(BUDGET) },
  strictVars: { STRICT_LIMITS: "1", STRICT_SUBREQUESTS: String(CAP) },
  handleRuntimeStdio(stdout, stderr) {
    createInterface({ input: stdout }).on("line", (line) => {
      const at = line.indexOf("orphan sweep {");
      if (at >= 0) {
        sweepLines.push(JSON.parse(line.slice(at + "orphan sweep ".length)));
        waiting?.();
      }
    });
    createInterface({ input: stderr }).on("line", (line) => process.stderr.write(`${line}\n`));
  },
});
let failed = false;
const check = (ok, what) => {
  if (!ok) failed = true;
  log(`${ok ? "ok  " : "FAIL"} ${what}`);
};
try {
  const [workerd] = childrenNamed(process.pid, "workerd");
  if (!workerd) throw new Error("no workerd process under this one");
  const bucket = await service.mf.getR2Bucket("FILES");
  const management = await service.mf.getWorker("permanent-asset-urls");

  const committed = [];
  for (let a = 0; a < COMMITTED_ASSETS; a++) {
    for (let v = 0; v < VERSIONS; v++) committed.push(objectKey(a, v));
  }
  const orphans = [];
  for (let a = 0; a < ORPHAN_ASSETS; a++) {
    for (let v = 0; v < ORPHANS_EACH; v++) orphans.push(objectKey(COMMITTED_ASSETS + a, v));
  }
  const inFlight = Array.from({ length: IN_FLIGHT }, (_, i) =>
    objectKey(COMMITTED_ASSETS + ORPHAN_ASSETS + i, 0),
  );
  let started = Date.now();
  await pool(
    orphans.flatMap((key) => [() => bucket.put(recordKey(key), ""), () => bucket.put(key, "o")]),
  );
  const orphansRecorded = Date.now();
  await pool(committed.map((key) => () => bucket.put(key, "v")));
  log(`seeded ${committed.length + orphans.length * 2} objects in ${Date.now() - started} ms`);
  // The orphans' grace passes; then the uploads in flight start, young through every run below.
  await new Promise((r) =>
    setTimeout(r, Math.max(0, orphansRecorded + GRACE_S * 1000 + 500 - Date.now())),
  );
  await pool(
    inFlight.flatMap((key) => [() => bucket.put(recordKey(key), ""), () => bucket.put(key, "i")]),
  );
  const total = (await listAll(bucket, "")).length;
  const expected = committed.length + (orphans.length + inFlight.length) * 2;
  check(total === expected, `the bucket holds ${total} objects`);

  const runs = [];
  // At worst (every record of another asset): two calls a record, after one list and two deletes.
  const capacity = Math.floor((BUDGET - 1 - 2) / 2);
  const bound = Math.ceil(orphans.length / capacity) + 1;
  started = Date.now();
  for (let run = 1; run <= bound + 2; run++) {
    const before = memoryOf(workerd).rssKiB;
    resetPeak(workerd);
    const logged = new Promise((r) => {
      waiting = r;
    });
    const runStarted = Date.now();
    const outcome = await management.scheduled({ cron: "23 * * * *" });
    await logged;
    const ms = Date.now() - runStarted;
    const line = sweepLines.at(-1);
    const { peakKiB } = memoryOf(workerd);
    runs.push({
      run,
      outcome: outcome.outcome,
      ...line,
      peakRssMiB: +(peakKiB / 1024).toFixed(1),
      growthMiB: +((peakKiB - before) / 1024).toFixed(1),
      ms,
    });
    log(
      `run ${run}: ${outcome.outcome}, ${line.subrequests} subrequests, listed ${line.listed}, old ${line.old}, assets asked ${line.assetsAsked}, deleted ${line.deleted}, peak RSS ${(peakKiB / 1024).toFixed(1)} MiB (+${((peakKiB - before) / 1024).toFixed(1)}), ${ms} ms`,
    );
    if (line.old === 0) break;
  }
  if (Date.now() - started > GRACE_S * 1000)
    log("the runs outlasted the grace period: the in-flight uploads aged");

  const left = new Set(await listAll(bucket, ""));
  check(
    orphans.every((k) => !left.has(k) && !left.has(recordKey(k))),
    "every orphan's bytes and record are gone",
  );
  const runsWithWork = runs.filter((r) => r.old > 0).length;
  check(
    runsWithWork <= bound,
    `found within ${runsWithWork} runs (stated bound: ${bound}, ${capacity} records a run)`,
  );
  check(
    committed.every((k) => left.has(k)),
    "every committed object is untouched",
  );
  check(
    inFlight.every((k) => left.has(k) && left.has(recordKey(k))),
    "every upload in flight is untouched",
  );
  // An asset whose records a run's budget splits is asked again by the next run: at most one
  // more ask per run boundary. Any other asset asked would show as more.
  const asked = runs.reduce((n, r) => n + r.assetsAsked, 0);
  check(
    asked >= ORPHAN_ASSETS && asked <= ORPHAN_ASSETS + runsWithWork - 1,
    `assets asked: ${asked} over ${runsWithWork} runs, the ${ORPHAN_ASSETS} with orphans (a run boundary may split one) and no other`,
  );
  check(
    runs.every((r) => r.outcome === "ok" && r.subrequests <= BUDGET),
    `every run made at most ${BUDGET} subrequests (cap ${CAP})`,
  );

  if (opts.out !== "-") {
    const results = {
      command: "flock -x /work/test.lock npm run bench:sweep",
      objects: total,
      committed: committed.length,
      orphans: orphans.length,
      orphanAssets: ORPHAN_ASSETS,
      inFlight: inFlight.length,
      subrequestCap: CAP,
      budget: BUDGET,
      capacityPerRun: capacity,
      statedBound: bound,
      runs,
    };
    writeFileSync(opts.out, `${JSON.stringify(results, null, 2)}\n`);
    log(`wrote ${opts.out}`);
  }
} finally {
  await service.stop();
  rmSync(state, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
