// The strict local mode's settings: production limits the local runtime does not enforce by
// itself, turned on by STRICT_LIMITS=1 (`npm start`) and on by default in the test harness.
// Each is a binding the strict wrappers read and the project's own code never sees.

export interface StrictLimits {
  /** Subrequests (KV, R2, Durable Object, service and Images calls) one invocation may make. */
  subrequests: number;
  /** KV: the same key may be written (put or delete) once in this many ms, else 429. */
  kvWriteIntervalMs: number;
  /** The plan's request body limit (Free and Pro: 100 MB), answered with Cloudflare's own 413. */
  bodyBytes: number;
  /** Image transformations this isolate may make before the binding answers 9422. */
  imagesQuota: number;
}

/**
 * Cloudflare's published figures. Subrequests: 1,000 per invocation on Workers Paid as older
 * pages state it (newer ones say 10,000; Free is 50): the stricter Paid figure. Body: the Free and
 * Pro plans' 100 MB, read as 100,000,000 bytes, the smaller reading. Images: the free tier's
 * 5,000 transformations a month.
 */
export const PRODUCTION_LIMITS: StrictLimits = {
  subrequests: 1000,
  kvWriteIntervalMs: 1000,
  bodyBytes: 100_000_000,
  imagesQuota: 5000,
};

/** The variables that configure this mode (strings, as bindings are). */
const VARS = {
  STRICT_SUBREQUESTS: "subrequests",
  STRICT_KV_WRITE_INTERVAL_MS: "kvWriteIntervalMs",
  STRICT_BODY_BYTES: "bodyBytes",
  STRICT_IMAGES_QUOTA: "imagesQuota",
} as const satisfies Record<string, keyof StrictLimits>;

export const STRICT_SWITCH = "STRICT_LIMITS";

/** The limits to enforce, or null when the mode is off (STRICT_LIMITS is not "1"). */
export function limitsOf(bindings: object): StrictLimits | null {
  const env = bindings as Record<string, unknown>;
  if (env[STRICT_SWITCH] !== "1") return null;
  const limits = { ...PRODUCTION_LIMITS };
  for (const [name, field] of Object.entries(VARS)) {
    const value = env[name];
    if (value === undefined) continue;
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number`);
    limits[field] = n;
  }
  return limits;
}

/** True for the variables of this mode, which are kept from the project's code. */
export const isStrictVar = (name: string) => name === STRICT_SWITCH || name in VARS;
