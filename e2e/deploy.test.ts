import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, ROOT, spawnScript, stop } from "../scripts/local-service.mjs";
import { bundle, localWorkerOptions } from "../scripts/serve.mjs";

const work = mkdtempSync(join(tmpdir(), "pau-deploy-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the dry run; returns the bindings it prints (name -> kind) and the bundle's text. */
function dryRun(config: string) {
  const { path, printed } = bundle(config, mkdtempSync(join(work, "out-")));
  const bindings = new Map<string, string>();
  for (const line of printed.split("\n")) {
    const match = /^env\.(\w+)(?: \(.*\))?\s{2,}(\S.*?)\s*$/.exec(line);
    if (match?.[1] && match[2]) bindings.set(match[1], match[2]);
  }
  return { bindings, bundle: readFileSync(path, "utf8") };
}

const DELIVERY_VARS = [
  "PUBLIC_BASE_URL",
  "PERMANENT_URL_MAX_AGE",
  "PERMANENT_URL_MODE",
  "CORS_ALLOWED_ORIGINS",
  "READ_MODEL_MEMO_SECONDS",
  "EDGE_CACHE_MAX_BYTES",
  "IMAGE_WIDTHS",
  "IMAGE_MAX_INPUT_BYTES",
];

const CONTENT_VARS = ["PUBLIC_BASE_URL", "CORS_ALLOWED_ORIGINS", "READ_MODEL_MEMO_SECONDS"];

// Strings only the management side has: its notices, errors, classes and parsers.
const MANAGEMENT_CODE = [
  "Asset created successfully.",
  "Management token was not found.",
  "Upload session was not found.",
  "DurableObject",
  "ADMIN_TOKEN",
  "asset[upload]",
  "Content-Security-Policy: default-src",
];
// Strings only the Content Delivery API has: its SQL over the published catalogue, the D1
// session it opens, and the listing's query parser and text matcher it shares with the
// management listing.
const CDA_CODE = ["published_assets", "first-unconstrained", "$regex", "include_count"];
// Strings only the file URLs have: the edge cache, the image parameters, ranges, downloads.
const FILE_CODE = ["caches.default", "upscale", "immutable", "attachment"];

const vars = (names: string[]) =>
  Object.fromEntries(names.map((name) => [name, "Environment Variable"]));

/**
 * The dry run of a public-host Worker, checked: exactly these bindings, a Hono app on hono/tiny
 * (Hono's dispatcher and the PatternRouter are in it), no import but the runtime's own module
 * (for its control entrypoint), each `present` string in it and no `absent` one. Its bundle.
 */
function edgeBundle(
  config: string,
  expected: Record<string, string>,
  present: string[],
  absent: string[],
) {
  const { bindings, bundle } = dryRun(config);
  expect(Object.fromEntries(bindings)).toEqual(expected);
  for (const text of present) expect(bundle, text).toContain(text);
  for (const text of absent) expect(bundle.includes(text), text).toBe(false);
  const imports = [...bundle.matchAll(/from\s*"([^"]+)"/g)].map((m) => m[1]);
  expect(new Set(imports)).toEqual(new Set(["cloudflare:workers"]));
  expect(bundle).toContain("Context is not finalized");
  expect(bundle).toContain('"PatternRouter"');
  return bundle;
}

describe("wrangler deploy --dry-run", () => {
  it("bundles the delivery Worker as a Hono app with KV, R2, Images and the CONTENT service only, and no management or Content Delivery API code", () => {
    const bindings = {
      ASSET_INDEX: "KV Namespace",
      FILES: "R2 Bucket",
      CONTENT: "Worker",
      IMAGES: "Images",
      IMAGE_TRANSFORMS: "Rate Limit",
      ...vars(DELIVERY_VARS),
    };
    const bundle = edgeBundle("wrangler.delivery.toml", bindings, FILE_CODE, [
      ...MANAGEMENT_CODE,
      ...CDA_CODE,
    ]);
    // Issue 18's bound: at most 24 KiB gzipped for Hono and the file URLs (both kinds, their
    // image variants, ranges, conditional requests, the edge cache, ?environment=), issue 20's
    // checks on the public host, and the forwarding of the Content Delivery API's two paths;
    // the CDA itself (its query parser, SQL compiler and text matcher) is the content delivery
    // Worker's bundle, below.
    expect(gzipSync(bundle, { level: 9 }).length).toBeLessThanOrEqual(24 * 1024);
  });

  it("bundles the content delivery Worker as a Hono app with KV and D1 only, and no management or file URL code", () => {
    const bindings = {
      ASSET_INDEX: "KV Namespace",
      PUBLISHED: "D1 Database",
      ...vars(CONTENT_VARS),
    };
    edgeBundle("wrangler.content.toml", bindings, CDA_CODE, [...MANAGEMENT_CODE, ...FILE_CODE]);
  });

  it("bundles the management Worker with the writers, the delivery binding and the rest", () => {
    const { bindings } = dryRun("wrangler.toml");
    expect(bindings.get("ASSETS")).toMatch(/Durable Object/);
    expect(bindings.get("STACKS")).toMatch(/Durable Object/);
    expect(bindings.get("UPLOADS")).toMatch(/Durable Object/);
    expect(bindings.get("DELIVERY")).toMatch(/Worker/);
    expect(bindings.get("CONTENT_CONTROL")).toMatch(/Worker/);
    expect(bindings.get("MANAGEMENT_RATE_LIMIT")).toBe("Rate Limit");
    expect(bindings.get("ASSET_INDEX")).toBe("KV Namespace");
    expect(bindings.get("FILES")).toBe("R2 Bucket");
    expect(bindings.get("PUBLISHED")).toBe("D1 Database");
  });

  it("gives the delivery and content delivery Workers no secret locally either (scripts/serve.mjs)", () => {
    const local = (config: string) =>
      localWorkerOptions(join(ROOT, config), { envFile: join(ROOT, ".dev.vars.example") });
    const delivery = local("wrangler.delivery.toml");
    expect(Object.keys(delivery.bindings ?? {}).sort()).toEqual([...DELIVERY_VARS].sort());
    expect(delivery.durableObjects ?? {}).toEqual({});
    expect(Object.keys(delivery.serviceBindings ?? {})).toEqual(["CONTENT"]);
    expect(delivery.d1Databases ?? {}).toEqual({});
    expect("assets" in delivery && delivery.assets).toBeFalsy();
    const content = local("wrangler.content.toml");
    expect(Object.keys(content.bindings ?? {}).sort()).toEqual([...CONTENT_VARS].sort());
    expect(content.durableObjects ?? {}).toEqual({});
    expect(content.serviceBindings ?? {}).toEqual({});
    expect(content.r2Buckets ?? {}).toEqual({});
    const management = local("wrangler.toml").bindings ?? {};
    expect(management.ADMIN_TOKEN).toBe("local-admin-token-change-me");
  });

  it("binds a .dev.vars beside the config to no Worker, only the management Worker's ADMIN_TOKEN from the env file", () => {
    // wrangler alone would bind every line of a .dev.vars it finds beside the config to the
    // Worker; a copy of each config with one there shows that nothing of it gets through.
    const dir = mkdtempSync(join(work, "configs-"));
    const envFile = join(dir, "admin.env");
    writeFileSync(join(dir, ".dev.vars"), "ADMIN_TOKEN=from-dev-vars\nOTHER_SECRET=x\n");
    writeFileSync(envFile, "ADMIN_TOKEN=from-env-file\nOTHER_SECRET=x\n");
    for (const config of ["wrangler.toml", "wrangler.delivery.toml", "wrangler.content.toml"]) {
      cpSync(join(ROOT, config), join(dir, config));
    }
    const delivery = localWorkerOptions(join(dir, "wrangler.delivery.toml"), { envFile });
    expect(Object.keys(delivery.bindings ?? {}).sort()).toEqual([...DELIVERY_VARS].sort());
    const content = localWorkerOptions(join(dir, "wrangler.content.toml"), { envFile });
    expect(Object.keys(content.bindings ?? {}).sort()).toEqual([...CONTENT_VARS].sort());
    // The real configs' paths: a Worker's secrets are named by its config (serve.mjs's SECRETS).
    const real = (config: string) => localWorkerOptions(join(ROOT, config), { envFile }).bindings;
    expect(Object.keys(real("wrangler.delivery.toml") ?? {}).sort()).toEqual(
      [...DELIVERY_VARS].sort(),
    );
    expect(Object.keys(real("wrangler.content.toml") ?? {}).sort()).toEqual(
      [...CONTENT_VARS].sort(),
    );
    expect(real("wrangler.toml")?.ADMIN_TOKEN).toBe("from-env-file");
    expect(real("wrangler.toml")).not.toHaveProperty("OTHER_SECRET");
  });

  it("npm start prints no WARNING (no experimental [secrets] tables) and serves", async () => {
    const state = mkdtempSync(join(work, "state-"));
    const [port, publicPort] = [await freePort(), await freePort()];
    const child = spawnScript("scripts/start.mjs", [], { port, publicPort, stateDir: state });
    let output = "";
    try {
      await new Promise<void>((resolve, reject) => {
        const take = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes("Public URLs:")) resolve();
        };
        child.stdout?.on("data", take);
        child.stderr?.on("data", take);
        child.once("exit", (code) =>
          reject(new Error(`npm start exited with ${code}:\n${output}`)),
        );
      });
      const home = await fetch(`http://127.0.0.1:${port}/`);
      expect(home.status).toBe(200);
    } finally {
      await stop({ child, work: state, management: "", public: "", content: null, extras: [] });
    }
    expect(output).toContain("Management API:");
    expect(output).not.toMatch(/WARNING|experimental|Using secrets defined/i);
  });
});
