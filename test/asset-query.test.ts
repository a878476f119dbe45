// The listing's pure parts: the `query` filter parser, `$regex` parsed into a pattern and the
// matcher that runs it (fuzzed against what JavaScript's own RegExp says for the same pattern),
// `search`, the SQL a filter compiles to, and tag lists.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAssetQuery } from "../src/domain/asset-query";
import { compileFilter, compileOrder } from "../src/domain/asset-query-sql";
import { MAX_REGEX_LENGTH, parseRegexPattern } from "../src/domain/regex-pattern";
import { checkTags, MAX_TAGS, tagsFromText } from "../src/domain/tags";
import { compilePattern, containsPattern } from "../src/domain/text-pattern";

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
    [
      '{"title": {"$regex": "^b.n"}}',
      [
        {
          kind: "pattern",
          field: "title",
          pattern: {
            caseless: false,
            items: [
              { kind: "one", source: "b" },
              { kind: "one", source: "." },
              { kind: "one", source: "n" },
              { kind: "run" },
            ],
          },
        },
      ],
    ],
    [
      '{"filename": {"$regex": "[.]png$", "$options": "i"}}',
      [
        {
          kind: "pattern",
          field: "filename",
          pattern: {
            caseless: true,
            items: [
              { kind: "run" },
              { kind: "one", source: "[\\.]" },
              { kind: "one", source: "p" },
              { kind: "one", source: "n" },
              { kind: "one", source: "g" },
            ],
          },
        },
      ],
    ],
    [
      '{"content_type": {"$regex": "^image"}}',
      [
        {
          kind: "pattern",
          field: "content_type",
          pattern: {
            caseless: false,
            items: [
              ..."image".split("").map((source) => ({ kind: "one", source })),
              { kind: "run" },
            ],
          },
        },
      ],
    ],
    ['{"title": "cafe\u0301"}', [{ kind: "equals", field: "title", value: "caf\u00e9" }]],
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
    ['{"content_type": {"$in": ["image/png"]}}', "$in is not a supported operator on content_type"],
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
    ['{"title": "a\\u0000b"}', "title's value must not contain control characters"],
    ['{"title": {"$regex": "^a\\u0000"}}', "title's value must not contain control characters"],
    ['{"filename": "\\ud800"}', "filename's value must be well-formed Unicode"],
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

// Characters whose case folding differs between naive toLowerCase() and Unicode's (final
// sigma, Kelvin sign, long s, dotted and dotless i), besides plain ones and metacharacters.
const ALPHABET = [..."abAB.x1*?[\u00e9\u00c9\u03c3\u03c2\u03a3\u212akK\u017fsS\u0130\u0131i"];

/** Whether the $regex matches the text, by the parser and the matcher; null when refused. */
function regexMatches(regex: string, caseless: boolean, text: string): boolean | null {
  const parsed = parseRegexPattern(regex, caseless);
  return parsed.ok ? compilePattern(parsed.pattern)(text) : null;
}

describe("$regex patterns", () => {
  it.each([
    ["", false, ["", "anything"], []],
    ["abc", false, ["abc", "xabcx"], ["ab", "ABC", "a-b-c"]],
    ["^abc$", false, ["abc"], ["abcd", "xabc"]],
    ["^a.c", false, ["abc", "a\u{1f600}cde"], ["ac", "xabc"]],
    ["^a.*c$", false, ["ac", "abbbc"], ["acx"]],
    ["^a.+c$", false, ["abc", "abbc"], ["ac"]],
    ["a\\.b", false, ["a.b"], ["axb"]],
    ["\\*\\?\\[", false, ["*?["], ["*?"]],
    ["^[abc]$", false, ["b"], ["d", "ab"]],
    ["^[^a-c]$", false, ["d", "\u{1f600}"], ["b"]],
    ["^[\\]a]$", false, ["]", "a"], ["b"]],
    ["^[a-]$", false, ["-", "a"], ["b"]],
    ["^[\\^a]$", false, ["^"], ["b"]],
    ["^\\d\\d$", false, ["42"], ["4a"]],
    ["^\\D$", false, ["a"], ["4"]],
    ["^Ab$", true, ["ab", "AB", "aB"], ["ac"]],
    ["^[a-c]$", true, ["B"], ["D"]],
    ["^\u00e9t\u00e9$", true, ["\u00c9T\u00c9"], ["ete"]],
    ["^[\u00e0-\u00ff]$", true, ["\u00c9", "\u00e9"], ["e"]],
    ["^\u03c3$", true, ["\u03c2", "\u03a3"], ["s"]],
    ["^1-2$", true, ["1-2"], ["1"]],
    [`^${"a".repeat(MAX_REGEX_LENGTH - 2)}$`, false, ["a".repeat(MAX_REGEX_LENGTH - 2)], ["a"]],
    ["\\w\\w\\w\\w\\w", true, ["hello"], ["hi"]],
    [".*.*.*.*.*.*", false, ["x"], []],
    ["^.*.*.*.*.*.*.*.*$", false, ["x"], []],
  ])("%j (i: %s) matches %j, not %j", (regex, caseless, yes, no) => {
    for (const text of yes) expect(regexMatches(regex, caseless, text), text).toBe(true);
    for (const text of no) expect(regexMatches(regex, caseless, text), text).toBe(false);
  });

  it.each([
    ["^[]a]$", false],
    ["a$b", false],
    ["a^", false],
    ["^(a+)+$", false],
    ["a|b", false],
    ["a+", false],
    ["a*", false],
    ["a{2}", false],
    ["\\1", false],
    ["\\b", false],
    ["[abc", false],
    ["a\\", false],
    ["^[\\D]$", false],
    ["^[z-a]$", false],
    [".*.*.*.*.*.*.*.*", false],
    [`^${".*a".repeat(9)}$`, false],
  ])("refuses %j (i: %s)", (regex, caseless) => {
    expect(parseRegexPattern(regex, caseless).ok).toBe(false);
  });

  it(`refuses a pattern over ${MAX_REGEX_LENGTH} characters`, () => {
    expect(parseRegexPattern("a".repeat(MAX_REGEX_LENGTH + 1), false).ok).toBe(false);
    expect(parseRegexPattern("\u{1f600}".repeat(MAX_REGEX_LENGTH), false).ok).toBe(true);
  });

  it("matches exactly what JavaScript's RegExp matches, in any case folding", () => {
    const atom = fc.oneof(
      fc.constantFrom("a", "b", "A", ".", ".*", ".+", "\\.", "[ab]", "[^a]", "[a-c]", "\\d"),
      fc.constantFrom("\\w", "\\W", "\\s", "[\\w]", "\u00e9", "\u03c3", "k", "s", "i", "[h-l]"),
      fc.constantFrom("\\*", "\\?", "\\[", "x", "\u0130", "\u212a", "[^\\d]"),
    );
    const pattern = fc.tuple(fc.boolean(), fc.array(atom, { maxLength: 7 }), fc.boolean());
    const text = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 9 }).map((a) => a.join(""));
    fc.assert(
      fc.property(pattern, fc.boolean(), fc.array(text, { maxLength: 6 }), (p, caseless, texts) => {
        const regex = `${p[0] ? "^" : ""}${p[1].join("")}${p[2] ? "$" : ""}`;
        const parsed = parseRegexPattern(regex, caseless);
        if (!parsed.ok) return;
        const matches = compilePattern(parsed.pattern);
        const oracle = new RegExp(regex, caseless ? "isu" : "su");
        for (const t of texts) expect(matches(t), `${regex} on ${t}`).toBe(oracle.test(t));
      }),
      { numRuns: 2000, seed: 13 },
    );
  });

  it("finds a segment's leftmost place past 32 characters (several words of state)", () => {
    const long = "ab".repeat(40);
    expect(regexMatches(`^x.*${long}.*y$`, false, `xzz${long}zzy`)).toBe(true);
    expect(regexMatches(`^x.*${long}.*y$`, false, `xzz${long.slice(1)}zzy`)).toBe(false);
    expect(regexMatches(`${"a".repeat(33)}b`, false, `${"a".repeat(60)}b`)).toBe(true);
  });
});

describe("search", () => {
  it("finds the text anywhere, in any case, metacharacters taken literally", () => {
    const found = (search: string, text: string) => compilePattern(containsPattern(search))(text);
    expect(found("ban", "Top BANNER")).toBe(true);
    expect(found("\u00e9t\u00e9", "\u00c9T\u00c9 2026")).toBe(true);
    expect(found("50%_off", "save 50%_off now")).toBe(true);
    expect(found("50%_off", "save 50% off")).toBe(false);
    expect(found(".*", "anything")).toBe(false);
    expect(found("a".repeat(255), `x${"a".repeat(255)}`)).toBe(true);
  });

  it("folds case exactly as $regex with $options i does", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...ALPHABET), { minLength: 1, maxLength: 4 }),
        fc.array(fc.constantFrom(...ALPHABET), { maxLength: 9 }),
        (search, text) => {
          const escaped = search.map((ch) => (/[.*?[\\]/.test(ch) ? `\\${ch}` : ch)).join("");
          expect(compilePattern(containsPattern(search.join("")))(text.join(""))).toBe(
            regexMatches(escaped, true, text.join("")),
          );
        },
      ),
      { numRuns: 1000, seed: 7 },
    );
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
      // (matched on the rows, not in SQL: listing-text.ts)
      folder: null,
      includeFolders: false,
    });
    expect(sql.where).toBe(
      "c.deleted = 0 AND c.is_dir = 0 AND c.parent_uid IS ? AND c.title = ? AND " +
        "c.uid IN (SELECT uid FROM catalog_tags WHERE tag IN (?, ?) GROUP BY uid HAVING COUNT(*) = 2) AND " +
        "c.file_size < ?",
    );
    expect(sql.params).toEqual([null, "x'; DROP TABLE catalog; --", "a", "b", 10]);
    expect(compileFilter({ conditions: [], search: "", includeFolders: true })).toEqual({
      where: "c.deleted = 0",
      params: [],
    });
  });

  it("keeps a published listing to one stack's environment, its tags too", () => {
    const scope = { kind: "published", apiKey: "bltk", environmentUid: "blte" } as const;
    const sql = compileFilter(
      {
        conditions: [
          { kind: "tags", match: "any", tags: ["a"] },
          { kind: "equals", field: "content_type", value: "image/png" },
        ],
        search: "",
        includeFolders: true,
      },
      scope,
    );
    expect(sql.where).toBe(
      "c.api_key = ? AND c.environment_uid = ? AND c.uid IN (SELECT uid FROM published_tags " +
        "WHERE api_key = ? AND environment_uid = ? AND tag IN (?)) AND c.content_type = ?",
    );
    expect(sql.params).toEqual(["bltk", "blte", "bltk", "blte", "a", "image/png"]);
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
