// The D1 migrations of the published catalogue (migrations/published/*.sql), read and applied the
// way `wrangler d1 migrations apply` does: in file-name order, each once, recorded in the
// d1_migrations table wrangler keeps, so a database migrated here and one migrated by wrangler
// agree on what is applied. `npm start` (scripts/serve.mjs) applies them to the local database
// at every start; the workerd suite's config reads them for its setup (test/apply-migrations.ts);
// production runs `wrangler d1 migrations apply` (docs/DEPLOY.md).

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const PUBLISHED_MIGRATIONS = fileURLToPath(
  new URL("../migrations/published", import.meta.url),
);

/**
 * Splits one migration file into statements. Our migrations are plain DDL: `--` comments on
 * lines of their own, statements ending in `;` at the end of a line, no `;` inside a literal.
 */
export function splitStatements(sql) {
  const lines = sql.split("\n").filter((line) => !line.trimStart().startsWith("--"));
  return lines
    .join("\n")
    .split(/;\s*$/m)
    .map((statement) => statement.trim())
    .filter((statement) => statement !== "");
}

/** Every migration in the folder, in name order: [{name, queries}]. */
export function readMigrations(dir = PUBLISHED_MIGRATIONS) {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".sql"))
    .sort()
    .map((name) => ({ name, queries: splitStatements(readFileSync(join(dir, name), "utf8")) }));
}

// wrangler's own table (its d1 migrations commands create and read exactly this).
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS d1_migrations(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`;

/** Applies what `db` (a D1Database) has not had yet, each migration in one batch; returns their names. */
export async function applyMigrations(db, migrations = readMigrations()) {
  await db.prepare(MIGRATIONS_TABLE).run();
  const { results } = await db.prepare("SELECT name FROM d1_migrations").all();
  const applied = new Set(results.map((row) => row.name));
  const done = [];
  for (const { name, queries } of migrations) {
    if (applied.has(name)) continue;
    await db.batch([
      ...queries.map((query) => db.prepare(query)),
      db.prepare("INSERT INTO d1_migrations (name) VALUES (?)").bind(name),
    ]);
    done.push(name);
  }
  return done;
}
