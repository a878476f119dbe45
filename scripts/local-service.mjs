// Starts the local service (scripts/serve.mjs) as a child process and stops it by pid, for the
// end-to-end suite, the benchmarks and the stress run. The child leads its own process group, so
// stopping it stops the workerd it started too; a caller that exits or is interrupted first
// takes every service it started down with it.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Bundling the Workers and starting workerd takes seconds; this long means it is stuck. */
const READY_TIMEOUT_MS = 180_000;

/** Every service started and not yet stopped: its process group dies with this process. */
const running = new Set();
/** Their state folders, removed with them. */
const workDirs = new Set();

/**
 * Spawns `node scripts/serve.mjs` with fresh state in a temporary folder (removed by stop()),
 * and ADMIN_TOKEN set to `adminToken`. Resolves with the child and the base URLs (management,
 * public, `content` when `contentPort: true` gives the content delivery Worker a port of its
 * own, else null, and one per extra Worker) once the service has printed that every Worker answers;
 * rejects if it exits first, or is not ready within READY_TIMEOUT_MS. Ports are picked free, and
 * picked again if another process takes one before the service binds it. `inspector: true` opens
 * workerd's inspector on one more free port (`inspectorPort`) and bundles without minifying.
 */
export async function startService({ adminToken, ...options }) {
  const work = mkdtempSync(join(tmpdir(), "pau-service-"));
  workDirs.add(work);
  const envFile = join(work, "admin.env");
  writeFileSync(envFile, `ADMIN_TOKEN=${adminToken}\n`);
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const extraWorkers = options.extraWorkers ?? [];
        const inspectorPort = options.inspector ? await freePort() : undefined;
        const service = await spawnService({
          ...options,
          stateDir: join(work, "state"),
          envFile,
          port: await freePort(),
          publicPort: await freePort(),
          contentPort: options.contentPort ? await freePort() : null,
          extraPorts: await Promise.all(extraWorkers.map(() => freePort())),
          inspectorPort,
        });
        return { ...service, work, inspectorPort };
      } catch (err) {
        if (!(err.addressInUse && attempt < 5)) throw err;
      }
    }
  } catch (err) {
    removeWork(work);
    throw err;
  }
}

function removeWork(work) {
  workDirs.delete(work);
  rmSync(work, { recursive: true, force: true });
}

function spawnService({
  port,
  publicPort,
  contentPort,
  stateDir,
  envFile,
  vars = {},
  logLevel = "warn",
  extraWorkers = [],
  extraPorts,
  strict = false,
  inspectorPort,
  log = (line) => process.stdout.write(`${line}\n`),
}) {
  const args = ["--log-level", logLevel, "--env-file", envFile];
  if (inspectorPort !== undefined) args.push("--inspector-port", String(inspectorPort));
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  for (const [i, w] of extraWorkers.entries()) {
    args.push("--extra-worker", `${w.configPath}@${extraPorts[i]}`);
  }
  const ports = { port, publicPort, contentPort };
  const child = spawnScript("scripts/serve.mjs", args, { ...ports, stateDir, strict });
  let addressInUse = false;
  createInterface({ input: child.stderr }).on("line", (line) => {
    if (/address already in use/i.test(line)) addressInUse = true;
    process.stderr.write(`${line}\n`);
  });
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      stopChild(child).finally(() =>
        reject(new Error(`the local service was not ready within ${READY_TIMEOUT_MS} ms`)),
      );
    }, READY_TIMEOUT_MS);
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (!ready && line.startsWith("{")) {
        ready = true;
        clearTimeout(timer);
        const urls = JSON.parse(line);
        const { management, content, extras } = urls;
        resolve({ child, management, public: urls.public, content, extras });
      } else {
        log(line);
      }
    });
    child.once("exit", (code) => {
      if (ready) return;
      clearTimeout(timer);
      killGroup(child); // a workerd the service started may outlive it
      const err = new Error(`the local service exited with ${code} before it was ready`);
      reject(Object.assign(err, { addressInUse }));
    });
  });
}

/**
 * Spawns `node <script> <args>` (a path from ROOT: serve.mjs, or start.mjs as `npm start` runs it)
 * leading its own process group, with the ports and state folder in its environment; stop() and
 * an exit of this process stop it.
 */
export function spawnScript(
  script,
  args,
  { port, publicPort, contentPort = null, stateDir, strict = false },
) {
  const child = spawn(process.execPath, [join(ROOT, script), ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(port),
      PUBLIC_PORT: String(publicPort),
      ...(contentPort === null ? {} : { CONTENT_PORT: String(contentPort) }),
      STATE_DIR: stateDir,
      // Said either way, so a STRICT_LIMITS in the caller's environment does not decide it.
      STRICT_LIMITS: strict ? "1" : "0",
    },
  });
  track(child);
  return child;
}

/** Stops a service startService() gave, and removes its state. */
export async function stop(service) {
  await stopChild(service.child);
  removeWork(service.work);
}

/**
 * Stops the child (it disposes its workerd) and waits for it to exit; whatever is left of its
 * process group after that, or after 10 s, is killed.
 */
async function stopChild(child) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const timer = setTimeout(() => killGroup(child), 10_000);
    await exited;
    clearTimeout(timer);
  }
  killGroup(child);
}

function killGroup(child) {
  running.delete(child);
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // nothing left
  }
}

function track(child) {
  if (!track.installed) {
    track.installed = true;
    const killAll = () => {
      for (const c of [...running]) killGroup(c);
      for (const work of [...workDirs]) removeWork(work);
    };
    process.on("exit", killAll);
    for (const [signal, code] of [
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ]) {
      process.on(signal, () => {
        killAll();
        // Alone in handling the signal: exit as the default handler would have.
        if (process.listenerCount(signal) === 1) process.exit(code);
      });
    }
  }
  running.add(child);
}

/** A loopback TCP port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
