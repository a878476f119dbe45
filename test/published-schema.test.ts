// The published catalogue's D1 schema (migrations/published): what the suite's setup applied,
// and that its listings read in index order (the query plans a 10,000-asset listing relies on).

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const plan = async (sql: string, ...params: unknown[]) => {
  const { results } = await env.PUBLISHED.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((r) => r.detail).join("\n");
};

describe("the published catalogue's schema", () => {
  it("has every migration applied, recorded as wrangler records it", async () => {
    const { results } = await env.PUBLISHED.prepare("SELECT name FROM d1_migrations").all();
    expect(results.map((r) => r.name)).toEqual(["0001_published_assets.sql"]);
  });

  it.each([
    ["created_at", "published_created"],
    ["updated_at", "published_updated"],
    ["title", "published_title"],
    ["file_size", "published_size"],
  ])("reads a page sorted by %s from its index, with no sort step", async (column, index) => {
    const detail = await plan(
      `SELECT body FROM published_assets WHERE api_key = ? AND environment_uid = ?
       ORDER BY ${column} DESC, uid DESC LIMIT 100`,
      "k",
      "e",
    );
    expect(detail).toContain(index);
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });

  it("counts an environment's assets from an index alone", async () => {
    const detail = await plan(
      "SELECT COUNT(*) FROM published_assets WHERE api_key = ? AND environment_uid = ?",
      "k",
      "e",
    );
    expect(detail).toMatch(/COVERING INDEX|USING PRIMARY KEY/);
  });
});
