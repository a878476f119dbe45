// The exactly-once rule of the permanent URL, as a pure decision. The asset's Durable Object
// applies it inside one synchronous storage transaction (objects/asset-object.ts), which is what
// makes it hold under any concurrency.

export type SlugDecision =
  | { kind: "set" } // no slug yet: this request wins
  | { kind: "same" } // the same slug again: an idempotent retry, answered like the original
  | { kind: "conflict"; existing: string }; // another slug is already set: never replaced

export function decideSlug(current: string | null, requested: string): SlugDecision {
  if (current === null) return { kind: "set" };
  if (current === requested) return { kind: "same" };
  return { kind: "conflict", existing: current };
}
