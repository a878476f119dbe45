// `npm run bench:memory`: memory of the local runtime while large files pass through it.
// Starts `wrangler dev` on a free loopback port with fresh state, uploads a 1 GiB file through an
// upload session (64 parts of 16 MiB) and a 90 MB file as one raw request, downloads both
// through their permanent URLs, checks every sha256, and samples the resident memory (VmRSS) of
// the workerd processes and of wrangler's Node process every 100 ms. Then it restarts wrangler
// dev on the same state and downloads both files again, to measure downloads in a process the
// uploads have not grown. Prints a markdown table, writes docs/memory-results.json, and exits 1
// only when a sha256 (or a size) differs: missing the 64 MB target is a measurement, printed,
// not a failure. docs/MEMORY.md explains the figures.
//
// The file contents are generated on the fly (the AES-128-CTR keystream of a fixed seed), never
// held whole: the script holds at most one 16 MiB part at a time (its RSS still reaches a few
// hundred MB until Node collects the spent parts).
//
// wrangler dev reloads the worker, in a new workerd process, whenever a file its bundler read
// changes: wrangler.toml, a source file, and also files it reached through node_modules (with
// node_modules a symlink into the project, an edit to the project's package.json did it). That
// would restart the measured process mid-run. So the server runs from a snapshot in the temp
// dir: src/, wrangler.toml, package.json, tsconfig.json and scripts/wrangler-dev.mjs copied,
// node_modules hard-linked (no extra space; copied where hard links are impossible), and edits
// made in the project during the run do not reach it.
//
// Options: --rounds N   run the four transfer phases N times (default 1), to tell warm-up from
//                       steady growth.
import { createCipheriv, createHash } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { request as httpRequest } from "node:http";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { freePort, ROOT } from "./wrangler-dev.mjs";

const MiB = 1024 * 1024;
const MB = 1e6;
const BIG_BYTES = 1024 * MiB; // 1 GiB, through an upload session
const PART_BYTES = 16 * MiB; // 64 parts
const SINGLE_BYTES = 90 * MB; // 90 MB, as one raw request (under MAX_UPLOAD_BYTES, 100 MiB)
const CHUNK = MiB;
const TARGET_MB = 64;
const SAMPLE_MS = 100;
const IDLE_MS = 2000;
const IDLE_END_MS = 10_000; // long enough to see whether the runtime gives memory back
const SNAPSHOT = [
  "src",
  "wrangler.toml",
  "package.json",
  "tsconfig.json",
  "scripts/wrangler-dev.mjs",
];

// Columns of a sample; memory in KiB, as /proc reports it.
const COLUMNS = [
  "ms since start",
  "phase index (-1: after the last phase)",
  "workerd VmRSS, all processes",
  "workerd RssAnon, all processes",
  "user-worker workerd VmRSS",
  "user-worker workerd RssAnon",
  "proxy workerd VmRSS",
  "wrangler node (Miniflare host) VmRSS",
  "other wrangler processes VmRSS (launcher, esbuild)",
  "bench script VmRSS",
  "user-worker workerd pid",
];
const C = {
  t: 0,
  phase: 1,
  workerd: 2,
  workerdAnon: 3,
  user: 4,
  userAnon: 5,
  proxy: 6,
  host: 7,
  others: 8,
  client: 9,
  userPid: 10,
};

// ---------------------------------------------------------------------------------------------
// /proc helpers, shared by the sampler thread and the main thread.

/** pid -> { ppid, comm } for every process, from /proc/{pid}/stat. */
function processTable() {
  const table = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // "pid (comm) state ppid ...": comm may contain spaces and parentheses.
      const close = stat.lastIndexOf(")");
      const rest = stat.slice(close + 2).split(" ");
      table.set(Number(name), {
        comm: stat.slice(stat.indexOf("(") + 1, close),
        ppid: Number(rest[1]),
      });
    } catch {
      // the process exited while the table was read
    }
  }
  return table;
}

const cmdline = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
};

/**
 * The processes under rootPid (wrangler's launcher). wrangler dev runs two workerd processes:
 * the proxy, which listens on the public port and forwards every request, and the one running
 * the user worker (and Miniflare's KV, R2 and Durable Object simulators). Their parent is
 * wrangler's Node process, which hosts Miniflare. `others`: the rest (the launcher, esbuild).
 */
function findTree(rootPid, port) {
  const table = processTable();
  const children = new Map();
  for (const [pid, p] of table) {
    if (!children.has(p.ppid)) children.set(p.ppid, []);
    children.get(p.ppid).push(pid);
  }
  const tree = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift();
    if (table.has(pid)) tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  const workerd = tree.filter((pid) => table.get(pid).comm === "workerd");
  const proxy = workerd.filter((pid) => cmdline(pid).includes(`entry=127.0.0.1:${port} `));
  const user = workerd.filter((pid) => !proxy.includes(pid));
  const hosts = [...new Set(workerd.map((pid) => table.get(pid).ppid))].filter(
    (pid) => !workerd.includes(pid),
  );
  const others = tree.filter((pid) => !workerd.includes(pid) && !hosts.includes(pid));
  const describe = (pids) => pids.map((pid) => ({ pid, comm: table.get(pid).comm }));
  return {
    workerd,
    user: describe(user),
    proxy: describe(proxy),
    hosts: describe(hosts),
    others: describe(others),
  };
}

/** { rss, anon } in KiB, summed over pids; a process that is gone counts as 0. */
function memoryOf(pids) {
  const total = { rss: 0, anon: 0 };
  for (const pid of pids) {
    let status;
    try {
      status = readFileSync(`/proc/${pid}/status`, "utf8");
    } catch {
      continue;
    }
    const field = (name) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    total.rss += field("VmRSS");
    total.anon += field("RssAnon");
  }
  return total;
}

/** One sample of every column but the time and the phase. */
function measure(tree) {
  const pids = (list) => list.map((p) => p.pid);
  const all = memoryOf(tree.workerd);
  const user = memoryOf(pids(tree.user));
  return {
    [C.workerd]: all.rss,
    [C.workerdAnon]: all.anon,
    [C.user]: user.rss,
    [C.userAnon]: user.anon,
    [C.proxy]: memoryOf(pids(tree.proxy)).rss,
    [C.host]: memoryOf(pids(tree.hosts)).rss,
    [C.others]: memoryOf(pids(tree.others)).rss,
    [C.client]: memoryOf([process.pid]).rss,
    [C.userPid]: tree.user[0]?.pid ?? 0,
  };
}

// ---------------------------------------------------------------------------------------------
// The sampler: a worker thread, so that a busy event loop in the main thread cannot delay
// samples. The main thread names the current phase through a shared Int32Array.

function runSampler() {
  const { rootPid, port, phaseBuffer, startedAt } = workerData;
  const phase = new Int32Array(phaseBuffer);
  const samples = [];
  let tree = findTree(rootPid, port);
  let lastScan = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    // The tree is scanned again every second (a reload would start a new workerd).
    if (now - lastScan >= 1000) {
      tree = findTree(rootPid, port);
      lastScan = now;
    }
    const m = measure(tree);
    const row = new Array(COLUMNS.length);
    row[C.t] = now - startedAt;
    row[C.phase] = Atomics.load(phase, 0);
    for (const [i, v] of Object.entries(m)) row[Number(i)] = v;
    samples.push(row);
  }, SAMPLE_MS);
  parentPort.on("message", (message) => {
    if (message === "stop") {
      clearInterval(timer);
      parentPort.postMessage({ samples, tree });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Deterministic file contents.

/** A file of `size` pseudo-random bytes from `seed`, produced in order, hashed on the way. */
class GeneratedFile {
  static #zeros = Buffer.alloc(PART_BYTES);

  constructor(seed, size) {
    this.seed = seed;
    this.size = size;
    const key = createHash("sha256").update(seed).digest().subarray(0, 16);
    this.cipher = createCipheriv("aes-128-ctr", key, Buffer.alloc(16));
    this.hash = createHash("sha256");
    this.produced = 0;
  }

  /** The next n bytes (n <= 16 MiB), as a fresh Buffer. */
  next(n) {
    if (n > PART_BYTES || this.produced + n > this.size) throw new Error("past the file's end");
    const bytes = this.cipher.update(GeneratedFile.#zeros.subarray(0, n));
    this.hash.update(bytes);
    this.produced += n;
    return bytes;
  }

  digest() {
    if (this.produced !== this.size) throw new Error("digest before the whole file was produced");
    return this.hash.digest("hex");
  }

  /** The file's sha256, by generating it once without keeping it. */
  static sha256Of(seed, size) {
    const file = new GeneratedFile(seed, size);
    while (file.produced < size) file.next(Math.min(PART_BYTES, size - file.produced));
    return file.digest();
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers.

/** Requests that failed on the way (not in the worker) and were sent again. */
const interruptions = [];
let currentPhaseName = () => null;
const RESTARTED = /restarted mid-request/;

/**
 * Runs a request (`send` resolves to { status, text }) and parses its JSON answer. Two local
 * failures are repeated, and recorded: a kept-alive connection closed as it was reused, and
 * wrangler's proxy answering 503 "Your worker restarted mid-request". The proxy says that for
 * any network error between it and the worker on a non-GET request (its check compares the
 * worker's URL with a path to one without), e.g. a pooled connection reset after a long
 * request, with no restart at all. Every request here is safe to repeat.
 */
async function call(what, send) {
  for (let attempt = 1; ; attempt++) {
    let res;
    try {
      res = await send();
    } catch (err) {
      // A kept-alive connection the server closed just as it was reused: send again.
      if (attempt >= 4) throw err;
      const error = String(err.cause ?? err);
      interruptions.push({ what, phase: currentPhaseName(), at: new Date().toISOString(), error });
      console.warn(`[bench] ${what}: ${error}; sending it again`);
      continue;
    }
    if (res.status === 503 && RESTARTED.test(res.text) && attempt < 4) {
      const error = "503 from wrangler's proxy: worker restarted mid-request";
      interruptions.push({ what, phase: currentPhaseName(), at: new Date().toISOString(), error });
      console.warn(`[bench] ${what}: ${error}; sending it again`);
      continue;
    }
    if (res.status < 200 || res.status > 299) {
      throw new Error(`${what}: HTTP ${res.status} ${res.text.slice(0, 500)}`);
    }
    return JSON.parse(res.text);
  }
}

/** fetch, answering { status, text } for call(). */
async function fetchText(url, init) {
  const res = await fetch(url, init);
  return { status: res.status, text: await res.text() };
}

/** A raw upload streamed from the generator with an exact Content-Length (node:http). */
function streamUpload(url, headers, file) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: "POST",
        headers: {
          ...headers,
          "content-type": "application/octet-stream",
          "content-length": String(file.size),
        },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    const pump = () => {
      while (file.produced < file.size) {
        const ok = req.write(file.next(Math.min(CHUNK, file.size - file.produced)));
        if (!ok) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

/** Downloads a URL as a stream, hashing it; the body is never held whole. Retried once whole. */
async function streamDownload(url, onProgress) {
  try {
    return await streamDownloadOnce(url, onProgress);
  } catch (err) {
    interruptions.push({
      what: `GET ${url}`,
      phase: currentPhaseName(),
      at: new Date().toISOString(),
      error: String(err),
    });
    console.warn(`[bench] GET ${url} failed (${err}); downloading it again`);
    return await streamDownloadOnce(url, onProgress);
  }
}

async function streamDownloadOnce(url, onProgress) {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status}`);
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of res.body) {
    hash.update(chunk);
    bytes += chunk.byteLength;
    onProgress?.(bytes);
  }
  return { bytes, sha256: hash.digest("hex") };
}

// ---------------------------------------------------------------------------------------------

const mb = (kib) => (kib * 1024) / MB;
const fmt = (n, digits = 1) => n.toFixed(digits);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (line) => console.log(`[bench] ${line}`);

/** Recreates a directory tree with hard links (copies across file systems); symlinks as is. */
function linkTree(from, to, skip = () => false) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (skip(entry.name)) continue;
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else if (entry.isFile()) {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}

/** Copies what wrangler dev reads into dir and loads the snapshot's wrangler-dev.mjs. */
async function snapshotProject(dir) {
  for (const path of SNAPSHOT) cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  // Tool caches (.vite, .mf, ...) stay out: a tool writing one in place would write through
  // the hard link into the project's copy.
  const toolCache = (name) => name.startsWith(".") && name !== ".bin";
  linkTree(join(ROOT, "node_modules"), join(dir, "node_modules"), toolCache);
  return import(pathToFileURL(join(dir, "scripts", "wrangler-dev.mjs")).href);
}

async function main() {
  const at = process.argv.indexOf("--rounds");
  const rounds = at === -1 ? 1 : Math.max(1, Math.floor(Number(process.argv[at + 1]) || 1));
  const ADMIN = "bench-admin-token";
  const work = mkdtempSync(join(tmpdir(), "pau-bench-"));
  const project = join(work, "project");
  mkdirSync(project);
  const { startWranglerDev, waitForHttp, stop } = await snapshotProject(project);
  const envFile = join(work, "bench.env");
  writeFileSync(envFile, `ADMIN_TOKEN=${ADMIN}\n`);
  const startedAt = Date.now();
  log(`project snapshot and state in ${work}`);

  const phaseNames = ["startup"];
  const phaseBuffer = new SharedArrayBuffer(4);
  const phaseIndex = new Int32Array(phaseBuffer);
  const samples = [];
  const trees = [];
  const seenWorkerd = new Set();
  /** The running server: { child, port, base, sampler, number }. */
  let server = null;
  /** The last baseline (idle) phase on the running server: the reference of later phases. */
  let idlePhase = null;

  /** Starts wrangler dev (on the same state each time), and a sampler for its processes. */
  const startServer = async () => {
    const port = await freePort();
    const number = trees.length + 1;
    const base = `http://127.0.0.1:${port}`;
    log(`wrangler dev #${number} on ${base}`);
    const child = startWranglerDev({
      port,
      persistTo: join(work, "state"),
      envFile,
      logLevel: process.env.BENCH_WRANGLER_LOG_LEVEL ?? "warn",
      stdio: ["ignore", "pipe", "pipe"],
    });
    server = { child, port, base, sampler: null, number, stopping: false, hidden: 0 };
    idlePhase = null; // a new process: nothing measured before compares with it
    // wrangler's own lines, marked so they stand apart from the bench's. Once it is being
    // stopped, its lines are counted, not shown: esbuild's watcher tends to print a long Go
    // "deadlock" trace as it is killed.
    const own = server;
    for (const stream of [child.stdout, child.stderr]) {
      let rest = "";
      stream.setEncoding("utf8");
      stream.on("data", (text) => {
        const lines = (rest + text).split("\n");
        rest = lines.pop();
        for (const line of lines) {
          if (line.trim() === "") continue;
          if (own.stopping) own.hidden++;
          else process.stderr.write(`[wrangler] ${line}\n`);
        }
      });
    }
    await waitForHttp(`${base}/`, child);
    const tree = findTree(child.pid, port);
    for (const pid of tree.workerd) seenWorkerd.add(pid);
    trees.push(tree);
    const show = (list) => list.map((p) => `${p.comm} ${p.pid}`).join(", ");
    log(
      `processes: user-worker workerd ${show(tree.user)}; proxy workerd ${show(tree.proxy)}; wrangler node ${show(tree.hosts)}; others ${show(tree.others)}`,
    );
    if (tree.user.length !== 1 || tree.proxy.length !== 1) {
      throw new Error("expected one user-worker and one proxy workerd under wrangler dev");
    }
    server.sampler = new Worker(new URL(import.meta.url), {
      workerData: { rootPid: child.pid, port, phaseBuffer, startedAt },
    });
    return server;
  };

  const alive = (pid) => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
    } catch {
      return false;
    }
  };
  /** Keeps the sampler's samples, stops wrangler dev and makes sure its workerd are gone. */
  const stopServer = async () => {
    if (!server) return;
    const stopped = server;
    const { child, sampler } = stopped;
    server = null;
    if (sampler) {
      const collected = new Promise((resolve) => sampler.once("message", resolve));
      sampler.postMessage("stop");
      const result = await Promise.race([collected, sleep(5000)]);
      if (result) samples.push(...result.samples);
      await sampler.terminate();
    }
    stopped.stopping = true;
    await stop(child);
    if (stopped.hidden > 0)
      log(`(${stopped.hidden} lines wrangler printed as it stopped: not shown)`);
    // workerd exits with wrangler (given 10 s); any that did not is ours, ended by its pid.
    for (let i = 0; i < 100 && [...seenWorkerd].some(alive); i++) await sleep(100);
    for (const pid of [...seenWorkerd].filter(alive)) {
      process.kill(pid, "SIGKILL");
      log(`workerd ${pid} outlived wrangler and was killed`);
    }
  };
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await stopServer();
    rmSync(work, { recursive: true, force: true });
    log(`stopped wrangler dev, removed ${work}`);
  };
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => cleanup().finally(() => process.exit(130)));
  }

  const phases = [];
  let current = null;
  currentPhaseName = () => current?.name ?? null;
  /** kind: "upload", "download" or null; the baseline is the last idle phase before it. */
  const beginPhase = (name, bytes, kind = null) => {
    phaseNames.push(name);
    Atomics.store(phaseIndex, 0, phaseNames.length - 1);
    const tree = findTree(server.child.pid, server.port);
    for (const pid of tree.workerd) seenWorkerd.add(pid);
    current = {
      name,
      bytes,
      kind,
      server: server.number,
      baselinePhase: idlePhase,
      index: phaseNames.length - 1,
      startMs: Date.now(),
      start: measure(tree),
    };
    log(`phase ${name} begins (workerd RSS ${fmt(mb(current.start[C.workerd]))} MB)`);
  };
  const endPhase = (extra = {}) => {
    current.durationMs = Date.now() - current.startMs;
    Object.assign(current, extra);
    phases.push(current);
    log(`phase ${current.name} done in ${fmt(current.durationMs / 1000)} s`);
    if (current.isBaseline) idlePhase = current.name;
    current = null;
  };
  /** An idle phase; a baseline one is the reference of the phases after it. */
  const idle = async (name, ms, isBaseline) => {
    beginPhase(name, 0);
    await sleep(ms);
    endPhase({ isBaseline });
  };

  let mismatches = 0;
  const check = (what, got, want) => {
    if (got === want) return;
    mismatches++;
    console.error(`[bench] MISMATCH ${what}: got ${got}, expected ${want}`);
  };

  let results = null;
  try {
    await startServer();
    const api = (path) => `${server.base}${path}`;
    // Public URLs name the origin they were generated on; after a restart the port differs.
    const onCurrentServer = (url) => {
      const u = new URL(url);
      return `${server.base}${u.pathname}${u.search}`;
    };

    // Warm-up: a stack, a small upload each way, downloads through the permanent URL.
    beginPhase("warm-up", 0);
    const stack = await call("create stack", () =>
      fetchText(api("/v3/stacks"), {
        method: "POST",
        headers: { authorization: ADMIN, "content-type": "application/json" },
        body: JSON.stringify({ stack: { name: "Memory bench" } }),
      }),
    );
    const auth = {
      api_key: stack.stack.api_key,
      authorization: stack.management_token.token,
    };
    const setPermanent = async (uid, slug) =>
      (
        await call(`permanent URL ${slug}`, () =>
          fetchText(api(`/v3/assets/${uid}`), {
            method: "PUT",
            headers: { ...auth, "content-type": "application/json" },
            body: JSON.stringify({ asset: { permanent_url: slug } }),
          }),
        )
      ).asset;

    /** An upload session of the generated file, one part at a time; returns the asset. */
    const sessionUpload = async (seed, size, filename, sha256, onPart) => {
      const file = new GeneratedFile(seed, size);
      const started = await call("start upload session", () =>
        fetchText(api("/v3/uploads"), {
          method: "POST",
          headers: { ...auth, "content-type": "application/json" },
          body: JSON.stringify({
            upload: { filename, file_size: size, part_size: PART_BYTES, sha256 },
          }),
        }),
      );
      const { uid, part_count: partCount } = started.upload;
      for (let n = 1; n <= partCount; n++) {
        const body = file.next(Math.min(PART_BYTES, size - file.produced));
        const part = await call(`part ${n}`, () =>
          fetchText(api(`/v3/uploads/${uid}/parts/${n}`), {
            method: "PUT",
            headers: { ...auth, "content-type": "application/octet-stream" },
            body,
          }),
        );
        check(`${filename} part ${n} size`, part.part.size, body.byteLength);
        onPart?.(n, partCount);
      }
      check(`${filename} generated sha256 (second pass)`, file.digest(), sha256);
      const completeStart = Date.now();
      const done = await call("complete upload session", () =>
        fetchText(api(`/v3/uploads/${uid}/complete`), { method: "POST", headers: auth }),
      );
      return {
        asset: done.asset,
        completeAt: completeStart - startedAt,
        completeMs: Date.now() - completeStart,
      };
    };

    /** A raw single-request upload of the generated file; returns the asset. */
    const rawUpload = async (seed, size, filename, sha256) => {
      const digest = Buffer.from(sha256, "hex").toString("base64");
      let file = null;
      const { asset } = await call(`raw upload ${filename}`, () => {
        file = new GeneratedFile(seed, size); // from its first byte again on a retry
        return streamUpload(
          api(`/v3/assets?filename=${encodeURIComponent(filename)}`),
          { ...auth, "content-digest": `sha-256=:${digest}:` },
          file,
        );
      });
      check(`${filename} generated sha256 (second pass)`, file.digest(), sha256);
      return asset;
    };

    const warmUrls = [];
    for (const [slug, seed, size, upload] of [
      ["warm-session", "warm-up session", 300 * 1024, sessionUpload],
      ["warm-raw", "warm-up raw", 200 * 1024, rawUpload],
    ]) {
      const sha = GeneratedFile.sha256Of(seed, size);
      const uploaded = await upload(seed, size, `${slug}.bin`, sha);
      const asset = uploaded.asset ?? uploaded;
      check(`${slug} asset sha256`, asset.sha256, sha);
      const url = (await setPermanent(asset.uid, slug)).permanent_url;
      check(`${slug} download sha256`, (await streamDownload(url)).sha256, sha);
      warmUrls.push({ url, sha });
    }
    endPhase();
    await idle("idle", IDLE_MS, true);

    const transfers = [];
    const downloads = [];
    /** Downloads through a permanent URL as one phase, and checks it. */
    const downloadPhase = async (name, file, url) => {
      beginPhase(name, file.bytes, "download");
      let nextReport = 256 * MiB;
      const got = await streamDownload(onCurrentServer(url), (bytes) => {
        if (bytes >= nextReport) {
          log(`  ${bytes / MiB} MiB received`);
          nextReport += 256 * MiB;
        }
      });
      check(`${name} size`, got.bytes, file.bytes);
      check(`${name} sha256`, got.sha256, file.sha256);
      endPhase();
      transfers.push({ phase: name, sha256: file.sha256, asset: file.asset, got: got.sha256 });
    };

    for (let round = 1; round <= rounds; round++) {
      const tag = rounds > 1 ? ` #${round}` : "";

      // 1 GiB through an upload session.
      const bigSeed = `bench 1 GiB round ${round}`;
      log("hashing the generated 1 GiB file (not timed)");
      const big = { bytes: BIG_BYTES, sha256: GeneratedFile.sha256Of(bigSeed, BIG_BYTES) };
      beginPhase(`upload-1GiB${tag}`, BIG_BYTES, "upload");
      const partsStart = Date.now();
      const session = await sessionUpload(
        bigSeed,
        BIG_BYTES,
        `big-${round}.bin`,
        big.sha256,
        (n, count) => {
          if (n % 8 === 0 || n === count) {
            const secs = (Date.now() - partsStart) / 1000;
            log(`  part ${n}/${count}, ${fmt((n * PART_BYTES) / MB / secs)} MB/s so far`);
          }
        },
      );
      big.asset = session.asset.sha256;
      check("1 GiB asset sha256", big.asset, big.sha256);
      check("1 GiB asset file_size", session.asset.file_size, String(BIG_BYTES));
      endPhase({ completeAt: session.completeAt, completeMs: session.completeMs });
      log(
        `  of which complete (assemble, then hash in the worker): ${fmt(session.completeMs / 1000)} s`,
      );
      big.url = (await setPermanent(session.asset.uid, `big-${round}`)).permanent_url;
      await downloadPhase(`download-1GiB${tag}`, big, big.url);

      // 90 MB as one raw request.
      const singleSeed = `bench 90 MB round ${round}`;
      const single = {
        bytes: SINGLE_BYTES,
        sha256: GeneratedFile.sha256Of(singleSeed, SINGLE_BYTES),
      };
      beginPhase(`upload-90MB${tag}`, SINGLE_BYTES, "upload");
      const asset = await rawUpload(singleSeed, SINGLE_BYTES, `single-${round}.bin`, single.sha256);
      single.asset = asset.sha256;
      check("90 MB asset sha256", single.asset, single.sha256);
      endPhase();
      single.url = (await setPermanent(asset.uid, `single-${round}`)).permanent_url;
      await downloadPhase(`download-90MB${tag}`, single, single.url);
      downloads.push(big, single);
    }
    await idle("idle-end", IDLE_END_MS, false);

    // The downloads above ran in a process the uploads had already grown. To see what a
    // download alone costs, restart wrangler dev on the same state and download again.
    phaseNames.push("restart");
    Atomics.store(phaseIndex, 0, phaseNames.length - 1);
    await stopServer();
    await startServer();
    beginPhase("warm-up (restarted)", 0);
    for (const { url, sha } of warmUrls) {
      check("warm-up download sha256", (await streamDownload(onCurrentServer(url))).sha256, sha);
    }
    endPhase();
    await idle("idle (restarted)", IDLE_MS, true);
    // The 90 MB file first this time: a single R2 object read on a fresh process.
    const [big, single] = downloads;
    await downloadPhase("download-90MB (restarted)", single, single.url);
    await downloadPhase("download-1GiB (restarted)", big, big.url);
    await idle("idle-end (restarted)", IDLE_END_MS, false);

    Atomics.store(phaseIndex, 0, -1);
    await stopServer();
    results = summarise({ phases, samples, phaseNames, transfers, trees, rounds });
  } finally {
    await cleanup();
  }

  printReport(results);
  const outFile = join(ROOT, "docs", "memory-results.json");
  writeFileSync(outFile, toJson(results));
  log(`results written to ${outFile}`);
  if (mismatches > 0) {
    console.error(`[bench] ${mismatches} sha256/size mismatch(es)`);
    process.exit(1);
  }
}

/** The results as JSON, indented, with one line per sample rather than one per number. */
function toJson(results) {
  if (!results) return "null\n";
  const { samples, ...rest } = results;
  const lines = samples.map((s) => `    ${JSON.stringify(s)}`).join(",\n");
  const text = JSON.stringify({ ...rest, samples: "SAMPLES" }, null, 2);
  return `${text.replace('"samples": "SAMPLES"', `"samples": [\n${lines}\n  ]`)}\n`;
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

const BASELINE_COLUMNS = [C.workerd, C.workerdAnon, C.user, C.userAnon, C.proxy, C.host, C.client];

function summarise({ phases, samples, phaseNames, transfers, trees, rounds }) {
  const of = (index) => samples.filter((s) => s[C.phase] === index);
  // Each idle phase's medians: the baseline of the phases after it.
  const baselines = {};
  for (const p of phases.filter((x) => x.isBaseline)) {
    const idle = of(p.index);
    baselines[p.name] = Object.fromEntries(
      BASELINE_COLUMNS.map((col) => [col, median(idle.map((s) => s[col]))]),
    );
  }
  const rows = phases.map((p) => {
    const baseline = baselines[p.isBaseline ? p.name : p.baselinePhase];
    const own = [p.start, ...of(p.index)];
    const peak = (col, rows = own) => Math.max(...rows.map((s) => s[col]));
    const growth = (col, rows = own) => (baseline ? mb(peak(col, rows) - baseline[col]) : null);
    const last = own.at(-1);
    // An upload session: the parts, then complete (R2 assembles the parts, the worker hashes
    // the assembled object by reading it once).
    const stages =
      p.completeAt === undefined
        ? {}
        : {
            stages: {
              partsWorkerdGrowthMB: growth(
                C.workerd,
                own.filter((s) => s[C.t] === undefined || s[C.t] < p.completeAt),
              ),
              completeWorkerdGrowthMB: growth(
                C.workerd,
                own.filter((s) => s[C.t] >= p.completeAt),
              ),
            },
          };
    return {
      phase: p.name,
      kind: p.kind,
      server: p.server,
      baseline: p.isBaseline ? p.name : (p.baselinePhase ?? null),
      bytes: p.bytes,
      durationS: p.durationMs / 1000,
      throughputMBs: p.bytes > 0 ? p.bytes / MB / (p.durationMs / 1000) : null,
      ...(p.completeMs !== undefined ? { completeS: p.completeMs / 1000 } : {}),
      samples: own.length - 1,
      ...stages,
      workerd: {
        startMB: mb(p.start[C.workerd]),
        peakMB: mb(peak(C.workerd)),
        endMB: mb(last[C.workerd]),
        growthMB: growth(C.workerd),
        riseInPhaseMB: mb(peak(C.workerd) - p.start[C.workerd]),
        anonGrowthMB: growth(C.workerdAnon),
      },
      userWorkerd: {
        peakMB: mb(peak(C.user)),
        endMB: mb(last[C.user]),
        growthMB: growth(C.user),
        anonGrowthMB: growth(C.userAnon),
      },
      proxyWorkerd: { peakMB: mb(peak(C.proxy)), growthMB: growth(C.proxy) },
      wranglerNode: {
        startMB: mb(p.start[C.host]),
        peakMB: mb(peak(C.host)),
        growthMB: growth(C.host),
      },
      benchScriptPeakMB: mb(peak(C.client)),
    };
  });
  const verdict = (kind, server) => {
    const worst = Math.max(
      ...rows
        .filter((r) => r.kind === kind && (server === undefined || r.server === server))
        .map((r) => r.workerd.growthMB),
    );
    return { worstWorkerdGrowthMB: worst, met: worst < TARGET_MB };
  };
  const version = (path) => JSON.parse(readFileSync(join(ROOT, path), "utf8")).version;
  return {
    generatedAt: new Date().toISOString(),
    command: `npm run bench:memory${rounds > 1 ? ` -- --rounds ${rounds}` : ""}`,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      node: process.version,
      wrangler: version("node_modules/wrangler/package.json"),
      workerd: version("node_modules/workerd/package.json"),
      miniflare: version("node_modules/miniflare/package.json"),
    },
    settings: {
      bigBytes: BIG_BYTES,
      partBytes: PART_BYTES,
      singleBytes: SINGLE_BYTES,
      sampleMs: SAMPLE_MS,
      rounds,
      targetMB: TARGET_MB,
      units: "MB = 10^6 bytes; /proc reports KiB, converted",
      baseline: "median of the samples of the last idle phase before (2 s, after a warm-up)",
      growth: "peak during the phase (samples and the reading at its start) minus the baseline",
      riseInPhase: "peak during the phase minus the reading at its start",
    },
    processes: {
      servers: trees,
      userWorkerdPids: [...new Set(samples.map((s) => s[C.userPid]))],
    },
    baselinesMB: Object.fromEntries(
      Object.entries(baselines).map(([name, b]) => [
        name,
        {
          workerd: mb(b[C.workerd]),
          userWorkerd: mb(b[C.user]),
          proxyWorkerd: mb(b[C.proxy]),
          wranglerNode: mb(b[C.host]),
          benchScript: mb(b[C.client]),
        },
      ]),
    ),
    phases: rows,
    verdict: {
      upload: verdict("upload"),
      downloadAfterUploads: verdict("download", 1),
      downloadRestartedServer: verdict("download", 2),
    },
    sha256: transfers.map((t) => ({ ...t, ok: t.sha256 === t.asset && t.sha256 === t.got })),
    interruptions,
    sampleColumns: COLUMNS,
    phaseNames,
    samples,
  };
}

function printReport(r) {
  if (!r) return;
  const f = (n) => (n === null ? "" : fmt(n));
  const lines = [""];
  for (const [name, b] of Object.entries(r.baselinesMB)) {
    lines.push(
      `Baseline "${name}": workerd ${f(b.workerd)} MB (user worker ${f(b.userWorkerd)}, proxy ${f(b.proxyWorkerd)}), wrangler node ${f(b.wranglerNode)} MB`,
    );
  }
  lines.push(
    "",
    "| phase | duration (s) | MB/s | workerd RSS at start (MB) | workerd peak (MB) | workerd growth (MB) | rise within phase (MB) | of growth: user-worker workerd | of growth: proxy workerd | wrangler node at start (MB) | wrangler node peak (MB) | wrangler node growth (MB) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const p of r.phases) {
    const speed = p.throughputMBs === null ? "" : f(p.throughputMBs);
    lines.push(
      `| ${p.phase} | ${f(p.durationS)} | ${speed} | ${f(p.workerd.startMB)} | ${f(p.workerd.peakMB)} | ${f(p.workerd.growthMB)} | ${f(p.workerd.riseInPhaseMB)} | ${f(p.userWorkerd.growthMB)} | ${f(p.proxyWorkerd.growthMB)} | ${f(p.wranglerNode.startMB)} | ${f(p.wranglerNode.peakMB)} | ${f(p.wranglerNode.growthMB)} |`,
    );
  }
  console.log(lines.join("\n"));
  console.log("");
  for (const p of r.phases.filter((x) => x.stages)) {
    console.log(
      `${p.phase}: workerd growth ${f(p.stages.partsWorkerdGrowthMB)} MB at most while the parts were sent, ${f(p.stages.completeWorkerdGrowthMB)} MB at most during complete (${f(p.completeS)} s: assemble, then hash 1 GiB in the worker)`,
    );
  }
  for (const p of r.phases.filter((x) => x.phase.startsWith("idle-end"))) {
    console.log(`${p.phase}: workerd ${f(p.workerd.endMB)} MB after ${f(p.durationS)} s idle`);
  }
  for (const t of r.sha256) {
    console.log(`sha256 ${t.phase}: ${t.ok ? "ok" : "MISMATCH"} ${t.sha256}`);
  }
  for (const i of r.interruptions) {
    console.log(`interrupted: ${i.what} during ${i.phase ?? "set-up"}: ${i.error} (sent again)`);
  }
  if (r.processes.userWorkerdPids.length > r.processes.servers.length) {
    console.log(
      `a user-worker workerd was restarted during the run (pids ${r.processes.userWorkerdPids.join(", ")}): figures are not comparable`,
    );
  }
  const v = (key, label) =>
    `${label} ${r.verdict[key].met ? "met" : "NOT met"} (worst ${f(r.verdict[key].worstWorkerdGrowthMB)} MB)`;
  console.log(
    `\nVerdict, target workerd RSS growth under ${TARGET_MB} MB: ${v("upload", "upload")}; ${v("downloadAfterUploads", "download after the uploads")}; ${v("downloadRestartedServer", "download on a restarted server")}`,
  );
}

// Last, so that every declaration above is initialised before either side runs.
if (isMainThread) await main();
else runSampler();
