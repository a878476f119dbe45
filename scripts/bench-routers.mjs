// Hono's presets and routers for the delivery Worker: `npm run bench:routers`.
// Each candidate is the delivery Worker's route table (src/delivery/app.ts: /health, the two file
// URLs on app.all, a 404 handler) with constant answers, so only the framework differs. Each is
// bundled as `wrangler deploy` bundles the Worker (minified) and weighed gzipped, then run in
// workerd (Miniflare), where it times its own dispatch of a permanent URL, a versioned URL and an
// unknown path, in a loop (locally workerd's clock advances during a loop; in production it does
// not). The plain fetch handler the Worker had before is the baseline. Prints a Markdown table
// (docs/PERFORMANCE.md quotes it); nothing is asserted.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Miniflare } from "miniflare";
import { ROOT } from "./local-service.mjs";
import { bundle, OFFLINE_ENV } from "./serve.mjs";

const ROUNDS = 9;
const DISPATCHES = 10_000;

const HONO_ROUTES = `
const answer = () => new Response("x");
app.get("/health", answer);
app.all("/v3/assets/:api_key/:asset_uid/:slug", answer);
app.all("/v3/assets/:api_key/:asset_uid/:file_uid/:filename", answer);
app.notFound(answer);
const dispatch = (request) => app.fetch(request, {}, { waitUntil() {}, passThroughOnException() {} });
`;

/** Each candidate: the imports that build `app`. */
const CANDIDATES = {
  "hono/tiny (PatternRouter)": `import { Hono } from "hono/tiny"; const app = new Hono();`,
  "HonoBase + LinearRouter": `import { HonoBase } from "hono/hono-base"; import { LinearRouter } from "hono/router/linear-router"; const app = new HonoBase({ router: new LinearRouter() });`,
  "HonoBase + RegExpRouter": `import { HonoBase } from "hono/hono-base"; import { RegExpRouter } from "hono/router/reg-exp-router"; const app = new HonoBase({ router: new RegExpRouter() });`,
  "hono/quick (SmartRouter: Linear, Trie)": `import { Hono } from "hono/quick"; const app = new Hono();`,
  "hono (SmartRouter: RegExp, Trie)": `import { Hono } from "hono"; const app = new Hono();`,
};

// The delivery Worker before this change: no framework, one split of the path.
const PLAIN = `
const answer = () => new Response("x");
const dispatch = async (request) => {
  const url = new URL(request.url);
  if (url.pathname === "/health" && /^(GET|HEAD)$/.test(request.method)) return answer();
  if (!url.pathname.startsWith("/v3/assets/")) return answer();
  const n = url.pathname.slice(11).split("/").length;
  return n === 3 || n === 4 ? answer() : answer();
};
`;

// Times DISPATCHES dispatches of each request, after twice as many unmeasured ones.
const TIMER = `
const urls = [
  "http://assets.test/v3/assets/blt0123456789abcdef/blt0123456789abcdef/file-1KB",
  "http://assets.test/v3/assets/blt0123456789abcdef/blt0123456789abcdef/f0123456789abcdef/file-1KB.bin",
  "http://assets.test/v3/nothing/here",
];
export default {
  async fetch() {
    const requests = urls.map((url) => new Request(url)); // not allowed at the top level
    const run = async () => { for (const r of requests) for (let i = 0; i < ${DISPATCHES}; i++) await dispatch(r); };
    await run();
    await run();
    const started = performance.now();
    await run();
    const ns = ((performance.now() - started) * 1e6) / (${DISPATCHES} * requests.length);
    return Response.json({ ns });
  },
};
`;

function measure(name, source, work) {
  const dir = mkdtempSync(join(work, "candidate-"));
  writeFileSync(join(dir, "worker.js"), source);
  writeFileSync(
    join(dir, "wrangler.toml"),
    `name = "router-candidate"\nmain = "worker.js"\ncompatibility_date = "2026-04-26"\nminify = true\n`,
  );
  const { path } = bundle(join(dir, "wrangler.toml"), join(dir, "out"));
  const code = readFileSync(path);
  return { name, path, gzipBytes: gzipSync(code, { level: 9 }).length };
}

/** All candidates in one workerd; the rounds are interleaved, so each sees the same machine. */
async function timeDispatch(rows) {
  const mf = new Miniflare({
    workers: rows.map((row, i) => ({
      name: `candidate-${i}`,
      modules: [{ type: "ESModule", path: row.path }],
      compatibilityDate: "2026-04-26",
    })),
  });
  try {
    const ns = rows.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i] of rows.entries()) {
        const worker = await mf.getWorker(`candidate-${i}`);
        ns[i].push((await (await worker.fetch("http://bench/")).json()).ns);
      }
    }
    return ns.map((xs) => xs.sort((a, b) => a - b)[ROUNDS >> 1]);
  } finally {
    await mf.dispose();
  }
}

async function main() {
  Object.assign(process.env, OFFLINE_ENV);
  // Under node_modules, so that the bundler finds hono from the candidates' folders.
  const cache = join(ROOT, "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  const work = mkdtempSync(join(cache, "bench-routers-"));
  try {
    const rows = [measure("plain fetch handler (before)", `${PLAIN}${TIMER}`, work)];
    for (const [name, imports] of Object.entries(CANDIDATES)) {
      rows.push(measure(name, `${imports}${HONO_ROUTES}${TIMER}`, work));
    }
    const ns = await timeDispatch(rows);
    console.log(`| candidate | gzipped bundle (bytes) | dispatch (ns, median of ${ROUNDS}) |`);
    console.log("| --- | --: | --: |");
    for (const [i, row] of rows.entries()) {
      console.log(`| ${row.name} | ${row.gzipBytes} | ${Math.round(ns[i])} |`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
