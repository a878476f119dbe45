// Benchmark of the public hot path: `npm run bench`.
// Starts two `wrangler dev` instances on loopback (serve mode, and redirect mode for the 302),
// without per-request logging, seeds 1 KB / 100 KB / 10 MB files, and drives each route with wrk
// from this separate process: a warm-up, then several rounds with the routes interleaved (the
// order rotates every round), reporting medians and the run-to-run spread. Writes
// docs/bench-results.json and docs/BENCHMARKS.md. Nothing is asserted: the figures are reported.
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { freePort, ROOT, startWranglerDev, stop, waitForHttp } from "./wrangler-dev.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const ADMIN = "bench-admin-token";

function ensureWrk() {
  if (spawnSync("wrk", ["--version"]).error === undefined) return;
  if (process.getuid?.() !== 0) throw new Error("wrk is missing: apt-get install wrk (as root)");
  console.log("installing wrk from Debian...");
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "-qq", "wrk"], { stdio: "inherit" });
}

async function json(res) {
  const body = await res.json();
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Creates a stack and, for each size, an asset with a permanent URL. */
async function seed(base, sizes) {
  const { stack, management_token } = await json(
    await fetch(`${base}/v3/stacks`, {
      method: "POST",
      headers: { authorization: ADMIN, "content-type": "application/json" },
      body: JSON.stringify({ stack: { name: "bench" } }),
    }),
  );
  const auth = { api_key: stack.api_key, authorization: management_token.token };
  const assets = {};
  for (const [label, size] of Object.entries(sizes)) {
    const { asset } = await json(
      await fetch(`${base}/v3/assets?filename=file-${label}.bin`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/octet-stream" },
        body: randomBytes(size),
      }),
    );
    const set = await json(
      await fetch(`${base}/v3/assets/${asset.uid}`, {
        method: "PUT",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ asset: { permanent_url: `file-${label}` } }),
      }),
    );
    const head = await fetch(asset.url, { method: "HEAD" });
    assets[label] = {
      url: asset.url,
      permanent: set.asset.permanent_url,
      etag: head.headers.get("etag"),
    };
  }
  return assets;
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
  return { rps, p50: lat(50), p99: lat(99), errors };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

function bundleSize() {
  const out = mkdtempSync(join(tmpdir(), "pau-bundle-"));
  try {
    execFileSync(`${ROOT}node_modules/.bin/wrangler`, ["deploy", "--dry-run", "--outdir", out], {
      cwd: ROOT,
      stdio: "ignore",
    });
    const code = readFileSync(join(out, "index.js"));
    return { bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function startupProfile() {
  const out = mkdtempSync(join(tmpdir(), "pau-startup-"));
  try {
    const file = join(out, "startup.cpuprofile");
    execFileSync(`${ROOT}node_modules/.bin/wrangler`, ["check", "startup", "--outfile", file], {
      cwd: ROOT,
      stdio: "ignore",
    });
    const profile = JSON.parse(readFileSync(file, "utf8"));
    // Sampled CPU time of the startup phase: every sample except the idle ones.
    const idle = new Set(
      profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id),
    );
    const busyUs = profile.samples.reduce(
      (sum, id, i) => (idle.has(id) ? sum : sum + (profile.timeDeltas[i] ?? 0)),
      0,
    );
    return { cpuMs: Math.round(busyUs / 100) / 10, samples: profile.samples.length };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function machine() {
  const wrkVersion = spawnSync("wrk", ["--version"], { encoding: "utf8" });
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    node: process.version,
    wrangler: pkg.devDependencies.wrangler,
    wrk: (wrkVersion.stdout || wrkVersion.stderr)
      .split("\n")[0]
      .replace(/ Copyright.*/, "")
      .trim(),
  };
}

async function main() {
  ensureWrk();
  const work = mkdtempSync(join(tmpdir(), "pau-bench-"));
  const envFile = join(work, "bench.env");
  writeFileSync(envFile, `ADMIN_TOKEN=${ADMIN}\n`);
  const instances = [];
  try {
    const started = Date.now();
    /** One `wrangler dev` with its own state and the given [vars]; its base URL once it answers. */
    const instance = async (name, vars = {}) => {
      const port = await freePort();
      const child = startWranglerDev({
        port,
        persistTo: join(work, name),
        envFile,
        logLevel: "warn",
        vars,
      });
      instances.push(child);
      const base = `http://127.0.0.1:${port}`;
      await waitForHttp(`${base}/health`, child);
      return base;
    };
    const serveBase = await instance("serve");
    const firstAnswerMs = Date.now() - started;
    const redirectBase = await instance("redirect", { PERMANENT_URL_MODE: "redirect" });
    // The "before" of the read-model memo: the same service reading KV on every request.
    const noMemoBase = await instance("no-memo", { READ_MODEL_MEMO_SECONDS: "0" });

    console.log("seeding...");
    const a = await seed(serveBase, { "1KB": 1024, "100KB": 100 * 1024, "10MB": 10 * 1024 * 1024 });
    const r = await seed(redirectBase, { "1KB": 1024 });
    const m = await seed(noMemoBase, {
      "1KB": 1024,
      "100KB": 100 * 1024,
      "10MB": 10 * 1024 * 1024,
    });
    const unknown = a["1KB"].permanent.replace(/file-1KB$/, "no-such-slug");

    const routes = [
      { name: "ceiling (constant /health)", url: `${serveBase}/health` },
      { name: "versioned 1KB", url: a["1KB"].url },
      { name: "versioned 100KB", url: a["100KB"].url },
      { name: "versioned 10MB", url: a["10MB"].url },
      { name: "permanent 1KB", url: a["1KB"].permanent },
      { name: "permanent 100KB", url: a["100KB"].permanent },
      { name: "permanent 10MB", url: a["10MB"].permanent },
      { name: "permanent redirect (302)", url: r["1KB"].permanent },
      {
        name: "permanent 100KB If-None-Match (304)",
        url: a["100KB"].permanent,
        headers: { "If-None-Match": a["100KB"].etag },
      },
      { name: "unknown slug (404)", url: unknown },
      { name: "memo off: permanent 1KB", url: m["1KB"].permanent },
      { name: "memo off: permanent 100KB", url: m["100KB"].permanent },
      { name: "memo off: permanent 10MB", url: m["10MB"].permanent },
      {
        name: "memo off: permanent 100KB If-None-Match (304)",
        url: m["100KB"].permanent,
        headers: { "If-None-Match": m["100KB"].etag },
      },
      {
        name: "memo off: unknown slug (404)",
        url: m["1KB"].permanent.replace(/file-1KB$/, "no-such-slug"),
      },
    ];
    for (const route of routes) {
      const res = await fetch(route.url, { headers: route.headers ?? {}, redirect: "manual" });
      await res.arrayBuffer();
      route.status = res.status;
    }

    console.log("warm-up...");
    for (const route of routes) wrk(route.url, route.headers, 1);

    const samples = new Map(routes.map((route) => [route.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate and alternate the order, so no route always runs first or after the same one.
      const order = routes.map((_, i) => routes[(i + round) % routes.length]);
      if (round % 2 === 1) order.reverse();
      for (const route of order) {
        const result = wrk(route.url, route.headers);
        samples.get(route.name).push(result);
        console.log(
          `round ${round + 1}/${ROUNDS} ${route.name}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms`,
        );
      }
    }

    const results = routes.map((route) => {
      const runs = samples.get(route.name);
      const rps = runs.map((x) => x.rps);
      const med = median(rps);
      return {
        route: route.name,
        status: route.status,
        rps: Math.round(med),
        p50Ms: median(runs.map((x) => x.p50)),
        p99Ms: median(runs.map((x) => x.p99)),
        spreadPct: Math.round(((Math.max(...rps) - Math.min(...rps)) / med) * 1000) / 10,
        runs: rps.map((x) => Math.round(x)),
        socketErrors: runs.map((x) => x.errors).filter(Boolean),
      };
    });
    const by = Object.fromEntries(results.map((x) => [x.route, x]));
    const ratio = (a, b) => Math.round((by[a].rps / by[b].rps) * 100) / 100;
    const ceiling = "ceiling (constant /health)";
    const ratios = {
      "permanent/versioned 1KB": ratio("permanent 1KB", "versioned 1KB"),
      "permanent/versioned 100KB": ratio("permanent 100KB", "versioned 100KB"),
      "permanent/versioned 10MB": ratio("permanent 10MB", "versioned 10MB"),
      "304/200 100KB (permanent)": ratio("permanent 100KB If-None-Match (304)", "permanent 100KB"),
      "404/200 1KB (versioned)": ratio("unknown slug (404)", "versioned 1KB"),
      "404/200 1KB (permanent)": ratio("unknown slug (404)", "permanent 1KB"),
      "memo off: permanent/versioned 1KB": ratio("memo off: permanent 1KB", "versioned 1KB"),
      "memo off: permanent/versioned 100KB": ratio("memo off: permanent 100KB", "versioned 100KB"),
      "memo off: permanent/versioned 10MB": ratio("memo off: permanent 10MB", "versioned 10MB"),
      "memo off: 304/200 100KB": ratio(
        "memo off: permanent 100KB If-None-Match (304)",
        "memo off: permanent 100KB",
      ),
      "memo off: 404/200 1KB (versioned)": ratio("memo off: unknown slug (404)", "versioned 1KB"),
      ...Object.fromEntries(
        results
          .filter((x) => x.route !== ceiling)
          .map((x) => [`${x.route}/ceiling`, ratio(x.route, ceiling)]),
      ),
    };

    await Promise.all(instances.map(stop));
    instances.length = 0;
    console.log("measuring the bundle and the startup...");
    const bundle = bundleSize();
    const startup = startupProfile();

    const targets = [
      [
        "permanent (serve) >= 0.9x versioned, each size",
        ["1KB", "100KB", "10MB"].every((s) => ratios[`permanent/versioned ${s}`] >= 0.9),
      ],
      ["304 >= 1.5x a full 200 (100 KB)", ratios["304/200 100KB (permanent)"] >= 1.5],
      ["unknown-slug 404 >= a 1 KB 200", ratios["404/200 1KB (versioned)"] >= 1],
      ["gzipped bundle < 50 KB", bundle.gzipBytes < 50 * 1024],
    ];
    const report = {
      command: "npm run bench",
      date: new Date().toISOString(),
      settings: { rounds: ROUNDS, secondsPerRun: SECONDS, connections: CONNECTIONS, wrkThreads: 1 },
      machine: machine(),
      results,
      ratios,
      bundle,
      startup: { ...startup, firstAnswerAfterSpawnMs: firstAnswerMs },
      targets: Object.fromEntries(targets),
    };
    writeFileSync(join(ROOT, "docs", "bench-results.json"), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(ROOT, "docs", "BENCHMARKS.md"), markdown(report));
    console.log(markdown(report));
  } finally {
    await Promise.all(instances.map(stop));
    rmSync(work, { recursive: true, force: true });
  }
}

function markdown(r) {
  const rows = r.results
    .map(
      (x) =>
        `| ${x.route} | ${x.status} | ${x.rps} | ${x.p50Ms} | ${x.p99Ms} | ${x.spreadPct}% | ${x.runs.join(", ")} |`,
    )
    .join("\n");
  const ratios = Object.entries(r.ratios)
    .map(([k, v]) => `| ${k} | ${v} |`)
    .join("\n");
  const targets = Object.entries(r.targets)
    .map(([k, v]) => `| ${k} | ${v ? "met" : "missed"} |`)
    .join("\n");
  return `# Benchmarks

Generated by \`${r.command}\` (scripts/bench.mjs) on ${r.date}. Do not edit by hand; the analysis
is in [PERFORMANCE.md](PERFORMANCE.md).

Machine: ${r.machine.cpu}, ${r.machine.cores} cores (shared), Node ${r.machine.node}, wrangler
${r.machine.wrangler} (local workerd), ${r.machine.wrk}. Load: wrk with ${r.settings.wrkThreads}
thread and ${r.settings.connections} connections from a separate process on loopback; a 1 s
warm-up per route, then ${r.settings.rounds} rounds of ${r.settings.secondsPerRun} s per route,
interleaved (the order rotates each round). Figures are medians over the rounds; spread is
(max - min) / median of requests/s. The load generator and workerd share the 2 cores, so absolute
figures are this machine's, and only the ratios measured in one run compare routes.

| route | status | req/s | p50 ms | p99 ms | spread | req/s per round |
| --- | --- | --- | --- | --- | --- | --- |
${rows}

| ratio (req/s) | value |
| --- | --- |
${ratios}

Bundle (\`wrangler deploy --dry-run\`): ${(r.bundle.bytes / 1024).toFixed(1)} KiB, ${(r.bundle.gzipBytes / 1024).toFixed(1)} KiB gzipped.
Startup (\`wrangler check startup\`, sampled CPU of the top-level evaluation): ${r.startup.cpuMs} ms.
First answer ${r.startup.firstAnswerAfterSpawnMs} ms after spawning \`wrangler dev\` (bundling included).

| target | result |
| --- | --- |
${targets}
`;
}

await main();
