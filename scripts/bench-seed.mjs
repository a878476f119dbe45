// What the benchmarks seed through the management API of a local service (scripts/serve.mjs):
// files of given sizes with permanent URLs, and a photo with a cached image variant. Shared by
// `npm run bench` (scripts/bench.mjs) and `npm run profile` (scripts/profile-delivery.mjs). Also
// the catalogue benchmarks' seeded assets, written straight into storage by a seeder Worker
// (`npm run bench:listing` and `npm run bench:publishing`): their names, tags and version records.
import { randomBytes } from "node:crypto";

async function json(res) {
  const body = await res.json();
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** A new stack's credentials, as management API headers. */
async function createStack(base, adminToken, name) {
  const { stack, management_token } = await json(
    await fetch(`${base}/v3/stacks`, {
      method: "POST",
      headers: { authorization: adminToken, "content-type": "application/json" },
      body: JSON.stringify({ stack: { name } }),
    }),
  );
  return { api_key: stack.api_key, authorization: management_token.token };
}

/** Uploads `body` as a new asset and gives it the permanent URL `slug`; returns both URLs. */
async function publish(base, auth, filename, type, body, slug) {
  const { asset } = await json(
    await fetch(`${base}/v3/assets?filename=${filename}`, {
      method: "POST",
      headers: { ...auth, "content-type": type },
      body,
    }),
  );
  const set = await json(
    await fetch(`${base}/v3/assets/${asset.uid}`, {
      method: "PUT",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ asset: { permanent_url: slug } }),
    }),
  );
  return { url: asset.url, permanent: set.asset.permanent_url };
}

/**
 * Creates a stack and, for each size, an asset of random bytes with a permanent URL. Returns per
 * size label its versioned and permanent URLs, its ETag and its R2 key (the versioned URL's path
 * after /v3/assets/, src/domain/urls.ts), which the floor Workers' URLs name.
 */
export async function seed(base, adminToken, sizes) {
  const auth = await createStack(base, adminToken, "bench");
  const assets = {};
  for (const [label, size] of Object.entries(sizes)) {
    const urls = await publish(
      base,
      auth,
      `file-${label}.bin`,
      "application/octet-stream",
      randomBytes(size),
      `file-${label}`,
    );
    const head = await fetch(urls.url, { method: "HEAD" });
    assets[label] = {
      ...urls,
      etag: head.headers.get("etag"),
      key: new URL(urls.url).pathname.slice("/v3/assets/".length),
    };
  }
  return assets;
}

/**
 * The image rows' material: a 2,000x1,500 photo-like JPEG with a permanent URL, its 400-pixel
 * WebP variant (made once, so the load runs against the edge cache), a plain file of exactly
 * that variant's size with a permanent URL (`sameSize`, and its R2 key `sameSizeKey`), and the
 * latency of making `freshVariants` fresh variants one at a time (each a distinct width: an R2
 * read, a decode, a resize and an encode).
 */
export async function seedImage(base, adminToken, freshVariants = 30) {
  const { default: sharp } = await import("sharp");
  const photo = await sharp({
    create: {
      width: 2000,
      height: 1500,
      channels: 3,
      noise: { type: "gaussian", mean: 128, sigma: 40 },
    },
  })
    .blur(2)
    .jpeg({ quality: 82 })
    .toBuffer();
  const auth = await createStack(base, adminToken, "bench images");
  const photoUrl = (await publish(base, auth, "photo.jpg", "image/jpeg", photo, "photo")).permanent;
  const variant = `${photoUrl}?width=400&format=webp`;
  const variantBytes = (await (await fetch(variant)).arrayBuffer()).byteLength;
  const same = await publish(
    base,
    auth,
    "same-size.bin",
    "application/octet-stream",
    randomBytes(variantBytes),
    "same-size",
  );
  const firstTransformMs = [];
  for (let i = 0; i < freshVariants; i++) {
    const started = performance.now();
    const res = await fetch(`${photoUrl}?width=${500 + i}&format=webp`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`a fresh variant answered ${res.status}`);
    firstTransformMs.push(performance.now() - started);
  }
  const sorted = [...firstTransformMs].sort((a, b) => a - b);
  const at = (p) => round2(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
  return {
    variant,
    sameSize: same.permanent,
    sameSizeKey: new URL(same.url).pathname.slice("/v3/assets/".length),
    photoBytes: photo.length,
    variantBytes,
    firstTransform: { samples: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99) },
  };
}

const round2 = (x) => Math.round(x * 100) / 100;

/** A deterministic pseudo-random number generator, so every run seeds the same catalogue. */
export function random(seed) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x80000000;
  };
}

const TYPES = [
  ["image/png", "png"],
  ["image/jpeg", "jpg"],
  ["application/pdf", "pdf"],
  ["video/mp4", "mp4"],
  ["text/plain", "txt"],
];
const WORDS = ["photo", "banner", "logo", "report", "clip", "hero", "icon", "manual"];

/**
 * Seeded asset i's names: its uid and type (by i), a word drawn from `next`, the title and
 * filename made of them, and its creation time (a minute after asset i - 1's).
 */
export function seededNames(i, next) {
  const [contentType, ext] = TYPES[i % TYPES.length];
  const word = WORDS[Math.floor(next() * WORDS.length)];
  return {
    uid: `blt${i.toString(16).padStart(16, "0")}`,
    contentType,
    title: `${word[0].toUpperCase()}${word.slice(1)}-${i}`,
    filename: `${word}-${i}.${ext}`,
    created: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
  };
}

/** Up to three distinct tags of 50, drawn from `next`. */
export function seededTags(next) {
  const tags = [];
  for (let t = Math.floor(next() * 4); t > 0; t--) {
    const tag = `tag-${Math.floor(next() * 50)}`;
    if (!tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

/** A seeded asset's record, as its object keeps it: version 1 current, never deleted. */
export function seededAsset({ apiKey, tokenUid, names, tags, parentUid, updatedAt, revision }) {
  return {
    apiKey,
    uid: names.uid,
    title: names.title,
    description: "",
    tags,
    parentUid,
    createdBy: tokenUid,
    updatedBy: tokenUid,
    slug: null,
    currentVersion: 1,
    createdAt: names.created,
    updatedAt,
    deleted: false,
    revision,
  };
}

/**
 * Version 1 of a seeded asset, as its object records it: a size drawn from `next`, and a random
 * file identity (fileUid, sha256, ETag) that no file in R2 has (the catalogue benchmarks read
 * records, never bytes).
 */
export function seededVersion({ filename, contentType, created }, next) {
  return {
    version: 1,
    fileUid: randomBytes(12).toString("hex"),
    filename,
    safeFilename: filename,
    contentType,
    size: 1000 + Math.floor(next() * 5_000_000),
    sha256: randomBytes(32).toString("hex"),
    etag: `"${randomBytes(16).toString("hex")}"`,
    uploaded: created,
    dimension: null,
  };
}
