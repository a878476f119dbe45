import { defineConfig } from "vitest/config";

// The end-to-end project: Node.js tests (shell walk-through, typed client, browser) against one
// real `wrangler dev` started by e2e/server.setup.ts. Files run one at a time: they share the
// server and this machine has two cores.
export default defineConfig({
  test: {
    include: ["e2e/**/*.test.ts"],
    environment: "node",
    globalSetup: ["e2e/server.setup.ts"],
    setupFiles: ["./test/count-assertions.ts"],
    reporters: ["default", ["./test/assertion-count-reporter.ts", { suite: "e2e" }]],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
