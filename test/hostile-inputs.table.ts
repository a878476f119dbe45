// The hostile input catalogue, as data: each case is one request and the answer it must get.
// test/hostile-inputs.test.ts runs them all and checks that stored data is left unchanged.
//
// Placeholders, filled from the fixture the runner seeds (in paths, header values, query strings,
// bodies and `expect.json`):
//   {api_key} {token} {token_uid}    the stack under attack, its management token
//   {uid} {file_uid} {filename}      asset A: "résumé.txt", permanent URL {slug}; {filename} is
//   {slug} {etag} {UID}              the URL segment as served (percent-encoded); {UID}: the
//                                    uid in upper case
//   {bare_uid} {bare_file_uid}       asset B: "bare.txt", no permanent URL yet (slug targets)
//   {bare_filename}
//   {upload_uid}                     an open upload session of 10 bytes (one part), no parts sent
//   {other_api_key} {other_uid}      another stack, one asset, its token uid
//   {other_token_uid}
//   {image_uid} {image_file_uid}     asset "pixel.png": a real 123x45 PNG (image/png), permanent
//   {image_filename} {image_slug}    URL {image_slug}
//   {folder_uid} {child_folder_uid}  a folder of the stack, and a folder inside it
//   {other_folder_uid}               a folder of the other stack
//   {huge_image}                     the versioned path of the other stack's "huge.png": a PNG
//                                    header saying 9000x9000 (test/stored-state.ts)

import { CMA_INPUT_CASES } from "./hostile-cma-inputs.table";

export type Category =
  | "path traversal and encoded separators"
  | "over-long segments"
  | "over-long headers"
  | "malformed JSON"
  | "malformed multipart"
  | "wrong Content-Type or Content-Length"
  | "duplicate and conflicting headers"
  | "header injection in filenames"
  | "huge or malformed skip/limit and part numbers"
  | "unknown fields"
  | "Unicode tricks in slugs"
  | "Unicode tricks in filenames"
  | "garbage Range and conditional headers"
  | "wrong methods and cross-tenant access"
  | "image parameters"
  | "folders and moves"
  | "tags"
  | "listing queries";

/**
 * Credentials added before the case's own headers (which replace them by name):
 * stack: api_key + token of the stack; other: both of the other stack; cross: the stack's
 * api_key with the other stack's token; admin: ADMIN_TOKEN + the stack's api_key;
 * admin-only: ADMIN_TOKEN alone; none: nothing.
 */
export type Auth = "stack" | "none" | "other" | "cross" | "admin" | "admin-only";

/** A header value, or several values appended one after another (Headers.append). */
export type HeaderValue = string | string[];

/** Request bodies too awkward to write as a literal string. */
export type BodyBuilder =
  /** JSON.stringify(value), placeholders filled in every string and key. */
  | { kind: "json"; value: unknown }
  /** A FormData body (the runtime writes the boundary and Content-Type). */
  | {
      kind: "form";
      fields?: Record<string, string>;
      file?: { name: string; content: string; type?: string };
      /** More file parts named asset[upload]. */
      extraFiles?: number;
    }
  /** A hand-written multipart body; lines are joined with CRLF. Content-Type goes in headers. */
  | { kind: "multipart"; lines: string[] }
  /** A ReadableStream of this text, so the runtime adds no Content-Length of its own. */
  | { kind: "stream"; text: string }
  /** `size` zero bytes. */
  | { kind: "zeros"; size: number };

export type Body = string | Uint8Array | BodyBuilder;

export interface Expect {
  /** The status, or every status that is a correct answer. */
  status: number | number[];
  /** The error_code of a 4xx. */
  errorCode?: number;
  /** The one field a 4xx's `errors` names (and its error_message mentions). */
  errorField?: string;
  /** Response headers that must equal (string), match (RegExp) or be absent (null). */
  headers?: Record<string, string | RegExp | null>;
  /** A subset the JSON body must contain (placeholders filled). */
  json?: Record<string, unknown>;
  /** For a 422: text that the first error of each named field must contain. */
  mentions?: Record<string, string>;
  /** A 4xx's error_message matches this. */
  message?: RegExp;
}

/**
 * What to do after a 2xx that legitimately stored something. The runner undoes it (deletes the
 * asset, aborts the session, revokes the token) before checking that everything else is as it
 * was; `download` also fetches the new asset's versioned URL with ?dl and checks that the
 * filename could neither inject a header nor escape its key prefix.
 */
export type FollowUp = "download";

export interface HostileCase {
  name: string;
  category: Category;
  method: string;
  /** Path and query, sent exactly as written (the URL parser still resolves "." and ".."). */
  path: string;
  auth: Auth;
  headers?: Record<string, HeaderValue>;
  body?: Body;
  expect: Expect;
  /** A correct answer to this case stores something (a created asset, session, token...). */
  mutates?: boolean;
  /**
   * Also sent over a real HTTP connection by e2e/hostile-wire.test.ts: what a client sends that a
   * Request built in JavaScript cannot carry (the Headers class trims a value's whitespace).
   * Such a case uses only the {api_key} and {token} placeholders.
   */
  wire?: boolean;
  followUp?: FollowUp;
}

const KiB = 1024;
const MAX_UPLOAD = 8 * 1024 * 1024; // MAX_UPLOAD_BYTES in vitest.config.ts
const BAD_DIGEST = `sha-256=:${"A".repeat(43)}=:`;
const B = "hostileBoundary42";
const CT_MULTIPART = `multipart/form-data; boundary=${B}`;
const JSON_CT = { "content-type": "application/json" };

// Shorthands for the common answers (error codes from docs/API-NOTES.md).
const notFound404 = { status: 404, errorCode: 404 };
const assetMissing = { status: 404, errorCode: 145 };
const uploadMissing = { status: 404, errorCode: 156 };
const badApiKey = { status: 412, errorCode: 109 };
const unauthorized = { status: 401, errorCode: 105 };
const invalid = { status: 422, errorCode: 141 };
const malformed = { status: 400, errorCode: 148 };
const unsupported = { status: 415, errorCode: 150 };
const notAllowed = { status: 405, errorCode: 151 };
const served = { status: 200 };

const PERMANENT = "/v3/assets/{api_key}/{uid}/{slug}";
const VERSIONED = "/v3/assets/{api_key}/{uid}/{file_uid}/{filename}";

/** A JSON edit of an asset (PUT /v3/assets/{uid} with JSON). */
const editJson = (uid: string, value: unknown, name: string, category: Category, expect: Expect) =>
  ({
    name,
    category,
    method: "PUT",
    path: `/v3/assets/${uid}`,
    auth: "stack",
    headers: JSON_CT,
    body: { kind: "json", value },
    expect,
  }) satisfies HostileCase;

/** Asks for a permanent URL for asset B (which has none yet): every hostile slug is a 422. */
const slugOnBare = (slug: string, name: string) =>
  editJson(
    "{bare_uid}",
    { asset: { permanent_url: slug } },
    name,
    "Unicode tricks in slugs",
    invalid,
  );

/** A raw PUT replacing asset A whose Content-Digest is wrong: stored, checked, discarded. */
const rawReplaceBadDigest = (
  query: string,
  name: string,
  category: Category,
  expect: Expect = invalid,
) =>
  ({
    name,
    category,
    method: "PUT",
    path: `/v3/assets/{uid}?${query}`,
    auth: "stack",
    headers: { "content-type": "text/plain", "content-digest": BAD_DIGEST },
    body: "replacement bytes that must not be kept",
    expect,
  }) satisfies HostileCase;

/** A raw POST creating an asset: a correct 201 that the runner deletes again. */
const rawCreate = (query: string, name: string, category: Category, expect: Expect) =>
  ({
    name,
    category,
    method: "POST",
    path: `/v3/assets?${query}`,
    auth: "stack",
    headers: { "content-type": "text/plain" },
    body: "created by a hostile-input case",
    expect,
    mutates: true,
    followUp: "download",
  }) satisfies HostileCase;

const listQuery = (
  query: string,
  expect: Expect,
  name = `list with ?${query}`,
  category: Category = "huge or malformed skip/limit and part numbers",
) =>
  ({
    name,
    category,
    method: "GET",
    path: `/v3/assets?${query}`,
    auth: "stack",
    expect,
  }) satisfies HostileCase;

/** PUT one part of the open 10-byte session. */
const part = (
  n: string,
  body: Body,
  headers: Record<string, string>,
  expect: Expect,
  name: string,
  category: Category = "huge or malformed skip/limit and part numbers",
) =>
  ({
    name,
    category,
    method: "PUT",
    path: `/v3/uploads/{upload_uid}/parts/${n}`,
    auth: "stack",
    headers: { "content-type": "application/octet-stream", ...headers },
    body,
    expect,
  }) satisfies HostileCase;

const startUpload = (value: unknown, name: string, category: Category, expect: Expect) =>
  ({
    name,
    category,
    method: "POST",
    path: "/v3/uploads",
    auth: "stack",
    headers: JSON_CT,
    body: { kind: "json", value },
    expect,
  }) satisfies HostileCase;

const publicGet = (
  path: string,
  name: string,
  category: Category,
  expect: Expect,
  headers?: Record<string, HeaderValue>,
) =>
  ({
    name,
    category,
    method: "GET",
    path,
    auth: "none",
    ...(headers ? { headers } : {}),
    expect,
  }) satisfies HostileCase;

/** A safe attachment header: both RFC 6266 forms, nothing else, no quote or CR/LF inside. */
export const SAFE_DISPOSITION =
  /^attachment; filename="[\x20\x21\x23-\x5b\x5d-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]*$/;

const traversal: HostileCase[] = [
  publicGet(
    "/v3/assets/{api_key}/{uid}/..%2F..%2F{slug}",
    "encoded ../ in the slug segment",
    "path traversal and encoded separators",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/%2e%2e",
    "%2e%2e as the slug (the URL parser resolves it)",
    "path traversal and encoded separators",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/{slug}/..",
    "/.. after the slug (resolved to a trailing slash)",
    "path traversal and encoded separators",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/./{slug}",
    "a /./ segment is resolved by the URL parser: the permanent URL itself",
    "path traversal and encoded separators",
    served,
  ),
  publicGet(
    "/v3/assets/{api_key}/x/../{uid}/%2e/{slug}",
    "x/../ and %2e segments resolve to the permanent URL itself",
    "path traversal and encoded separators",
    served,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/{file_uid}/..%2F..%2F..%2F{filename}",
    "encoded ../../../ in the filename segment",
    "path traversal and encoded separators",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/{file_uid}/..%5C..%5C{filename}",
    "encoded backslashes in the filename segment",
    "path traversal and encoded separators",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/{file_uid}/%252e%252e%252f{filename}",
    "double-encoded ../ in the filename segment",
    "path traversal and encoded separators",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}%2F{uid}/{file_uid}/{filename}",
    "encoded / joining api_key and uid",
    "path traversal and encoded separators",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}%2F{file_uid}/{filename}",
    "encoded / joining uid and file_uid",
    "path traversal and encoded separators",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/{file_uid}%2F{filename}",
    "encoded / joining file_uid and filename (3 segments: not the slug)",
    "path traversal and encoded separators",
    notFound404,
  ),
  publicGet(
    "/v3/assets/..%2F{api_key}/{uid}/{slug}",
    "encoded ../ in the api_key segment",
    "path traversal and encoded separators",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/{slug}%00",
    "NUL after the slug",
    "path traversal and encoded separators",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/%E0%A4%A",
    "malformed percent-encoding in the slug",
    "path traversal and encoded separators",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/{file_uid}/{filename}%",
    "a lone % at the end of the filename",
    "path traversal and encoded separators",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}//{uid}/{slug}",
    "an empty segment",
    "path traversal and encoded separators",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/{slug}%3Fdl",
    "an encoded ? inside the slug",
    "path traversal and encoded separators",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/{slug};jsessionid=1",
    "a ;parameter after the slug",
    "path traversal and encoded separators",
    notFound404,
  ),
  {
    name: "encoded ../ in a management asset uid",
    category: "path traversal and encoded separators",
    method: "GET",
    path: "/v3/assets/..%2F{uid}",
    auth: "stack",
    expect: assetMissing,
  },
  {
    name: "encoded /versions inside the uid segment",
    category: "path traversal and encoded separators",
    method: "GET",
    path: "/v3/assets/{uid}%2Fversions",
    auth: "stack",
    expect: assetMissing,
  },
  {
    name: "/versions/.. resolved to a trailing slash",
    category: "path traversal and encoded separators",
    method: "GET",
    path: "/v3/assets/{uid}/versions/..",
    auth: "stack",
    expect: notFound404,
  },
  editJson(
    "{uid}%00",
    { asset: { title: "never" } },
    "PUT to a uid with a NUL appended",
    "path traversal and encoded separators",
    assetMissing,
  ),
  {
    name: "encoded ../ in an upload uid",
    category: "path traversal and encoded separators",
    method: "GET",
    path: "/v3/uploads/..%2F{upload_uid}",
    auth: "stack",
    expect: uploadMissing,
  },
  part(
    "..%2F1",
    "0123456789",
    {},
    invalid,
    "encoded ../ as a part number",
    "path traversal and encoded separators",
  ),
  {
    name: "encoded /complete inside the upload uid",
    category: "path traversal and encoded separators",
    method: "POST",
    path: "/v3/uploads/{upload_uid}%2Fcomplete",
    auth: "stack",
    expect: notFound404,
  },
  {
    name: "encoded ../ in a token uid to revoke",
    category: "path traversal and encoded separators",
    method: "DELETE",
    path: "/v3/stacks/management_tokens/..%2F{token_uid}",
    auth: "admin",
    expect: { status: 404, errorCode: 146 },
  },
  {
    name: "encoded ../ between admin route segments",
    category: "path traversal and encoded separators",
    method: "POST",
    path: "/v3/stacks/..%2Fmanagement_tokens",
    auth: "admin",
    expect: notFound404,
  },
];

const longSegments: HostileCase[] = [
  publicGet(
    `/v3/assets/{api_key}/{uid}/${"a".repeat(300)}`,
    "a 300-character slug",
    "over-long segments",
    notFound404,
  ),
  publicGet(
    `/v3/assets/{api_key}/{uid}/${"s".repeat(64 * KiB)}`,
    "a 64 KiB slug",
    "over-long segments",
    notFound404,
  ),
  publicGet(
    `/v3/assets/{api_key}/{uid}/{file_uid}/${"f".repeat(2000)}.txt`,
    "a filename segment longer than an R2 key",
    "over-long segments",
    notFound404,
  ),
  publicGet(
    `/v3/assets/{api_key}/{uid}/{file_uid}/${"%F0%9F%92%A9".repeat(4 * KiB)}`,
    "16 KiB of encoded emoji as the filename",
    "over-long segments",
    notFound404,
  ),
  publicGet(
    `/v3/assets/blt${"0".repeat(10 * KiB)}/{uid}/{slug}`,
    "a 10 KiB api_key segment",
    "over-long segments",
    notFound404,
  ),
  {
    name: "a 10 KiB asset uid",
    category: "over-long segments",
    method: "GET",
    path: `/v3/assets/blt${"a".repeat(10 * KiB)}`,
    auth: "stack",
    expect: assetMissing,
  },
  {
    name: "a 10 KiB upload uid",
    category: "over-long segments",
    method: "DELETE",
    path: `/v3/uploads/upl${"a".repeat(10 * KiB)}`,
    auth: "stack",
    expect: uploadMissing,
  },
  {
    name: "a 10 KiB token uid to revoke",
    category: "over-long segments",
    method: "DELETE",
    path: `/v3/stacks/management_tokens/blt${"a".repeat(10 * KiB)}`,
    auth: "admin",
    expect: { status: 404, errorCode: 146 },
  },
  part(
    `1${"0".repeat(1000)}`,
    "0123456789",
    {},
    invalid,
    "a 1001-digit part number",
    "over-long segments",
  ),
  listQuery(
    `x=${"q".repeat(64 * KiB)}`,
    served,
    "a 64 KiB unknown query parameter",
    "over-long segments",
  ),
  rawCreate(
    `filename=${"n".repeat(64 * KiB)}.txt`,
    "a 64 KiB filename is refused, not cut short",
    "over-long segments",
    { ...invalid, mentions: { filename: "at most 255 characters" } },
  ),
];

const longHeaders: HostileCase[] = [
  {
    name: "a 16 KiB api_key header",
    category: "over-long headers",
    method: "GET",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: { api_key: `blt${"a".repeat(16 * KiB)}` },
    expect: badApiKey,
  },
  {
    name: "a 64 KiB authorization header",
    category: "over-long headers",
    method: "GET",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: { authorization: "x".repeat(64 * KiB) },
    expect: unauthorized,
  },
  {
    name: "a 64 KiB authorization header on the admin route",
    category: "over-long headers",
    method: "POST",
    path: "/v3/stacks",
    auth: "none",
    headers: { authorization: "test-admin-token".repeat(4 * KiB), ...JSON_CT },
    body: { kind: "json", value: { stack: { name: "never" } } },
    expect: unauthorized,
  },
  {
    name: "a 16 KiB Content-Digest",
    category: "over-long headers",
    method: "PUT",
    path: "/v3/assets/{uid}?filename=x.txt",
    auth: "stack",
    headers: {
      "content-type": "text/plain",
      "content-digest": `sha-256=:${"A".repeat(16 * KiB)}:`,
    },
    body: "never stored",
    expect: invalid,
  },
  {
    name: "a multipart boundary longer than 70 characters",
    category: "over-long headers",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: { "content-type": `multipart/form-data; boundary=${"b".repeat(16 * KiB)}` },
    body: { kind: "multipart", lines: [`--${"b".repeat(16 * KiB)}--`, ""] },
    expect: { status: [400, 422] },
  },
  publicGet(PERMANENT, "a 16 KiB Range header of many ranges", "over-long headers", served, {
    range: `bytes=${Array.from({ length: 2 * KiB }, (_, i) => `${i}-${i}`).join(",")}`,
  }),
  publicGet(VERSIONED, "a 16 KiB If-None-Match list", "over-long headers", served, {
    "if-none-match": Array.from({ length: 800 }, (_, i) => `"tag-${i}"`).join(", "),
  }),
  publicGet(PERMANENT, "a 64 KiB Cookie and User-Agent", "over-long headers", served, {
    cookie: `a=${"c".repeat(64 * KiB)}`,
    "user-agent": "u".repeat(16 * KiB),
  }),
  publicGet(VERSIONED, "a 16 KiB Origin header", "over-long headers", served, {
    origin: `https://${"o".repeat(16 * KiB)}.example`,
  }),
];

const malformedJson: HostileCase[] = [
  {
    name: "cut-off JSON",
    category: "malformed JSON",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: JSON_CT,
    body: '{"asset": {"title": "x"',
    expect: malformed,
  },
  {
    name: "an empty JSON body",
    category: "malformed JSON",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: JSON_CT,
    body: "",
    expect: malformed,
  },
  {
    name: "trailing garbage after the JSON",
    category: "malformed JSON",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: JSON_CT,
    body: '{"asset": {"title": "x"}} garbage',
    expect: malformed,
  },
  {
    name: "JSON with a NaN literal",
    category: "malformed JSON",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: JSON_CT,
    body: '{"asset": {"title": NaN}}',
    expect: malformed,
  },
  {
    name: "JSON with invalid UTF-8",
    category: "malformed JSON",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: JSON_CT,
    body: new Uint8Array([
      ...new TextEncoder().encode('{"asset": {"title": "'),
      0xc3,
      0x28,
      0x22,
      0x7d,
      0x7d,
    ]),
    expect: malformed,
  },
  editJson("{uid}", null, "JSON null", "malformed JSON", invalid),
  editJson("{uid}", [], "a JSON array", "malformed JSON", invalid),
  editJson("{uid}", { asset: "title" }, "asset is a string", "malformed JSON", invalid),
  editJson("{uid}", { asset: {} }, "nothing to update", "malformed JSON", invalid),
  editJson(
    "{uid}",
    { asset: { permanent_url: 123 } },
    "permanent_url is a number",
    "malformed JSON",
    invalid,
  ),
  {
    name: "a byte-order mark before otherwise empty JSON",
    category: "malformed JSON",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: JSON_CT,
    body: '\uFEFF{"asset": {}}',
    expect: { status: [400, 422] },
  },
  {
    name: "JSON nested 32,000 deep (just under the 64 KiB limit)",
    category: "malformed JSON",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: JSON_CT,
    body: `${"[".repeat(32_000)}${"]".repeat(32_000)}`,
    expect: { status: [400, 422] },
  },
  {
    name: "a JSON body over 64 KiB",
    category: "malformed JSON",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: JSON_CT,
    body: JSON.stringify({ asset: { description: "d".repeat(70 * KiB) } }),
    expect: { status: 413, errorCode: 149 },
  },
  {
    name: "duplicate keys: the last permanent_url conflicts with the existing one",
    category: "malformed JSON",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: JSON_CT,
    body: '{"asset": {"permanent_url": "{slug}", "permanent_url": "another-slug"}}',
    expect: { status: 409, errorCode: 147 },
  },
  {
    name: "cut-off JSON when creating a stack",
    category: "malformed JSON",
    method: "POST",
    path: "/v3/stacks",
    auth: "admin-only",
    headers: JSON_CT,
    body: '{"stack": {"name": ',
    expect: malformed,
  },
  {
    name: "stack name of only spaces",
    category: "malformed JSON",
    method: "POST",
    path: "/v3/stacks",
    auth: "admin-only",
    headers: JSON_CT,
    body: { kind: "json", value: { stack: { name: "   " } } },
    expect: invalid,
  },
  {
    name: "stack is a string",
    category: "malformed JSON",
    method: "POST",
    path: "/v3/stacks",
    auth: "admin-only",
    headers: JSON_CT,
    body: { kind: "json", value: { stack: "name" } },
    expect: invalid,
  },
  {
    name: "cut-off JSON when starting an upload",
    category: "malformed JSON",
    method: "POST",
    path: "/v3/uploads",
    auth: "stack",
    headers: JSON_CT,
    body: '{"upload": {"filename": "a.bin", "file_size": 1',
    expect: malformed,
  },
  startUpload(
    { upload: { filename: "a.bin", file_size: "10" } },
    "file_size as a string",
    "malformed JSON",
    invalid,
  ),
  startUpload(
    { upload: { filename: "a.bin", file_size: -1 } },
    "a negative file_size",
    "malformed JSON",
    invalid,
  ),
  {
    name: "file_size 1e999 (parsed as Infinity)",
    category: "malformed JSON",
    method: "POST",
    path: "/v3/uploads",
    auth: "stack",
    headers: JSON_CT,
    body: '{"upload": {"filename": "a.bin", "file_size": 1e999}}',
    expect: invalid,
  },
  {
    name: "file_size 2^53 + 1 (not a safe integer)",
    category: "malformed JSON",
    method: "POST",
    path: "/v3/uploads",
    auth: "stack",
    headers: JSON_CT,
    body: '{"upload": {"filename": "a.bin", "file_size": 9007199254740993}}',
    expect: invalid,
  },
  startUpload(
    { upload: { filename: "a.bin", file_size: 10, sha256: "../../etc/passwd" } },
    "sha256 that is not 64 hex digits",
    "malformed JSON",
    invalid,
  ),
];

const multipartLines = (...parts: string[][]) => [
  ...parts.flatMap((p) => [`--${B}`, ...p]),
  `--${B}--`,
  "",
];
const filePart = (filename: string, content = "hello") => [
  `Content-Disposition: form-data; name="asset[upload]"; filename="${filename}"`,
  "Content-Type: text/plain",
  "",
  content,
];
/** A permanent_url field that conflicts with asset A's: a form that parses is still refused. */
const CONFLICTING_SLUG = [
  'Content-Disposition: form-data; name="asset[permanent_url]"',
  "",
  "conflicting-slug",
];
/** A JSON edit that asset A must refuse (409) if it were ever read as complete. */
const CONFLICTING_JSON = '{"asset": {"permanent_url": "conflicting-slug"}}';
const isForm = (body: Body): boolean =>
  typeof body === "object" && !(body instanceof Uint8Array) && body.kind === "form";
const multipartPut = (
  name: string,
  body: Body,
  expect: Expect,
  contentType = CT_MULTIPART,
  category: Category = "malformed multipart",
) =>
  ({
    name,
    category,
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    // A FormData body brings its own Content-Type (with the boundary the runtime chose).
    headers: isForm(body) ? {} : ({ "content-type": contentType } as Record<string, string>),
    body,
    expect,
  }) satisfies HostileCase;

const malformedMultipart: HostileCase[] = [
  multipartPut(
    "multipart without a boundary parameter",
    { kind: "multipart", lines: multipartLines(filePart("a.txt")) },
    malformed,
    "multipart/form-data",
  ),
  multipartPut(
    "a boundary that is not the one in the body",
    { kind: "multipart", lines: multipartLines(filePart("a.txt")) },
    malformed,
    "multipart/form-data; boundary=somethingElse",
  ),
  multipartPut(
    "a body cut off before the closing boundary",
    { kind: "multipart", lines: [`--${B}`, ...filePart("a.txt", "hel")] },
    malformed,
  ),
  multipartPut(
    "a part without Content-Disposition",
    { kind: "multipart", lines: multipartLines(["Content-Type: text/plain", "", "hello"]) },
    { status: [400, 422] },
  ),
  multipartPut(
    "a garbage Content-Disposition",
    {
      kind: "multipart",
      lines: multipartLines([";;;;==\u0001", "", "hello"]),
    },
    { status: [400, 422] },
  ),
  multipartPut(
    "a file part without a filename",
    {
      kind: "multipart",
      lines: multipartLines(['Content-Disposition: form-data; name="asset[upload]"', "", "hello"]),
    },
    invalid,
  ),
  multipartPut(
    "two file parts",
    { kind: "form", file: { name: "a.txt", content: "a" }, extraFiles: 1 },
    invalid,
  ),
  multipartPut(
    "the title given twice",
    {
      kind: "multipart",
      lines: multipartLines(
        ['Content-Disposition: form-data; name="asset[title]"', "", "one"],
        ['Content-Disposition: form-data; name="asset[title]"', "", "two"],
      ),
    },
    invalid,
  ),
  multipartPut(
    "only the closing boundary",
    { kind: "multipart", lines: [`--${B}--`, ""] },
    { status: [400, 422] },
  ),
  multipartPut("garbage instead of a multipart body", "this is not multipart at all", malformed),
  multipartPut(
    "seventeen text parts",
    {
      kind: "multipart",
      lines: multipartLines(
        ...Array.from({ length: 17 }, () => [
          'Content-Disposition: form-data; name="asset[title]"',
          "",
          "t",
        ]),
      ),
    },
    invalid,
  ),
  multipartPut(
    "a 70 KiB text field",
    { kind: "form", fields: { "asset[description]": "d".repeat(70 * KiB) } },
    invalid,
  ),
  multipartPut(
    "a file part with a NUL in its field name",
    {
      kind: "multipart",
      lines: multipartLines([
        'Content-Disposition: form-data; name="asset[upload]\u0000"; filename="a.txt"',
        "",
        "hello",
      ]),
    },
    { status: [400, 422] },
  ),
  {
    name: "a multipart create without the file",
    category: "malformed multipart",
    method: "POST",
    path: "/v3/assets",
    auth: "stack",
    body: { kind: "form", fields: { "asset[title]": "no file" } },
    expect: invalid,
  },
  multipartPut(
    "a new file and a conflicting permanent URL: refused whole, the file is not kept",
    {
      kind: "form",
      fields: { "asset[permanent_url]": "a-different-slug" },
      file: { name: "new.txt", content: "new bytes" },
    },
    { status: 409, errorCode: 147 },
  ),
  multipartPut(
    "a new file with a wrong asset[sha256]",
    {
      kind: "form",
      fields: { "asset[sha256]": "0".repeat(64) },
      file: { name: "new.txt", content: "new bytes" },
    },
    invalid,
  ),
  multipartPut(
    "a multipart body over the upload limit",
    { kind: "form", file: { name: "big.bin", content: "x".repeat(MAX_UPLOAD + 10) } },
    { status: 413, errorCode: 149 },
  ),
];

const contentTypeLength: HostileCase[] = [
  {
    name: "a JSON Content-Type on a create: no filename, so unsupported",
    category: "wrong Content-Type or Content-Length",
    method: "POST",
    path: "/v3/assets",
    auth: "stack",
    headers: JSON_CT,
    body: { kind: "json", value: { asset: { title: "x" } } },
    expect: unsupported,
  },
  {
    name: "a JSON Content-Type with a multipart body on a create",
    category: "wrong Content-Type or Content-Length",
    method: "POST",
    path: "/v3/assets",
    auth: "stack",
    headers: JSON_CT,
    body: { kind: "multipart", lines: multipartLines(filePart("a.txt")) },
    expect: unsupported,
  },
  multipartPut(
    "a multipart Content-Type with a JSON body",
    '{"asset": {"title": "x"}}',
    malformed,
    CT_MULTIPART,
    "wrong Content-Type or Content-Length",
  ),
  {
    name: "a JSON Content-Type with a multipart body on an edit",
    category: "wrong Content-Type or Content-Length",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: JSON_CT,
    body: { kind: "multipart", lines: multipartLines(filePart("a.txt")) },
    expect: malformed,
  },
  {
    name: "text/plain without ?filename on an edit",
    category: "wrong Content-Type or Content-Length",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: { "content-type": "text/plain" },
    body: '{"asset": {"title": "x"}}',
    expect: unsupported,
  },
  {
    name: "application/jsonp is not JSON",
    category: "wrong Content-Type or Content-Length",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: { "content-type": "application/jsonp" },
    body: '{"asset": {"title": "x"}}',
    expect: unsupported,
  },
  {
    name: "no Content-Type and no ?filename on a create",
    category: "wrong Content-Type or Content-Length",
    method: "POST",
    path: "/v3/assets",
    auth: "stack",
    body: new Uint8Array([1, 2, 3]),
    expect: unsupported,
  },
  multipartPut(
    "an upper-case multipart Content-Type is still multipart (and its unknown field refused)",
    {
      kind: "multipart",
      lines: multipartLines(['Content-Disposition: form-data; name="asset[evil]"', "", "x"]),
    },
    invalid,
    `MULTIPART/FORM-DATA; boundary=${B}`,
    "wrong Content-Type or Content-Length",
  ),
  {
    name: "a multipart Content-Type with a FormData body when starting an upload",
    category: "wrong Content-Type or Content-Length",
    method: "POST",
    path: "/v3/uploads",
    auth: "stack",
    body: { kind: "form", fields: { "upload[filename]": "a.bin" } },
    expect: { status: [400, 415] },
  },
  {
    name: "a text/plain Content-Type with an invalid stack when creating a stack",
    category: "wrong Content-Type or Content-Length",
    method: "POST",
    path: "/v3/stacks",
    auth: "admin-only",
    headers: { "content-type": "text/plain" },
    body: '{"stack": {}}',
    expect: { status: [415, 422] },
  },
  {
    name: "Content-Length that is not a number on a raw replace",
    category: "wrong Content-Type or Content-Length",
    method: "PUT",
    path: "/v3/assets/{uid}?filename=x.txt",
    auth: "stack",
    headers: { "content-type": "text/plain", "content-length": "abc" },
    body: "hello",
    expect: malformed,
  },
  {
    name: "a negative Content-Length on a raw replace",
    category: "wrong Content-Type or Content-Length",
    method: "PUT",
    path: "/v3/assets/{uid}?filename=x.txt",
    auth: "stack",
    headers: { "content-type": "text/plain", "content-length": "-1" },
    body: { kind: "stream", text: "hello" },
    expect: malformed,
  },
  {
    name: "Content-Length larger than the body on a raw replace",
    category: "wrong Content-Type or Content-Length",
    method: "PUT",
    path: "/v3/assets/{uid}?filename=x.txt",
    auth: "stack",
    headers: { "content-type": "text/plain", "content-length": "100" },
    body: { kind: "stream", text: "only twenty-six bytes here" },
    expect: malformed,
  },
  {
    name: "Content-Length smaller than the body on a raw replace",
    category: "wrong Content-Type or Content-Length",
    method: "PUT",
    path: "/v3/assets/{uid}?filename=x.txt",
    auth: "stack",
    headers: { "content-type": "text/plain", "content-length": "5" },
    body: { kind: "stream", text: "many more bytes than five" },
    expect: malformed,
  },
  {
    name: "Content-Length over the upload limit (refused before reading)",
    category: "wrong Content-Type or Content-Length",
    method: "PUT",
    path: "/v3/assets/{uid}?filename=x.txt",
    auth: "stack",
    // Over the upload limit, under the plan's body limit (past which the edge answers itself).
    headers: { "content-type": "text/plain", "content-length": "99999999" },
    body: { kind: "stream", text: "short" },
    expect: { status: 413, errorCode: 149 },
  },
  {
    name: "a raw body one byte over the upload limit",
    category: "wrong Content-Type or Content-Length",
    method: "PUT",
    path: "/v3/assets/{uid}?filename=big.bin",
    auth: "stack",
    headers: { "content-type": "application/octet-stream" },
    body: { kind: "zeros", size: MAX_UPLOAD + 1 },
    expect: { status: 413, errorCode: 149 },
  },
  {
    name: "Content-Length larger than a multipart body",
    category: "wrong Content-Type or Content-Length",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: { "content-type": CT_MULTIPART, "content-length": "4096" },
    // Were the body taken as complete, its conflicting permanent_url would refuse it (409):
    // a wrong answer here cannot change asset A for the cases that follow.
    body: {
      kind: "stream",
      text: multipartLines(CONFLICTING_SLUG, filePart("a.txt")).join("\r\n"),
    },
    expect: malformed,
  },
  {
    name: "Content-Length smaller than a multipart body",
    category: "wrong Content-Type or Content-Length",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: { "content-type": CT_MULTIPART, "content-length": "20" },
    body: {
      kind: "stream",
      text: multipartLines(CONFLICTING_SLUG, filePart("a.txt")).join("\r\n"),
    },
    expect: malformed,
  },
  {
    name: "Content-Length larger than a JSON edit",
    category: "wrong Content-Type or Content-Length",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: { ...JSON_CT, "content-length": "1000" },
    body: { kind: "stream", text: CONFLICTING_JSON },
    expect: malformed,
  },
  {
    name: "Content-Length smaller than a JSON edit",
    category: "wrong Content-Type or Content-Length",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: { ...JSON_CT, "content-length": "10" },
    body: { kind: "stream", text: CONFLICTING_JSON },
    expect: malformed,
  },
  {
    name: "Content-Length larger than the JSON that starts an upload",
    category: "wrong Content-Type or Content-Length",
    method: "POST",
    path: "/v3/uploads",
    auth: "stack",
    headers: { ...JSON_CT, "content-length": "1000" },
    body: { kind: "stream", text: '{"upload": {"filename": "a.bin", "file_size": 10}}' },
    expect: malformed,
  },
  {
    name: "Content-Length over 64 KiB on a JSON edit (refused before reading)",
    category: "wrong Content-Type or Content-Length",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: { ...JSON_CT, "content-length": String(1024 * KiB) },
    body: { kind: "stream", text: '{"asset": {"title": "never"}}' },
    expect: { status: 413, errorCode: 149 },
  },
  part(
    "1",
    { kind: "stream", text: "0123456789" },
    {},
    { status: 411, errorCode: 157 },
    "a part without Content-Length",
    "wrong Content-Type or Content-Length",
  ),
  part(
    "1",
    "01234567890",
    {},
    invalid,
    "a part of 11 bytes where 10 are expected",
    "wrong Content-Type or Content-Length",
  ),
  part(
    "1",
    { kind: "stream", text: "01234" },
    { "content-length": "10" },
    malformed,
    "a part that sends 5 of its declared 10 bytes",
    "wrong Content-Type or Content-Length",
  ),
  part(
    "1",
    { kind: "stream", text: "01234567890123456789" },
    { "content-length": "10" },
    malformed,
    "a part that sends 20 bytes after declaring 10",
    "wrong Content-Type or Content-Length",
  ),
  part(
    "1",
    "0123456789",
    { "content-length": "1e1" },
    malformed,
    "a part whose Content-Length is 1e1",
    "wrong Content-Type or Content-Length",
  ),
];

const duplicateHeaders: HostileCase[] = [
  {
    name: "api_key sent twice (joined as 'k, k')",
    category: "duplicate and conflicting headers",
    method: "GET",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: { api_key: ["{api_key}", "{api_key}"] },
    expect: badApiKey,
  },
  {
    name: "two different api_key headers",
    category: "duplicate and conflicting headers",
    method: "DELETE",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: { api_key: ["{api_key}", "{other_api_key}"] },
    expect: badApiKey,
  },
  {
    name: "authorization sent twice",
    category: "duplicate and conflicting headers",
    method: "GET",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: { authorization: ["{token}", "{token}"] },
    expect: unauthorized,
  },
  {
    name: "the admin token sent twice",
    category: "duplicate and conflicting headers",
    method: "POST",
    path: "/v3/stacks/management_tokens",
    auth: "admin",
    headers: { authorization: ["test-admin-token", "test-admin-token"] },
    expect: unauthorized,
  },
  {
    name: "api_key header name in mixed case (header names are case-insensitive)",
    category: "duplicate and conflicting headers",
    method: "GET",
    path: "/v3/assets/{uid}",
    auth: "none",
    headers: { Api_Key: "{api_key}", AUTHORIZATION: "{token}" },
    expect: served,
  },
  {
    name: "api-key with a hyphen is not api_key",
    category: "duplicate and conflicting headers",
    method: "GET",
    path: "/v3/assets/{uid}",
    auth: "none",
    headers: { "api-key": "{api_key}", authorization: "{token}" },
    expect: badApiKey,
  },
  {
    name: "the api_key in upper case",
    category: "duplicate and conflicting headers",
    method: "GET",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: { api_key: "BLT0123456789ABCDEF" },
    expect: badApiKey,
  },
  {
    name: "a Bearer prefix on the token",
    category: "duplicate and conflicting headers",
    method: "GET",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: { authorization: "Bearer {token}" },
    expect: unauthorized,
  },
  {
    name: "api_key and token swapped",
    category: "duplicate and conflicting headers",
    method: "GET",
    path: "/v3/assets/{uid}",
    auth: "none",
    headers: { api_key: "{token}", authorization: "{api_key}" },
    expect: badApiKey,
  },
  {
    name: "an api_key of the right shape that names no stack",
    category: "duplicate and conflicting headers",
    method: "POST",
    path: "/v3/stacks/management_tokens",
    auth: "admin",
    headers: { api_key: "blt0000000000000000" },
    expect: badApiKey,
  },
  {
    name: "X-HTTP-Method-Override: DELETE on a GET is ignored",
    category: "duplicate and conflicting headers",
    method: "GET",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: { "x-http-method-override": "DELETE", "x-method-override": "DELETE" },
    expect: served,
  },
  {
    name: "two Content-Types appended (multipart, then JSON)",
    category: "duplicate and conflicting headers",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: { "content-type": [CT_MULTIPART, "application/json"] },
    body: { kind: "multipart", lines: multipartLines(CONFLICTING_SLUG, filePart("a.txt")) },
    expect: { status: [400, 409, 415, 422] },
  },
  {
    name: "two Content-Types appended (JSON, then multipart)",
    category: "duplicate and conflicting headers",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: { "content-type": ["application/json", CT_MULTIPART] },
    body: { kind: "multipart", lines: multipartLines(CONFLICTING_SLUG, filePart("a.txt")) },
    expect: { status: [400, 409, 415, 422] },
  },
  publicGet(PERMANENT, "two Range headers appended", "duplicate and conflicting headers", served, {
    range: ["bytes=0-1", "bytes=2-3"],
  }),
  publicGet(
    VERSIONED,
    "If-Match that fails and If-None-Match: * (If-Match wins)",
    "duplicate and conflicting headers",
    { status: 412, errorCode: 152 },
    { "if-match": '"not-the-etag"', "if-none-match": "*" },
  ),
  {
    name: "a Content-Digest with two conflicting sha-256 members",
    category: "duplicate and conflicting headers",
    method: "PUT",
    path: "/v3/assets/{uid}?filename=x.txt",
    auth: "stack",
    headers: {
      "content-type": "text/plain",
      "content-digest": [BAD_DIGEST, `sha-256=:${"B".repeat(43)}=:`],
    },
    body: "never kept",
    expect: invalid,
  },
];

const headerInjection: HostileCase[] = [
  rawCreate(
    "filename=evil%0D%0AX-Injected:%20yes.txt",
    "CR LF and a header in a raw upload's filename",
    "header injection in filenames",
    { ...invalid, mentions: { filename: "control characters" } },
  ),
  {
    name: "CR LF and a header inside a hand-written multipart filename",
    category: "header injection in filenames",
    method: "POST",
    path: "/v3/assets",
    auth: "stack",
    headers: { "content-type": CT_MULTIPART },
    body: { kind: "multipart", lines: multipartLines(filePart("evil\r\nX-Injected: yes.txt")) },
    expect: { status: [201, 400, 422] },
    mutates: true,
    followUp: "download",
  },
  {
    name: "CR LF and a quote in a FormData filename",
    category: "header injection in filenames",
    method: "POST",
    path: "/v3/assets",
    auth: "stack",
    body: {
      kind: "form",
      file: { name: 'evil"\r\nX-Injected: yes.txt', content: "x", type: "text/plain" },
    },
    expect: { status: [201, 400, 422] },
    mutates: true,
    followUp: "download",
  },
  rawCreate(
    "filename=a%22%3B%20filename%3D%22evil.exe",
    "a quote and a second filename= parameter in a raw upload's filename",
    "header injection in filenames",
    { status: 201 },
  ),
  publicGet(
    `${VERSIONED}?dl=evil%0D%0AX-Injected:%20yes`,
    "CR LF and a header in ?dl",
    "header injection in filenames",
    { status: 200, headers: { "x-injected": null, "content-disposition": SAFE_DISPOSITION } },
  ),
  publicGet(
    `${PERMANENT}?dl=a%22%3B%20filename%3D%22evil.exe`,
    "a quote and a second filename= in ?dl",
    "header injection in filenames",
    { status: 200, headers: { "content-disposition": SAFE_DISPOSITION } },
  ),
  publicGet(
    `${PERMANENT}?dl=..%2F..%2Fetc%2Fpasswd`,
    "a path in ?dl",
    "header injection in filenames",
    {
      status: 200,
      headers: { "content-disposition": /^attachment; filename="\.\._\.\._etc_passwd"; / },
    },
  ),
  publicGet(
    `${VERSIONED}?dl=%00`,
    "only a NUL in ?dl falls back to the version's filename",
    "header injection in filenames",
    {
      status: 200,
      headers: {
        "content-disposition":
          /^attachment; filename="r_sum_\.txt"; filename\*=UTF-8''r%C3%A9sum%C3%A9\.txt$/,
      },
    },
  ),
  publicGet(
    `${VERSIONED}?dl=%E0%A4%A`,
    "malformed percent-encoding in ?dl",
    "header injection in filenames",
    { status: [200, 400], headers: { "x-injected": null } },
  ),
  rawReplaceBadDigest(
    "filename=x%0D%0AX-Injected:%20yes.txt",
    "CR LF in a raw replace's filename (refused by its checksum)",
    "header injection in filenames",
  ),
  {
    ...startUpload(
      {
        upload: {
          filename: "evil\r\nX-Injected: yes.bin",
          file_size: 10,
          content_type: "text/html\r\nX-Injected: yes",
        },
      },
      "CR LF in an upload session's filename and content_type",
      "header injection in filenames",
      { ...invalid, mentions: { filename: "control characters" } },
    ),
  },
  {
    ...startUpload(
      {
        upload: {
          filename: "evil.bin",
          file_size: 10,
          content_type: "text/html\r\nX-Injected: yes",
        },
      },
      "CR LF in an upload session's content_type (the type is taken from the name instead)",
      "header injection in filenames",
      { status: 201, json: { upload: { content_type: "application/octet-stream" } } },
    ),
    mutates: true,
  },
];

const queries: HostileCase[] = [
  listQuery("skip=1e309", invalid),
  listQuery("limit=-1", invalid),
  listQuery("limit=99999999999999999999", invalid),
  listQuery("skip=NaN", invalid),
  listQuery("skip=Infinity", invalid),
  listQuery("limit=0", invalid),
  listQuery("limit=1.5", invalid),
  listQuery("skip=1000001", invalid),
  listQuery("skip=1000000", { status: 200, json: { assets: [], count: 3 } }),
  listQuery("limit=%00", invalid),
  listQuery("limit=%EF%BC%91", invalid, "list with a fullwidth digit as limit"),
  ...[
    ["limit=1&limit=1000", "limit", "list with limit repeated (the first value was taken)"],
    ["search=a&search=b", "search", "list with search repeated"],
    ["include_count=true&include_count=true", "include_count", "list with a repeat of one value"],
  ].map(([query, name, title]) =>
    listQuery(
      query as string,
      { ...invalid, mentions: { [name as string]: "more than once" } },
      title,
    ),
  ),
  listQuery(
    "skip[]=1&limit[0]=5&include_count=true",
    served,
    "list with unknown bracketed parameters",
  ),
  // Whole numbers are digits: these were 16, 0, 1000, 16, 1, 1 and 0.
  ...["limit=0x10", "skip=-0", "skip=1e3", "skip=0x10", "skip=%201", "limit=01", "skip="].map((q) =>
    listQuery(q, { ...invalid, mentions: { [q.split("=")[0] as string]: "digits" } }),
  ),
  part("01", "0123456789", {}, invalid, "part number 01 (was part 1)"),
  part("0", "0123456789", {}, invalid, "part number 0"),
  part("-1", "0123456789", {}, invalid, "part number -1"),
  part("2", "0123456789", {}, invalid, "part number past the last part"),
  part("99999", "0123456789", {}, invalid, "part number 99999"),
  part("1.0", "0123456789", {}, invalid, "part number 1.0"),
  part("1e0", "0123456789", {}, invalid, "part number 1e0"),
  part("%EF%BC%91", "0123456789", {}, invalid, "a fullwidth 1 as the part number"),
  startUpload(
    { upload: { filename: "a.bin", file_size: 1e15 } },
    "a file_size over MAX_FILE_BYTES",
    "huge or malformed skip/limit and part numbers",
    { status: 413, errorCode: 149 },
  ),
  startUpload(
    { upload: { filename: "a.bin", file_size: 10, part_size: 1 } },
    "a part_size of 1 byte",
    "huge or malformed skip/limit and part numbers",
    invalid,
  ),
  startUpload(
    { upload: { filename: "a.bin", file_size: 10, part_size: 1e300 } },
    "a part_size of 1e300",
    "huge or malformed skip/limit and part numbers",
    invalid,
  ),
  startUpload(
    { upload: { filename: "a.bin", file_size: 6e10, part_size: 5 * 1024 * 1024 } },
    "more than 10,000 parts of the part_size asked for (larger parts would do)",
    "huge or malformed skip/limit and part numbers",
    { ...invalid, mentions: { part_size: "use larger parts" } },
  ),
  startUpload(
    { upload: { filename: "a.bin", file_size: 5e12, part_size: 5 * 1024 * 1024 } },
    "more than 10,000 parts of the largest part",
    "huge or malformed skip/limit and part numbers",
    { status: 413, errorCode: 149, mentions: { file_size: "at most" } },
  ),
  startUpload(
    { upload: { filename: "a.bin", file_size: 0 } },
    "a file_size of 0",
    "huge or malformed skip/limit and part numbers",
    invalid,
  ),
];

const unknownFields: HostileCase[] = [
  editJson(
    "{uid}",
    { asset: { title: "x", uid: "blt0000000000000000" } },
    "uid in an edit",
    "unknown fields",
    invalid,
  ),
  editJson("{uid}", { asset: { _version: 99 } }, "_version in an edit", "unknown fields", invalid),
  editJson(
    "{uid}",
    { asset: { permanent_url: "{slug}" }, extra: true },
    "an unknown top-level field next to asset",
    "unknown fields",
    invalid,
  ),
  editJson("{uid}", { asset: { Title: "x" } }, "Title with a capital T", "unknown fields", invalid),
  {
    name: "__proto__ inside asset",
    category: "unknown fields",
    method: "PUT",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: JSON_CT,
    body: '{"asset": {"__proto__": {"title": "polluted"}}}',
    expect: invalid,
  },
  editJson(
    "{uid}",
    { asset: { title: "x", constructor: "y" } },
    "constructor inside asset",
    "unknown fields",
    invalid,
  ),
  {
    name: "toString inside stack",
    category: "unknown fields",
    method: "POST",
    path: "/v3/stacks",
    auth: "admin-only",
    headers: JSON_CT,
    body: '{"stack": {"name": "never", "toString": 1}}',
    expect: invalid,
  },
  startUpload(
    { upload: { filename: "a.bin", file_size: 10, hasOwnProperty: true } },
    "hasOwnProperty inside upload",
    "unknown fields",
    invalid,
  ),
  multipartPut(
    "a multipart field named __proto__",
    {
      kind: "multipart",
      lines: multipartLines(['Content-Disposition: form-data; name="__proto__"', "", "x"]),
    },
    invalid,
    CT_MULTIPART,
    "unknown fields",
  ),
  multipartPut(
    "a CMA multipart field this service does not have, asset[ACL]",
    { kind: "form", fields: { "asset[ACL]": "{}" }, file: { name: "a.txt", content: "a" } },
    invalid,
    CT_MULTIPART,
    "unknown fields",
  ),
  multipartPut(
    "a multipart field without the asset[] wrapper",
    { kind: "form", fields: { title: "x" } },
    invalid,
    CT_MULTIPART,
    "unknown fields",
  ),
  startUpload(
    { upload: { filename: "a.bin", file_size: 10, evil: true } },
    "an unknown field in an upload",
    "unknown fields",
    invalid,
  ),
  startUpload(
    { upload: { filename: "a.bin", file_size: 10 }, asset: {} },
    "an unknown top-level field next to upload",
    "unknown fields",
    invalid,
  ),
  startUpload(
    { upload: { filename: "a.bin", file_size: 10, asset_uid: "{uid}", title: "t" } },
    "a replacement upload with a title",
    "unknown fields",
    invalid,
  ),
  {
    name: "an api_key field when creating a stack",
    category: "unknown fields",
    method: "POST",
    path: "/v3/stacks",
    auth: "admin-only",
    headers: JSON_CT,
    body: { kind: "json", value: { stack: { name: "x", api_key: "{api_key}" } } },
    expect: invalid,
  },
  {
    name: "a JSON body on minting a token is ignored: a token is minted",
    category: "unknown fields",
    method: "POST",
    path: "/v3/stacks/management_tokens",
    auth: "admin",
    headers: JSON_CT,
    body: { kind: "json", value: { management_token: { uid: "{token_uid}", scope: "admin" } } },
    expect: { status: 201 },
    mutates: true,
  },
];

const unicodeSlugs: HostileCase[] = [
  slugOnBare("cafe\u0301", "an NFD slug (e + combining acute)"),
  slugOnBare("caf\u00e9", "an NFC slug (é)"),
  slugOnBare("\uff53\uff4c\uff55\uff47", "a fullwidth slug"),
  slugOnBare("sl\u200dug", "a zero-width joiner in the slug"),
  slugOnBare("sl\u200bug", "a zero-width space in the slug"),
  slugOnBare("\u0455lug", "a Cyrillic look-alike (ѕ) in the slug"),
  slugOnBare("\u202egnp.exe", "a right-to-left override in the slug"),
  slugOnBare("..", "the slug '..'"),
  slugOnBare(".", "the slug '.'"),
  slugOnBare("-leading-dash", "a slug starting with a dash"),
  slugOnBare("a/b", "a slug with a /"),
  slugOnBare("a%2Fb", "a slug with an encoded /"),
  slugOnBare("slug ", "a slug with a trailing space"),
  slugOnBare("slug\n", "a slug with a trailing newline"),
  slugOnBare("s".repeat(256), "a 256-character slug"),
  slugOnBare("", "an empty slug"),
  slugOnBare(
    "https://assets.test/v3/assets/{api_key}/{bare_uid}/caf%C3%A9",
    "a full URL with an encoded é",
  ),
  slugOnBare(
    "https://assets.test/v3/assets/{api_key}/{bare_uid}/a%2Fb",
    "a full URL with an encoded /",
  ),
  slugOnBare(
    "https://assets.test/v3/assets/{api_key}/{bare_uid}/%2e%2e",
    "a full URL ending in %2e%2e",
  ),
  slugOnBare(
    "https://assets.test/v3/assets/{other_api_key}/{bare_uid}/ok",
    "a full URL naming another stack",
  ),
  slugOnBare("https://assets.test/v3/assets/{api_key}/{uid}/ok", "a full URL naming another asset"),
  slugOnBare(
    "https://assets.test/\uff56\uff13/assets/{api_key}/{bare_uid}/ok",
    "a full URL with a fullwidth v3",
  ),
  slugOnBare("javascript:alert(1)", "a javascript: URL"),
  {
    name: "a fullwidth slug in a multipart edit",
    category: "Unicode tricks in slugs",
    method: "PUT",
    path: "/v3/assets/{bare_uid}",
    auth: "stack",
    body: { kind: "form", fields: { "asset[permanent_url]": "\uff53\uff4c\uff55\uff47" } },
    expect: invalid,
  },
  editJson(
    "{uid}",
    { asset: { permanent_url: "{slug}" } },
    "the same slug again is an idempotent 200",
    "Unicode tricks in slugs",
    { status: 200, json: { notice: "Permanent URL generated successfully." } },
  ),
  editJson(
    "{uid}",
    { asset: { permanent_url: "https://another-host.example/v3/assets/{api_key}/{uid}/{slug}" } },
    "the same slug as a full URL on another host is an idempotent 200",
    "Unicode tricks in slugs",
    served,
  ),
  editJson(
    "{uid}",
    { asset: { permanent_url: "FIXTURE-SLUG" } },
    "the slug in upper case is another slug: 409",
    "Unicode tricks in slugs",
    { status: 409, errorCode: 147 },
  ),
  editJson(
    "{uid}",
    { asset: { permanent_url: "\uff46ixture-slug" } },
    "a fullwidth variant of the existing slug",
    "Unicode tricks in slugs",
    invalid,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/FIXTURE-SLUG",
    "the permanent URL in upper case",
    "Unicode tricks in slugs",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/{slug}%E2%80%8D",
    "the permanent URL with a zero-width joiner appended",
    "Unicode tricks in slugs",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/fixtur%D0%B5-slug",
    "the permanent URL with a Cyrillic е",
    "Unicode tricks in slugs",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/%EF%BD%86ixture-slug",
    "the permanent URL with a fullwidth f",
    "Unicode tricks in slugs",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/fixture%2Dslug",
    "an encoded unreserved character (%2D) is the same URL: 200",
    "Unicode tricks in slugs",
    served,
  ),
];

const unicodeFilenames: HostileCase[] = [
  // Found by the fuzzer: a form's filename past U+00FF (sent as raw UTF-8, as browsers and the
  // SDK do) made multipasta drop the part's whole Content-Disposition, so the upload was a 422
  // "(unnamed) is not a known field".
  ...["\u65e5\u672c\u8a9e.pdf", "\u20ac \u{1f600}.txt"].map(
    (name): HostileCase => ({
      name: `a form upload of a file named ${name}`,
      category: "Unicode tricks in filenames",
      method: "POST",
      path: "/v3/assets",
      auth: "stack",
      body: { kind: "form", file: { name, content: "named in Unicode", type: "text/plain" } },
      expect: { status: 201, json: { asset: { filename: name } } },
      mutates: true,
      followUp: "download",
    }),
  ),
  // Found by the fuzzer: 255 characters of four UTF-8 bytes made a 1,085-byte R2 key, which R2
  // refused (a 503). The safe name (URL segment, R2 key) is kept within 255 bytes.
  rawCreate(
    `filename=${encodeURIComponent("\u{10000}".repeat(251))}.txt`,
    "a filename of 255 four-byte characters",
    "Unicode tricks in filenames",
    { status: 201, json: { asset: { filename: `${"\u{10000}".repeat(251)}.txt` } } },
  ),
  {
    name: "an upload session for a filename of 255 four-byte characters",
    category: "Unicode tricks in filenames",
    method: "POST",
    path: "/v3/uploads",
    auth: "stack",
    headers: JSON_CT,
    body: { kind: "json", value: { upload: { filename: "\u{1f600}".repeat(255), file_size: 10 } } },
    expect: { status: 201, json: { upload: { filename: "\u{1f600}".repeat(255) } } },
    mutates: true,
  },
  rawCreate(
    "filename=cafe%CC%81.txt",
    "an NFD filename is stored NFC",
    "Unicode tricks in filenames",
    { status: 201, json: { asset: { filename: "caf\u00e9.txt" } } },
  ),
  rawCreate(
    "filename=..%2F..%2F..%2F{other_api_key}%2Fx.txt",
    "../ in a raw upload's filename cannot leave its key prefix",
    "Unicode tricks in filenames",
    { status: 201 },
  ),
  rawCreate("filename=..", "the filename '..'", "Unicode tricks in filenames", { status: 201 }),
  rawCreate(
    "filename=%E2%80%AEtxt.exe",
    "a right-to-left override in the filename",
    "Unicode tricks in filenames",
    { status: 201 },
  ),
  rawCreate(
    "filename=%EF%BD%86%EF%BD%95%EF%BD%8C%EF%BD%8C.txt%E2%80%8D",
    "a fullwidth filename with a zero-width joiner",
    "Unicode tricks in filenames",
    { status: 201 },
  ),
  {
    name: "a filename that is only a NUL",
    category: "Unicode tricks in filenames",
    method: "POST",
    path: "/v3/assets?filename=%00",
    auth: "stack",
    headers: { "content-type": "text/plain" },
    body: "x",
    expect: invalid,
  },
  {
    name: "a NUL and ../ in a FormData filename",
    category: "Unicode tricks in filenames",
    method: "POST",
    path: "/v3/assets",
    auth: "stack",
    body: { kind: "form", file: { name: "../\u0000../x.txt", content: "x", type: "text/plain" } },
    expect: { status: [201, 400, 422] },
    mutates: true,
    followUp: "download",
  },
  rawReplaceBadDigest(
    "filename=%E0%A4%A",
    "malformed percent-encoding in a raw replace's filename",
    "Unicode tricks in filenames",
    { status: [400, 422] },
  ),
  rawReplaceBadDigest(
    "filename=..%2F..%2F{other_api_key}%2F{other_uid}%2Fx",
    "another stack's prefix in a raw replace's filename (refused by its checksum)",
    "Unicode tricks in filenames",
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/{file_uid}/re%CC%81sume%CC%81.txt",
    "the versioned URL with the NFD form of the filename",
    "Unicode tricks in filenames",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/{file_uid}/r%c3%a9sum%c3%a9.txt",
    "lower-case percent-encoding of the filename is the same URL: 200",
    "Unicode tricks in filenames",
    served,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/{file_uid}/r\u00e9sum\u00e9.txt",
    "the filename as raw UTF-8 (encoded by the URL parser): 200",
    "Unicode tricks in filenames",
    served,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/{file_uid}/R%C3%89SUM%C3%89.TXT",
    "the filename in upper case",
    "Unicode tricks in filenames",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/{file_uid}/r%C3%A9sum%C3%A9.txt%E2%80%AE",
    "the filename with a right-to-left override appended",
    "Unicode tricks in filenames",
    notFound404,
  ),
];

const conditionals: HostileCase[] = [
  publicGet(
    PERMANENT,
    "Range bytes=0-4",
    "garbage Range and conditional headers",
    {
      status: 206,
      headers: { "content-range": /^bytes 0-4\/\d+$/ },
    },
    { range: "bytes=0-4" },
  ),
  publicGet(
    VERSIONED,
    "a range starting at 10^20",
    "garbage Range and conditional headers",
    { status: 416, errorCode: 153, headers: { "content-range": /^bytes \*\/\d+$/ } },
    { range: "bytes=99999999999999999999-" },
  ),
  publicGet(
    PERMANENT,
    "a range ending at 10^23 is clamped",
    "garbage Range and conditional headers",
    { status: 206 },
    { range: "bytes=0-99999999999999999999999" },
  ),
  publicGet(
    VERSIONED,
    "a suffix range of 10^20 bytes is the whole file",
    "garbage Range and conditional headers",
    { status: 206 },
    { range: "bytes=-99999999999999999999" },
  ),
  publicGet(
    VERSIONED,
    "a 16,000-digit range start",
    "garbage Range and conditional headers",
    { status: [200, 416] },
    { range: `bytes=${"9".repeat(16_000)}-` },
  ),
  publicGet(
    PERMANENT,
    "a range in exponent notation is ignored",
    "garbage Range and conditional headers",
    served,
    { range: "bytes=1e3-2e3" },
  ),
  publicGet(
    PERMANENT,
    "a Latin-1 range is ignored",
    "garbage Range and conditional headers",
    served,
    { range: "bytes=\u00bd-\u00be" },
  ),
  publicGet(
    VERSIONED,
    "an unterminated entity tag in If-None-Match",
    "garbage Range and conditional headers",
    served,
    { "if-none-match": '"unterminated' },
  ),
  publicGet(
    VERSIONED,
    "If-None-Match: *",
    "garbage Range and conditional headers",
    { status: 304 },
    { "if-none-match": "*" },
  ),
  publicGet(
    PERMANENT,
    "the entity tag as a weak tag in If-None-Match",
    "garbage Range and conditional headers",
    { status: 304 },
    { "if-none-match": "W/{etag}" },
  ),
  publicGet(
    VERSIONED,
    "a weak tag in If-Match never matches",
    "garbage Range and conditional headers",
    { status: 412, errorCode: 152 },
    { "if-match": "W/{etag}" },
  ),
  publicGet(
    VERSIONED,
    "If-Modified-Since garbage is ignored",
    "garbage Range and conditional headers",
    served,
    { "if-modified-since": "yesterday, probably" },
  ),
  publicGet(
    PERMANENT,
    "If-Modified-Since in the year 9999",
    "garbage Range and conditional headers",
    { status: [200, 304] },
    { "if-modified-since": "Fri, 31 Dec 9999 23:59:59 GMT" },
  ),
  publicGet(
    VERSIONED,
    "If-Unmodified-Since in the year 1",
    "garbage Range and conditional headers",
    { status: 412, errorCode: 152 },
    { "if-unmodified-since": "Mon, 01 Jan 0001 00:00:00 GMT" },
  ),
  publicGet(
    VERSIONED,
    "If-Range garbage with a Range serves the full file",
    "garbage Range and conditional headers",
    served,
    { "if-range": "\u00ff\u00fe garbage", range: "bytes=0-1" },
  ),
  {
    name: "HEAD with a garbage Range",
    category: "garbage Range and conditional headers",
    method: "HEAD",
    path: VERSIONED,
    auth: "none",
    headers: { range: "bytes=oops" },
    expect: served,
  },
  {
    name: "HEAD of a missing slug has no body",
    category: "garbage Range and conditional headers",
    method: "HEAD",
    path: "/v3/assets/{api_key}/{uid}/no-such-slug",
    auth: "none",
    expect: { status: 404 },
  },
];

const methodsAndTenants: HostileCase[] = [
  {
    name: "POST to the permanent URL",
    category: "wrong methods and cross-tenant access",
    method: "POST",
    path: PERMANENT,
    auth: "stack",
    body: "x",
    expect: { ...notAllowed, headers: { allow: "GET, HEAD, OPTIONS" } },
  },
  {
    name: "PUT to the versioned URL",
    category: "wrong methods and cross-tenant access",
    method: "PUT",
    path: VERSIONED,
    auth: "stack",
    body: "x",
    expect: notAllowed,
  },
  {
    name: "DELETE on the versioned URL",
    category: "wrong methods and cross-tenant access",
    method: "DELETE",
    path: VERSIONED,
    auth: "stack",
    expect: notAllowed,
  },
  {
    name: "PATCH on the permanent URL",
    category: "wrong methods and cross-tenant access",
    method: "PATCH",
    path: PERMANENT,
    auth: "none",
    body: "x",
    expect: notAllowed,
  },
  {
    name: "OPTIONS preflight on the permanent URL",
    category: "wrong methods and cross-tenant access",
    method: "OPTIONS",
    path: PERMANENT,
    auth: "none",
    headers: { origin: "https://evil.example", "access-control-request-method": "DELETE" },
    expect: { status: 204 },
  },
  {
    name: "PATCH on a management asset",
    category: "wrong methods and cross-tenant access",
    method: "PATCH",
    path: "/v3/assets/{uid}",
    auth: "stack",
    headers: JSON_CT,
    body: '{"asset": {"title": "x"}}',
    expect: { status: [404, 405] },
  },
  {
    name: "no credentials on an asset",
    category: "wrong methods and cross-tenant access",
    method: "GET",
    path: "/v3/assets/{uid}",
    auth: "none",
    expect: badApiKey,
  },
  {
    name: "another stack's credentials on an asset",
    category: "wrong methods and cross-tenant access",
    method: "GET",
    path: "/v3/assets/{uid}",
    auth: "other",
    expect: assetMissing,
  },
  {
    name: "this stack's api_key with another stack's token",
    category: "wrong methods and cross-tenant access",
    method: "GET",
    path: "/v3/assets/{uid}/versions",
    auth: "cross",
    expect: unauthorized,
  },
  editJson(
    "{other_uid}",
    { asset: { title: "stolen" } },
    "editing another stack's asset",
    "wrong methods and cross-tenant access",
    assetMissing,
  ),
  {
    name: "another stack's credentials on an upload session",
    category: "wrong methods and cross-tenant access",
    method: "GET",
    path: "/v3/uploads/{upload_uid}",
    auth: "other",
    expect: uploadMissing,
  },
  {
    name: "another stack's credentials sending a part",
    category: "wrong methods and cross-tenant access",
    method: "PUT",
    path: "/v3/uploads/{upload_uid}/parts/1",
    auth: "other",
    headers: { "content-type": "application/octet-stream" },
    body: "0123456789",
    expect: uploadMissing,
  },
  {
    name: "completing a session with missing parts",
    category: "wrong methods and cross-tenant access",
    method: "POST",
    path: "/v3/uploads/{upload_uid}/complete",
    auth: "stack",
    expect: invalid,
  },
  {
    name: "another stack completing the session",
    category: "wrong methods and cross-tenant access",
    method: "POST",
    path: "/v3/uploads/{upload_uid}/complete",
    auth: "other",
    expect: uploadMissing,
  },
  startUpload(
    { upload: { filename: "a.bin", file_size: 10, asset_uid: "{other_uid}" } },
    "replacing another stack's asset by upload session",
    "wrong methods and cross-tenant access",
    assetMissing,
  ),
  startUpload(
    { upload: { filename: "a.bin", file_size: 10, asset_uid: "../{uid}" } },
    "an asset_uid with ../",
    "wrong methods and cross-tenant access",
    assetMissing,
  ),
  {
    name: "creating a stack without the admin token",
    category: "wrong methods and cross-tenant access",
    method: "POST",
    path: "/v3/stacks",
    auth: "stack",
    headers: JSON_CT,
    body: { kind: "json", value: { stack: { name: "x" } } },
    expect: unauthorized,
  },
  {
    name: "the admin token in upper case",
    category: "wrong methods and cross-tenant access",
    method: "POST",
    path: "/v3/stacks",
    auth: "none",
    headers: { authorization: "TEST-ADMIN-TOKEN", ...JSON_CT },
    body: { kind: "json", value: { stack: { name: "x" } } },
    expect: unauthorized,
  },
  {
    name: "minting a token with a management token instead of the admin token",
    category: "wrong methods and cross-tenant access",
    method: "POST",
    path: "/v3/stacks/management_tokens",
    auth: "stack",
    expect: unauthorized,
  },
  // Destructive attempts last, so that a bug here cannot hide the results of the cases above.
  {
    name: "another stack deleting the asset",
    category: "wrong methods and cross-tenant access",
    method: "DELETE",
    path: "/v3/assets/{uid}",
    auth: "other",
    expect: assetMissing,
  },
  {
    name: "this stack's api_key with another stack's token deleting the asset",
    category: "wrong methods and cross-tenant access",
    method: "DELETE",
    path: "/v3/assets/{uid}",
    auth: "cross",
    expect: unauthorized,
  },
  {
    name: "deleting the asset by its uid in upper case",
    category: "wrong methods and cross-tenant access",
    method: "DELETE",
    path: "/v3/assets/{UID}",
    auth: "stack",
    expect: assetMissing,
  },
  {
    name: "deleting the asset by a uid with %2F..",
    category: "wrong methods and cross-tenant access",
    method: "DELETE",
    path: "/v3/assets/{uid}%2F..%2F{uid}",
    auth: "stack",
    expect: assetMissing,
  },
  {
    name: "another stack aborting the upload session",
    category: "wrong methods and cross-tenant access",
    method: "DELETE",
    path: "/v3/uploads/{upload_uid}",
    auth: "other",
    expect: uploadMissing,
  },
  {
    name: "revoking this stack's token with another stack's api_key",
    category: "wrong methods and cross-tenant access",
    method: "DELETE",
    path: "/v3/stacks/management_tokens/{token_uid}",
    auth: "admin",
    headers: { api_key: "{other_api_key}" },
    expect: { status: 404, errorCode: 146 },
  },
  {
    name: "revoking another stack's token with this stack's api_key",
    category: "wrong methods and cross-tenant access",
    method: "DELETE",
    path: "/v3/stacks/management_tokens/{other_token_uid}",
    auth: "admin",
    expect: { status: 404, errorCode: 146 },
  },
  {
    name: "revoking a token with a management token instead of the admin token",
    category: "wrong methods and cross-tenant access",
    method: "DELETE",
    path: "/v3/stacks/management_tokens/{token_uid}",
    auth: "stack",
    expect: unauthorized,
  },
  {
    name: "revoking a token without an api_key",
    category: "wrong methods and cross-tenant access",
    method: "DELETE",
    path: "/v3/stacks/management_tokens/{token_uid}",
    auth: "admin-only",
    expect: badApiKey,
  },
];

// ---- Image parameters ---------------------------------------------------------------------------
//
// On both URL kinds of a real PNG, of a text file, and of nothing. A bad value of a known
// parameter is a 400 naming it, never cached (no-store); a value that only the image can judge
// (a crop larger than it, an output over the limits) is a 400 as well; a good one is the
// variant; unknown parameters, or any on a file that is not a raster image, change nothing.

const IMAGE_VERSIONED = "/v3/assets/{api_key}/{image_uid}/{image_file_uid}/{image_filename}";
const IMAGE_PERMANENT = "/v3/assets/{api_key}/{image_uid}/{image_slug}";
const IMAGE_URLS = { versioned: IMAGE_VERSIONED, permanent: IMAGE_PERMANENT } as const;
type UrlKind = keyof typeof IMAGE_URLS;

const badImageParameter = (param: string): Expect => ({
  status: 400,
  errorCode: 170,
  errorField: param,
  headers: { "cache-control": "no-store", "x-image-transform": null },
});
/** A variant made from the PNG: its type, a strong ETag derived from the version's. */
const variant = (type: string, headers: Record<string, string | RegExp | null> = {}): Expect => ({
  status: 200,
  headers: {
    "content-type": type,
    etag: /^"[0-9a-f]+-[0-9a-f]{16}"$/,
    "x-image-transform": null,
    ...headers,
  },
});
/** The stored bytes, as the URL without parameters answers. */
const original = (type: RegExp): Expect => ({
  status: 200,
  headers: { "content-type": type, "x-image-transform": null, vary: null },
});

const imageCase = (
  kind: UrlKind,
  query: string,
  name: string,
  expect: Expect,
  headers?: Record<string, HeaderValue>,
) => publicGet(`${IMAGE_URLS[kind]}?${query}`, name, "image parameters", expect, headers);

/** A bad value of `param`, alternately on the versioned and the permanent URL. */
const badValues: [string, string, string][] = [
  ["width=-1", "width", "a negative width"],
  ["width=0", "width", "a width of 0"],
  ["width=99999", "width", "a width over 8192"],
  ["width=1e3", "width", "a width in exponent notation"],
  ["width=0x10", "width", "a width in hex"],
  ["width=NaN", "width", "a width of NaN"],
  ["width=Infinity", "width", "a width of Infinity"],
  ["width=1.5", "width", "a fractional width over 1"],
  ["width=1001p", "width", "a width of 1001p"],
  ["width=%EF%BC%91%EF%BC%90", "width", "a width in fullwidth digits"],
  ["width=%00", "width", "a NUL width"],
  ["height=abc", "height", "a height of abc"],
  ["dpr=0&width=100", "dpr", "a dpr of 0"],
  ["dpr=11&width=100", "dpr", "a dpr of 11"],
  ["dpr=2&width=8000", "dpr", "a dpr pushing the width over 8192"],
  ["dpr=2&width=600p", "dpr", "a dpr pushing a percentage over 1000p"],
  ["quality=0", "quality", "a quality of 0"],
  ["quality=101", "quality", "a quality of 101"],
  ["quality=50.5", "quality", "a fractional quality"],
  ["quality=%2B50", "quality", "a quality with a plus sign"],
  ["format=bmp", "format", "format=bmp"],
  ["format=PNG", "format", "a format in capitals"],
  ["format=..%2F..%2Fetc%2Fpasswd", "format", "a format with a path in it"],
  ["auto=jpeg", "auto", "auto=jpeg"],
  ["orient=9", "orient", "an orientation of 9"],
  ["orient=constructor", "orient", "an orientation named after Object.prototype"],
  ["orient=__proto__", "orient", "an orientation of __proto__"],
  ["crop=a,b", "crop", "a crop of letters"],
  ["crop=0,0", "crop", "a crop of 0x0"],
  ["crop=100000,1", "crop", "a crop 100000 wide"],
  ["crop=1:0", "crop", "a crop ratio of 1:0"],
  ["crop=16:9,x10,x20", "crop", "a crop positioned twice on one axis"],
  ["crop=10,10,z5", "crop", "a crop with an unknown part"],
  ["crop=%E2%80%AE10,10", "crop", "a crop starting with a bidi override"],
  ["fit=fill&width=10&height=10", "fit", "fit=fill"],
  ["disable=everything", "disable", "disable=everything"],
  ["bg-color=zzzzzz", "bg-color", "a bg-color of zzzzzz"],
  ["bg-color=256,0,0", "bg-color", "a bg-color component of 256"],
  ["blur=0", "blur", "a blur of 0"],
  ["blur=2000", "blur", "a blur of 2000"],
  ["trim=1,2,3,4,5", "trim", "five trim values"],
  ["pad=-1", "pad", "a negative pad"],
  ["pad=9999&width=100", "pad", "a pad of 9999"],
  [`width=${"9".repeat(10_000)}`, "width", "a width of 10,000 characters"],
  [`crop=${"1,".repeat(5000)}1`, "crop", "a crop of 10,000 characters"],
  ["width=100&width=200", "width", "a width given twice"],
  ["format=png&format=png", "format", "the same format given twice"],
  ["%FF%FE=1&width=%E0%A4%A", "width", "percent-encoded junk"],
];

const imageParameters: HostileCase[] = [
  ...badValues.map(([query, param, name], i) =>
    imageCase(i % 2 === 0 ? "versioned" : "permanent", query, name, badImageParameter(param)),
  ),
  // Bad values whatever the file: a text file and a missing asset answer them the same.
  publicGet(
    `${VERSIONED}?width=-1`,
    "a negative width on a text file",
    "image parameters",
    badImageParameter("width"),
  ),
  publicGet(
    "/v3/assets/{api_key}/{uid}/no-such-slug?quality=0",
    "a quality of 0 on a missing slug",
    "image parameters",
    badImageParameter("quality"),
  ),
  {
    name: "HEAD with a bad width has no body",
    category: "image parameters",
    method: "HEAD",
    path: `${IMAGE_PERMANENT}?width=-1`,
    auth: "none",
    expect: { status: 400, headers: { "cache-control": "no-store" } },
  },
  // Values that only the image (123x45) can judge.
  imageCase("versioned", "crop=200,200", "a crop larger than the image", badImageParameter("crop")),
  imageCase(
    "permanent",
    "crop=10,10,x200",
    "a crop region outside the image",
    badImageParameter("crop"),
  ),
  imageCase("versioned", "trim=30", "a trim removing the whole image", badImageParameter("trim")),
  imageCase(
    "permanent",
    "height=8192",
    "a height making the width over 8192",
    badImageParameter("height"),
  ),
  imageCase(
    "versioned",
    "width=8192&height=8192",
    "an output over 50 megapixels",
    badImageParameter("width"),
  ),
  imageCase("permanent", "width=100&pad=4100", "a pad over 8192", badImageParameter("pad")),
  imageCase(
    "versioned",
    "crop=20,20,smart",
    "smart crop without a ratio",
    badImageParameter("crop"),
  ),
  // Correct variants.
  imageCase("versioned", "width=50", "a width on the versioned URL", variant("image/png")),
  imageCase(
    "permanent",
    "width=50&format=webp",
    "a width and format=webp on the permanent URL",
    variant("image/webp", { link: /rel="canonical"/ }),
  ),
  imageCase(
    "permanent",
    "crop=200,200,safe&format=png",
    "a crop larger than the image, kept inside it (safe)",
    variant("image/png"),
  ),
  imageCase(
    "versioned",
    "format=jpeg&quality=50",
    "format=jpeg (the alias)",
    variant("image/jpeg"),
  ),
  imageCase(
    "permanent",
    "auto=webp&width=40",
    "auto=webp with Accept: image/webp",
    variant("image/webp", { vary: /Accept/ }),
    { accept: "image/avif,image/webp,*/*" },
  ),
  imageCase(
    "versioned",
    "auto=webp&width=40",
    "auto=webp with a wildcard Accept",
    variant("image/png", { vary: /Accept/ }),
    { accept: "image/*,*/*;q=0.8" },
  ),
  imageCase(
    "versioned",
    "auto=webp&width=40",
    "auto=webp with webp refused (q=0)",
    variant("image/png", { vary: /Accept/ }),
    { accept: "image/webp;q=0, */*" },
  ),
  imageCase(
    "permanent",
    "width=50&dl",
    "a variant downloaded with ?dl",
    variant("image/png", { "content-disposition": /filename="pixel\.png"/ }),
  ),
  imageCase(
    "versioned",
    "width=50&format=webp&dl",
    "a webp variant downloaded with ?dl",
    variant("image/webp", { "content-disposition": /filename="pixel\.webp"/ }),
  ),
  imageCase(
    "permanent",
    "width=50",
    "a Range on a variant is ignored",
    variant("image/png", { "content-range": null }),
    { range: "bytes=0-4" },
  ),
  imageCase(
    "versioned",
    "width=50",
    "If-None-Match of another ETag on a variant",
    variant("image/png"),
    { "if-none-match": "{etag}" },
  ),
  {
    name: "HEAD of a variant",
    category: "image parameters",
    method: "HEAD",
    path: `${IMAGE_VERSIONED}?width=60`,
    auth: "none",
    expect: variant("image/png"),
  },
  // Nothing to transform: the stored bytes.
  imageCase(
    "permanent",
    "utm_source=x&foo=bar",
    "unknown parameters only",
    original(/^image\/png/),
  ),
  imageCase(
    "versioned",
    "WIDTH=10&Format=png",
    "parameter names in capitals",
    original(/^image\/png/),
  ),
  imageCase("permanent", "width=&quality=&format=", "empty values only", original(/^image\/png/)),
  imageCase("versioned", "dpr=3", "a dpr without a width or height", original(/^image\/png/)),
  publicGet(
    `${PERMANENT}?width=100&format=webp`,
    "image parameters on a text file (permanent)",
    "image parameters",
    original(/^text\/plain/),
  ),
  publicGet(
    `${VERSIONED}?width=100&auto=webp`,
    "image parameters on a text file (versioned)",
    "image parameters",
    { status: 200, headers: { "content-type": /^text\/plain/, "x-image-transform": null } },
    { accept: "image/webp" },
  ),
  // Issue 20's findings on the public side.
  publicGet(
    "{huge_image}?pad=1",
    "pad=1 on a 9000x9000 PNG names pad (was width)",
    "image parameters",
    {
      status: 400,
      errorCode: 170,
      errorField: "pad",
      mentions: { pad: "add width or height" },
    },
  ),
  publicGet(
    `${IMAGE_PERMANENT}?dl=x.png&format=webp`,
    "?dl=x.png with format=webp saves x.webp (was x.png for WebP bytes)",
    "image parameters",
    {
      status: 200,
      headers: { "content-type": "image/webp", "content-disposition": /filename="x\.webp"/ },
    },
  ),
  publicGet(
    `${VERSIONED}?dl=a.txt&dl=b.txt`,
    "?dl given twice (the first was taken)",
    "image parameters",
    { status: 400, errorCode: 174, errorField: "dl" },
  ),
  // Nothing there.
  publicGet(
    "/v3/assets/{api_key}/{image_uid}/blt0000000000000000/{image_filename}?width=100",
    "image parameters on a version that does not exist",
    "image parameters",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{api_key}/{image_uid}/no-such-slug?width=100",
    "image parameters on a slug that does not exist",
    "image parameters",
    notFound404,
  ),
  publicGet(
    "/v3/assets/{other_api_key}/{image_uid}/{image_slug}?width=100",
    "image parameters on another stack's api_key",
    "image parameters",
    notFound404,
  ),
];

export const HOSTILE_CASES: HostileCase[] = [
  ...traversal,
  ...longSegments,
  ...longHeaders,
  ...malformedJson,
  ...malformedMultipart,
  ...contentTypeLength,
  ...duplicateHeaders,
  ...headerInjection,
  ...queries,
  ...unknownFields,
  ...unicodeSlugs,
  ...unicodeFilenames,
  ...conditionals,
  ...methodsAndTenants,
  ...imageParameters,
  ...CMA_INPUT_CASES,
];
