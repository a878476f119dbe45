// Starts the local service (scripts/serve.mjs) as a child process and stops it by pid, for the
// end-to-end suite, the benchmarks and the stress run. The child leads its own process group, so
// stopping it stops the workerd it started too.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Spawns `node scripts/serve.mjs` with the given state. Resolves with the child and the base
 * URLs (management, public, and one per extra Worker) once the service has printed that every
 * Worker answers; rejects if it exits first. Ports left out are picked free, and picked again
 * if another process takes one before the service binds it.
 */
export async function startService(options) {
  const pick = !options.port || !options.publicPort;
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnService({
        ...options,
        port: options.port || (await freePort()),
        publicPort: options.publicPort || (await freePort()),
        extraWorkers: await Promise.all(
          (options.extraWorkers ?? []).map(async (w) => ({
            ...w,
            port: w.port || (await freePort()),
          })),
        ),
      });
    } catch (err) {
      if (!(pick && err.addressInUse && attempt < 5)) throw err;
    }
  }
}

function spawnService({
  port,
  publicPort,
  stateDir,
  envFile,
  vars = {},
  logLevel = "warn",
  extraWorkers = [],
  log = (line) => process.stdout.write(`${line}\n`),
}) {
  const args = [`${ROOT}scripts/serve.mjs`, "--log-level", logLevel];
  if (envFile) args.push("--env-file", envFile);
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  for (const w of extraWorkers) args.push("--extra-worker", `${w.configPath}@${w.port}`);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(port),
      PUBLIC_PORT: String(publicPort),
      STATE_DIR: stateDir,
    },
  });
  let addressInUse = false;
  createInterface({ input: child.stderr }).on("line", (line) => {
    if (/address already in use/i.test(line)) addressInUse = true;
    process.stderr.write(`${line}\n`);
  });
  return new Promise((resolve, reject) => {
    let ready = false;
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (!ready && line.startsWith("{")) {
        ready = true;
        const urls = JSON.parse(line);
        resolve({ child, management: urls.management, public: urls.public, extras: urls.extras });
      } else {
        log(line);
      }
    });
    child.once("exit", (code) => {
      if (ready) return;
      const err = new Error(`the local service exited with ${code} before it was ready`);
      reject(Object.assign(err, { addressInUse }));
    });
  });
}

/**
 * Stops the child (it disposes its workerd) and waits for it to exit; whatever is left of its
 * process group after that, or after 10 s, is killed.
 */
export async function stop(child) {
  const killGroup = () => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // nothing left
    }
  };
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const timer = setTimeout(killGroup, 10_000);
    await exited;
    clearTimeout(timer);
  }
  killGroup();
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
