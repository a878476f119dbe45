// Benchmark of the public hot path: `npm run bench`.
// Starts the local service (scripts/serve.mjs) four times on loopback, without request logs:
// the default configuration, with the two floor Workers beside it in the same workerd (the bare
// R2 Worker, scripts/floor-worker/, and the cache floor, scripts/cache-floor-worker/: the edge
// cache's match, else an R2 read put in the cache) and the Hono hit Worker (scripts/hono-hit-worker/:
// the least a Hono app answering the delivery Worker's cache entries with headers of its own does,
// the bound for the delivery Worker's hits), and the cache floor answering the contract's headers
// (scripts/cache-floor-worker/wrangler.contract.toml: the same floor, with a versioned URL's nine
// headers in its entries instead of four); redirect mode; the read-model memo off; and
// the memo and the edge cache off (what the hot path costs without them). Seeds 1 KB / 100 KB /
// 1 MB / 10 MB files and drives each route with wrk from this separate process: a warm-up, then
// several rounds with the routes interleaved (the order rotates every round). Every route is
// reported as a ratio to each floor serving the same bytes in the same round: the median of the
// per-round ratios and their range. Writes docs/bench-results.json and docs/BENCHMARKS.md.
// Nothing is asserted: the figures are reported, and the targets marked met or missed.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { benchListing } from "./bench-listing.mjs";
import { benchPublishing } from "./bench-publishing.mjs";
import { seed, seedImage } from "./bench-seed.mjs";
import { ROOT, startService, stop } from "./local-service.mjs";
import { bundle, OFFLINE_ENV } from "./serve.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const ADMIN = "bench-admin-token";
const SIZES = { "1KB": 1024, "100KB": 100 * 1024, "1MB": 1024 * 1024, "10MB": 10 * 1024 * 1024 };
const FLOOR_CONFIG = join(ROOT, "scripts", "floor-worker", "wrangler.toml");
const CACHE_FLOOR_CONFIG = join(ROOT, "scripts", "cache-floor-worker", "wrangler.toml");
const HONO_HIT_CONFIG = join(ROOT, "scripts", "hono-hit-worker", "wrangler.toml");
const CONTRACT_FLOOR_CONFIG = join(ROOT, "scripts", "cache-floor-worker", "wrangler.contract.toml");
const CONTRACT_FLOOR = "cache floor with the contract's headers";
/** The sizes whose bytes the edge cache keeps (10 MB is over its 4 MiB). */
const HIT_SIZES = ["1KB", "100KB", "1MB"];
const WORKERS = {
  management: "wrangler.toml",
  delivery: "wrangler.delivery.toml",
  content: "wrangler.content.toml",
};

function ensureWrk() {
  if (spawnSync("wrk", ["--version"]).error === undefined) return;
  if (process.getuid?.() !== 0) throw new Error("wrk is missing: apt-get install wrk (as root)");
  console.log("installing wrk from Debian...");
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "-qq", "wrk"], { stdio: "inherit" });
}

const toMs = (value, unit) => Number(value) * { us: 0.001, ms: 1, s: 1000 }[unit];

function wrk(url, headers = {}, seconds = SECONDS) {
  const args = ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, "--latency"];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  const out = execFileSync("wrk", [...args, url], { encoding: "utf8" });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const lat = (p) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m ? toMs(m[1], m[2]) : Number.NaN;
  };
  const errors = /Socket errors: (.*)/.exec(out)?.[1] ?? null;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return { rps, p50: lat(50), p99: lat(99), errors, non2xx };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const round2 = (x) => Math.round(x * 100) / 100;

/** Each Worker's bundle as `wrangler deploy` builds it: bytes and gzipped bytes. */
function bundleSizes() {
  return Object.fromEntries(
    Object.entries(WORKERS).map(([name, config]) => {
      const out = mkdtempSync(join(tmpdir(), "pau-bundle-"));
      try {
        const code = readFileSync(bundle(config, out).path);
        return [name, { bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length }];
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }),
  );
}

/** Sampled CPU time of each Worker's top-level evaluation (`wrangler check startup`). */
function startupProfiles() {
  return Object.fromEntries(
    Object.entries(WORKERS).map(([name, config]) => {
      const out = mkdtempSync(join(tmpdir(), "pau-startup-"));
      try {
        const file = join(out, "startup.cpuprofile");
        execFileSync(
          `${ROOT}node_modules/.bin/wrangler`,
          ["check", "startup", "--outfile", file, "-c", config],
          { cwd: ROOT, stdio: "ignore", env: { ...process.env, ...OFFLINE_ENV } },
        );
        const profile = JSON.parse(readFileSync(file, "utf8"));
        const idle = new Set(
          profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id),
        );
        const busyUs = profile.samples.reduce(
          (sum, id, i) => (idle.has(id) ? sum : sum + (profile.timeDeltas[i] ?? 0)),
          0,
        );
        return [name, { cpuMs: Math.round(busyUs / 100) / 10, samples: profile.samples.length }];
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }),
  );
}

function machine() {
  const wrkVersion = spawnSync("wrk", ["--version"], { encoding: "utf8" });
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    node: process.version,
    wrangler: pkg.devDependencies.wrangler,
    miniflare: pkg.devDependencies.miniflare,
    wrk: (wrkVersion.stdout || wrkVersion.stderr)
      .split("\n")[0]
      .replace(/ Copyright.*/, "")
      .trim(),
  };
}

/**
 * The routes, each with the floor routes it is compared with: `floor`, the bare R2 Worker reading
 * the same bytes (or answering the same 304), and `cacheFloor`, the cache floor answering them.
 */
function routesFor({
  floorBase,
  cacheFloorBase,
  honoHitBase,
  contractFloorBase,
  a,
  r,
  m,
  c,
  health,
  img,
}) {
  const bare = (label) => `bare R2 Worker ${label}`;
  const cached = (label) => `cache floor ${label}`;
  const VARIANT_SIZE = "a file of the variant's size";
  const NOT_MODIFIED = "100KB If-None-Match (304)";
  const inm = { "If-None-Match": a["100KB"].etag };
  const both = (label) => ({ floor: bare(label), cacheFloor: cached(label) });
  /** A reference Worker's route at each of HIT_SIZES, `url` given the seeded file of that size. */
  const atHitSizes = (name, url) =>
    HIT_SIZES.map((s) => ({ name: `${name} ${s}`, url: url(a[s]), ...both(s) }));
  return [
    ...Object.keys(SIZES).map((s) => ({ name: bare(s), url: `${floorBase}/${a[s].key}` })),
    { name: bare(VARIANT_SIZE), url: `${floorBase}/${img.sameSizeKey}` },
    { name: bare(NOT_MODIFIED), url: `${floorBase}/${a["100KB"].key}`, headers: inm },
    ...Object.keys(SIZES).map((s) => ({ name: cached(s), url: `${cacheFloorBase}/${a[s].key}` })),
    { name: cached(VARIANT_SIZE), url: `${cacheFloorBase}/${img.sameSizeKey}` },
    { name: cached(NOT_MODIFIED), url: `${cacheFloorBase}/${a["100KB"].key}`, headers: inm },
    { name: "ceiling (constant /health)", url: health, ...both("1KB") },
    ...Object.keys(SIZES).map((s) => ({ name: `versioned ${s}`, url: a[s].url, ...both(s) })),
    ...Object.keys(SIZES).map((s) => ({ name: `permanent ${s}`, url: a[s].permanent, ...both(s) })),
    // The bound for a Hono app answering a hit with headers of its own (scripts/hono-hit-worker/):
    // the delivery Worker's own entries, filled by the versioned URL's requests above.
    ...atHitSizes("Hono hit Worker", (x) => `${honoHitBase}${new URL(x.url).pathname}`),
    // The cache floor itself with a versioned URL's headers (checked equal by contractHeaders).
    ...atHitSizes(CONTRACT_FLOOR, (x) => `${contractFloorBase}/${x.key}`),
    { name: "permanent redirect (302)", url: r["1KB"].permanent, ...both("1KB") },
    {
      name: "permanent 100KB If-None-Match (304)",
      url: a["100KB"].permanent,
      headers: inm,
      ...both(NOT_MODIFIED),
    },
    {
      name: "unknown slug (404)",
      url: a["1KB"].permanent.replace(/file-1KB$/, "no-such-slug"),
      ...both("1KB"),
    },
    ...["1KB", "100KB", "1MB", "10MB"].map((s) => ({
      name: `memo off: permanent ${s}`,
      url: m[s].permanent,
      ...both(s),
    })),
    {
      name: "memo off: permanent 100KB If-None-Match (304)",
      url: m["100KB"].permanent,
      headers: { "If-None-Match": m["100KB"].etag },
      ...both(NOT_MODIFIED),
    },
    {
      name: "memo off: unknown slug (404)",
      url: m["1KB"].permanent.replace(/file-1KB$/, "no-such-slug"),
      ...both("1KB"),
    },
    {
      name: "image variant: 400px WebP of a 2000x1500 JPEG, permanent URL (cached)",
      url: img.variant,
      ...both(VARIANT_SIZE),
    },
    { name: "permanent, a file of that variant's size", url: img.sameSize, ...both(VARIANT_SIZE) },
    ...HIT_SIZES.flatMap((s) => [
      { name: `memo and cache off: versioned ${s}`, url: c[s].url, ...both(s) },
      { name: `memo and cache off: permanent ${s}`, url: c[s].permanent, ...both(s) },
    ]),
  ];
}

// Headers the local cache adds to every hit, the floors' as well as the service's.
const CACHE_ADDED = new Set(["age", "cf-cache-status", "date"]);

/** Fails unless the contract floor's hit answers exactly the versioned URL's headers. */
async function contractHeaders(routes) {
  const named = (name) => routes.find((route) => route.name === name).url;
  const headersOf = async (url) => {
    const res = await fetch(url);
    await res.arrayBuffer();
    return JSON.stringify([...res.headers].filter(([k]) => !CACHE_ADDED.has(k)));
  };
  const floor = await headersOf(named(`${CONTRACT_FLOOR} 1KB`));
  const versioned = await headersOf(named("versioned 1KB"));
  if (floor !== versioned) {
    throw new Error(
      `the contract floor's headers ${floor} are not the versioned URL's ${versioned}`,
    );
  }
}

async function main() {
  ensureWrk();
  const services = [];
  try {
    const started = Date.now();
    /** One local service with its own state and the given [vars]. */
    const service = async (vars = {}, extraWorkers = []) => {
      const s = await startService({
        adminToken: ADMIN,
        logLevel: "warn",
        vars,
        extraWorkers,
      });
      services.push(s);
      return s;
    };
    const serve = await service({}, [
      { configPath: FLOOR_CONFIG },
      { configPath: CACHE_FLOOR_CONFIG },
      { configPath: HONO_HIT_CONFIG },
      { configPath: CONTRACT_FLOOR_CONFIG },
    ]);
    const firstAnswerMs = Date.now() - started;
    const redirect = await service({ PERMANENT_URL_MODE: "redirect" });
    const off = await service({ READ_MODEL_MEMO_SECONDS: "0" });
    const offBoth = await service({
      READ_MODEL_MEMO_SECONDS: "0",
      EDGE_CACHE_MAX_BYTES: "0",
    });

    console.log("seeding...");
    const image = await seedImage(serve.management, ADMIN);
    const routes = routesFor({
      floorBase: serve.extras[0],
      cacheFloorBase: serve.extras[1],
      honoHitBase: serve.extras[2],
      contractFloorBase: serve.extras[3],
      a: await seed(serve.management, ADMIN, SIZES),
      r: await seed(redirect.management, ADMIN, { "1KB": 1024 }),
      m: await seed(off.management, ADMIN, SIZES),
      c: await seed(offBoth.management, ADMIN, SIZES),
      health: `${serve.public}/health`,
      img: image,
    });
    for (const route of routes) {
      const res = await fetch(route.url, { headers: route.headers ?? {}, redirect: "manual" });
      await res.arrayBuffer();
      route.status = res.status;
    }

    await contractHeaders(routes);

    console.log("warm-up...");
    for (const route of routes) wrk(route.url, route.headers, 1);

    const samples = new Map(routes.map((route) => [route.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate and alternate the order, so no route always runs first or after the same one.
      const order = routes.map((_, i) => routes[(i + round) % routes.length]);
      if (round % 2 === 1) order.reverse();
      for (const route of order) {
        const result = wrk(route.url, route.headers);
        samples.get(route.name)[round] = result;
        console.log(
          `round ${round + 1}/${ROUNDS} ${route.name}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms`,
        );
      }
    }

    const results = routes.map((route) => {
      const runs = samples.get(route.name);
      const rps = runs.map((x) => x.rps);
      const med = median(rps);
      const row = {
        route: route.name,
        status: route.status,
        rps: Math.round(med),
        p50Ms: round2(median(runs.map((x) => x.p50))),
        p99Ms: round2(median(runs.map((x) => x.p99))),
        spreadPct: Math.round(((Math.max(...rps) - Math.min(...rps)) / med) * 1000) / 10,
        runs: rps.map((x) => Math.round(x)),
        socketErrors: runs.map((x) => x.errors).filter(Boolean),
      };
      // The same round's floors: measured minutes apart at most, under the same load.
      const against = (floor) => {
        const perRound = runs.map((x, i) => x.rps / samples.get(floor)[i].rps);
        return {
          floor,
          median: round2(median(perRound)),
          min: round2(Math.min(...perRound)),
          max: round2(Math.max(...perRound)),
        };
      };
      if (route.floor) row.vsFloor = against(route.floor);
      if (route.cacheFloor) row.vsCacheFloor = against(route.cacheFloor);
      return row;
    });
    const by = Object.fromEntries(results.map((x) => [x.route, x]));
    // Between two of the project's routes too: the median of the per-round ratios, as for the
    // floor (two routes measured in the same round share that round's load).
    const ratio = (a, b) =>
      round2(median(samples.get(a).map((x, i) => x.rps / samples.get(b)[i].rps)));
    /** Each URL kind's ratio to the reference route `name` at each of HIT_SIZES. */
    const kindsAgainst = (name) =>
      Object.fromEntries(
        ["versioned", "permanent"].flatMap((kind) =>
          HIT_SIZES.map((s) => [`${kind}/${name} ${s}`, ratio(`${kind} ${s}`, `${name} ${s}`)]),
        ),
      );
    const ratios = {
      "permanent/versioned 1KB": ratio("permanent 1KB", "versioned 1KB"),
      "permanent/versioned 100KB": ratio("permanent 100KB", "versioned 100KB"),
      "permanent/versioned 1MB": ratio("permanent 1MB", "versioned 1MB"),
      "permanent/versioned 10MB": ratio("permanent 10MB", "versioned 10MB"),
      "304/200 100KB (permanent)": ratio("permanent 100KB If-None-Match (304)", "permanent 100KB"),
      "404/200 1KB (versioned)": ratio("unknown slug (404)", "versioned 1KB"),
      "404/200 1KB (permanent)": ratio("unknown slug (404)", "permanent 1KB"),
      "cached image variant / a plain file of its size (permanent URLs)": ratio(
        "image variant: 400px WebP of a 2000x1500 JPEG, permanent URL (cached)",
        "permanent, a file of that variant's size",
      ),
      // Against the least a Hono app answering a hit with its own headers does (the bound), and
      // against the cache floor answering the same headers as the URLs (the floor's own work).
      ...kindsAgainst("Hono hit Worker"),
      ...kindsAgainst(CONTRACT_FLOOR),
    };

    await Promise.all(services.map(stop));
    services.length = 0;
    console.log("measuring the bundles and the startup...");
    const bundles = bundleSizes();
    const startup = startupProfiles();
    console.log("listing a 10,000-asset stack (scripts/bench-listing.mjs)...");
    const listing = await benchListing();
    console.log(
      "publishing: ?environment= and the Content Delivery API (scripts/bench-publishing.mjs)...",
    );
    const publishing = await benchPublishing();

    const vsFloor = (route) => by[route].vsFloor.median;
    const vsCache = (route) => by[route].vsCacheFloor.median;
    const targets = [
      [
        "permanent URL >= 0.95x the cache floor at 1 KB, 100 KB and 1 MB",
        HIT_SIZES.every((s) => vsCache(`permanent ${s}`) >= 0.95),
      ],
      [
        "versioned URL >= 0.95x the cache floor at 1 KB, 100 KB and 1 MB",
        HIT_SIZES.every((s) => vsCache(`versioned ${s}`) >= 0.95),
      ],
      [
        "a cached image variant >= 0.95x the cache floor for a file of its size",
        vsCache("image variant: 400px WebP of a 2000x1500 JPEG, permanent URL (cached)") >= 0.95,
      ],
      [
        "permanent and versioned URLs >= 1.2x the bare R2 Worker at 1 KB, 100 KB and 1 MB",
        HIT_SIZES.every(
          (s) => vsFloor(`permanent ${s}`) >= 1.2 && vsFloor(`versioned ${s}`) >= 1.2,
        ),
      ],
      [
        "permanent 304 >= 2x the bare Worker's 304 (100 KB)",
        vsFloor("permanent 100KB If-None-Match (304)") >= 2,
      ],
      ["delivery Worker's gzipped bundle <= 24 KiB", bundles.delivery.gzipBytes <= 24 * 1024],
      ["unknown-slug 404 >= the bare 1 KB 200", vsFloor("unknown slug (404)") >= 1],
      [
        "permanent (serve) >= 0.9x versioned, each size",
        ["1KB", "100KB", "1MB", "10MB"].every((s) => ratios[`permanent/versioned ${s}`] >= 0.9),
      ],
      ["304 >= 1.5x a full 200 (100 KB)", ratios["304/200 100KB (permanent)"] >= 1.5],
      [
        "management Worker's gzipped bundle < 50 KB (the single Worker's old target)",
        bundles.management.gzipBytes < 50 * 1024,
      ],
      [
        "permanent URL with ?environment= >= 0.95x the plain permanent URL at 1 KB, 100 KB and 1 MB",
        Object.values(publishing.throughput.environmentVsPlain).every((r) => r.median >= 0.95),
      ],
      [
        "a cached image variant >= 0.95x a plain permanent URL of its size",
        ratios["cached image variant / a plain file of its size (permanent URLs)"] >= 0.95,
      ],
    ];
    const report = {
      command: "npm run bench",
      date: new Date().toISOString(),
      settings: { rounds: ROUNDS, secondsPerRun: SECONDS, connections: CONNECTIONS, wrkThreads: 1 },
      machine: machine(),
      results,
      ratios,
      bundles,
      listing,
      publishing,
      images: {
        photoBytes: image.photoBytes,
        variantBytes: image.variantBytes,
        firstTransform: image.firstTransform,
      },
      startup: { ...startup, firstAnswerAfterSpawnMs: firstAnswerMs },
      targets: Object.fromEntries(targets),
    };
    writeFileSync(join(ROOT, "docs", "bench-results.json"), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(ROOT, "docs", "BENCHMARKS.md"), markdown(report));
    console.log(markdown(report));
  } finally {
    await Promise.all(services.map(stop));
  }
}

function markdown(r) {
  const ratio = (v) => (v ? `${v.median} (${v.min}–${v.max})` : "–");
  const rows = r.results
    .map(
      (x) =>
        `| ${x.route} | ${x.status} | ${x.rps} | ${ratio(x.vsFloor)} | ${ratio(x.vsCacheFloor)} | ${x.p50Ms} | ${x.p99Ms} | ${x.spreadPct}% | ${x.runs.join(", ")} |`,
    )
    .join("\n");
  const ratios = Object.entries(r.ratios)
    .map(([k, v]) => `| ${k} | ${v} |`)
    .join("\n");
  const targets = Object.entries(r.targets)
    .map(([k, v]) => `| ${k} | ${v ? "met" : "missed"} |`)
    .join("\n");
  const kib = (n) => (n / 1024).toFixed(1);
  const { delivery, management, content } = r.bundles;
  return `# Benchmarks

Generated by \`${r.command}\` (scripts/bench.mjs) on ${r.date}. Do not edit by hand; the analysis
is in [PERFORMANCE.md](PERFORMANCE.md).

Machine: ${r.machine.cpu}, ${r.machine.cores} cores (shared), Node ${r.machine.node}, wrangler
${r.machine.wrangler} and miniflare ${r.machine.miniflare} (local workerd, each Worker on its own
socket), ${r.machine.wrk}. Load: wrk with ${r.settings.wrkThreads} thread and
${r.settings.connections} connections from a separate process on loopback; a 1 s warm-up per
route, then ${r.settings.rounds} rounds of ${r.settings.secondsPerRun} s per route, interleaved
(the order rotates each round). Figures are medians over the rounds; spread is (max - min) /
median of requests/s. The load generator and workerd share the 2 cores, so absolute figures are
this machine's; compare routes by their ratios.

**vs bare R2** is each route's requests/s divided by the bare R2 Worker's
(scripts/floor-worker/: \`env.FILES.get(key)\`, nothing else, in the same workerd, same bucket)
for the same bytes in the same round: the median of the per-round ratios, and their range.
**vs cache floor** is the same against the cache floor (scripts/cache-floor-worker/:
\`caches.default.match(request)\` returned as it is; on a miss one R2 read, put in the cache), the
least a Worker answering from the edge cache can do. The **${CONTRACT_FLOOR}** is
that floor with a versioned URL's nine headers in its entries instead of four
(scripts/cache-floor-worker/wrangler.contract.toml; the run checks they are the versioned URL's
own), and the **Hono hit Worker** (scripts/hono-hit-worker/) a Hono app answering the delivery
Worker's own entries with headers of its own.

| route | status | req/s | vs bare R2 | vs cache floor | p50 ms | p99 ms | spread | req/s per round |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows}

| ratio between the project's own routes (median of per-round req/s ratios) | value |
| --- | --- |
${ratios}

Bundles (\`wrangler deploy --dry-run\`): delivery Worker ${kib(delivery.bytes)} KiB, ${kib(delivery.gzipBytes)} KiB gzipped;
content delivery Worker ${kib(content.bytes)} KiB, ${kib(content.gzipBytes)} KiB gzipped;
management Worker ${kib(management.bytes)} KiB, ${kib(management.gzipBytes)} KiB gzipped.
Startup (\`wrangler check startup\`, sampled CPU of the top-level evaluation): delivery
${r.startup.delivery.cpuMs} ms, content delivery ${r.startup.content.cpuMs} ms, management
${r.startup.management.cpuMs} ms. The service answered ${r.startup.firstAnswerAfterSpawnMs} ms
after spawning scripts/serve.mjs (bundling the three Workers included).

Images: the 2,000x1,500 JPEG is ${r.images.photoBytes} bytes, its 400-pixel WebP variant
${r.images.variantBytes}. Making a fresh variant (a distinct width each time, one at a time, from
this process: an R2 read, the local engine's decode, resize and encode): p50
${r.images.firstTransform.p50Ms} ms, p99 ${r.images.firstTransform.p99Ms} ms over
${r.images.firstTransform.samples} variants. Locally the engine is sharp in Node.js, reached from
workerd over a loopback connection; production runs Cloudflare Images instead.

Listing a stack of 10,000 assets (\`GET /v3/assets\` through the management Worker, 100 assets a
page, one request at a time; scripts/bench-listing.mjs, also \`npm run bench:listing\`):

| listing | query | matched | p50 ms | p99 ms |
| --- | --- | --- | --- | --- |
${r.listing.map((x) => `| ${x.name} | \`${x.query}\` | ${x.matched} | ${x.p50} | ${x.p99} |`).join("\n")}

${publishingMarkdown(r.publishing)}

| target | result |
| --- | --- |
${targets}
`;
}

/** The publishing section (scripts/bench-publishing.mjs's figures). */
function publishingMarkdown(p) {
  const vs = (x) => (x ? `${x.median} (${x.min}–${x.max})` : "(floor)");
  const rows = p.throughput.rows
    .map((x) => `| ${x.route} | ${x.rps} | ${vs(x.vsFloor)} | ${x.floor ?? ""} | ${x.p50Ms} |`)
    .join("\n");
  const env = Object.entries(p.throughput.environmentVsPlain)
    .map(([size, x]) => `| ${size} | ${vs(x)} |`)
    .join("\n");
  const listings = p.listing.rows
    .map(
      (x) =>
        `| ${x.name} | \`${x.query}\` | ${x.returned} | ${x.matched ?? ""} | ${x.p50} (${x.p50VsFloor}x) | ${x.p99} (${x.p99VsFloor}x) |`,
    )
    .join("\n");
  return `Publishing (scripts/bench-publishing.mjs, also \`npm run bench:publishing\`): its own service
with the floor Worker beside it, an environment and a delivery token made through the API, files
published there, and ${p.published} more published assets written to D1 by the seeder (in
${p.seedSeconds} s). The same wrk settings and interleaved rounds as above; each route against its
floor in the same round: the bare R2 Worker for the same bytes, or for the Content Delivery API a
bare Worker making the same single D1 query.

| route | req/s | vs floor | floor | p50 ms |
| --- | --- | --- | --- | --- |
${rows}

| the permanent URL with ?environment=production / without it (median of per-round ratios) | value |
| --- | --- |
${env}

The Content Delivery API on the public host (the delivery Worker forwards it through its
\`CONTENT\` service binding) / on the content delivery Worker's own port, the forwarding hop's
cost (median of per-round req/s ratios): ${vs(p.throughput.forwardedVsDirect)}.

Content Delivery API listings of the ${p.published} published assets (\`GET /v3/assets?environment=production\`
on the public host, one request at a time), p50 and p99 in ms and as ratios to the bare D1
Worker's page query (the newest 100 rows' bodies, p50 ${p.listing.floor.p50} ms, p99
${p.listing.floor.p99} ms) in the same run:

| listing | query | returned | matched | p50 ms | p99 ms |
| --- | --- | --- | --- | --- | --- |
${listings}`;
}

await main();
