// End-to-end: starts `wrangler dev` on a free loopback port with fresh state, runs each check
// (the README's walk-through verbatim, then scripts/e2e-downloads.sh) with bash, curl and wget,
// compares what each printed, and stops the server by pid.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort, ROOT, startWranglerDev, stop, waitForHttp } from "./wrangler-dev.mjs";

const ADMIN = "e2e-admin-token";

function walkThroughScript() {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.split("## Walk-through")[1] ?? "";
  const match = section.match(/```sh\n([\s\S]*?)```/);
  if (!match) throw new Error("README.md has no ```sh block under ## Walk-through");
  return match[1];
}

const CHECKS = [
  {
    name: "README walk-through",
    script: walkThroughScript(),
    expected: ["version one", "version one", "2", "version two", "version one", "409"],
  },
  {
    name: "downloads (whole, split, resumed, revalidated)",
    script: readFileSync(join(ROOT, "scripts", "e2e-downloads.sh"), "utf8"),
    expected: ["ok upload", "ok url", "ok permanent_url"],
  },
];

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
let passed = 0;
try {
  await waitForHttp(`${base}/`, server);
  for (const check of CHECKS) {
    const cwd = mkdtempSync(join(work, "check-"));
    try {
      const { stdout } = await promisify(execFile)(
        "bash",
        ["-euo", "pipefail", "-c", check.script],
        {
          cwd,
          env: { ...process.env, BASE: base, ADMIN },
          maxBuffer: 16 * 1024 * 1024,
        },
      );
      const lines = stdout.trim().split("\n");
      if (JSON.stringify(lines) === JSON.stringify(check.expected)) {
        passed++;
        console.log(`e2e ok: ${check.name}`);
      } else {
        console.error(
          `e2e FAILED: ${check.name} printed ${JSON.stringify(lines)}, expected ${JSON.stringify(check.expected)}`,
        );
      }
    } catch (err) {
      console.error(`e2e FAILED: ${check.name}:`, err);
    }
  }
} catch (err) {
  console.error("e2e failed:", err);
} finally {
  await stop(server);
  rmSync(work, { recursive: true, force: true });
}
const failed = CHECKS.length - passed;
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
