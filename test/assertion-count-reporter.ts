// A vitest reporter (both suites) that prints, after a run, how many assertions its tests made
// and in how many tests (test/count-assertions.ts records them). With ASSERTION_COUNTS=prefix it
// also writes them to prefix.{suite}.json, per file and per test, to compare two runs. fast-check
// properties make a different number each run (their inputs are random); every other test the same.

import { writeFileSync } from "node:fs";
import type { Reporter, TestModule } from "vitest/node";

export default class AssertionCountReporter implements Reporter {
  /** The suite's name: the JSON goes to `${ASSERTION_COUNTS}.${suite}.json`. */
  constructor(readonly options: { suite: string }) {}

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const files: Record<
      string,
      { tests: number; assertions: number; each: Record<string, number> }
    > = {};
    let tests = 0;
    let assertions = 0;
    for (const module of testModules) {
      const file = { tests: 0, assertions: 0, each: {} as Record<string, number> };
      for (const test of module.children.allTests()) {
        if (test.result().state === "skipped") continue;
        file.tests++;
        const made = test.meta().assertions ?? 0;
        file.assertions += made;
        file.each[test.fullName] = made;
      }
      files[module.relativeModuleId] = file;
      tests += file.tests;
      assertions += file.assertions;
    }
    console.log(`Assertions: ${assertions} in ${tests} tests`);
    const out = process.env.ASSERTION_COUNTS;
    if (out)
      writeFileSync(
        `${out}.${this.options.suite}.json`,
        `${JSON.stringify({ tests, assertions, files }, null, 2)}\n`,
      );
  }
}
