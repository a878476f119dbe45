// One input surface of the fuzzer (fuzz.test.ts), as an entry of its table: what to generate,
// the request it becomes, the fields a refusal may name, and how to check an accepted request.
// A new surface is one more entry in fuzz-surfaces.ts (management API) or
// fuzz-delivery-surfaces.ts (public URLs).

import type fc from "fast-check";
import type { Fixture, State } from "./stored-state";

declare module "vitest" {
  /** What vitest.config.ts provides the fuzzer: its seed, and how many times its inputs. */
  export interface ProvidedContext {
    fuzz: { seed: number; scale: number };
  }
}

/** An answer, its body read: JSON parsed when the type says JSON, the text otherwise. */
export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  bytes: Uint8Array;
}

export interface FuzzContext {
  fixture: Fixture;
  /** The stored state as it is now (refused requests must leave it so). */
  baseline(): State;
  /** Sends a request through the Worker as the fuzzer does. */
  send(request: Request): Promise<Answer>;
}

/**
 * What an accepted (2xx) request did, once the surface has checked that what was stored reads
 * back as sent: nothing stored ("read"), stored and undone ("undone"), or stored for good
 * ("changed": the fuzzer takes a new snapshot to compare later refusals with).
 */
export type Outcome = "read" | "undone" | "changed";

export interface Surface<T> {
  name: string;
  /** Inputs `npm test` tries; `npm run fuzz` tries FUZZ_SCALE times as many. */
  runs: number;
  input: fc.Arbitrary<T>;
  request(input: T, fixture: Fixture): Request;
  /** The fields a 400, 413 or 422 may name: each such refusal must name one of them. */
  fields: readonly string[];
  /** Other answers that are right for some input (404 for a version the asset never had...). */
  statuses?: readonly number[];
  /**
   * Inputs the runtime cannot send as a well-formed body (a NUL written raw into a multipart
   * header): for them, a 400 saying the body is malformed (error_code 148) is right.
   */
  malformed?(input: T): boolean;
  /** Checks an accepted request (throws when wrong) and says what it did. */
  accepted(input: T, answer: Answer, context: FuzzContext): Promise<Outcome>;
}

/** A table entry: the input type is checked where the surface is written, then erased. */
export const surface = <T>(entry: Surface<T>): Surface<unknown> =>
  entry as unknown as Surface<unknown>;
