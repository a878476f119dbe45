// Global setup of the end-to-end project: the whole local service (its three Workers in one
// workerd, with local KV, R2, D1 and Durable Objects, fresh state; scripts/serve.mjs) on free
// loopback ports for every e2e test file, stopped by pid when the run ends. It runs in the strict
// local mode (production's limits on the local bindings) unless STRICT_LIMITS=0.
import type { TestProject } from "vitest/node";
import { startService, stop } from "../scripts/local-service.mjs";

export const ADMIN_TOKEN = "e2e-admin-token";

declare module "vitest" {
  export interface ProvidedContext {
    /** The management Worker: the address a CMS calls. */
    baseUrl: string;
    /** The delivery Worker: the host of every public URL the API returns. */
    publicBaseUrl: string;
    /** The content delivery Worker on a port of its own, as an operator may give it a hostname. */
    contentBaseUrl: string;
    adminToken: string;
  }
}

export default async function setup(project: TestProject) {
  const strict = process.env.STRICT_LIMITS !== "0";
  const service = await startService({ adminToken: ADMIN_TOKEN, strict, contentPort: true });
  project.provide("baseUrl", service.management);
  project.provide("publicBaseUrl", service.public);
  project.provide("contentBaseUrl", service.content ?? "");
  project.provide("adminToken", ADMIN_TOKEN);
  return () => stop(service);
}
