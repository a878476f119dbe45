// The README walk-through, verbatim, and scripts/e2e-downloads.sh (curl and wget against the
// real server): each script's printed lines must be exactly the expected ones.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, inject, it } from "vitest";
import { ROOT } from "../scripts/local-service.mjs";

const work = mkdtempSync(join(tmpdir(), "pau-shell-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function walkThroughScript(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.split("## Walk-through")[1] ?? "";
  const match = section.match(/```sh\n([\s\S]*?)```/);
  if (!match?.[1]) throw new Error("README.md has no ```sh block under ## Walk-through");
  return match[1];
}

async function runBash(script: string): Promise<string[]> {
  const cwd = mkdtempSync(join(work, "run-"));
  const { stdout } = await promisify(execFile)("bash", ["-euo", "pipefail", "-c", script], {
    cwd,
    env: { ...process.env, BASE: inject("baseUrl"), ADMIN: inject("adminToken") },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim().split("\n");
}

describe("shell scripts against the local service", () => {
  it("runs the README walk-through verbatim and prints what the README says", async () => {
    expect(await runBash(walkThroughScript())).toEqual([
      "version one",
      "version one",
      "2",
      "version two",
      "version one",
      "409",
    ]);
  });

  it("downloads a 20 MiB file whole, in ranges, resumed by curl and wget, and revalidated", async () => {
    const script = readFileSync(join(ROOT, "scripts", "e2e-downloads.sh"), "utf8");
    expect(await runBash(script)).toEqual(["ok upload", "ok url", "ok permanent_url"]);
  });
});
