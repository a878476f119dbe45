// The deployment's configuration ([vars] of wrangler.toml and wrangler.delivery.toml), parsed
// once per env object. Both Workers parse the same names; a Worker whose config leaves a name
// out gets its default (the delivery Worker has no upload limits, say).

import { MAX_PART_BYTES } from "./domain/upload-parts";
import { MAX_SIDE, type WidthPolicy } from "./images/params";

export interface Config {
  /** Base of the URLs the management API returns; null: each request's own origin. */
  publicBaseUrl: string | null;
  /** max-age of permanent-URL responses, in seconds. */
  permanentMaxAge: number;
  /** Largest accepted upload request (a whole file, or one part of a session), in bytes. */
  maxUploadBytes: number;
  /** Largest file an upload session accepts, in bytes. */
  maxFileBytes: number;
  /** How the permanent URL answers: stream the current bytes, or 302 to the versioned URL. */
  permanentUrlMode: "serve" | "redirect";
  /** Origins allowed to read public URLs from scripts: ["*"] (any), or exact origins. */
  corsAllowedOrigins: string[];
  /** Largest version whose bytes the permanent URL stores in the edge cache; 0: none. */
  edgeCacheMaxBytes: number;
  /** How long an isolate may reuse a KV read-model record, in ms; 0: never. */
  readModelMemoMs: number;
  /** R2 objects younger than this (ms) are never taken for orphans. */
  orphanMinAgeMs: number;
  /** Subrequests one run of the orphan sweep may make. */
  sweepMaxSubrequests: number;
  /** Failed token checks one client may make against one stack per minute. */
  authFailuresPerMinute: number;
  /** How image widths and heights in pixels are rounded, to bound the number of variants. */
  imageWidths: WidthPolicy;
  /** Largest stored image the engine is given, in bytes; larger ones are served untouched. */
  imageMaxInputBytes: number;
  /** Bytes of an assembled upload one Durable Object call reads back to hash it (at least 1). */
  completeHashStepBytes: number;
}

export const DEFAULT_PERMANENT_MAX_AGE = 60;
// 94 MiB: with a form's 1 MiB of room (upload/read-multipart-form.ts), the largest request stays
// under the Free and Pro plans' body limit of 100 MB (read as 100,000,000 bytes), past which
// Cloudflare's edge answers with its own HTML 413 before the Worker runs.
export const DEFAULT_MAX_UPLOAD_BYTES = 94 * 1024 * 1024;
/** R2's largest object: 5 TiB - 5 GiB. */
export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 ** 4 - 5 * 1024 ** 3;
// The cache copy is teed from the client's stream and can run ahead of a slow client, so a
// miss can hold up to this many bytes in the isolate: kept small (isolates have 128 MB).
export const DEFAULT_READ_MODEL_MEMO_SECONDS = 5;
// Longer than an upload session can live (24 h, plus a 15-minute completion lease), so no
// session that can still complete owns an object the sweep may take.
export const DEFAULT_ORPHAN_MIN_AGE_SECONDS = 48 * 60 * 60;
// Half of the 1,000 subrequests a Workers Paid invocation had (older pages; newer ones say
// 10,000): room to spare whichever holds.
export const DEFAULT_SWEEP_MAX_SUBREQUESTS = 500;
export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 20;
export const DEFAULT_EDGE_CACHE_MAX_BYTES = 4 * 1024 * 1024;
// About 0.4 s of CPU for the JavaScript SHA-256 (~160 MiB/s measured here): far within one
// call's CPU limit (30 s by default), and few calls per GiB.
export const DEFAULT_COMPLETE_HASH_STEP_BYTES = 64 * 1024 * 1024;
export const DEFAULT_IMAGE_MAX_INPUT_BYTES = 25 * 1024 * 1024;

/** The [vars] this file reads, as either Worker's env has them (any may be missing). */
export type ConfigVars = Partial<Record<ConfigVarName, unknown>>;
type ConfigVarName =
  | "PUBLIC_BASE_URL"
  | "PERMANENT_URL_MAX_AGE"
  | "MAX_UPLOAD_BYTES"
  | "MAX_FILE_BYTES"
  | "PERMANENT_URL_MODE"
  | "CORS_ALLOWED_ORIGINS"
  | "EDGE_CACHE_MAX_BYTES"
  | "READ_MODEL_MEMO_SECONDS"
  | "ORPHAN_MIN_AGE_SECONDS"
  | "SWEEP_MAX_SUBREQUESTS"
  | "AUTH_FAILURES_PER_MINUTE"
  | "IMAGE_WIDTHS"
  | "IMAGE_MAX_INPUT_BYTES"
  | "COMPLETE_HASH_STEP_BYTES";

const cache = new WeakMap<object, Config>();

export function config(env: ConfigVars): Config {
  let parsed = cache.get(env);
  if (!parsed) {
    parsed = parseConfig(env);
    cache.set(env, parsed);
  }
  return parsed;
}

export function parseConfig(vars: ConfigVars): Config {
  const base = typeof vars.PUBLIC_BASE_URL === "string" ? vars.PUBLIC_BASE_URL.trim() : "";
  if (base !== "" && !/^https?:\/\/[^/]+$/.test(base.replace(/\/$/, ""))) {
    throw new Error(`PUBLIC_BASE_URL must be an origin like https://assets.example.com: ${base}`);
  }
  return {
    publicBaseUrl: base === "" ? null : base.replace(/\/$/, ""),
    permanentMaxAge: nonNegativeInt(
      vars.PERMANENT_URL_MAX_AGE,
      DEFAULT_PERMANENT_MAX_AGE,
      "PERMANENT_URL_MAX_AGE",
    ),
    maxUploadBytes: atMost(
      nonNegativeInt(vars.MAX_UPLOAD_BYTES, DEFAULT_MAX_UPLOAD_BYTES, "MAX_UPLOAD_BYTES"),
      MAX_PART_BYTES,
      "MAX_UPLOAD_BYTES (R2's largest part and single upload, 5 GiB - 5 MiB)",
    ),
    maxFileBytes: nonNegativeInt(vars.MAX_FILE_BYTES, DEFAULT_MAX_FILE_BYTES, "MAX_FILE_BYTES"),
    permanentUrlMode: permanentUrlMode(vars.PERMANENT_URL_MODE),
    corsAllowedOrigins: corsOrigins(vars.CORS_ALLOWED_ORIGINS),
    edgeCacheMaxBytes: nonNegativeInt(
      vars.EDGE_CACHE_MAX_BYTES,
      DEFAULT_EDGE_CACHE_MAX_BYTES,
      "EDGE_CACHE_MAX_BYTES",
    ),
    readModelMemoMs:
      nonNegativeInt(
        vars.READ_MODEL_MEMO_SECONDS,
        DEFAULT_READ_MODEL_MEMO_SECONDS,
        "READ_MODEL_MEMO_SECONDS",
      ) * 1000,
    orphanMinAgeMs:
      nonNegativeInt(
        vars.ORPHAN_MIN_AGE_SECONDS,
        DEFAULT_ORPHAN_MIN_AGE_SECONDS,
        "ORPHAN_MIN_AGE_SECONDS",
      ) * 1000,
    // Fewer than 10 would leave a run no room for a record after its list and deletes.
    sweepMaxSubrequests: atLeast(
      nonNegativeInt(
        vars.SWEEP_MAX_SUBREQUESTS,
        DEFAULT_SWEEP_MAX_SUBREQUESTS,
        "SWEEP_MAX_SUBREQUESTS",
      ),
      10,
      "SWEEP_MAX_SUBREQUESTS",
    ),
    authFailuresPerMinute: nonNegativeInt(
      vars.AUTH_FAILURES_PER_MINUTE,
      DEFAULT_AUTH_FAILURES_PER_MINUTE,
      "AUTH_FAILURES_PER_MINUTE",
    ),
    imageWidths: widthPolicy(vars.IMAGE_WIDTHS),
    imageMaxInputBytes: nonNegativeInt(
      vars.IMAGE_MAX_INPUT_BYTES,
      DEFAULT_IMAGE_MAX_INPUT_BYTES,
      "IMAGE_MAX_INPUT_BYTES",
    ),
    completeHashStepBytes: positiveInt(
      vars.COMPLETE_HASH_STEP_BYTES,
      DEFAULT_COMPLETE_HASH_STEP_BYTES,
      "COMPLETE_HASH_STEP_BYTES",
    ),
  };
}

/** IMAGE_WIDTHS: empty (any width), `step:N` (round up to a multiple of N), or a list. */
function widthPolicy(value: unknown): WidthPolicy {
  const text = typeof value === "string" ? value.trim() : "";
  if (text === "") return { kind: "any" };
  const step = /^step:(\d{1,4})$/.exec(text);
  if (step && Number(step[1]) >= 1) return { kind: "step", step: Number(step[1]) };
  const sizes = text.split(",").map((s) => Number(s.trim()));
  if (sizes.every((n) => Number.isSafeInteger(n) && n >= 1 && n <= MAX_SIDE)) {
    return { kind: "list", sizes: [...new Set(sizes)].sort((a, b) => a - b) };
  }
  throw new Error(
    `IMAGE_WIDTHS must be empty, step:N, or widths like 320,640,1280 (1 to ${MAX_SIDE}): ${text}`,
  );
}

function permanentUrlMode(value: unknown): "serve" | "redirect" {
  if (value === undefined || value === "" || value === "serve") return "serve";
  if (value === "redirect") return "redirect";
  throw new Error(`PERMANENT_URL_MODE must be "serve" or "redirect": ${value}`);
}

function corsOrigins(value: unknown): string[] {
  const text = typeof value === "string" ? value.trim() : "";
  if (text === "" || text === "*") return ["*"];
  const origins = text.split(",").map((o) => o.trim().replace(/\/$/, ""));
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new Error(
        `CORS_ALLOWED_ORIGINS must be "*" or origins like https://cms.example.com: ${origin}`,
      );
    }
  }
  return origins;
}

function nonNegativeInt(value: unknown, fallback: number, name: string): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`${name} must be a whole number: ${value}`);
  return n;
}

function atLeast(n: number, limit: number, name: string): number {
  if (n < limit) throw new Error(`${name} must be at least ${limit}: ${n}`);
  return n;
}

function atMost(n: number, limit: number, name: string): number {
  if (n > limit) throw new Error(`${name} must be at most ${limit}: ${n}`);
  return n;
}

function positiveInt(value: unknown, fallback: number, name: string): number {
  const n = nonNegativeInt(value, fallback, name);
  if (n === 0) throw new Error(`${name} must be at least 1`);
  return n;
}

/** The base of URLs shown to clients: the configured one, else the request's own origin. */
export const publicBase = (env: ConfigVars, requestUrl: string): string =>
  config(env).publicBaseUrl ?? new URL(requestUrl).origin;
