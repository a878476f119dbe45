// The published-storage measurement's Worker (scripts/bench-published-storage.mjs): the same
// published catalogue kept two ways, to answer the Content Delivery API's listing from either.
//   D1: the published_assets table of migrations/published (what the service uses).
//   R2: one JSON snapshot per environment, every published asset's row in the listing's
//       default order (newest first), rewritten whole on every publish.
// Routes: POST /seed?n=N; GET /list/{d1|r2}?type=...&skip=...; POST /publish/{d1|r2}.

const API_KEY = "blt0000000000000b01";
const ENV = "blt0000000000000e01";
const SNAPSHOT = `snapshot/${API_KEY}/${ENV}.json`;
const TYPES = ["image/png", "image/jpeg", "application/pdf", "video/mp4", "text/plain"];

function row(i) {
  const uid = `blt${i.toString(16).padStart(16, "0")}`;
  const type = TYPES[i % TYPES.length];
  const created = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  const tags = [`a-${i % 17}`, `b-${i % 5}`];
  const body = {
    uid,
    title: `asset ${i}`,
    description: "",
    tags,
    parent_uid: null,
    is_dir: false,
    filename: `asset-${i}.bin`,
    content_type: type,
    file_size: String(1000 + ((i * 7919) % 5_000_000)),
    sha256: "0".repeat(64),
    url: `/v3/assets/${API_KEY}/${uid}/${"0".repeat(24)}/asset-${i}.bin`,
    _version: 1,
    created_at: created,
    updated_at: created,
    created_by: "blt00000000000000aa",
    updated_by: "blt00000000000000aa",
    publish_details: {
      environment: ENV,
      locale: "en-us",
      time: created,
      user: "blt00000000000000aa",
    },
  };
  return {
    uid,
    title: body.title,
    filename: body.filename,
    content_type: type,
    file_size: Number(body.file_size),
    created_at: created,
    tags,
    body: JSON.stringify(body),
  };
}

async function seedD1(db, rows) {
  for (let i = 0; i < rows.length; i += 500) {
    const json = JSON.stringify(rows.slice(i, i + 500));
    await db.batch([
      db
        .prepare(
          `INSERT INTO published_assets (api_key, environment_uid, uid, title, filename,
             content_type, file_size, created_at, updated_at, parent_uid, version, locales,
             published_at, published_by, body, revision)
           SELECT ?1, ?2, r.value ->> '$.uid', r.value ->> '$.title', r.value ->> '$.filename',
             r.value ->> '$.content_type', r.value ->> '$.file_size', r.value ->> '$.created_at',
             r.value ->> '$.created_at', NULL, 1, '["en-us"]', r.value ->> '$.created_at',
             'blt00000000000000aa', r.value ->> '$.body', 1
           FROM json_each(?3) AS r`,
        )
        .bind(API_KEY, ENV, json),
      db
        .prepare(
          `INSERT INTO published_tags (api_key, environment_uid, uid, tag)
           SELECT ?1, ?2, r.value ->> '$.uid', t.value
           FROM json_each(?3) AS r, json_each(r.value, '$.tags') AS t`,
        )
        .bind(API_KEY, ENV, json),
    ]);
  }
}

/** One page of the listing, newest first, optionally of one type, with the count. */
async function listD1(db, type, skip) {
  const where = type ? "AND content_type = ?3" : "";
  const params = type ? [API_KEY, ENV, type] : [API_KEY, ENV];
  const [page, count] = await db.batch([
    db
      .prepare(
        `SELECT body FROM published_assets WHERE api_key = ?1 AND environment_uid = ?2 ${where}
         ORDER BY created_at DESC, uid DESC LIMIT 100 OFFSET ${skip}`,
      )
      .bind(...params),
    db
      .prepare(
        `SELECT COUNT(*) AS n FROM published_assets WHERE api_key = ?1 AND environment_uid = ?2 ${where}`,
      )
      .bind(...params),
  ]);
  const assets = page.results.map((r) => JSON.parse(r.body));
  return { assets, count: count.results[0].n };
}

async function listR2(bucket, type, skip) {
  const object = await bucket.get(SNAPSHOT);
  const rows = await object.json();
  const matching = type ? rows.filter((r) => r.content_type === type) : rows;
  const assets = matching.slice(skip, skip + 100).map((r) => JSON.parse(r.body));
  return { assets, count: matching.length };
}

/** One asset published again: D1 replaces its row in one batch; R2 rewrites the snapshot. */
async function publishD1(db, i) {
  const r = row(i);
  await db.batch([
    db.prepare("DELETE FROM published_assets WHERE api_key = ?1 AND uid = ?2").bind(API_KEY, r.uid),
    db
      .prepare(
        `INSERT INTO published_assets (api_key, environment_uid, uid, title, filename,
           content_type, file_size, created_at, updated_at, parent_uid, version, locales,
           published_at, published_by, body, revision)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, NULL, 2, '["en-us"]', ?8, 'x', ?9, 2)`,
      )
      .bind(
        API_KEY,
        ENV,
        r.uid,
        r.title,
        r.filename,
        r.content_type,
        r.file_size,
        r.created_at,
        r.body,
      ),
  ]);
}

async function publishR2(bucket, i) {
  const r = row(i);
  const rows = await (await bucket.get(SNAPSHOT)).json();
  const at = rows.findIndex((x) => x.uid === r.uid);
  rows[at] = r;
  await bucket.put(SNAPSHOT, JSON.stringify(rows));
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const [, action, store] = url.pathname.split("/");
    const type = url.searchParams.get("type");
    const skip = Number(url.searchParams.get("skip") ?? 0);
    if (action === "seed") {
      const n = Number(url.searchParams.get("n"));
      const rows = Array.from({ length: n }, (_, i) => row(i)).reverse();
      await seedD1(env.PUBLISHED, rows);
      const snapshot = JSON.stringify(rows);
      await env.SNAPSHOTS.put(SNAPSHOT, snapshot);
      return Response.json({ rows: n, snapshotBytes: snapshot.length });
    }
    if (action === "list") {
      const page =
        store === "d1"
          ? await listD1(env.PUBLISHED, type, skip)
          : await listR2(env.SNAPSHOTS, type, skip);
      return Response.json(page);
    }
    if (action === "publish") {
      const i = Number(url.searchParams.get("i"));
      if (store === "d1") await publishD1(env.PUBLISHED, i);
      else await publishR2(env.SNAPSHOTS, i);
      return new Response("ok");
    }
    return new Response("not found", { status: 404 });
  },
};
