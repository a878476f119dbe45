// End-to-end: starts `wrangler dev` on a free loopback port with fresh state, runs the README's
// walk-through verbatim with bash and curl, checks what it printed, and stops the server by pid.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROOT, startWranglerDev, stop, waitForHttp } from "./wrangler-dev.mjs";

const ADMIN = "e2e-admin-token";

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function walkThroughScript() {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.split("## Walk-through")[1] ?? "";
  const match = section.match(/```sh\n([\s\S]*?)```/);
  if (!match) throw new Error("README.md has no ```sh block under ## Walk-through");
  return match[1];
}

const EXPECTED = ["version one", "version one", "2", "version two", "version one", "409"];

const work = mkdtempSync(join(tmpdir(), "pau-e2e-"));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const envFile = join(work, "e2e.env");
writeFileSync(envFile, `ADMIN_TOKEN=${ADMIN}\n`);
const server = startWranglerDev({
  port,
  persistTo: join(work, "state"),
  envFile,
  logLevel: "warn",
});
let failed = false;
try {
  await waitForHttp(`${base}/`, server);
  const { stdout } = await promisify(execFile)(
    "bash",
    ["-euo", "pipefail", "-c", walkThroughScript()],
    {
      cwd: work,
      env: { ...process.env, BASE: base, ADMIN },
    },
  );
  const lines = stdout.trim().split("\n");
  if (JSON.stringify(lines) !== JSON.stringify(EXPECTED)) {
    failed = true;
    console.error(
      `walk-through printed ${JSON.stringify(lines)}, expected ${JSON.stringify(EXPECTED)}`,
    );
  }
} catch (err) {
  failed = true;
  console.error("e2e failed:", err);
} finally {
  await stop(server);
  rmSync(work, { recursive: true, force: true });
}
console.log(failed ? "e2e: 0 passed, 1 failed" : "e2e: 1 passed, 0 failed");
process.exit(failed ? 1 : 0);
