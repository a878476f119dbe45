// Global setup of the end-to-end project: one real `wrangler dev` (workerd with local KV, R2
// and Durable Objects, fresh state) on a free loopback port for every e2e test file, stopped by
// pid when the run ends.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, startWranglerDev, stop, waitForHttp } from "../scripts/wrangler-dev.mjs";

export const ADMIN_TOKEN = "e2e-admin-token";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    adminToken: string;
  }
}

export default async function setup(project: TestProject) {
  const work = mkdtempSync(join(tmpdir(), "pau-e2e-"));
  const envFile = join(work, "e2e.env");
  writeFileSync(envFile, `ADMIN_TOKEN=${ADMIN_TOKEN}\n`);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = startWranglerDev({
    port,
    persistTo: join(work, "state"),
    envFile,
    logLevel: "warn",
  });
  try {
    await waitForHttp(`${baseUrl}/health`, server);
  } catch (err) {
    await stop(server);
    throw err;
  }
  project.provide("baseUrl", baseUrl);
  project.provide("adminToken", ADMIN_TOKEN);
  return async () => {
    await stop(server);
    rmSync(work, { recursive: true, force: true });
  };
}
