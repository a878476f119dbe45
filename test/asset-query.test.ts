// The listing's pure parts: the `query` filter parser, `$regex` to GLOB, the SQL it compiles
// to, and tag lists. The GLOB patterns are also run by SQLite itself, in a stack's Durable Object,
// against what JavaScript's own RegExp says for the same pattern.

import { env, runInDurableObject } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAssetQuery } from "../src/domain/asset-query";
import { compileFilter, compileOrder } from "../src/domain/asset-query-sql";
import { MAX_REGEX_LENGTH, regexToGlob } from "../src/domain/regex-glob";
import { checkTags, MAX_TAGS, tagsFromText } from "../src/domain/tags";
import type { StackObject } from "../src/objects/stack-object";
import { stackStub } from "../src/objects/stubs";

const UID = "blt0123456789abcdef";

describe("parseAssetQuery", () => {
  it.each([
    ['{"title": "Banner"}', [{ kind: "equals", field: "title", value: "Banner" }]],
    ['{"filename": "a.png"}', [{ kind: "equals", field: "filename", value: "a.png" }]],
    [
      '{"content_type": "image/png"}',
      [{ kind: "equals", field: "content_type", value: "image/png" }],
    ],
    [`{"parent_uid": "${UID}"}`, [{ kind: "parent", folder: UID }]],
    ['{"parent_uid": null}', [{ kind: "parent", folder: null }]],
    ['{"tags": "home"}', [{ kind: "tags", match: "any", tags: ["home"] }]],
    ['{"tags": {"$in": ["a", " b ", "a"]}}', [{ kind: "tags", match: "any", tags: ["a", "b"] }]],
    ['{"tags": {"$all": ["a", "b"]}}', [{ kind: "tags", match: "all", tags: ["a", "b"] }]],
    [
      '{"file_size": {"$gte": 10, "$lt": "100"}}',
      [
        { kind: "range", field: "file_size", operator: "$gte", value: 10 },
        { kind: "range", field: "file_size", operator: "$lt", value: 100 },
      ],
    ],
    [
      '{"created_at": {"$gt": "2026-01-31"}}',
      [{ kind: "range", field: "created_at", operator: "$gt", value: "2026-01-31T00:00:00.000Z" }],
    ],
    [
      '{"updated_at": {"$lte": "2026-01-31T10:00:00+02:00"}}',
      [{ kind: "range", field: "updated_at", operator: "$lte", value: "2026-01-31T08:00:00.000Z" }],
    ],
    ['{"title": {"$regex": "^ban"}}', [{ kind: "glob", field: "title", glob: "ban*" }]],
    [
      '{"filename": {"$regex": "png$", "$options": "i"}}',
      [{ kind: "glob", field: "filename", glob: "*[pP][nN][gG]" }],
    ],
    ["{}", []],
  ])("accepts %s", (text, conditions) => {
    expect(parseAssetQuery(text)).toEqual({ ok: true, conditions });
  });

  it.each([
    ['{"$where": "this.a == 1"}', "$where is not a supported operator"],
    ['{"$or": [{"title": "a"}]}', "$or is not a supported operator"],
    ['{"title": {"$ne": "a"}}', "$ne is not a supported operator on title"],
    ['{"title": {"$in": ["a"]}}', "$in is not a supported operator on title"],
    ['{"tags": {"$nin": ["a"]}}', "$nin is not a supported operator on tags"],
    ['{"file_size": {"$eq": 1}}', "$eq is not a supported operator on file_size"],
    ['{"file_size": 5}', "file_size takes only $gt, $gte, $lt and $lte"],
    ['{"content_type": {"$regex": "image"}}', "$regex is not a supported operator on content_type"],
    ['{"colour": "blue"}', "colour is not a field a query can filter on"],
    ['{"__proto__": {"title": "x"}}', "__proto__ is not a field a query can filter on"],
    ['{"title": 5}', "title must be compared with a string"],
    ['{"title": {"a": 1}}', "title must be a value or an object of operators"],
    ['{"title": {}}', "title has an empty object of operators"],
    ['{"title": {"$options": "i"}}', "$options on title needs $regex"],
    ['{"title": {"$regex": "a", "$options": "x"}}', '$options on title may only be "i"'],
    ['{"title": {"$regex": "(a+)+$"}}', "groups and alternatives ('(') are not supported"],
    ['{"created_at": {"$gt": "yesterday"}}', "created_at $gt needs an ISO 8601 date"],
    ['{"created_at": {"$gt": "2026-02-31"}}', "created_at $gt needs an ISO 8601 date"],
    ['{"file_size": {"$gt": -1}}', "file_size $gt needs a whole number of bytes"],
    ['{"file_size": {"$gt": 1.5}}', "file_size $gt needs a whole number of bytes"],
    ['{"parent_uid": "root"}', "parent_uid must be a folder uid or null"],
    ['{"tags": {"$in": []}}', "tags $in needs an array of 1 to 20 tags"],
    ['{"tags": {"$in": "a"}}', "tags $in needs an array of 1 to 20 tags"],
    ['{"tags": {"$all": ["a,b"]}}', "tags $all: a tag must not contain a comma"],
    ["[]", "must be a JSON object"],
    ["null", "must be a JSON object"],
    ["{", "must be a JSON object"],
  ])("refuses %s, naming what", (text, reason) => {
    const result = parseAssetQuery(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it("refuses a date that JavaScript would roll over (2026-02-31)", () => {
    expect(parseAssetQuery('{"created_at": {"$gt": "2026-02-30T00:00:00Z"}}').ok).toBe(false);
  });

  it("refuses huge or deep JSON before looking inside it", () => {
    expect(parseAssetQuery(`{"title": "${"x".repeat(5000)}"}`)).toMatchObject({ ok: false });
    const deep = `${'{"title":'.repeat(400)}"x"${"}".repeat(400)}`;
    expect(parseAssetQuery(deep)).toMatchObject({ ok: false });
    const many = JSON.stringify({ tags: { $in: Array.from({ length: 21 }, (_, i) => `t${i}`) } });
    expect(parseAssetQuery(many)).toMatchObject({ ok: false });
  });
});

describe("regexToGlob", () => {
  it.each([
    ["", false, "*"],
    ["abc", false, "*abc*"],
    ["^abc$", false, "abc"],
    ["^a.c", false, "a?c*"],
    ["^a.*c$", false, "a*c"],
    ["^a.+c$", false, "a?*c"],
    ["a\\.b", false, "*a.b*"],
    ["\\*\\?\\[", false, "*[*][?][[]*"],
    ["^[abc]$", false, "[abc]"],
    ["^[a-c]x$", false, "[a-c]x"],
    ["^[^a-c]$", false, "[^a-c]"],
    ["^[]a]$", false, null],
    ["^[\\]a]$", false, "[]a]"],
    ["^[a-]$", false, "[a-]"],
    ["^[\\^a]$", false, "[a^]"],
    ["^\\d\\d$", false, "[0-9][0-9]"],
    ["^\\D$", false, "[^0-9]"],
    ["^Ab$", true, "[aA][bB]"],
    ["^[a-c]$", true, "[a-cA-C]"],
    ["^1-2$", true, "1-2"],
    ["a$b", false, null],
    ["a^", false, null],
    ["^(a+)+$", false, null],
    ["a|b", false, null],
    ["a+", false, null],
    ["a*", false, null],
    ["a{2}", false, null],
    ["\\1", false, null],
    ["\\b", false, null],
    ["[abc", false, null],
    ["a\\", false, null],
    ["^[\\D]$", false, null],
    ["^[à-ÿ]$", true, null],
    [".*.*.*.*.*.*.*.*", false, null],
    ["^.*.*.*.*.*.*.*.*$", false, "*"],
  ])("translates %j (i: %s) to %j", (pattern, caseless, glob) => {
    const result = regexToGlob(pattern, caseless);
    if (glob === null) expect(result.ok).toBe(false);
    else expect(result).toEqual({ ok: true, glob });
  });

  it(`refuses a pattern over ${MAX_REGEX_LENGTH} characters`, () => {
    expect(regexToGlob("a".repeat(MAX_REGEX_LENGTH + 1), false).ok).toBe(false);
    expect(regexToGlob("a".repeat(MAX_REGEX_LENGTH), false).ok).toBe(true);
  });

  // What SQLite's GLOB says, asked in a stack's Durable Object (the database the listing uses).
  async function globMatches(pairs: [string, string][]): Promise<boolean[]> {
    const stub = stackStub(env, "blt00000000000000aa");
    return runInDurableObject(stub, (_instance: StackObject, state) =>
      pairs.map(
        ([text, glob]) =>
          state.storage.sql.exec<{ m: number }>("SELECT ? GLOB ? AS m", text, glob).one().m === 1,
      ),
    );
  }

  it("matches in SQLite exactly what the regular expression matches", async () => {
    const atom = fc.oneof(
      fc.constantFrom("a", "b", "A", ".", ".*", ".+", "\\.", "[ab]", "[^a]", "[a-c]", "\\d", "é"),
      fc.constantFrom("x", "*", "?", "["),
    );
    const patterns = fc.tuple(
      fc.boolean(),
      fc.array(atom, { maxLength: 6 }),
      fc.boolean(),
      fc.boolean(),
    );
    const texts = fc.stringMatching(/^[abAB.xé1*?[]{0,8}$/);
    const samples = fc.sample(fc.tuple(patterns, fc.array(texts, { minLength: 5, maxLength: 5 })), {
      numRuns: 200,
      seed: 13,
    });
    const pairs: [string, string][] = [];
    const expected: boolean[] = [];
    for (const [[start, atoms, end, caseless], candidates] of samples) {
      // A literal *, ? or [ in a regex must be escaped; GLOB needs them in a class.
      const body = atoms.map((a) => (a === "*" || a === "?" || a === "[" ? `\\${a}` : a)).join("");
      const pattern = `${start ? "^" : ""}${body}${end ? "$" : ""}`;
      const glob = regexToGlob(pattern, caseless);
      if (!glob.ok) continue;
      const regex = new RegExp(pattern, caseless ? "iu" : "u");
      for (const text of candidates) {
        pairs.push([text, glob.glob]);
        expected.push(regex.test(text));
      }
    }
    expect(pairs.length).toBeGreaterThan(500);
    expect(await globMatches(pairs)).toEqual(expected);
  });
});

describe("compileFilter and compileOrder", () => {
  it("binds every value and leaves folders out unless asked", () => {
    const sql = compileFilter({
      conditions: [
        { kind: "equals", field: "title", value: "x'; DROP TABLE catalog; --" },
        { kind: "tags", match: "all", tags: ["a", "b"] },
        { kind: "range", field: "file_size", operator: "$lt", value: 10 },
      ],
      search: "50%_off",
      folder: null,
      includeFolders: false,
    });
    expect(sql.where).toBe(
      "c.deleted = 0 AND c.is_dir = 0 AND c.parent_uid IS ? AND " +
        "(c.title LIKE ? ESCAPE '\\' OR c.filename LIKE ? ESCAPE '\\') AND c.title = ? AND " +
        "c.uid IN (SELECT uid FROM catalog_tags WHERE tag IN (?, ?) GROUP BY uid HAVING COUNT(*) = 2) AND " +
        "c.file_size < ?",
    );
    expect(sql.params).toEqual([
      null,
      "%50\\%\\_off%",
      "%50\\%\\_off%",
      "x'; DROP TABLE catalog; --",
      "a",
      "b",
      10,
    ]);
    expect(compileFilter({ conditions: [], search: "", includeFolders: true })).toEqual({
      where: "c.deleted = 0",
      params: [],
    });
  });

  it("orders by the field, then by uid in the same direction", () => {
    expect(compileOrder({ field: "title", direction: "asc" })).toBe("c.title ASC, c.uid ASC");
    expect(compileOrder({ field: "file_size", direction: "desc" })).toBe(
      "c.file_size DESC, c.uid DESC",
    );
  });
});

describe("tags", () => {
  it("trims, normalises and de-duplicates, keeping the order given", () => {
    expect(checkTags([" home ", "Home", "home", "cafe\u0301"])).toEqual({
      ok: true,
      tags: ["home", "Home", "café"],
    });
    expect(tagsFromText("a, b ,c")).toEqual({ ok: true, tags: ["a", "b", "c"] });
    expect(tagsFromText("")).toEqual({ ok: true, tags: [] });
    expect(tagsFromText("   ")).toEqual({ ok: true, tags: [] });
  });

  it.each([
    [["a", 5], "each tag must be a string"],
    [[""], "a tag must not be empty"],
    [["x".repeat(101)], "a tag must be at most 100 characters"],
    [["a,b"], "a tag must not contain a comma"],
    [["a\u0000b"], "a tag must not contain control characters"],
    [Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`), `must have at most ${MAX_TAGS} tags`],
    ["a", "must be an array of strings"],
  ])("refuses %j", (tags, reason) => {
    expect(checkTags(tags)).toEqual({ ok: false, reason });
  });

  it("refuses an empty item and an over-long text in the comma form", () => {
    expect(tagsFromText("a,,b")).toEqual({ ok: false, reason: "a tag must not be empty" });
    expect(tagsFromText(",".repeat(10_000)).ok).toBe(false);
  });
});
