// One Durable Object per multipart upload session: the consistent record of which parts R2
// holds, and the only place a session moves from open to completed, aborted or expired. The
// bytes never pass through here: the worker streams each part into R2 and reports it.
// An alarm at the session's expiry aborts the R2 upload of an abandoned session.

import { DurableObject } from "cloudflare:workers";
import { ResumableSha256 } from "../base/resumable-sha256";
import { type HashProgress, linkedProgress, type PartLink } from "../base/running-hash";
import { config } from "../config";
import { pendingKeyOf } from "../domain/pending-uploads";
import type { Dimensions } from "../domain/records";
import { missingParts, type PartPlan } from "../domain/upload-parts";
import { hashRange } from "./hash-range";

export type UploadState = "open" | "completing" | "completed" | "aborted" | "expired" | "failed";

export interface UploadSession extends PartPlan {
  uid: string;
  apiKey: string;
  /** The asset this upload creates or replaces. */
  assetUid: string;
  mode: "create" | "replace";
  fileUid: string;
  filename: string;
  safeFilename: string;
  contentType: string;
  objectKey: string;
  r2UploadId: string;
  /** The client's SHA-256 of the whole file, checked at completion. */
  sha256: string | null;
  title: string | null;
  description: string | null;
  state: UploadState;
  /** While completing: until when the completing request holds the session (ms). */
  completingUntil: number | null;
  createdAt: string;
  expiresAt: string;
}

export interface PartRecord {
  partNumber: number;
  size: number;
  sha256: string;
  etag: string;
  /** The whole file's running hash after this part (base/running-hash.ts), if it had one. */
  link: PartLink | null;
  /** Part 1's image size (version-sink.ts); absent in parts recorded before issue 13. */
  dimension?: Dimensions | null;
}

/** One call's progress through the whole file's SHA-256 once R2 has assembled it. */
export type HashStep =
  | { ok: true; done: true; sha256: string }
  | { ok: true; done: false; offset: number }
  | { ok: false; state: UploadState | null };

/** How far the hash of one assembled object (named by its etag) has got. */
interface AssembledHash extends HashProgress {
  etag: string;
}

export interface UploadStatus {
  session: UploadSession;
  parts: PartRecord[];
}

export type BeginComplete =
  | { ok: true; status: UploadStatus }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "not_open"; state: UploadState }
  | { ok: false; reason: "completed"; status: UploadStatus }
  | { ok: false; reason: "missing_parts"; missing: number[] };

/** How long one completing request may hold a session before a retry can take over. */
const COMPLETE_LEASE_MS = 15 * 60 * 1000;

const SESSION = "session";
const HASH = "hash";
const partKey = (n: number) => `part:${String(n).padStart(5, "0")}`;

export class UploadObject extends DurableObject<Env> {
  /** The hash steps of this instance, one after another. */
  #hashing: Promise<unknown> = Promise.resolve();

  async start(session: UploadSession): Promise<boolean> {
    const created = this.ctx.storage.transactionSync(() => {
      if (this.#session()) return false;
      this.ctx.storage.kv.put(SESSION, session);
      return true;
    });
    if (created) await this.ctx.storage.setAlarm(Date.parse(session.expiresAt));
    return created;
  }

  status(): UploadStatus | null {
    const session = this.#session();
    return session ? { session, parts: this.#parts() } : null;
  }

  /** Records a part R2 now holds (a retried part replaces the earlier record). */
  recordPart(part: PartRecord): { ok: true } | { ok: false; state: UploadState | null } {
    return this.ctx.storage.transactionSync(() => {
      const session = this.#session();
      if (session?.state !== "open") return { ok: false, state: session?.state ?? null };
      this.ctx.storage.kv.put(partKey(part.partNumber), part);
      return { ok: true };
    });
  }

  /** Claims the session for one completing request, if every part is there. */
  beginComplete(now: number): BeginComplete {
    return this.ctx.storage.transactionSync((): BeginComplete => {
      const session = this.#session();
      if (!session) return { ok: false, reason: "not_found" };
      if (session.state === "completed") {
        return { ok: false, reason: "completed", status: { session, parts: this.#parts() } };
      }
      if (now >= Date.parse(session.expiresAt) && session.state === "open") {
        return { ok: false, reason: "not_open", state: "expired" };
      }
      const held = session.state === "completing" && (session.completingUntil ?? 0) > now;
      if ((session.state !== "open" && session.state !== "completing") || held) {
        return { ok: false, reason: "not_open", state: session.state };
      }
      const parts = this.#parts();
      const missing = missingParts(
        session,
        parts.map((p) => p.partNumber),
      );
      if (missing.length > 0) return { ok: false, reason: "missing_parts", missing };
      const next = {
        ...session,
        state: "completing" as const,
        completingUntil: now + COMPLETE_LEASE_MS,
      };
      this.ctx.storage.kv.put(SESSION, next);
      return { ok: true, status: { session: next, parts } };
    });
  }

  /**
   * One step of the whole file's SHA-256 once R2 has assembled it (`assembled` names the object):
   * it starts where the parts' running hash stopped, or where the last step did (also a step of
   * an earlier completing request), and reads at most COMPLETE_HASH_STEP_BYTES. Each step is one
   * call, so however large the file, no invocation hashes more than that; the state in between is
   * stored here. Each step renews the completing request's lease.
   */
  hashStep(assembled: { etag: string; size: number }): Promise<HashStep> {
    const step = this.#hashing.then(() => this.#hashStep(assembled));
    this.#hashing = step.catch(() => undefined);
    return step;
  }

  async #hashStep({ etag, size }: { etag: string; size: number }): Promise<HashStep> {
    const session = this.#session();
    if (session?.state !== "completing") return { ok: false, state: session?.state ?? null };
    const saved = this.ctx.storage.kv.get<AssembledHash>(HASH);
    const progress = saved?.etag === etag ? saved : linkedProgress(this.#parts());
    if (progress.offset > size) throw new Error(`hashed ${progress.offset} of ${size} bytes`);
    const hash = ResumableSha256.resume(progress.state);
    if (progress.offset === size) return { ok: true, done: true, sha256: hash.hex() };
    const length = Math.min(config(this.env).completeHashStepBytes, size - progress.offset);
    await hashRange(
      this.env.FILES,
      session.objectKey,
      etag,
      { offset: progress.offset, length },
      hash,
    );
    const next: AssembledHash = { etag, offset: progress.offset + length, state: hash.save() };
    this.ctx.storage.transactionSync(() => {
      this.ctx.storage.kv.put(HASH, next);
      const current = this.#session();
      if (current?.state === "completing") {
        this.ctx.storage.kv.put(SESSION, {
          ...current,
          completingUntil: Date.now() + COMPLETE_LEASE_MS,
        });
      }
    });
    if (next.offset < size) return { ok: true, done: false, offset: next.offset };
    return { ok: true, done: true, sha256: hash.hex() };
  }

  /** Ends a completing session: completed (the version is committed) or failed. */
  async endComplete(state: "completed" | "failed"): Promise<void> {
    this.ctx.storage.transactionSync(() => {
      const session = this.#session();
      if (session?.state !== "completing") return;
      this.ctx.storage.kv.put(SESSION, { ...session, state, completingUntil: null });
      this.ctx.storage.kv.delete(HASH);
    });
    await this.ctx.storage.deleteAlarm();
  }

  /**
   * Reopens a session whose completion failed unexpectedly, so the client can send parts again,
   * complete again, or abort.
   */
  releaseComplete(): void {
    this.ctx.storage.transactionSync(() => {
      const session = this.#session();
      if (session?.state === "completing") {
        this.ctx.storage.kv.put(SESSION, { ...session, state: "open", completingUntil: null });
      }
    });
  }

  /** Aborts an open session and its R2 upload. */
  async abort(): Promise<{ ok: true } | { ok: false; state: UploadState | null }> {
    return this.#close("aborted");
  }

  override async alarm(): Promise<void> {
    const result = await this.#close("expired");
    if (!result.ok && result.state === "completing") {
      // A completing request still holds it: look again when its lease ends.
      await this.ctx.storage.setAlarm(Date.now() + COMPLETE_LEASE_MS);
    }
  }

  async #close(
    state: "aborted" | "expired",
  ): Promise<{ ok: true } | { ok: false; state: UploadState | null }> {
    const session = this.ctx.storage.transactionSync(() => {
      const current = this.#session();
      // A completion whose lease ran out (its request died) no longer holds the session.
      const abandoned =
        current?.state === "completing" && (current.completingUntil ?? 0) <= Date.now();
      if (current?.state !== "open" && !abandoned) return null;
      this.ctx.storage.kv.put(SESSION, { ...current, state });
      return current;
    });
    if (!session) return { ok: false, state: this.#session()?.state ?? null };
    try {
      await this.env.FILES.resumeMultipartUpload(session.objectKey, session.r2UploadId).abort();
      // Nothing of it is stored now: its record of a pending upload goes too.
      await this.env.FILES.delete(pendingKeyOf(session.objectKey));
    } catch (err) {
      // R2 also drops incomplete multipart uploads on its own after 7 days; a record left
      // behind is the orphan sweep's.
      console.warn("could not abort an R2 multipart upload", session.uid, err);
    }
    await this.ctx.storage.deleteAlarm();
    return { ok: true };
  }

  #session(): UploadSession | undefined {
    return this.ctx.storage.kv.get<UploadSession>(SESSION);
  }

  #parts(): PartRecord[] {
    // Records from before running hashes existed have no link.
    return [...this.ctx.storage.kv.list<PartRecord>({ prefix: "part:" })].map(([, p]) => ({
      ...p,
      link: p.link ?? null,
    }));
  }
}
