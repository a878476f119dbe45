// Starts `wrangler dev` with no outside network access and returns the child process.
// Shared by `npm start`, the end-to-end test and later benchmark/stress scripts.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

export const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_HIDE_BANNER: "true",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

/**
 * Spawns ./node_modules/.bin/wrangler directly (not npx), so one SIGTERM to the returned pid
 * stops workerd too.
 */
export function startWranglerDev({
  port,
  persistTo,
  envFile,
  logLevel = "info",
  stdio = "inherit",
  vars = {},
}) {
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persistTo];
  args.push("--log-level", logLevel, "--show-interactive-dev-session=false");
  if (envFile) args.push("--env-file", envFile); // secrets from this file, not .dev.vars
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  return spawn(`${ROOT}node_modules/.bin/wrangler`, args, {
    cwd: ROOT,
    stdio,
    env: { ...process.env, ...OFFLINE_ENV },
  });
}

/** Resolves once the server answers HTTP (any status), or rejects after timeoutMs. */
export async function waitForHttp(url, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200)); // polling a port that is not open yet
    }
  }
  throw new Error(`no HTTP answer from ${url} within ${timeoutMs} ms`);
}

/** Stops the child by pid and waits for it to exit. */
export async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
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
