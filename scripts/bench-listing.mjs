// Benchmark of GET /v3/assets on a stack of 10,000 assets: `npm run bench:listing`, or
// benchListing() from another script (it returns the rows). Starts the local service
// (scripts/serve.mjs, by pid) with the seeder Worker beside it (scripts/listing-seed/), creates a
// stack and 20 folders through the API, seeds the catalogue with 10,000 asset snapshots of the
// shape the asset objects push (a mix of types, sizes, tags, folders and dates), then sends each
// listing below one request at a time from this process and reports its latency: p50 and p99
// of SAMPLES requests after a warm-up, and how many assets matched. The management API allows a
// stack 1,000 requests a minute, so SAMPLES stays under that across all rows; every answer must
// be a 200 or the run fails. Prints the rows; writes nothing.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { random, seededAsset, seededNames, seededTags, seededVersion } from "./bench-seed.mjs";
import { ROOT, startService, stop } from "./local-service.mjs";

const ASSETS = Number(process.env.BENCH_LISTING_ASSETS ?? 10_000);
const SAMPLES = Number(process.env.BENCH_LISTING_SAMPLES ?? 100);
const WARM_UP = 5;
const FOLDERS = 20;
const ADMIN = "bench-admin-token";
const SEED_CONFIG = join(ROOT, "scripts", "listing-seed", "wrangler.toml");
/** The listings measured: a name and the query string (JSON values are encoded here). */
function listings(folderUid) {
  const q = (value) => encodeURIComponent(JSON.stringify(value));
  return [
    ["newest first, no filter", "limit=100"],
    ["one tag ($in)", `query=${q({ tags: { $in: ["tag-7"] } })}&limit=100`],
    ["two tags ($all)", `query=${q({ tags: { $all: ["tag-3", "tag-4"] } })}&limit=100`],
    [
      "type and size range, by size",
      `query=${q({ content_type: "image/png", file_size: { $gt: 1_000_000 } })}&asc=file_size&limit=100`,
    ],
    [
      "$regex on title, any case",
      `query=${q({ title: { $regex: "^BANNER-1", $options: "i" } })}&limit=100`,
    ],
    [
      "created_at range, by title",
      `query=${q({ created_at: { $gte: "2026-01-04T00:00:00Z" } })}&asc=title&limit=100`,
    ],
    ["one folder, with folders", `folder=${folderUid}&include_folders=true&limit=100`],
    ["last page (skip=9900)", `skip=${Math.max(0, ASSETS - 100)}&limit=100`],
    ["count=true with a tag", `query=${q({ tags: "tag-11" })}&count=true`],
  ];
}

async function json(res) {
  const body = await res.json();
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Asset i's snapshot, as an AssetObject would push it to the catalogue. */
function snapshot(apiKey, tokenUid, folders, i, next) {
  const names = seededNames(i, next);
  const updatedAt = new Date(Date.parse(names.created) + Math.floor(next() * 86_400_000));
  const tags = seededTags(next);
  const parentUid = next() < 0.5 ? folders[i % folders.length] : null;
  return {
    asset: seededAsset({
      apiKey,
      tokenUid,
      names,
      tags,
      parentUid,
      updatedAt: updatedAt.toISOString(),
      revision: 1,
    }),
    current: seededVersion(names, next),
  };
}

async function seed(service) {
  const base = service.management;
  const { stack, management_token } = await json(
    await fetch(`${base}/v3/stacks`, {
      method: "POST",
      headers: { authorization: ADMIN, "content-type": "application/json" },
      body: JSON.stringify({ stack: { name: "listing bench" } }),
    }),
  );
  const auth = { api_key: stack.api_key, authorization: management_token.token };
  const folders = [];
  for (let f = 0; f < FOLDERS; f++) {
    const { asset } = await json(
      await fetch(`${base}/v3/assets/folders`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ asset: { name: `Folder ${f}` } }),
      }),
    );
    folders.push(asset.uid);
  }
  const next = random(13);
  const all = Array.from({ length: ASSETS }, (_, i) =>
    snapshot(stack.api_key, management_token.uid, folders, i, next),
  );
  // A few batches at once: the stack's object applies them one by one either way.
  const batches = [];
  for (let i = 0; i < all.length; i += 500) batches.push(all.slice(i, i + 500));
  const started = performance.now();
  for (let i = 0; i < batches.length; i += 4) {
    await Promise.all(
      batches.slice(i, i + 4).map(async (snapshots) =>
        json(
          await fetch(service.extras[0], {
            method: "POST",
            body: JSON.stringify({ apiKey: stack.api_key, snapshots }),
          }),
        ),
      ),
    );
  }
  const seedSeconds = (performance.now() - started) / 1000;
  const counted = await json(await fetch(`${base}/v3/assets?count=true`, { headers: auth }));
  if (counted.assets !== ASSETS) throw new Error(`seeded ${counted.assets}, not ${ASSETS}`);
  return { auth, folders, seedSeconds };
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function measure(base, auth, query) {
  const times = [];
  let matched = 0;
  for (let i = 0; i < WARM_UP + SAMPLES; i++) {
    const started = performance.now();
    const body = await json(await fetch(`${base}/v3/assets?${query}`, { headers: auth }));
    const ms = performance.now() - started;
    if (i >= WARM_UP) times.push(ms);
    matched = typeof body.assets === "number" ? body.assets : body.count;
  }
  times.sort((a, b) => a - b);
  const round = (ms) => Math.round(ms * 10) / 10;
  return { matched, p50: round(percentile(times, 50)), p99: round(percentile(times, 99)) };
}

/** Runs the benchmark; returns one row per listing: {name, query, matched, p50, p99} (ms). */
export async function benchListing({ log = console.log } = {}) {
  const service = await startService({
    adminToken: ADMIN,
    extraWorkers: [{ configPath: SEED_CONFIG }],
    log: () => undefined,
  });
  try {
    const { auth, folders, seedSeconds } = await seed(service);
    log(`seeded ${ASSETS} assets in ${seedSeconds.toFixed(1)} s; ${SAMPLES} requests per row`);
    const rows = [];
    for (const [name, query] of listings(folders[7])) {
      const row = {
        name,
        query: decodeURIComponent(query),
        ...(await measure(service.management, auth, query)),
      };
      log(
        `${name.padEnd(32)} matched ${String(row.matched).padStart(5)}   p50 ${row.p50} ms   p99 ${row.p99} ms`,
      );
      rows.push(row);
    }
    return rows;
  } finally {
    await stop(service);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await benchListing();
}
