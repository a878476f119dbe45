// Where a cache hit's time goes: `npm run profile` (run it on a quiet machine:
// `flock -x /work/test.lock npm run profile`).
// Starts the local service (scripts/serve.mjs) with workerd's V8 inspector open and unminified
// bundles, the cache floor Worker beside it (scripts/cache-floor-worker/), seeds 1 KB and 100 KB
// files and a cached image variant, warms every route, then for each route:
//   1. drives it with wrk and reads workerd's CPU time from /proc before and after: the whole
//      runtime's CPU per request (the Worker, Miniflare's cache and storage Workers, HTTP), the
//      figure to compare routes by;
//   2. drives it again with a CPU profile of every isolate, sampled every SAMPLE_US through the
//      inspector, and splits the Worker's own samples by step of the hot path (each sample goes
//      to the nearest function on its stack that STEPS names). Isolates share workerd's threads,
//      so a sample's time delta also holds other isolates' work: shares are counted in samples,
//      and the absolute figure is step 1's.
// The profiler slows what it samples, so requests/s come from the first run. Prints Markdown
// tables and writes each profile to profiles/ (Chrome DevTools opens .cpuprofile files).
// Every step says on stderr when it starts, and every wait ends: a step that cannot complete
// (an isolate that does not answer the inspector, a wrk that does not return, a seeding request
// with no answer) fails the run with a message naming it, and the service is stopped.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { seed, seedImage } from "./bench-seed.mjs";
import { openSession } from "./inspector-session.mjs";
import { ROOT, startService, stop } from "./local-service.mjs";
import { childrenNamed } from "./process-memory.mjs";

const SECONDS = Number(process.env.PROFILE_SECONDS ?? 5);
const CONNECTIONS = 16;
const SAMPLE_US = 100;
const ADMIN = "profile-admin-token";
const CACHE_FLOOR = join(ROOT, "scripts", "cache-floor-worker", "wrangler.toml");
const DELIVERY = "core:user:permanent-asset-urls-delivery";
/** How long an inspector command may take (a Profiler.stop returns the whole profile). */
const INSPECTOR_TIMEOUT_MS = 30_000;
/** How long seeding may take (it takes about a second). */
const SEED_TIMEOUT_MS = 120_000;

/**
 * The hot path's steps, by the functions that carry them out (the old plain handler's names
 * too, so an older commit profiles the same way). A name ending in "()" is a native function
 * (workerd's C++ API). A sample under none of them is the handler's own glue.
 */
const STEPS = {
  "routing (Hono)": ["dispatch", "#dispatch", "getPath", "Context", "HonoRequest", "match"],
  "parse the URL": ["URL()", "parsePublicPath", "isApiKey", "isAssetUid", "isFileUid"],
  config: ["config", "publicBase", "keepsBytes"],
  "memo (KV record)": ["memoized", "memoOf", "readRecord", "readModelKey", "now()"],
  "cache match": ["cachedVersion", "cached", "match()", "metaOf"],
  preconditions: ["planDelivery", "evaluatePreconditions", "ownEntityTag", "isPlainRequest"],
  headers: ["contentHeaders", "notModifiedHeaders", "merge", "versionedPath", "versionOfModel"],
  Response: ["withDownload", "Response()"],
  CORS: ["withCors", "setCors"],
};

const toMs = (ticks) => (ticks * 1000) / 100; // /proc counts in USER_HZ (100 a second)

/** utime + stime of a process, in ms. */
function cpuMsOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return toMs(Number(fields[11]) + Number(fields[12]));
}

const started = performance.now();
/** Says on stderr that a step starts, with the time since the run started. */
const progress = (step) =>
  console.error(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${step}`);

/** Runs `work` as the step `name`; fails with the step's name if it fails or outlasts `ms`. */
async function runStep(name, ms, work) {
  progress(name);
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no end within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work(), late]);
  } catch (err) {
    throw new Error(`${name}: ${err.message}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

const execFileAsync = promisify(execFile);

/** Drives `route` with wrk (killed if it outlasts its run by 30 s); every answer must be a 2xx. */
async function wrk(route, seconds = SECONDS) {
  const ms = (seconds + 30) * 1000;
  const { stdout: out } = await runStep(`${route.name}: wrk ${seconds} s`, ms, () =>
    execFileAsync("wrk", ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, route.url], {
      timeout: ms,
      encoding: "utf8",
    }),
  );
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const failed = /Non-2xx or 3xx responses: \d+/.exec(out)?.[0];
  if (failed || !(requests > 0)) throw new Error(`${route.name}: wrk: ${failed ?? out}`);
  // Answers later than wrk's 2 s (it counts them as timeouts) are said, not fatal: the profiler
  // can stall the runtime that long, and the figures say how many requests did complete.
  const late = /Socket errors: .*/.exec(out)?.[0];
  if (late) progress(`${route.name}: wrk: ${late}`);
  return { requests, rps };
}

/**
 * Runs `load` with every isolate that the inspector lists profiled; returns { load's result,
 * profiles by isolate }. Each session is opened and each command sent with INSPECTOR_TIMEOUT_MS,
 * all isolates at once, and every session is closed however this ends.
 */
async function profiled(inspectorPort, route, load) {
  const targets = await runStep(`${route.name}: listing the isolates`, INSPECTOR_TIMEOUT_MS, () =>
    fetch(`http://127.0.0.1:${inspectorPort}/json/list`, {
      signal: AbortSignal.timeout(INSPECTOR_TIMEOUT_MS),
    }).then((res) => res.json()),
  );
  const opened = [];
  const inEach = (what, command) =>
    runStep(`${route.name}: ${what} in ${targets.length} isolates`, 2 * INSPECTOR_TIMEOUT_MS, () =>
      Promise.all(opened.map(command)),
    );
  try {
    await runStep(
      `${route.name}: opening ${targets.length} inspector sessions`,
      2 * INSPECTOR_TIMEOUT_MS,
      () =>
        Promise.all(
          targets.map(async (target) => {
            opened.push(await openSession(target, INSPECTOR_TIMEOUT_MS));
          }),
        ),
    );
    await inEach("enabling the profiler", async (session) => {
      await session.send("Profiler.enable");
      await session.send("Profiler.setSamplingInterval", { interval: SAMPLE_US });
    });
    await inEach("starting the profiler", (session) => session.send("Profiler.start"));
    const result = await load();
    const profiles = {};
    await inEach("stopping the profiler", async (session) => {
      profiles[session.id] = (await session.send("Profiler.stop")).profile;
    });
    return { result, profiles };
  } finally {
    for (const session of opened) session.close();
  }
}

const nameOf = (node) => {
  const { functionName, url } = node.callFrame;
  const name = functionName || "(anonymous)";
  return url === "" && !name.startsWith("(") ? `${name}()` : name;
};

const IDLE = new Set(["(idle)", "(program)", "(root)"]);

/** The names of the leaf functions of one profile's busy samples (JavaScript and its GC). */
function busySamples(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  return profile.samples.filter((id) => !IDLE.has(nameOf(byId.get(id))));
}

/** The Worker's busy samples by step (STEPS), and by leaf function (self), as shares. */
function steps(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stepOf = new Map(Object.entries(STEPS).flatMap(([step, fns]) => fns.map((f) => [f, step])));
  const busy = busySamples(profile);
  const bySteps = {};
  const self = {};
  for (const sample of busy) {
    const leaf = nameOf(byId.get(sample));
    self[leaf] = (self[leaf] ?? 0) + 1 / busy.length;
    let step = leaf === "(garbage collector)" ? "garbage collection" : null;
    for (let id = sample; step === null && id !== undefined; id = parent.get(id)) {
      step = stepOf.get(nameOf(byId.get(id))) ?? null;
    }
    step ??= "the handler's own code";
    bySteps[step] = (bySteps[step] ?? 0) + 1 / busy.length;
  }
  return { bySteps, self, samples: busy.length };
}

async function main() {
  progress("starting the service");
  const service = await startService({
    adminToken: ADMIN,
    logLevel: "warn",
    inspector: true,
    extraWorkers: [{ configPath: CACHE_FLOOR }],
  });
  try {
    const [workerd, ...more] = childrenNamed(service.child.pid, "workerd");
    if (workerd === undefined || more.length > 0) throw new Error("expected one workerd child");
    const sizes = { "1KB": 1024, "100KB": 100 * 1024 };
    const a = await runStep("seeding the files", SEED_TIMEOUT_MS, () =>
      seed(service.management, ADMIN, sizes),
    );
    const image = await runStep("seeding the image variant", SEED_TIMEOUT_MS, () =>
      seedImage(service.management, ADMIN, 0),
    );
    const cacheFloor = service.extras[0];
    const routes = [
      ...Object.keys(sizes).flatMap((s) => [
        {
          name: `cache floor ${s}`,
          url: `${cacheFloor}/${a[s].key}`,
          isolate: "bench-cache-floor",
        },
        { name: `permanent ${s}`, url: a[s].permanent },
        { name: `versioned ${s}`, url: a[s].url },
      ]),
      { name: "image variant (cached)", url: image.variant },
    ];
    for (const route of routes) await wrk(route, 1); // fills the caches, warms the JIT

    const rows = [];
    const stepRows = [];
    mkdirSync(join(ROOT, "profiles"), { recursive: true });
    for (const route of routes) {
      const before = cpuMsOf(workerd);
      const plain = await wrk(route);
      const cpuUs = ((cpuMsOf(workerd) - before) * 1000) / plain.requests;
      const { profiles } = await profiled(service.inspectorPort, route, () => wrk(route));
      const own = route.isolate ? `core:user:${route.isolate}` : DELIVERY;
      if (!profiles[own]) throw new Error(`${route.name}: the inspector lists no ${own}`);
      const count = (match) =>
        Object.entries(profiles)
          .filter(([id]) => match(id))
          .reduce((sum, [, p]) => sum + busySamples(p).length, 0);
      const all = count(() => true);
      rows.push({
        route: route.name,
        rps: Math.round(plain.rps),
        workerdCpuUs: Math.round(cpuUs),
        workerShare: count((id) => id === own) / all,
        cacheShare: count((id) => id.startsWith("cache:")) / all,
      });
      const file = join(ROOT, "profiles", `${route.name.replace(/\W+/g, "-")}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profiles[own]));
      if (!route.isolate) stepRows.push({ route: route.name, ...steps(profiles[own]) });
    }
    print(rows, stepRows);
  } finally {
    progress("stopping the service");
    await stop(service);
  }
}

const pct = (share) => `${(share * 100).toFixed(0)}%`;

function print(rows, stepRows) {
  console.log(`\nwrk -t1 -c${CONNECTIONS} -d${SECONDS}s; profiles sampled every ${SAMPLE_US} µs\n`);
  console.log(
    "| route | req/s | workerd CPU µs/req | its Worker's share of JS samples | cache isolates' share |",
  );
  console.log("| --- | --: | --: | --: | --: |");
  for (const r of rows) {
    console.log(
      `| ${r.route} | ${r.rps} | ${r.workerdCpuUs} | ${pct(r.workerShare)} | ${pct(r.cacheShare)} |`,
    );
  }
  const names = [...Object.keys(STEPS), "the handler's own code", "garbage collection"];
  console.log(
    `\n| step (share of the Worker's samples) | ${stepRows.map((r) => r.route).join(" | ")} |`,
  );
  console.log(`| --- | ${stepRows.map(() => "--:").join(" | ")} |`);
  for (const step of names) {
    console.log(`| ${step} | ${stepRows.map((r) => pct(r.bySteps[step] ?? 0)).join(" | ")} |`);
  }
  for (const r of stepRows) {
    const top = Object.entries(r.self)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 15)
      .map(([name, share]) => `${name} ${pct(share)}`);
    console.log(`\n${r.route} (${r.samples} samples), own time: ${top.join(", ")}`);
  }
}

await main();
