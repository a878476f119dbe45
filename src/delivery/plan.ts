// What a public GET or HEAD answers, decided from the request's headers and the selected
// version's metadata alone, before any byte is read. Pure: delivery/serve.ts does the I/O.

import type { EntityTag } from "./entity-tags";
import { evaluatePreconditions, ifRangeAllows } from "./preconditions";
import { type ByteRange, parseRange } from "./range";

export interface VersionMeta {
  etag: EntityTag;
  lastModified: number;
  size: number;
  /** True when the URL's bytes never change, so Last-Modified is a strong validator. */
  immutable: boolean;
}

export type DeliveryPlan =
  | { status: 200 }
  | { status: 206; range: ByteRange }
  | { status: 304 }
  | { status: 412 }
  | { status: 416 };

export function planDelivery(
  method: "GET" | "HEAD",
  headers: Headers,
  v: VersionMeta,
): DeliveryPlan {
  const header = (name: string) => headers.get(name);
  const outcome = evaluatePreconditions(header, v);
  if (outcome === "failed") return { status: 412 };
  if (outcome === "not-modified") return { status: 304 };
  // Range is defined for GET only (§14.2); HEAD answers as the full GET would.
  if (
    method !== "GET" ||
    !headers.has("Range") ||
    !ifRangeAllows(header("If-Range"), v, v.immutable)
  ) {
    return { status: 200 };
  }
  const range = parseRange(header("Range"), v.size);
  if (range.kind === "unsatisfiable") return { status: 416 };
  if (range.kind === "satisfiable") return { status: 206, range: range.range };
  return { status: 200 };
}

/** Whether a request carries anything that could make it more than a plain full GET. */
export const isPlainRequest = (headers: Headers): boolean =>
  !CONDITIONAL_HEADERS.some((h) => headers.has(h));

const CONDITIONAL_HEADERS = [
  "Range",
  "If-Match",
  "If-None-Match",
  "If-Modified-Since",
  "If-Unmodified-Since",
];
