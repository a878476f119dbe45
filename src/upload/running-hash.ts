// The whole file's SHA-256 of an upload session, carried from part to part while the parts
// arrive in order: part n continues the hash where part n - 1 left it, and records the state it
// started from (by that part's own SHA-256) and the state after its bytes. At completion, the
// longest run of parts 1..k whose links hold gives the hash of the file's first bytes; only the
// rest, if any (parts sent out of order or in parallel, or replaced later), is read back from
// R2 (objects/upload-object.ts, hashStep). Pure.

import { ResumableSha256, type Sha256State } from "./resumable-sha256";

/** What a part adds to the running hash. */
export interface PartLink {
  /** The SHA-256 of the part before, as recorded when this part started; null for part 1. */
  previousSha256: string | null;
  /** The running hash after this part's bytes. */
  after: Sha256State;
}

/** The fields of a recorded part this needs (objects/upload-object.ts PartRecord). */
export interface LinkedPart {
  partNumber: number;
  size: number;
  sha256: string;
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
): { previousSha256: string | null; hash: ResumableSha256 } | null {
  if (partNumber === 1) return { previousSha256: null, hash: ResumableSha256.start() };
  const previous = parts.find((p) => p.partNumber === partNumber - 1);
  if (!previous?.link) return null;
  return { previousSha256: previous.sha256, hash: ResumableSha256.resume(previous.link.after) };
}

/** How far the recorded parts' links carry the hash, from the file's first byte. */
export function linkedProgress(parts: readonly LinkedPart[]): HashProgress {
  const ordered = [...parts].sort((a, b) => a.partNumber - b.partNumber);
  let progress: HashProgress = { offset: 0, state: ResumableSha256.start().save() };
  let previousSha256: string | null = null;
  for (const [i, part] of ordered.entries()) {
    if (part.partNumber !== i + 1 || part.link?.previousSha256 !== previousSha256) break;
    progress = { offset: progress.offset + part.size, state: part.link.after };
    previousSha256 = part.sha256;
  }
  return progress;
}
