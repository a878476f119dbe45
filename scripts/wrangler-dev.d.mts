// Types for scripts/wrangler-dev.mjs, so the TypeScript end-to-end tests can use it.
import type { ChildProcess, StdioOptions } from "node:child_process";

export const ROOT: string;
export const OFFLINE_ENV: Record<string, string>;
export function startWranglerDev(options: {
  port: number;
  persistTo: string;
  envFile?: string;
  logLevel?: string;
  stdio?: StdioOptions;
  vars?: Record<string, string>;
}): ChildProcess;
export function waitForHttp(url: string, child: ChildProcess, timeoutMs?: number): Promise<void>;
export function stop(child: ChildProcess): Promise<void>;
export function freePort(): Promise<number>;
