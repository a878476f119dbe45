// Types for scripts/local-service.mjs, so the TypeScript end-to-end tests can use it.
import type { ChildProcess } from "node:child_process";

export const ROOT: string;
export interface RunningService {
  child: ChildProcess;
  /** The management Worker's base URL. */
  management: string;
  /** The delivery Worker's base URL (the host of every URL the API returns). */
  public: string;
  /** The content delivery Worker's own port, when `contentPort` asked for one; else null. */
  content: string | null;
  /** The base URL of each extra Worker, in the order given. */
  extras: string[];
  /** The temporary folder of its state, removed by stop(). */
  work: string;
}
export function startService(options: {
  /** The management API's admin token (ADMIN_TOKEN). */
  adminToken: string;
  vars?: Record<string, string>;
  logLevel?: string;
  extraWorkers?: { configPath: string }[];
  /** Give the content delivery Worker a port of its own (it has none by default). */
  contentPort?: boolean;
  /** The strict local mode (STRICT_LIMITS=1: production's limits on the local bindings). */
  strict?: boolean;
  log?: (line: string) => void;
}): Promise<RunningService>;
export function stop(service: RunningService): Promise<void>;
/** A loopback TCP port that was free a moment ago. */
export function freePort(): Promise<number>;
export function spawnScript(
  script: string,
  args: string[],
  settings: {
    port: number;
    publicPort: number;
    contentPort?: number | null;
    stateDir: string;
    strict?: boolean;
  },
): ChildProcess;
