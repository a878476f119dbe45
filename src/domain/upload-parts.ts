// How a multipart upload session cuts a file into parts. R2's rules: at most 10,000 parts, every
// part but the last of one size, at least 5 MiB and at most 5 GiB minus 5 MiB. Each part is one
// request, so the part size is also bounded by the request limit (MAX_UPLOAD_BYTES). Pure.

import type { FieldErrors } from "../base/field-errors";

const MiB = 1024 * 1024;
export const MIN_PART_BYTES = 5 * MiB;
/** R2's largest part, and its largest single-request upload: 5 GiB - 5 MiB. */
export const MAX_PART_BYTES = 5 * 1024 * MiB - 5 * MiB;
export const MAX_PARTS = 10_000;
export const DEFAULT_PART_BYTES = 8 * MiB;

export interface PartPlan {
  fileSize: number;
  partSize: number;
  partCount: number;
}

export type PlanResult = { ok: true; plan: PartPlan } | { ok: false; errors: FieldErrors };

/** The largest part: R2's, or one request's limit when that is smaller. */
const largestPart = (maxRequestBytes: number) => Math.min(MAX_PART_BYTES, maxRequestBytes);

/**
 * The largest file a session takes: the configured MAX_FILE_BYTES, or 10,000 parts of the largest
 * part when that is smaller (985,661,440,000 bytes with 94 MiB requests). One ceiling, so a
 * larger file is told so (413) instead of being sent from one part size to another.
 */
export function sessionCeiling(maxFileBytes: number, maxRequestBytes: number): number {
  return Math.min(maxFileBytes, MAX_PARTS * largestPart(maxRequestBytes));
}

/**
 * Chooses (or checks) the part size for a file within sessionCeiling. Without a requested size:
 * 8 MiB, or the smallest whole number of MiB that keeps the file within 10,000 parts (at most
 * the largest part).
 */
export function planParts(
  fileSize: number,
  requested: number | undefined,
  maxRequestBytes: number,
): PlanResult {
  const ceiling = largestPart(maxRequestBytes);
  const partSize =
    requested ??
    Math.min(ceiling, Math.max(DEFAULT_PART_BYTES, Math.ceil(fileSize / MAX_PARTS / MiB) * MiB));
  if (partSize < MIN_PART_BYTES) {
    return fail(`must be at least ${MIN_PART_BYTES} bytes (5 MiB, R2's smallest part)`);
  }
  if (partSize > ceiling) {
    return fail(`must be at most ${ceiling} bytes (one request's limit)`);
  }
  const partCount = Math.ceil(fileSize / partSize);
  if (partCount > MAX_PARTS) {
    return fail(`makes ${partCount} parts; at most ${MAX_PARTS} are allowed, so use larger parts`);
  }
  return { ok: true, plan: { fileSize, partSize, partCount } };
}

const fail = (why: string): PlanResult => ({ ok: false, errors: { part_size: [why] } });

/** The exact size part `n` must have, or null when there is no such part. */
export function partSizeOf(plan: PartPlan, n: number): number | null {
  if (!Number.isInteger(n) || n < 1 || n > plan.partCount) return null;
  return n < plan.partCount ? plan.partSize : plan.fileSize - (plan.partCount - 1) * plan.partSize;
}

/** Part numbers not uploaded yet, in order. */
export function missingParts(plan: PartPlan, uploaded: Iterable<number>): number[] {
  const have = new Set(uploaded);
  const missing: number[] = [];
  for (let n = 1; n <= plan.partCount; n++) if (!have.has(n)) missing.push(n);
  return missing;
}
