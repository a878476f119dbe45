// Types for the part of scripts/serve.mjs the TypeScript end-to-end tests use.
import type { WorkerOptions } from "miniflare";

export const OFFLINE_ENV: Record<string, string>;
export function bundle(
  configPath: string,
  outDir: string,
  options?: { strict?: boolean; minify?: boolean },
): { path: string; printed: string };
export function localWorkerOptions(
  configPath: string,
  settings: { envFile?: string; vars?: Record<string, string> },
): WorkerOptions & { name: string };
