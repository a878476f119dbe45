// Before and after, in bytes: `npm run image-sizes`.
// Starts the local service (scripts/serve.mjs, stopped by pid), uploads a 2000x1500 photo-like
// JPEG (scripts/photo-like.mjs, quality 85) with a permanent URL, and fetches the original and a
// few variants of that URL, decoding each with sharp. Prints a table and writes
// docs/image-sizes.json. The variants come from the local engine (Miniflare's Images binding on
// sharp, with sharp's default encoder settings): Cloudflare Images' bytes differ, its sizes not.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { ROOT, startService, stop } from "./local-service.mjs";
import { photoLike } from "./photo-like.mjs";

const ADMIN = "image-sizes-admin-token";
const VARIANTS = [
  { query: "" },
  { query: "?width=400" },
  { query: "?width=400&format=webp" },
  { query: "?width=400&format=avif" },
  { query: "?width=800&auto=webp", accept: "image/webp,*/*" },
];

async function json(res) {
  const body = await res.json();
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** A new stack and the photo under a permanent URL; returns that URL. */
async function seed(base, photo) {
  const { stack, management_token } = await json(
    await fetch(`${base}/v3/stacks`, {
      method: "POST",
      headers: { authorization: ADMIN, "content-type": "application/json" },
      body: JSON.stringify({ stack: { name: "image sizes" } }),
    }),
  );
  const form = new FormData();
  form.append("asset[upload]", new Blob([photo], { type: "image/jpeg" }), "photo.jpg");
  form.append("asset[permanent_url]", "photo");
  const { asset } = await json(
    await fetch(`${base}/v3/assets`, {
      method: "POST",
      headers: { api_key: stack.api_key, authorization: management_token.token },
      body: form,
    }),
  );
  return asset.permanent_url;
}

async function measure(url, { query, accept }) {
  const res = await fetch(`${url}${query}`, { headers: accept ? { Accept: accept } : {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`${query}: ${res.status} ${bytes.toString()}`);
  const meta = await sharp(bytes).metadata();
  return {
    url: `{permanent}${query}`,
    accept: accept ?? null,
    contentType: res.headers.get("content-type"),
    width: meta.width,
    height: meta.height,
    bytes: bytes.length,
  };
}

function table(rows) {
  const original = rows[0].bytes;
  const lines = [
    "| URL | Accept | type | size | bytes | of the original |",
    "|---|---|---|---|--:|--:|",
    ...rows.map(
      (r) =>
        `| \`${r.url}\`${r.url === "{permanent}" ? " (the original)" : ""} | ${r.accept ? `\`${r.accept}\`` : ""} | ${r.contentType} | ${r.width}x${r.height} | ${r.bytes.toLocaleString("en")} | ${((100 * r.bytes) / original).toFixed(1)}% |`,
    ),
  ];
  return lines.join("\n");
}

async function main() {
  const service = await startService({ adminToken: ADMIN });
  try {
    const photo = await photoLike(2000, 1500).jpeg({ quality: 85 }).toBuffer();
    const permanent = await seed(service.management, photo);
    const rows = [];
    for (const variant of VARIANTS) rows.push(await measure(permanent, variant));
    const report = {
      command: "npm run image-sizes",
      source: "scripts/photo-like.mjs: 2000x1500, seed 1, JPEG quality 85",
      engine: `local: Miniflare's Images binding on sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}), its default encoder settings`,
      rows,
    };
    writeFileSync(join(ROOT, "docs", "image-sizes.json"), `${JSON.stringify(report, null, 2)}\n`);
    console.log(table(rows));
  } finally {
    await stop(service);
  }
}

await main();
