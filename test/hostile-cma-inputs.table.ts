// Hostile cases for the CMA inputs of issue 13: folders (cycles, another stack's folder, a
// folder that is not empty), tags (10,000 of them, huge or broken ones), and the listing's
// `query` (operators outside the subset, $regex bombs, deep or huge JSON, SQL in values). Each is
// a clear 4xx that changes nothing; hostile-inputs.table.ts includes them in its catalogue.
//
// Placeholders beyond the main table's: {folder_uid} a folder of the stack with {child_folder_uid}
// inside it; {other_folder_uid} a folder of the other stack.

import type { Category, Expect, HostileCase } from "./hostile-inputs.table";

const JSON_CT = { "content-type": "application/json" };
const invalid = { status: 422, errorCode: 141 };
const folderMissing = { status: 404, errorCode: 160 };
const notEmpty = { status: 409, errorCode: 161 };
const unauthorized = { status: 401, errorCode: 105 };

/** A 422 whose `errors` name `field`, its first message containing `text`. */
const refusedField = (field: string, text: string): Expect => ({
  ...invalid,
  mentions: { [field]: text },
});

const FOLDERS: Category = "folders and moves";
const TAGS: Category = "tags";
const QUERIES: Category = "listing queries";

const json = (
  method: string,
  path: string,
  value: unknown,
  name: string,
  category: Category,
  expected: Expect,
  auth: HostileCase["auth"] = "stack",
) =>
  ({
    name,
    category,
    method,
    path,
    auth,
    headers: JSON_CT,
    body: { kind: "json", value },
    expect: expected,
  }) satisfies HostileCase;

const list = (query: Record<string, string>, name: string, expected: Expect) =>
  ({
    name,
    category: QUERIES,
    method: "GET",
    // Encoded, but for the {placeholders}, which the runner fills in.
    path: `/v3/assets?${new URLSearchParams(query)}`.replace(/%7B(\w+)%7D/g, "{$1}"),
    auth: "stack",
    expect: expected,
  }) satisfies HostileCase;

/** An upload form (POST /v3/assets) with these text fields; a refused one's file is discarded. */
const upload = (
  fields: Record<string, string>,
  name: string,
  category: Category,
  expected: Expect,
) =>
  ({
    name,
    category,
    method: "POST",
    path: "/v3/assets",
    auth: "stack",
    body: {
      kind: "form",
      fields,
      file: { name: "upload.txt", content: "a hostile case's upload" },
    },
    expect: expected,
    ...(typeof expected.status === "number" && expected.status < 300 ? { mutates: true } : {}),
  }) satisfies HostileCase;

const filter = (value: unknown, name: string, text: string) =>
  list({ query: JSON.stringify(value) }, name, refusedField("query", text));

const nested = (depth: number) => {
  let value: unknown = "x";
  for (let i = 0; i < depth; i++) value = { title: value };
  return value;
};

const folders: HostileCase[] = [
  json(
    "PUT",
    "/v3/assets/folders/{folder_uid}",
    { asset: { parent_uid: "{folder_uid}" } },
    "a folder moved into itself",
    FOLDERS,
    refusedField("parent_uid", "inside itself"),
  ),
  json(
    "PUT",
    "/v3/assets/folders/{folder_uid}",
    { asset: { parent_uid: "{child_folder_uid}" } },
    "a folder moved into its own child (a cycle)",
    FOLDERS,
    refusedField("parent_uid", "inside itself"),
  ),
  json(
    "POST",
    "/v3/assets/folders",
    { asset: { name: "x", parent_uid: "{other_folder_uid}" } },
    "a folder created inside another stack's folder",
    FOLDERS,
    refusedField("parent_uid", "is not a folder of this stack"),
  ),
  json(
    "PUT",
    "/v3/assets/folders/{child_folder_uid}",
    { asset: { parent_uid: "{other_folder_uid}" } },
    "a folder moved into another stack's folder",
    FOLDERS,
    refusedField("parent_uid", "is not a folder of this stack"),
  ),
  json(
    "PUT",
    "/v3/assets/{uid}",
    { asset: { parent_uid: "{other_folder_uid}" } },
    "an asset moved into another stack's folder",
    FOLDERS,
    refusedField("parent_uid", "is not a folder of this stack"),
  ),
  json(
    "PUT",
    "/v3/assets/{uid}",
    { asset: { parent_uid: "{bare_uid}" } },
    "an asset moved into an asset (not a folder)",
    FOLDERS,
    refusedField("parent_uid", "is not a folder of this stack"),
  ),
  json(
    "PUT",
    "/v3/assets/{uid}",
    { asset: { parent_uid: "../{folder_uid}" } },
    "an asset moved into a path, not a folder uid",
    FOLDERS,
    refusedField("parent_uid", "is not a folder of this stack"),
  ),
  upload(
    { "asset[parent_uid]": "{other_folder_uid}" },
    "an upload into another stack's folder (the stored file is discarded)",
    FOLDERS,
    refusedField("parent_uid", "is not a folder of this stack"),
  ),
  {
    name: "deleting a folder that holds a folder",
    category: FOLDERS,
    method: "DELETE",
    path: "/v3/assets/folders/{folder_uid}",
    auth: "stack",
    expect: notEmpty,
  },
  {
    name: "reading another stack's folder",
    category: FOLDERS,
    method: "GET",
    path: "/v3/assets/folders/{other_folder_uid}",
    auth: "stack",
    expect: folderMissing,
  },
  {
    name: "deleting another stack's folder",
    category: FOLDERS,
    method: "DELETE",
    path: "/v3/assets/folders/{other_folder_uid}",
    auth: "stack",
    expect: folderMissing,
  },
  {
    name: "deleting a folder with another stack's token",
    category: FOLDERS,
    method: "DELETE",
    path: "/v3/assets/folders/{child_folder_uid}",
    auth: "cross",
    expect: unauthorized,
  },
  json(
    "PUT",
    "/v3/assets/folders/{child_folder_uid}",
    { asset: { uid: "{folder_uid}", name: "renamed" } },
    "a folder update naming another folder's uid",
    FOLDERS,
    refusedField("uid", "is not the uid of the folder"),
  ),
  json(
    "POST",
    "/v3/assets/folders",
    { asset: { name: "n".repeat(10_000) } },
    "a folder name of 10,000 characters",
    FOLDERS,
    refusedField("name", "at most 255"),
  ),
  json(
    "POST",
    "/v3/assets/folders",
    // Parsed, so that "__proto__" is a key of the body and not the literal's prototype.
    JSON.parse('{"asset": {"name": "x", "__proto__": {"is_dir": false}}}'),
    "a folder with a __proto__ field",
    FOLDERS,
    refusedField("__proto__", "is not a known field"),
  ),
  {
    name: "a folder path segment that is not a uid",
    category: FOLDERS,
    method: "GET",
    path: "/v3/assets/folders/..%2F..%2Fstacks",
    auth: "stack",
    expect: folderMissing,
  },
];

const tags: HostileCase[] = [
  json(
    "PUT",
    "/v3/assets/{uid}",
    { asset: { tags: Array.from({ length: 10_000 }, () => "t") } },
    "10,000 tags",
    TAGS,
    refusedField("tags", "at most 50 tags"),
  ),
  json(
    "PUT",
    "/v3/assets/{uid}",
    { asset: { tags: Array.from({ length: 10_000 }, (_, i) => `tag-${i}`) } },
    "10,000 distinct tags, over the JSON body limit",
    TAGS,
    { status: 413, errorCode: 149 },
  ),
  json(
    "PUT",
    "/v3/assets/{uid}",
    { asset: { tags: ["t".repeat(20_000)] } },
    "a tag of 20,000 characters",
    TAGS,
    refusedField("tags", "at most 100 characters"),
  ),
  json(
    "PUT",
    "/v3/assets/{uid}",
    { asset: { tags: ["a\u0000b"] } },
    "a tag with a NUL",
    TAGS,
    refusedField("tags", "control characters"),
  ),
  json(
    "PUT",
    "/v3/assets/{uid}",
    { asset: { tags: [["nested"]] } },
    "tags nested in a list",
    TAGS,
    refusedField("tags", "must be a string"),
  ),
  json(
    "PUT",
    "/v3/assets/{uid}",
    { asset: { tags: { $in: ["x"] } } },
    "tags as an object of operators",
    TAGS,
    refusedField("tags", "must be an array"),
  ),
  json(
    "PUT",
    "/v3/assets/{uid}",
    { asset: { tags: null } },
    "tags null",
    TAGS,
    refusedField("tags", "must be an array"),
  ),
  {
    name: "a form's asset[tags] of 60,000 commas (the file is discarded)",
    category: TAGS,
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    body: {
      kind: "form",
      fields: { "asset[tags]": ",".repeat(60_000) },
      file: { name: "tagged.txt", content: "must not be kept" },
    },
    expect: refusedField("tags", "too long"),
  },
  json(
    "PUT",
    "/v3/assets/{uid}",
    { asset: { uid: "{bare_uid}", tags: ["stolen"] } },
    "another asset's uid sent back with new tags",
    TAGS,
    refusedField("uid", "is not the uid of the asset"),
  ),
];

const queries: HostileCase[] = [
  filter({ $where: "sleep(10000) || true" }, "a $where operator", "$where is not a supported"),
  filter({ $or: [{ title: "a" }, { title: "b" }] }, "an $or operator", "$or is not a supported"),
  filter({ title: { $ne: "x" } }, "$ne on title", "$ne is not a supported operator on title"),
  filter(
    { title: { $expr: { $function: { body: "while(true){}" } } } },
    "$expr with a $function",
    "$expr is not a supported operator",
  ),
  filter(
    { title: { $regex: "^(a+)+$" } },
    "a catastrophic-backtracking $regex (a+)+",
    "groups and alternatives",
  ),
  filter(
    { filename: { $regex: "(x|x|x|x)*y" } },
    "an alternation $regex bomb",
    "groups and alternatives",
  ),
  filter({ title: { $regex: `^${".*a".repeat(20)}$` } }, "a $regex of 20 runs", "at most 8 runs"),
  filter({ title: { $regex: "a".repeat(200) } }, "a $regex of 200 characters", "at most 128"),
  list(
    { query: JSON.stringify({ title: { $regex: "^[ -\uffff]$", $options: "i" } }) },
    "a $regex class over all of Unicode with $options i (tested, never expanded)",
    { status: 200, json: { count: 0 } },
  ),
  filter({ title: { $regex: "\\1" } }, "a back-reference in $regex", "is not supported"),
  filter({ title: { $regex: "a", $options: "s" } }, "$options other than i", 'may only be "i"'),
  filter(
    { tags: { $in: Array.from({ length: 101 }, (_, i) => `t${i}`) } },
    "$in with 101 tags",
    "1 to 20 tags",
  ),
  filter(
    { created_at: { $gt: { $date: "2026-01-01" } } },
    "an object as a date",
    "needs an ISO 8601 date",
  ),
  filter({ file_size: { $gt: 1e308 } }, "a file_size of 1e308", "whole number of bytes"),
  filter(nested(300), "JSON nested 300 deep", "title must be"),
  list(
    { query: JSON.stringify({ title: "x".repeat(5000) }) },
    "a query of over 4,096 characters",
    refusedField("query", "at most 4096 characters"),
  ),
  list({ query: "{not json" }, "a query that is not JSON", refusedField("query", "JSON object")),
  list({ query: "[1,2,3]" }, "a query that is a JSON array", refusedField("query", "JSON object")),
  list(
    { query: JSON.stringify({ title: "x' OR 1=1; DROP TABLE catalog; --" }) },
    "SQL in a filter value (bound, so it matches nothing)",
    { status: 200, json: { assets: [], count: 0 } },
  ),
  list(
    { folder: "{other_folder_uid}" },
    "listing another stack's folder",
    refusedField("folder", "is not a folder of this stack"),
  ),
  list({ asc: "title", desc: "title" }, "asc and desc together", refusedField("asc", "not both")),
  list({ asc: "__proto__" }, "sorting by __proto__", refusedField("asc", "must be created_at")),
  list(
    { desc: "snapshot" },
    "sorting by a column name",
    refusedField("desc", "must be created_at"),
  ),
  list({ include_folders: "1" }, "include_folders=1", refusedField("include_folders", "true")),
  {
    name: "version=1e309 of an asset",
    category: QUERIES,
    method: "GET",
    path: "/v3/assets/{uid}?version=1e309",
    auth: "stack",
    expect: invalid,
  },
  {
    name: "a version the asset never had",
    category: QUERIES,
    method: "GET",
    path: "/v3/assets/{uid}?version=99999",
    auth: "stack",
    expect: { status: 404, errorCode: 159 },
  },
];

// Issue 20's findings, each a case that failed before its fix. Cloudflare's SQLite refuses a
// LIKE or GLOB pattern over 50 bytes, and search and $regex were LIKE and GLOB: these were 500s.
const tooComplexForLike: HostileCase[] = [
  list({ search: "a".repeat(49) }, "a search of 49 letters", { status: 200, json: { count: 0 } }),
  list({ search: "a".repeat(255) }, "a search of 255 letters", {
    status: 200,
    json: { count: 0 },
  }),
  list({ search: "%".repeat(25) }, "a search of 25 %", { status: 200, json: { count: 0 } }),
  list({ search: "\u{1f600}".repeat(17) }, "a search of 17 emoji", {
    status: 200,
    json: { count: 0 },
  }),
  list({ search: "\\*".repeat(24) }, "a search of 24 escaped *", {
    status: 200,
    json: { count: 0 },
  }),
  list(
    { query: JSON.stringify({ title: { $regex: "\\w\\w\\w\\w\\w" } }) },
    "a $regex of five \\w (found in pixel.png)",
    { status: 200, json: { count: 1, assets: [{ uid: "{image_uid}" }] } },
  ),
  list(
    { query: JSON.stringify({ title: { $regex: "abcdefghijklm", $options: "i" } }) },
    "a $regex of 13 letters with $options i",
    { status: 200, json: { count: 0 } },
  ),
  list(
    { query: JSON.stringify({ filename: { $regex: "\\*".repeat(24) } }) },
    "a $regex of 24 escaped * on filename",
    { status: 200, json: { count: 0 } },
  ),
  list(
    { query: JSON.stringify({ title: { $regex: `^${"a".repeat(126)}$` } }) },
    "a $regex of 128 characters",
    { status: 200, json: { count: 0 } },
  ),
  {
    name: "the console's search box with 60 characters",
    category: QUERIES,
    method: "GET",
    path: `/console/fragments/assets?search=${"a".repeat(60)}`,
    auth: "stack",
    expect: { status: 200, headers: { "content-type": /^text\/html/ } },
  },
  // One case folding for search and $regex: JavaScript's, for every script (LIKE folded ASCII).
  list({ search: "R\u00c9SUM\u00c9" }, "a search folding \u00c9 to \u00e9", {
    status: 200,
    json: { count: 1, assets: [{ uid: "{uid}" }] },
  }),
  list(
    { query: JSON.stringify({ title: { $regex: "^R\u00c9SUM\u00c9", $options: "i" } }) },
    "a $regex with $options i folding \u00c9 to \u00e9",
    { status: 200, json: { count: 1, assets: [{ uid: "{uid}" }] } },
  ),
];

// Control characters and lone surrogates are refused in every text field (they were stored in
// titles, descriptions and folder names); text limits count code points.
const textRules: HostileCase[] = [
  json(
    "PUT",
    "/v3/assets/{uid}",
    { asset: { title: "a\u0000b" } },
    "a NUL in a title",
    TAGS,
    refusedField("title", "control characters"),
  ),
  json(
    "PUT",
    "/v3/assets/{uid}",
    { asset: { title: "tab\there" } },
    "a tab in a title",
    TAGS,
    refusedField("title", "control characters"),
  ),
  json(
    "PUT",
    "/v3/assets/{uid}",
    { asset: { description: "a\u0000b" } },
    "a NUL in a description",
    TAGS,
    refusedField("description", "control characters other than tabs and line breaks"),
  ),
  json(
    "PUT",
    "/v3/assets/{uid}",
    { asset: { description: "\u0085next line (C1)" } },
    "a C1 control character in a description",
    TAGS,
    refusedField("description", "control characters"),
  ),
  json(
    "PUT",
    "/v3/assets/{uid}",
    JSON.parse('{"asset": {"title": "lone \\ud800 surrogate"}}'),
    "a lone surrogate in a title",
    TAGS,
    refusedField("title", "well-formed Unicode"),
  ),
  json(
    "POST",
    "/v3/assets/folders",
    { asset: { name: "a\u0007bell" } },
    "a control character in a folder name",
    FOLDERS,
    refusedField("name", "control characters"),
  ),
  json(
    "PUT",
    "/v3/assets/folders/{folder_uid}",
    { asset: { name: "\u001b[31mred" } },
    "an escape sequence in a folder rename",
    FOLDERS,
    refusedField("name", "control characters"),
  ),
  upload(
    { "asset[title]": "a\u0001b" },
    "a control character in a form's asset[title] (the file is discarded)",
    TAGS,
    refusedField("title", "control characters"),
  ),
  list(
    { search: "\u0000" },
    "search=%00 (matched every asset)",
    refusedField("search", "control characters"),
  ),
  list(
    { query: JSON.stringify({ title: { $regex: "^a\u0000" } }) },
    "a NUL in a $regex (GLOB ended the pattern there)",
    refusedField("query", "control characters"),
  ),
  upload(
    { "asset[title]": "\u{1f600}".repeat(255) },
    "a title of 255 emoji (510 UTF-16 units) is within 255 characters",
    TAGS,
    { status: 201, json: { asset: { title: "\u{1f600}".repeat(255) } } },
  ),
  upload(
    { "asset[tags]": "\u{1f600}".repeat(100) },
    "a tag of 100 emoji is within 100 characters",
    TAGS,
    { status: 201, json: { asset: { tags: ["\u{1f600}".repeat(100)] } } },
  ),
  json(
    "PUT",
    "/v3/assets/{uid}",
    { asset: { tags: ["\u{1f600}".repeat(101)] } },
    "a tag of 101 emoji",
    TAGS,
    refusedField("tags", "at most 100 characters"),
  ),
];

/** A multipart form whose asset[title] holds these bytes, then a small file. */
function formWithTitleBytes(title: number[]): Uint8Array {
  const text = (t: string) => [...new TextEncoder().encode(t.replaceAll("\n", "\r\n"))];
  return Uint8Array.from([
    ...text('--fuzzFoundThis\nContent-Disposition: form-data; name="asset[title]"\n\n'),
    ...title,
    ...text('\n--fuzzFoundThis\nContent-Disposition: form-data; name="asset[upload]"; '),
    ...text('filename="t.txt"\nContent-Type: text/plain\n\nmust not be kept\n--fuzzFoundThis--\n'),
  ]);
}

// Found by the fuzzer: a form field's bytes that are not UTF-8 (a lone surrogate written as
// ED B0 80) were stored as three U+FFFD. Refused now, as a JSON body's are.
const formBytes: HostileCase[] = [
  {
    name: "a form's asset[title] that is not UTF-8",
    category: TAGS,
    method: "POST",
    path: "/v3/assets",
    auth: "stack",
    headers: { "content-type": "multipart/form-data; boundary=fuzzFoundThis" },
    body: formWithTitleBytes([0x61, 0xed, 0xb0, 0x80, 0x62]),
    expect: refusedField("asset[title]", "must be UTF-8 text"),
  },
];

// Issue 20's other findings: one rule for another stack's folder, one ceiling for upload
// sessions, repeated parameters refused, the 415's own advice, header whitespace.
const SESSION_CEILING = 10_000 * 8 * 1024 * 1024; // 10,000 parts of MAX_UPLOAD_BYTES (8 MiB here)
const consistency: HostileCase[] = [
  list(
    { query: JSON.stringify({ parent_uid: "{other_folder_uid}" }) },
    "a query's parent_uid naming another stack's folder (was 200 and empty)",
    refusedField("query", "parent_uid is not a folder of this stack"),
  ),
  list(
    { query: JSON.stringify({ parent_uid: "blt0000000000000000" }), count: "true" },
    "count=true with a parent_uid that is no folder",
    refusedField("query", "parent_uid is not a folder of this stack"),
  ),
  json(
    "POST",
    "/v3/uploads",
    { upload: { filename: "huge.bin", file_size: SESSION_CEILING + 1 } },
    "a session one byte over 10,000 parts of the largest part (was a 422 blaming part_size)",
    QUERIES,
    { status: 413, errorCode: 149, mentions: { file_size: `at most ${SESSION_CEILING} bytes` } },
  ),
  json(
    "POST",
    "/v3/uploads",
    {
      upload: { filename: "huge.bin", file_size: SESSION_CEILING + 1, part_size: 8 * 1024 * 1024 },
    },
    "a session over the ceiling with the largest part_size (was told to use larger parts)",
    QUERIES,
    { status: 413, errorCode: 149, mentions: { file_size: `at most ${SESSION_CEILING} bytes` } },
  ),
  {
    ...json(
      "POST",
      "/v3/uploads",
      { upload: { filename: "ceiling.bin", file_size: SESSION_CEILING } },
      "a session of exactly the ceiling: 10,000 parts of the largest part",
      QUERIES,
      { status: 201, json: { upload: { part_count: 10_000, part_size: 8 * 1024 * 1024 } } },
    ),
    mutates: true,
  },
  {
    name: "GET of an asset with version repeated",
    category: QUERIES,
    method: "GET",
    path: "/v3/assets/{uid}?version=1&version=2",
    auth: "stack",
    expect: refusedField("version", "more than once"),
  },
  {
    name: "GET of an asset with version=1e0",
    category: QUERIES,
    method: "GET",
    path: "/v3/assets/{uid}?version=1e0",
    auth: "stack",
    expect: refusedField("version", "digits"),
  },
  {
    name: "a raw upload with filename repeated",
    category: QUERIES,
    method: "POST",
    path: "/v3/assets?filename=a.txt&filename=b.txt",
    auth: "stack",
    headers: { "content-type": "text/plain" },
    body: "must not be kept",
    expect: refusedField("filename", "more than once"),
  },
  {
    name: "POST /v3/assets with JSON: a 415 that does not advise JSON",
    category: QUERIES,
    method: "POST",
    path: "/v3/assets",
    auth: "stack",
    headers: JSON_CT,
    body: '{"asset": {"title": "x"}}',
    expect: {
      status: 415,
      errorCode: 150,
      message:
        /^Unsupported Content-Type: send multipart\/form-data, or raw bytes with \?filename=\.$/,
    },
  },
  ...(
    [
      ["an api_key with a trailing space", { api_key: "{api_key} " }],
      ["a management token with a leading space and a tab", { authorization: " {token}\t" }],
    ] as const
  ).map(
    ([name, headers]): HostileCase => ({
      name: `${name} (optional whitespace, not part of the value)`,
      category: QUERIES,
      method: "GET",
      path: "/v3/assets?limit=1",
      auth: "stack",
      headers,
      expect: { status: 200 },
      wire: true,
    }),
  ),
];

export const CMA_INPUT_CASES: HostileCase[] = [
  ...folders,
  ...tags,
  ...queries,
  ...tooComplexForLike,
  ...textRules,
  ...formBytes,
  ...consistency,
];
