// Runs the whole service locally: its three Workers in one workerd (Miniflare), sharing one KV,
// R2, D1, Durable Object and cache state under STATE_DIR, so what one writes the others read, as
// in production. The management and delivery Workers each have a port of their own; the content
// delivery Worker has none unless CONTENT_PORT gives it one (as an operator may give it a
// hostname): the delivery Worker's CONTENT service binding reaches it, as in production. Each Worker is first bundled by `wrangler deploy --dry-run`
// (the bundle production would get) and gets the bindings its wrangler config declares, through
// wrangler's own config reader; nothing stands between a port and its Worker (no proxy, no
// asset router on the public port).
//
//   node scripts/serve.mjs [--env-file F] [--var NAME:VALUE]... [--log-level info|warn|...]
//                          [--extra-worker CONFIG@PORT]... [--inspector-port PORT]
//   PORT (default 8787)          the management Worker: the address a CMS calls
//   PUBLIC_PORT (default 8788)   the delivery Worker: the host of every URL the API returns
//   CONTENT_PORT (default none)  the content delivery Worker's own port (the benchmark measures
//                                the delivery Worker's forwarding hop against it)
//   STATE_DIR (default .wrangler/state)
//   STRICT_LIMITS=1              the strict local mode: each Worker is bundled from its strict/
//                                entry, whose wrappers make the local bindings enforce
//                                production's limits (STRICT_* variables tune them; README)
//
// --extra-worker adds a Worker from another config in the same runtime (the benchmark's bare R2
// Worker reads the same bucket this way). --inspector-port opens workerd's V8 inspector (Chrome
// DevTools protocol) there and bundles without minifying, so a CPU profile names the project's
// own functions (scripts/profile-delivery.mjs). Prints one JSON line {"management", "public",
// "content", "extras"} once
// both ports answer; SIGTERM or SIGINT stops everything.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, parseEnv } from "node:util";
import { Log, LogLevel, Miniflare } from "miniflare";
import { experimental_readRawConfig, unstable_getMiniflareWorkerOptions } from "wrangler";
import { applyMigrations } from "./d1-migrations.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MANAGEMENT_CONFIG = join(ROOT, "wrangler.toml");
const DELIVERY_CONFIG = join(ROOT, "wrangler.delivery.toml");
const CONTENT_CONFIG = join(ROOT, "wrangler.content.toml");
/** The strict local mode's entry for each Worker (strict/wrap.ts wraps the same code). */
const STRICT_ENTRIES = {
  [MANAGEMENT_CONFIG]: join(ROOT, "strict", "management.ts"),
  [DELIVERY_CONFIG]: join(ROOT, "strict", "delivery.ts"),
  [CONTENT_CONFIG]: join(ROOT, "strict", "content.ts"),
};
/**
 * Each Worker's secrets, the only names an env file (.dev.vars, --env-file) gives it. Declared here,
 * not in a [secrets] table, which wrangler calls experimental and warns about on every start; the
 * delivery and content delivery Workers have none, so the admin token never reaches them.
 */
const SECRETS = {
  [MANAGEMENT_CONFIG]: ["ADMIN_TOKEN"],
  [DELIVERY_CONFIG]: [],
  [CONTENT_CONFIG]: [],
};
/** What the strict wrappers need of the runtime: AsyncLocalStorage, to count per invocation. */
const STRICT_FLAGS = ["nodejs_als"];
/** Keeps wrangler and Miniflare from calling home: CI and this machine have no internet. */
export const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_HIDE_BANNER: "true",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};
const HOST = "127.0.0.1";

/**
 * Bundles one Worker as `wrangler deploy` would, into outDir; returns the module's path and what
 * wrangler printed (its bindings table). `strict`: from its strict/ entry instead; `minify: false`
 * keeps the config's names (a CPU profile's).
 */
export function bundle(configPath, outDir, { strict = false, minify = true } = {}) {
  const wrangler = join(ROOT, "node_modules", ".bin", "wrangler");
  const args = ["deploy", "--dry-run", "--outdir", outDir, "-c", configPath];
  if (strict) args.push(STRICT_ENTRIES[configPath], "--compatibility-flags", ...STRICT_FLAGS);
  if (!minify) args.push("--minify=false"); // else the config's own setting
  const result = spawnSync(wrangler, args, {
    cwd: ROOT,
    env: { ...process.env, ...OFFLINE_ENV },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`bundling ${configPath} failed:\n${result.stdout}\n${result.stderr}`);
  }
  // The bundle is named after the entry (management-worker.js, ...): the one .js file there.
  const [script] = readdirSync(outDir).filter((name) => name.endsWith(".js"));
  if (!script) throw new Error(`bundling ${configPath} wrote no .js file to ${outDir}`);
  return { path: join(outDir, script), printed: result.stdout };
}

/** Miniflare's log, without the line naming its entry socket, which nothing here uses. */
class ServiceLog extends Log {
  info(message) {
    if (!message.startsWith("Ready on")) super.info(message);
  }
}

/**
 * Miniflare's options for one Worker, without its script: what its wrangler config declares,
 * read by wrangler itself; then each [vars] entry that `vars` names, and each of its SECRETS that
 * the env file has. Nothing else reaches a Worker: wrangler would bind every line of a .dev.vars
 * to every Worker, so of its text bindings only the config's own [vars] are kept.
 */
export function localWorkerOptions(configPath, { envFile, vars = {} }) {
  // Wrangler reads no env file at all (a file list given skips .dev.vars, the variable skips the
  // list), so it neither binds nor announces secrets: the lines below pick them from envFile.
  const { workerOptions: options } = withEnv(
    { CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV: "false" },
    () => unstable_getMiniflareWorkerOptions(configPath, undefined, { envFiles: ["unread.env"] }),
  );
  const { rawConfig } = experimental_readRawConfig({ config: configPath });
  const declared = rawConfig.vars ?? {};
  const bindings = Object.fromEntries(
    Object.entries(options.bindings ?? {}).filter(([name]) => name in declared),
  );
  for (const [name, value] of Object.entries(vars)) {
    if (name in declared) bindings[name] = value;
  }
  const secrets = envFile ? parseEnv(readFileSync(envFile, "utf8")) : {};
  for (const name of SECRETS[configPath] ?? []) {
    if (name in secrets) bindings[name] = secrets[name];
  }
  return { ...options, name: rawConfig.name, bindings };
}

/** Runs fn with the environment variables set, then puts them back as they were. */
function withEnv(settings, fn) {
  const before = Object.fromEntries(Object.keys(settings).map((name) => [name, process.env[name]]));
  Object.assign(process.env, settings);
  try {
    return fn();
  } finally {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/**
 * Miniflare's options for one Worker: its bindings, its bundle, its own socket (none when `port`
 * is null: only service bindings reach it); in the strict
 * mode (a Worker with a strict/ entry, `strictVars` set), that entry and the mode's variables.
 */
function workerOptions(configPath, outDir, port, settings, strictVars = null) {
  const strict = strictVars !== null && configPath in STRICT_ENTRIES;
  const script = bundle(configPath, outDir, { strict, minify: settings.minify }).path;
  const options = localWorkerOptions(configPath, settings);
  if (strict) {
    options.bindings = { ...options.bindings, ...strictVars };
    options.compatibilityFlags = [...(options.compatibilityFlags ?? []), ...STRICT_FLAGS];
  }
  return {
    ...options,
    modulesRoot: dirname(script),
    modules: [{ type: "ESModule", path: script }],
    ...(port === null ? {} : { unsafeDirectSockets: [{ host: HOST, port }] }),
  };
}

/**
 * Starts the three Workers (and any extra ones) in this process and resolves once every socket
 * listens. Returns { management, public, content, extras, strict, mf, stop } (`content`: null
 * without a `contentPort`); `mf` is the Miniflare
 * instance (a benchmark triggers the cron handler through it). `handleRuntimeStdio` receives
 * workerd's stdout and stderr (the Workers' console) instead of this process.
 */
export async function startService({
  port = 8787,
  publicPort = 8788,
  contentPort = null,
  stateDir = join(ROOT, ".wrangler", "state"),
  envFile,
  vars = {},
  logLevel = "info",
  extraWorkers = [],
  strictVars = null,
  handleRuntimeStdio,
  inspectorPort,
} = {}) {
  Object.assign(process.env, OFFLINE_ENV); // Miniflare too would fetch cf.json at start
  const publicOrigin = `http://${HOST}:${publicPort}`;
  const allVars = { PUBLIC_BASE_URL: publicOrigin, ...vars };
  const build = mkdtempSync(join(tmpdir(), "pau-build-"));
  const options = { envFile, vars: allVars, minify: inspectorPort === undefined };
  let mf;
  try {
    const workers = [
      workerOptions(MANAGEMENT_CONFIG, join(build, "management"), port, options, strictVars),
      workerOptions(DELIVERY_CONFIG, join(build, "delivery"), publicPort, options, strictVars),
      workerOptions(CONTENT_CONFIG, join(build, "content"), contentPort, options, strictVars),
      ...extraWorkers.map((extra, i) =>
        workerOptions(resolve(extra.configPath), join(build, `extra-${i}`), extra.port, options),
      ),
    ];
    for (const name of Object.keys(vars)) {
      if (!workers.some((w) => name in w.bindings)) {
        throw new Error(`--var ${name}: no Worker declares ${name} in its [vars]`);
      }
    }
    const level = LogLevel[logLevel.toUpperCase()] ?? LogLevel.INFO;
    mf = new Miniflare({
      host: HOST,
      port: 0, // Miniflare's own entry socket; every Worker has a direct one above
      defaultPersistRoot: join(resolve(stateDir), "v3"), // the layout `wrangler dev` uses
      log: new ServiceLog(level),
      logRequests: level >= LogLevel.INFO,
      ...(handleRuntimeStdio ? { handleRuntimeStdio } : {}),
      ...(inspectorPort === undefined ? {} : { inspectorPort, inspectorHost: HOST }),
      workers,
    });
    await mf.ready;
    // The published catalogue's tables, before the first request can need them.
    await applyMigrations(await mf.getD1Database("PUBLISHED", workers[0].name));
  } catch (err) {
    await mf?.dispose().catch(() => undefined);
    throw err;
  } finally {
    // The runtime holds the bundles once it is up: nothing is left behind, however this ends.
    rmSync(build, { recursive: true, force: true });
  }
  return {
    management: `http://${HOST}:${port}`,
    public: publicOrigin,
    content: contentPort === null ? null : `http://${HOST}:${contentPort}`,
    extras: extraWorkers.map((extra) => `http://${HOST}:${extra.port}`),
    strict: strictVars !== null,
    mf,
    stop: () => mf.dispose(),
  };
}

/** The command line above; `npm start` (scripts/start.mjs) calls it too. */
export async function main(args = process.argv.slice(2)) {
  const { values } = parseArgs({
    args,
    options: {
      "env-file": { type: "string" },
      var: { type: "string", multiple: true, default: [] },
      "log-level": { type: "string", default: "info" },
      "extra-worker": { type: "string", multiple: true, default: [] },
      "inspector-port": { type: "string" },
    },
  });
  const vars = {};
  for (const pair of values.var) {
    const at = pair.indexOf(":");
    if (at < 1) throw new Error(`--var takes NAME:VALUE, not ${pair}`);
    vars[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const extraWorkers = values["extra-worker"].map((spec) => {
    const at = spec.lastIndexOf("@");
    return { configPath: spec.slice(0, at), port: Number(spec.slice(at + 1)) };
  });
  const service = await startService({
    port: Number(process.env.PORT ?? 8787),
    publicPort: Number(process.env.PUBLIC_PORT ?? 8788),
    contentPort: process.env.CONTENT_PORT ? Number(process.env.CONTENT_PORT) : null,
    stateDir: process.env.STATE_DIR ?? join(ROOT, ".wrangler", "state"),
    envFile: values["env-file"],
    vars,
    logLevel: values["log-level"],
    extraWorkers,
    strictVars: strictVarsOf(process.env),
    inspectorPort: values["inspector-port"] ? Number(values["inspector-port"]) : undefined,
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await service.stop();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  // One JSON line for the scripts that start this (scripts/local-service.mjs waits for it).
  const { management, public: publicUrl, content, extras } = service;
  if (!process.stdout.isTTY) {
    console.log(JSON.stringify({ management, public: publicUrl, content, extras }));
  }
  console.log(`Management API: ${service.management} (console at ${service.management}/console)`);
  console.log(`Public URLs:    ${service.public}`);
  if (content) console.log(`Content Delivery API, on its own port: ${content}`);
  if (service.strict) console.log("Strict limits:  on (STRICT_LIMITS=1)");
}

/** STRICT_LIMITS=1 and the STRICT_* variables, as bindings for the wrappers; null when off. */
function strictVarsOf(env) {
  if (env.STRICT_LIMITS !== "1") return null;
  return Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith("STRICT_")));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
