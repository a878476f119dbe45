// Benchmark of publishing at the edge: `npm run bench:publishing`, or benchPublishing() from
// scripts/bench.mjs (it returns the figures). Starts the local service (scripts/serve.mjs, by pid)
// with the floor Worker (scripts/floor-worker/: bare R2 and D1 reads) and the seeder
// (scripts/publishing-seed/) beside it in the same workerd. Through the real API it creates a
// stack, the environment "production", a delivery token, and 1 KB / 100 KB / 1 MB files with
// permanent URLs published there; the seeder then writes PUBLISHED more published assets into D1
// with the asset objects' own code.
//
// 1. Throughput (wrk from this process, rounds interleaved, the order rotating): the permanent URL
//    with and without ?environment= at each size against the bare R2 Worker reading the same
//    bytes, and the Content Delivery API's single-asset fetch against the bare D1 Worker reading
//    the same row, each a median of per-round ratios to its floor in the same round. The fetch
//    is measured twice: on the public host (the delivery Worker forwards it through its CONTENT
//    binding) and on the content delivery Worker's own port, so the ratio of the two is what the
//    forwarding hop costs.
// 2. Latency (one request at a time from this process): Content Delivery API listings of the
//    PUBLISHED assets, p50 and p99, against the bare D1 Worker's page query in the same run.
// Prints the figures; writes nothing.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { random, seededAsset, seededNames, seededTags, seededVersion } from "./bench-seed.mjs";
import { ROOT, startService, stop } from "./local-service.mjs";

const PUBLISHED = Number(process.env.BENCH_PUBLISHED_ASSETS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const SAMPLES = Number(process.env.BENCH_LISTING_SAMPLES ?? 100);
const DIRECT_CDA = "Content Delivery API: one asset, on its own Worker's port";
const WARM_UP = 5;
const ADMIN = "bench-admin-token";
const SIZES = { "1KB": 1024, "100KB": 100 * 1024, "1MB": 1024 * 1024 };
const FLOOR_CONFIG = join(ROOT, "scripts", "floor-worker", "wrangler.toml");
const SEED_CONFIG = join(ROOT, "scripts", "publishing-seed", "wrangler.toml");

async function json(res) {
  const body = await res.json();
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body)}`);
  return body;
}

const post = (url, headers, body) =>
  fetch(url, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body),
  }).then(json);

/** The stack, its environment and delivery token, and the files published through the API. */
async function seedThroughApi(base) {
  const { stack, management_token } = await post(
    `${base}/v3/stacks`,
    { authorization: ADMIN },
    { stack: { name: "publishing bench" } },
  );
  const auth = { api_key: stack.api_key, authorization: management_token.token };
  const { environment } = await post(`${base}/v3/environments`, auth, {
    environment: { name: "production" },
  });
  const { token } = await post(`${base}/v3/stacks/delivery_tokens`, auth, {
    token: {
      name: "bench site",
      scope: [{ module: "environment", environments: ["production"], acl: { read: true } }],
    },
  });
  const files = {};
  for (const [label, size] of Object.entries(SIZES)) {
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
    await post(`${base}/v3/assets/${asset.uid}/publish`, auth, {
      asset: { environments: ["production"], locales: ["en-us"] },
    });
    files[label] = {
      uid: asset.uid,
      permanent: set.asset.permanent_url,
      key: new URL(asset.url).pathname.slice("/v3/assets/".length),
    };
  }
  return {
    apiKey: stack.api_key,
    tokenUid: management_token.uid,
    environmentUid: environment.uid,
    deliveryToken: token.token,
    files,
  };
}

/** Published asset i: its record, version and publication, as an asset's object keeps them. */
function publishedAsset(ctx, i, next) {
  const names = seededNames(i, next);
  const { title, created } = names;
  const tags = seededTags(next);
  const asset = seededAsset({
    apiKey: ctx.apiKey,
    tokenUid: ctx.tokenUid,
    names,
    tags,
    parentUid: null,
    updatedAt: created,
    revision: 2,
  });
  const version = seededVersion(names, next);
  const publication = {
    environment: ctx.environmentUid,
    version: 1,
    locales: ["en-us"],
    time: created,
    user: ctx.tokenUid,
    metadata: {
      title,
      description: "",
      tags,
      parentUid: null,
      updatedAt: created,
      updatedBy: ctx.tokenUid,
    },
  };
  return { asset, version, publication };
}

/**
 * One batch of rows. Past about 6,000 seeded assets the local runtime sometimes closes the
 * connection of a seeding request without an answer or a log line; the rows are written by
 * uid and revision, so sending the batch again is safe, and it then succeeds.
 */
async function seedRows(seeder, apiKey, rows) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await post(seeder, {}, { apiKey, rows });
    } catch (err) {
      if (attempt >= 3 || err?.cause?.code !== "UND_ERR_SOCKET") throw err;
    }
  }
}

async function seedCatalogue(seeder, ctx) {
  const next = random(17);
  const started = performance.now();
  for (let i = 0; i < PUBLISHED; i += 500) {
    const rows = [];
    for (let j = i; j < Math.min(i + 500, PUBLISHED); j++) rows.push(publishedAsset(ctx, j, next));
    await seedRows(seeder, ctx.apiKey, rows);
  }
  return (performance.now() - started) / 1000;
}

const toMs = (value, unit) => Number(value) * { us: 0.001, ms: 1, s: 1000 }[unit];

function wrk(url, headers = {}, seconds = SECONDS) {
  const args = ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, "--latency"];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  const out = execFileSync("wrk", [...args, url], { encoding: "utf8" });
  const latency = (p) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m ? toMs(m[1], m[2]) : Number.NaN;
  };
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
    p50: latency(50),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const round2 = (x) => Math.round(x * 100) / 100;
const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** The throughput routes, each with its floor. */
function throughputRoutes(service, ctx) {
  const floor = service.extras[0];
  const bare = (s) => `bare R2 Worker ${s}`;
  const cda = { api_key: ctx.apiKey, access_token: ctx.deliveryToken };
  const one = ctx.files["1KB"].uid;
  const d1 = `api_key=${ctx.apiKey}&environment_uid=${ctx.environmentUid}`;
  return [
    ...Object.keys(SIZES).map((s) => ({ name: bare(s), url: `${floor}/${ctx.files[s].key}` })),
    { name: "bare D1 Worker: one published row", url: `${floor}/__d1/asset?${d1}&uid=${one}` },
    ...Object.keys(SIZES).flatMap((s) => [
      { name: `permanent ${s}`, url: ctx.files[s].permanent, floor: bare(s) },
      {
        name: `permanent ${s} ?environment=production`,
        url: `${ctx.files[s].permanent}?environment=production`,
        floor: bare(s),
      },
    ]),
    {
      name: "Content Delivery API: one asset",
      url: `${service.public}/v3/assets/${one}?environment=production`,
      headers: cda,
      floor: "bare D1 Worker: one published row",
    },
    {
      name: DIRECT_CDA,
      url: `${service.content}/v3/assets/${one}?environment=production`,
      headers: cda,
      floor: "bare D1 Worker: one published row",
    },
  ];
}

async function measureThroughput(routes, log) {
  for (const route of routes) {
    const res = await fetch(route.url, { headers: route.headers ?? {} });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${route.name} answered ${res.status}`);
    wrk(route.url, route.headers, 1); // warm-up
  }
  const samples = new Map(routes.map((route) => [route.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = routes.map((_, i) => routes[(i + round) % routes.length]);
    if (round % 2 === 1) order.reverse();
    for (const route of order) {
      const result = wrk(route.url, route.headers);
      if (result.non2xx > 0) throw new Error(`${route.name}: ${result.non2xx} answers not 2xx`);
      samples.get(route.name)[round] = result;
      log(`round ${round + 1}/${ROUNDS} ${route.name}: ${result.rps.toFixed(0)} req/s`);
    }
  }
  const perRound = (a, b) => samples.get(a).map((x, i) => x.rps / samples.get(b)[i].rps);
  const summary = (xs) => ({
    median: round2(median(xs)),
    min: round2(Math.min(...xs)),
    max: round2(Math.max(...xs)),
  });
  const rows = routes.map((route) => ({
    route: route.name,
    rps: Math.round(median(samples.get(route.name).map((x) => x.rps))),
    p50Ms: round2(median(samples.get(route.name).map((x) => x.p50))),
    ...(route.floor
      ? { floor: route.floor, vsFloor: summary(perRound(route.name, route.floor)) }
      : {}),
  }));
  const environmentVsPlain = Object.fromEntries(
    Object.keys(SIZES).map((s) => [
      s,
      summary(perRound(`permanent ${s} ?environment=production`, `permanent ${s}`)),
    ]),
  );
  // What the public host's forwarding (the delivery Worker, then its CONTENT binding) costs.
  const forwardedVsDirect = summary(perRound("Content Delivery API: one asset", DIRECT_CDA));
  return { rows, environmentVsPlain, forwardedVsDirect };
}

/** The listings measured: a name and the query string (JSON values are encoded here). */
function listings() {
  const q = (value) => encodeURIComponent(JSON.stringify(value));
  return [
    ["newest first, 100 a page", "limit=100"],
    ["newest first, with count", "limit=100&include_count=true"],
    ["one tag ($in), with count", `query=${q({ tags: { $in: ["tag-7"] } })}&include_count=true`],
    [
      "type and size range, by size",
      `query=${q({ content_type: "image/png", file_size: { $gt: 1_000_000 } })}&asc=file_size`,
    ],
    ["$regex on title, any case", `query=${q({ title: { $regex: "^BANNER-1", $options: "i" } })}`],
    ["by title, 10 a page", "asc=title&limit=10"],
    ["last page", `skip=${Math.max(0, PUBLISHED - 100)}&limit=100`],
  ];
}

async function latency(url, headers) {
  const times = [];
  let body = null;
  for (let i = 0; i < WARM_UP + SAMPLES; i++) {
    const started = performance.now();
    body = await json(await fetch(url, { headers }));
    if (i >= WARM_UP) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const round = (ms) => Math.round(ms * 10) / 10;
  return { p50: round(percentile(times, 50)), p99: round(percentile(times, 99)), body };
}

async function measureListings(service, ctx, log) {
  const headers = { api_key: ctx.apiKey, access_token: ctx.deliveryToken };
  const floor = await latency(
    `${service.extras[0]}/__d1/page?api_key=${ctx.apiKey}&environment_uid=${ctx.environmentUid}&limit=100`,
    {},
  );
  log(`bare D1 Worker, newest 100   p50 ${floor.p50} ms   p99 ${floor.p99} ms`);
  const rows = [];
  for (const [name, query] of listings()) {
    const url = `${service.public}/v3/assets?environment=production&${query}`;
    const { p50, p99, body } = await latency(url, headers);
    const row = {
      name,
      query: decodeURIComponent(query),
      returned: body.assets.length,
      ...(body.count === undefined ? {} : { matched: body.count }),
      p50,
      p99,
      p50VsFloor: round2(p50 / floor.p50),
      p99VsFloor: round2(p99 / floor.p99),
    };
    log(
      `${name.padEnd(30)} p50 ${p50} ms (${row.p50VsFloor}x)   p99 ${p99} ms (${row.p99VsFloor}x)`,
    );
    rows.push(row);
  }
  return { floor: { p50: floor.p50, p99: floor.p99 }, rows };
}

/** Runs the benchmark; returns {published, seedSeconds, throughput, listing}. */
export async function benchPublishing({ log = console.log } = {}) {
  const service = await startService({
    adminToken: ADMIN,
    logLevel: "warn",
    extraWorkers: [{ configPath: FLOOR_CONFIG }, { configPath: SEED_CONFIG }],
    contentPort: true,
    log: () => undefined,
  });
  try {
    const ctx = await seedThroughApi(service.management);
    const seedSeconds = await seedCatalogue(service.extras[1], ctx);
    log(`published ${PUBLISHED} assets in D1 in ${seedSeconds.toFixed(1)} s`);
    const throughput = await measureThroughput(throughputRoutes(service, ctx), log);
    const listing = await measureListings(service, ctx, log);
    return { published: PUBLISHED, seedSeconds: round2(seedSeconds), throughput, listing };
  } finally {
    await stop(service);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(JSON.stringify(await benchPublishing(), null, 2));
}
