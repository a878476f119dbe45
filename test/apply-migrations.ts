// The workerd suite's setup: each test file's isolated storage starts with the published
// catalogue's D1 tables, from the same migration files `npm start` and production apply
// (vitest.config.ts reads them through scripts/d1-migrations.mjs).

import { applyD1Migrations, type D1Migration, env } from "cloudflare:test";

const { PUBLISHED, TEST_MIGRATIONS } = env as Env & { TEST_MIGRATIONS: D1Migration[] };
await applyD1Migrations(PUBLISHED, TEST_MIGRATIONS);
