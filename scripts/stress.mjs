// Stress run against the real local service (its Workers, scripts/serve.mjs) on loopback:
// `npm run stress`. Bounded in time and requests; the service is started and stopped by pid. Three phases:
//   1. 500 concurrent generate-permanent-URL requests on one asset (random slugs, and 50 repeats
//      of one slug): exactly one winner, every other answer a 409 or an idempotent 200, and the
//      Durable Object (the API) and KV (the public URL) agree afterwards;
//   2. 20 replaces while 50 clients read the permanent URL continuously: every answer is 200 or
//      304, every body is exactly the bytes of the version its ETag names, and after the last
//      replace every reader converges to it;
//   3. 1,000 random-slug lookups a second for 10 s: all 404, and not one reaches a Durable
//      Object (the delivery Worker has no binding to one; GET /v3/admin/metrics counts the
//      management isolate's stubs before and after all the same).
// Prints its figures, writes docs/stress-results.json, and exits 1 if any promise was broken.
import { createHash, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { ROOT, startService, stop } from "./local-service.mjs";

const ADMIN = "stress-admin-token";
const failures = [];
const check = (ok, message) => {
  if (!ok) failures.push(message);
};
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

async function setup(base) {
  const res = await fetch(`${base}/v3/stacks`, {
    method: "POST",
    headers: { authorization: ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ stack: { name: "stress" } }),
  });
  const { stack, management_token } = await res.json();
  return { api_key: stack.api_key, authorization: management_token.token };
}

async function upload(base, auth, bytes, uid) {
  const url = uid ? `${base}/v3/assets/${uid}?filename=v.bin` : `${base}/v3/assets?filename=v.bin`;
  const res = await fetch(url, {
    method: uid ? "PUT" : "POST",
    headers: { ...auth, "content-type": "application/octet-stream" },
    body: bytes,
  });
  if (!res.ok) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return (await res.json()).asset;
}

/**
 * A request whose answer may be lost on an overloaded loopback (a reset socket): sent again, as
 * a real client would, which exercises the idempotent retry too. Counts the retries.
 */
let retries = 0;
async function sendWithRetry(url, init) {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, init);
      return { status: res.status, body: await res.json() };
    } catch (err) {
      if (attempt >= 5) throw err;
      retries++;
    }
  }
}

async function exactlyOnce(base, auth) {
  const asset = await upload(base, auth, randomBytes(1024));
  const slugs = Array.from({ length: 500 }, (_, i) =>
    i % 10 === 0 ? "the-repeated-slug" : `s-${i}-${randomBytes(4).toString("hex")}`,
  );
  const started = performance.now();
  const answers = await Promise.all(
    slugs.map(async (slug) => {
      const res = await sendWithRetry(`${base}/v3/assets/${asset.uid}`, {
        method: "PUT",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ asset: { permanent_url: slug } }),
      });
      return { slug, ...res };
    }),
  );
  const ms = performance.now() - started;
  const ok = answers.filter((a) => a.status === 200);
  const winners = new Set(ok.map((a) => a.body.asset.permanent_url));
  const winnerSlug = [...winners][0]?.split("/").pop();
  const statuses = {};
  for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  check(winners.size === 1, `exactly-once: ${winners.size} different permanent URLs answered 200`);
  check(
    answers.every((a) => a.status === 200 || a.status === 409),
    `exactly-once: statuses ${JSON.stringify(statuses)}`,
  );
  check(
    ok.every((a) => a.slug === winnerSlug),
    "exactly-once: a 200 for a slug that did not win",
  );
  const stored = await (await fetch(`${base}/v3/assets/${asset.uid}`, { headers: auth })).json();
  check(
    stored.asset.permanent_url?.endsWith(`/${winnerSlug}`),
    "exactly-once: the Durable Object holds another slug",
  );
  const served = await fetch(stored.asset.permanent_url);
  await served.arrayBuffer();
  check(served.status === 200, `exactly-once: KV does not serve the winner (${served.status})`);
  const losers = answers.filter((a) => a.status === 409).slice(0, 20);
  for (const loser of losers) {
    const res = await fetch(stored.asset.permanent_url.replace(/[^/]+$/, loser.slug));
    await res.arrayBuffer();
    check(res.status === 404, `exactly-once: a losing slug is served (${loser.slug})`);
  }
  return {
    requests: answers.length,
    statuses,
    winner: winnerSlug,
    retriesAfterLostAnswers: retries,
    ms: Math.round(ms),
  };
}

async function replaceUnderReads(base, auth) {
  const versions = Array.from({ length: 21 }, () => randomBytes(64 * 1024));
  const first = await upload(base, auth, versions[0]);
  const set = await fetch(`${base}/v3/assets/${first.uid}`, {
    method: "PUT",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ asset: { permanent_url: "under-load" } }),
  });
  const permanent = (await set.json()).asset.permanent_url;
  const shaByEtag = new Map();
  const learn = async (asset) => {
    const head = await fetch(asset.url, { method: "HEAD" });
    shaByEtag.set(head.headers.get("etag"), asset.sha256);
  };
  await learn(first);

  let finalEtag = null;
  let lastReplaceAt = 0;
  const seen = [];
  const convergeMs = [];
  const statuses = {};
  const deadline = Date.now() + 60_000;
  const reader = async () => {
    let etag = null;
    while (Date.now() < deadline) {
      const res = await fetch(permanent, { headers: etag ? { "If-None-Match": etag } : {} });
      const body = Buffer.from(await res.arrayBuffer());
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status === 200) {
        etag = res.headers.get("etag");
        seen.push({ etag, sha: sha256(body), length: body.length });
      } else if (res.status !== 304) {
        failures.push(`reader: status ${res.status}`);
        return;
      }
      if (finalEtag && etag === finalEtag) {
        convergeMs.push(Date.now() - lastReplaceAt);
        return;
      }
    }
    failures.push("reader: did not converge within 60 s");
  };
  const readers = Array.from({ length: 50 }, reader);
  const started = performance.now();
  for (let i = 1; i < versions.length; i++) {
    const asset = await upload(base, auth, versions[i], first.uid);
    await learn(asset);
    if (i === versions.length - 1) {
      lastReplaceAt = Date.now();
      finalEtag = [...shaByEtag.keys()].pop();
    }
  }
  await Promise.all(readers);
  const ms = performance.now() - started;
  for (const s of seen) {
    check(
      shaByEtag.get(s.etag) === s.sha,
      `reader: a body does not match its ETag's version (${s.etag})`,
    );
    check(s.length === 64 * 1024, "reader: a truncated body");
  }
  return {
    replaces: versions.length - 1,
    readers: 50,
    responses: seen.length + (statuses[304] ?? 0),
    statuses,
    distinctVersionsSeen: new Set(seen.map((s) => s.etag)).size,
    convergeAfterLastReplaceMs: { p50: percentile(convergeMs, 50), max: Math.max(...convergeMs) },
    ms: Math.round(ms),
  };
}

// Phase 3 offers more requests than this 2-core machine's local runtime may absorb: a bounded
// pool of keep-alive sockets queues them on the client side instead of opening thousands.
const pool = new Agent({ keepAlive: true, maxSockets: 64 });
function get(url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: pool }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

async function randomSlugs(base, auth) {
  const asset = await upload(base, auth, randomBytes(512));
  const metrics = async () =>
    (await (await fetch(`${base}/v3/admin/metrics`, { headers: { authorization: ADMIN } })).json())
      .durable_object_stubs;
  const before = await metrics();
  const origin = new URL(asset.url).origin;
  const latencies = [];
  const statuses = {};
  const perTick = 100;
  const ticks = 100; // 100 requests every 100 ms for 10 s
  const started = performance.now();
  const inflight = [];
  for (let t = 0; t < ticks; t++) {
    for (let i = 0; i < perTick; i++) {
      const uid = i % 4 === 0 ? `blt${randomBytes(8).toString("hex")}` : asset.uid;
      const url = `${origin}/v3/assets/${auth.api_key}/${uid}/${randomBytes(6).toString("hex")}`;
      const sent = performance.now();
      inflight.push(
        get(url).then((status) => {
          latencies.push(performance.now() - sent);
          statuses[status] = (statuses[status] ?? 0) + 1;
        }),
      );
    }
    const next = started + (t + 1) * 100;
    await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now()))); // pacing the load, not synchronisation
  }
  await Promise.all(inflight);
  const seconds = (performance.now() - started) / 1000;
  pool.destroy();
  const after = await metrics();
  check(after === before, `random slugs: ${after - before} Durable Object stubs were made`);
  check(
    Object.keys(statuses).every((s) => s === "404"),
    `random slugs: statuses ${JSON.stringify(statuses)}`,
  );
  return {
    requests: latencies.length,
    seconds: Math.round(seconds * 10) / 10,
    offeredPerSecond: perTick * 10,
    servedPerSecond: Math.round(latencies.length / seconds),
    statuses,
    latencyMs: {
      p50: Math.round(percentile(latencies, 50) * 10) / 10,
      p99: Math.round(percentile(latencies, 99) * 10) / 10,
    },
    durableObjectStubsMade: after - before,
  };
}

const service = await startService({ adminToken: ADMIN, logLevel: "error" });
const base = service.management;
const report = { command: "npm run stress", date: new Date().toISOString() };
try {
  const auth = await setup(base);
  console.log("phase 1: 500 concurrent generate requests on one asset...");
  report.exactlyOnce = await exactlyOnce(base, auth);
  console.log(JSON.stringify(report.exactlyOnce));
  console.log("phase 2: 20 replaces under 50 continuous readers...");
  report.replaceUnderReads = await replaceUnderReads(base, auth);
  console.log(JSON.stringify(report.replaceUnderReads));
  console.log("phase 3: 1,000 random-slug lookups a second for 10 s...");
  report.randomSlugs = await randomSlugs(base, auth);
  console.log(JSON.stringify(report.randomSlugs));
} catch (err) {
  failures.push(`stress run failed: ${err.stack ?? err}`);
} finally {
  await stop(service);
}
report.failures = failures;
writeFileSync(join(ROOT, "docs", "stress-results.json"), `${JSON.stringify(report, null, 2)}\n`);
console.log(
  failures.length === 0
    ? "stress: every promise held"
    : `stress: ${failures.length} failures\n${failures.join("\n")}`,
);
process.exit(failures.length === 0 ? 0 : 1);
