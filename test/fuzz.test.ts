// The fuzzer: generated inputs (fast-check) for every input surface of the service, sent to the
// real Workers in workerd with their real bindings (fuzz-surfaces.ts and
// fuzz-delivery-surfaces.ts list the surfaces). For every input:
//   - never a 5xx;
//   - a refusal is a 4xx with a JSON error body, and a 400, 413 or 422 names the field (its
//     `errors` has one of the surface's fields);
//   - a refused request changes nothing: every store is compared with a snapshot (stored-state.ts)
//     after each refused write, and after each surface of reads;
//   - what is stored is what is read back: each surface checks an accepted request against what
//     the API documents it stores (and undoes it, or the snapshot is taken again).
// `npm test` runs it with a fixed seed; `npm run fuzz` with FUZZ_SCALE (10) times the inputs and
// a seed of its own, printed (vitest.config.ts; FUZZ_SEED=n repeats a run). A failure prints
// fast-check's counterexample, shrunk; each one found becomes a case in the hostile tables.

import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import worker, { type BothEnv } from "./both-workers";
import { DELIVERY_SURFACES } from "./fuzz-delivery-surfaces";
import { EDGE_SURFACES } from "./fuzz-edge-surfaces";
import { publishingState, seedPublishing } from "./fuzz-publishing-state";
import { PUBLISHING_SURFACES } from "./fuzz-publishing-surfaces";
import type { Answer, FuzzContext, Surface } from "./fuzz-surface";
import { MANAGEMENT_SURFACES } from "./fuzz-surfaces";
import { type Fixture, type State, seedFixture, snapshot } from "./stored-state";

const { seed, scale } = inject("fuzz");
const SURFACES = [
  ...MANAGEMENT_SURFACES,
  ...PUBLISHING_SURFACES,
  ...DELIVERY_SURFACES,
  ...EDGE_SURFACES,
];

// The fuzzer sends many more requests than a stack's real budgets allow (1,000 management
// requests and 600 new image variants a minute, 1,000 failed token checks here): its requests,
// and its snapshots' list calls, take FUZZ_RATE_LIMIT (a real rate-limiting binding with a
// limit no run reaches; vitest.config.ts) in their place. test/rate-limits.test.ts checks the
// real ones.
const unlimited = (env as unknown as { FUZZ_RATE_LIMIT: RateLimit }).FUZZ_RATE_LIMIT;
const FUZZ_VARS: Partial<BothEnv> = {
  MANAGEMENT_RATE_LIMIT: unlimited,
  IMAGE_TRANSFORMS: unlimited,
  AUTH_FAILURES_PER_MINUTE: "1000000",
};

async function send(request: Request): Promise<Answer> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, { ...env, ...FUZZ_VARS } as BothEnv, ctx);
  const bytes = new Uint8Array(await res.arrayBuffer());
  await waitOnExecutionContext(ctx);
  let body: unknown = null;
  if (/\bjson\b/.test(res.headers.get("content-type") ?? "") && bytes.length > 0) {
    body = JSON.parse(new TextDecoder().decode(bytes));
  }
  return { status: res.status, headers: res.headers, body, bytes };
}

let fixture: Fixture;
let baseline: State;

/** Every store a refused request must leave as it was (stored-state.ts), publishing's too. */
const takeSnapshot = async () => ({
  ...(await snapshot(fixture, FUZZ_VARS)),
  publishing: await publishingState(fixture),
});
const context: FuzzContext = {
  get fixture() {
    return fixture;
  },
  baseline: () => baseline,
  send,
};
/** Per surface: inputs tried, and how many got each status. */
const tried = new Map<string, { inputs: number; statuses: Map<number, number> }>();

beforeAll(async () => {
  ({ fixture } = await seedFixture());
  await seedPublishing(fixture);
  baseline = await takeSnapshot();
  console.log(`fuzz: seed ${seed}, scale ${scale} (FUZZ_SEED=${seed} repeats this run)`);
});

afterAll(() => {
  const rows = [...tried].map(([name, { inputs, statuses }]) => {
    const counts = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`);
    return `${name.padEnd(56)} ${String(inputs).padStart(6)}   ${counts.join(", ")}`;
  });
  const total = [...tried.values()].reduce((sum, t) => sum + t.inputs, 0);
  console.log(`fuzz: seed ${seed}, scale ${scale}, ${total} inputs\n${rows.join("\n")}`);
});

/** A 4xx the surface may answer: JSON, and a 400, 413 or 422 naming one of its fields. */
function checkRefusal(surface: Surface<unknown>, input: unknown, answer: Answer, shown: string) {
  expect(answer.headers.get("content-type"), shown).toMatch(/^application\/json\b/);
  const error = answer.body as { error_code?: unknown; error_message?: unknown; errors?: object };
  expect(typeof error?.error_code, shown).toBe("number");
  expect(typeof error?.error_message, shown).toBe("string");
  if (answer.status === 400 && error.error_code === 148 && surface.malformed?.(input)) return;
  if ([400, 413, 422].includes(answer.status)) {
    const named = Object.keys(error.errors ?? {});
    expect(
      named.some((field) => surface.fields.includes(field)),
      `${shown}: names none of ${surface.fields.join(", ")}`,
    ).toBe(true);
  } else {
    expect(surface.statuses ?? [], shown).toContain(answer.status);
  }
}

async function tryInput(surface: Surface<unknown>, input: unknown) {
  try {
    await checkInput(surface, input);
  } catch (err) {
    // Whatever the failing input left behind is where the shrunk inputs start from, so that
    // fast-check's counterexample is this failure's, not a trace of it.
    baseline = await takeSnapshot();
    throw err;
  }
}

async function checkInput(surface: Surface<unknown>, input: unknown) {
  const request = surface.request(input, fixture);
  const shown = `${request.method} ${request.url.slice(0, 300)}`;
  const answer = await send(request);
  const count = tried.get(surface.name) ?? { inputs: 0, statuses: new Map() };
  count.inputs++;
  count.statuses.set(answer.status, (count.statuses.get(answer.status) ?? 0) + 1);
  tried.set(surface.name, count);
  const described = `${shown} -> ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 300)}`;
  expect(answer.status, described).toBeLessThan(500);
  let outcome: "read" | "undone" | "changed" = "read";
  if (answer.status >= 400) checkRefusal(surface, input, answer, described);
  else if (answer.status < 300) outcome = await surface.accepted(input, answer, context);
  else expect(surface.statuses ?? [], described).toContain(answer.status);
  if (request.method === "GET" || request.method === "HEAD") return;
  // A write: refused or undone, it must have left everything as it was.
  const after = await takeSnapshot();
  if (outcome === "changed") baseline = after;
  else expect(after, `stored data changed by: ${described}`).toEqual(baseline);
}

describe(`the fuzzer (seed ${seed}, scale ${scale})`, () => {
  for (const [i, surface] of SURFACES.entries()) {
    it(
      `${surface.name}: never a 5xx, refusals name the field and change nothing`,
      async () => {
        let failed = true;
        try {
          await fc.assert(
            fc.asyncProperty(surface.input, (input) => tryInput(surface, input)),
            { seed: seed + i, numRuns: surface.runs * scale },
          );
          failed = false;
        } finally {
          // A failure may leave a change behind: later surfaces compare with what is there.
          if (failed) baseline = await takeSnapshot();
        }
        // Reads changed nothing either.
        expect(await takeSnapshot(), "changed by a read").toEqual(baseline);
      },
      120_000 * scale,
    );
  }
});
