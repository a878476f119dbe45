// Setup of both suites: each test records how many assertions it made (expect's own count), so
// test/assertion-count-reporter.ts can print the run's total. A test rewritten as a table must
// keep the total: the count is how a refactor of tests shows that no assertion was lost.

import { afterEach, expect } from "vitest";

declare module "vitest" {
  interface TaskMeta {
    assertions?: number;
  }
}

afterEach((context) => {
  context.task.meta.assertions = expect.getState().assertionCalls;
});
