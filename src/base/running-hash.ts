// The whole file's SHA-256 of an upload session, carried from part to part while the parts
// arrive in order: part n continues the hash where part n - 1 left it, and records the state it
// started from and the state after its bytes. At completion, the longest run of parts 1..k in
// which each part started from exactly the state the part before it ended in gives the hash of
// the file's first bytes; only the rest, if any (parts sent out of order or in parallel, or
// replaced later), is read back from R2 (objects/upload-object.ts, hashStep). A part sent again
// ends in another state, so every later part that continued its old bytes falls out of the run,
// even when the part after it is sent again with the same bytes. Pure.

import { ResumableSha256, type Sha256State } from "./resumable-sha256";

/** What a part adds to the running hash. */
export interface PartLink {
  /** The running hash this part continued (the part before's `after`; empty for part 1). */
  before: Sha256State;
  /** The running hash after this part's bytes. */
  after: Sha256State;
}

/** The fields of a recorded part this needs (objects/upload-object.ts PartRecord). */
export interface LinkedPart {
  partNumber: number;
  size: number;
  link: PartLink | null;
}

/** Where a hash of the file's bytes stands: its state after the first `offset` bytes. */
export interface HashProgress {
  offset: number;
  state: Sha256State;
}

/**
 * The running hash part `partNumber` continues, or null when the part before it is not
 * recorded with a running hash (it has not arrived yet, or arrived out of order).
 */
export function linkFor(
  partNumber: number,
  parts: readonly LinkedPart[],
): { before: Sha256State; hash: ResumableSha256 } | null {
  const before =
    partNumber === 1
      ? ResumableSha256.start().save()
      : parts.find((p) => p.partNumber === partNumber - 1)?.link?.after;
  return before ? { before, hash: ResumableSha256.resume(before) } : null;
}

/** How far the recorded parts' links carry the hash, from the file's first byte. */
export function linkedProgress(parts: readonly LinkedPart[]): HashProgress {
  const ordered = [...parts].sort((a, b) => a.partNumber - b.partNumber);
  let progress: HashProgress = { offset: 0, state: ResumableSha256.start().save() };
  for (const [i, part] of ordered.entries()) {
    const link = part.link;
    // A record from before links held the starting state has no `before`: the run ends there.
    if (part.partNumber !== i + 1 || !link?.before || !sameState(link.before, progress.state)) {
      break;
    }
    progress = { offset: progress.offset + part.size, state: link.after };
  }
  return progress;
}

function sameState(a: Sha256State, b: Sha256State): boolean {
  return (
    a.length === b.length &&
    a.h.length === b.h.length &&
    a.h.every((word, i) => word === b.h[i]) &&
    a.pending.length === b.pending.length &&
    a.pending.every((byte, i) => byte === b.pending[i])
  );
}
