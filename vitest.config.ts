import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { kCurrentWorker } from "miniflare";
import { defineConfig } from "vitest/config";
import { readMigrations } from "./scripts/d1-migrations.mjs";

// Tests use their own ADMIN_TOKEN whatever a developer's .dev.vars holds (bindings set here win).
const ADMIN_TOKEN = "test-admin-token";
// The suite runs in the strict local mode (strict/: production's limits on the local bindings)
// unless STRICT_LIMITS=0; STRICT_* variables set here reach the wrappers too.
const STRICT_LIMITS = process.env.STRICT_LIMITS === "0" ? "0" : "1";
const strictVars = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => name.startsWith("STRICT_") && name !== "STRICT_LIMITS",
  ),
) as Record<string, string>;

// The fuzzer (test/fuzz.test.ts): `npm test` runs it with this fixed seed and scale 1; `npm run
// fuzz` sets FUZZ_SCALE=10 and, unless FUZZ_SEED is given, a seed of its own, printed here.
const FUZZ_SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const FUZZ_SEED = Number(
  process.env.FUZZ_SEED ?? (FUZZ_SCALE > 1 ? Math.floor(Math.random() * 2 ** 31) : 20),
);
if (FUZZ_SCALE > 1) console.log(`fuzz: seed ${FUZZ_SEED} (FUZZ_SEED=${FUZZ_SEED} repeats it)`);

export default defineConfig({
  plugins: [
    cloudflareTest({
      // Both Workers in one (test/both-workers.ts), with the management Worker's bindings.
      wrangler: { configPath: "./wrangler.toml" },
      main: "./test/both-workers.ts",
      // An 8 MiB upload limit keeps the 413 tests small while still exercising R2 multipart
      // (parts are 5 MiB).
      // The auth matrix makes dozens of failed token checks from one client: the failure limit
      // is raised here, and test/rate-limits.test.ts checks the real one.
      miniflare: {
        // The management Worker's bindings to the control entrypoints and the delivery Worker's
        // to the content delivery Worker, each an entrypoint test/both-workers.ts exports itself.
        serviceBindings: {
          DELIVERY: { name: kCurrentWorker, entrypoint: "DeliveryControl" },
          CONTENT_CONTROL: { name: kCurrentWorker, entrypoint: "ContentControl" },
          CONTENT: { name: kCurrentWorker, entrypoint: "ContentDelivery" },
        },
        // The delivery Worker's own bindings (wrangler.delivery.toml) that wrangler.toml lacks
        // (the content delivery Worker's are all in it).
        images: { binding: "IMAGES" },
        ratelimits: {
          IMAGE_TRANSFORMS: { simple: { limit: 600, period: 60 } },
          // A real limiter no run reaches, which the fuzzer passes in place of the per-stack ones.
          FUZZ_RATE_LIMIT: { simple: { limit: 1_000_000_000, period: 60 } },
        },
        bindings: {
          ADMIN_TOKEN,
          STRICT_LIMITS,
          ...strictVars,
          MAX_UPLOAD_BYTES: String(8 * 1024 * 1024),
          AUTH_FAILURES_PER_MINUTE: "1000",
          // A completion that reads parts back hashes them in steps of this many bytes: small
          // and not a multiple of SHA-256's 64-byte block, so the tests' 5 MiB parts take
          // several steps that each end mid-block.
          COMPLETE_HASH_STEP_BYTES: String(2 * 1024 * 1024 + 3),
          // The published catalogue's migrations, applied by test/apply-migrations.ts.
          TEST_MIGRATIONS: readMigrations(),
        },
      },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["./test/apply-migrations.ts", "./test/count-assertions.ts"],
    reporters: ["default", ["./test/assertion-count-reporter.ts", { suite: "workerd" }]],
    provide: { fuzz: { seed: FUZZ_SEED, scale: FUZZ_SCALE } },
  },
});
