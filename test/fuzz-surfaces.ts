// The management API's input surfaces, as the fuzzer's table (fuzz-surface.ts says what an entry
// holds). Reads check their answer against an oracle over the fixture; writes check that what
// was stored reads back as the API documents it (trimmed one-line text, NFC) and undo it.

import fc from "fast-check";
import { expect } from "vitest";
import { formFilename, numberText, numberValue, storedLine, text, wellFormed } from "./fuzz-inputs";
import { REGEX, regexOracle, searchOracle } from "./fuzz-oracles";
import { type FuzzContext, type Surface, surface } from "./fuzz-surface";
import { type AssetJson, auth, ORIGIN } from "./helpers";
import type { Fixture } from "./stored-state";

const MiB = 1024 * 1024;
/** 10,000 parts of MAX_UPLOAD_BYTES (8 MiB in vitest.config.ts): the sessions' ceiling here. */
const SESSION_CEILING = 10_000 * 8 * MiB;

const jsonRequest = (f: Fixture, method: string, path: string, value: unknown) =>
  new Request(`${ORIGIN}${path}`, {
    method,
    headers: auth(f.stack, { "content-type": "application/json" }),
    body: JSON.stringify(value),
  });

const get = (f: Fixture, path: string) =>
  new Request(`${ORIGIN}${path}`, { headers: auth(f.stack) });

/** GETs a management path with the fixture stack's credentials; its JSON. */
async function read<T>(ctx: FuzzContext, path: string): Promise<T> {
  const answer = await ctx.send(get(ctx.fixture, path));
  expect(answer.status, path).toBe(200);
  return answer.body as T;
}

/** Deletes what an accepted request created. */
async function remove(ctx: FuzzContext, path: string) {
  const answer = await ctx.send(
    new Request(`${ORIGIN}${path}`, { method: "DELETE", headers: auth(ctx.fixture.stack) }),
  );
  expect(answer.status, `DELETE ${path}`).toBe(200);
}

/** A created asset's URL serves what was uploaded; then the asset is deleted. */
async function servesThenDelete(ctx: FuzzContext, url: string, uid: string, bytes: string) {
  const file = await ctx.send(new Request(url));
  expect([file.status, new TextDecoder().decode(file.bytes)], url).toEqual([200, bytes]);
  await remove(ctx, `/v3/assets/${uid}`);
  return "undone" as const;
}

/** The fixture stack's assets as the baseline lists them. */
const fixtureAssets = (ctx: FuzzContext) =>
  (ctx.baseline().api.list.body as { assets: AssetJson[] }).assets;

const sortedUids = (assets: { uid: string }[]) => assets.map((a) => a.uid).sort();

// ---- Listing ---------------------------------------------------------------------------------

const LIST_PARAMS = [
  "skip",
  "limit",
  "search",
  "query",
  "asc",
  "desc",
  "include_count",
  "include_folders",
  "folder",
  "relative_urls",
  "count",
];

const listValue = fc.oneof(
  numberText([0, 1, 99, 100, 101, 1_000_000, 1_000_001]),
  fc.constantFrom("true", "false", "created_at", "updated_at", "title", "file_size", "__proto__"),
  fc.constantFrom("cs_root", "{folder_uid}", "{other_folder_uid}", "blt0000000000000000", ""),
  text(12),
);

const listing = surface<[string, string][]>({
  name: "listing parameters",
  runs: 120,
  input: fc.array(
    fc.tuple(fc.constantFrom(...LIST_PARAMS, "include_publish_details", "skip[]"), listValue),
    { maxLength: 5 },
  ),
  request: (pairs, f) => {
    const filled = pairs.map(([k, v]) => [k, v.replace(/\{(\w+)\}/g, (_, n) => f.values[n] ?? n)]);
    return get(f, `/v3/assets?${new URLSearchParams(filled)}`);
  },
  fields: [...LIST_PARAMS, "include_publish_details", "skip[]"],
  async accepted(pairs, answer) {
    const body = answer.body as { assets: unknown; count?: unknown };
    if (pairs.some(([k, v]) => k === "count" && v === "true")) {
      expect(typeof body.assets).toBe("number");
    } else {
      expect(Array.isArray(body.assets)).toBe(true);
      const limit = pairs.find(([k]) => k === "limit")?.[1];
      expect((body.assets as unknown[]).length).toBeLessThanOrEqual(Number(limit ?? 100));
      expect(typeof body.count).toBe("number");
    }
    return "read";
  },
});

// ---- The `query` filter and `search` ---------------------------------------------------------

const FILTER_FIELDS = [
  "title",
  "filename",
  "content_type",
  "parent_uid",
  "tags",
  "created_at",
  "updated_at",
  "file_size",
];
const filterValue: fc.Arbitrary<unknown> = fc.oneof(
  text(20, 1024),
  numberValue([0, 1, 10, 2 ** 53]),
  fc.constantFrom(null, true, "2026-01-01", "2026-02-30", "2026-01-01T00:00:00Z", "{folder_uid}"),
  fc.record(
    { $regex: REGEX, $options: fc.constantFrom("", "i", "x") },
    { requiredKeys: ["$regex"] },
  ),
  fc.dictionary(
    fc.constantFrom("$in", "$all", "$gt", "$gte", "$lt", "$lte", "$ne", "$exists", "$where"),
    fc.oneof(fc.array(text(10), { maxLength: 22 }), numberValue([0]), text(25)),
    { maxKeys: 2 },
  ),
);
const filter = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      title: fc.record(
        { $regex: REGEX, $options: fc.constantFrom("", "i") },
        { requiredKeys: ["$regex"] },
      ),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.dictionary(
      fc.constantFrom(...FILTER_FIELDS, "$or", "$where", "colour", "__proto__"),
      filterValue,
      { maxKeys: 3 },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

const queryFilter = surface<unknown>({
  name: "the query filter (JSON, $regex)",
  runs: 160,
  input: fc.oneof({ weight: 9, arbitrary: filter.map((v) => JSON.stringify(v)) }, text(40)),
  request: (query, f) =>
    get(
      f,
      `/v3/assets?${new URLSearchParams({
        query: String(query).replaceAll("{folder_uid}", f.values.folder_uid ?? ""),
      })}`,
    ),
  fields: ["query"],
  async accepted(query, answer, ctx) {
    const { assets } = answer.body as { assets: AssetJson[] };
    // A filter on the title by $regex alone: the same assets as JavaScript's RegExp picks.
    const expected = regexOracle(String(query), fixtureAssets(ctx));
    if (expected) expect(sortedUids(assets), String(query)).toEqual(sortedUids(expected));
    return "read";
  },
});

const search = surface<string>({
  name: "search",
  runs: 120,
  input: text(30, 255),
  request: (value, f) => get(f, `/v3/assets?${new URLSearchParams({ search: value })}`),
  fields: ["search"],
  async accepted(value, answer, ctx) {
    const { assets } = answer.body as { assets: AssetJson[] };
    const expected = searchOracle(storedLine(wellFormed(value)), fixtureAssets(ctx));
    expect(sortedUids(assets), JSON.stringify(value)).toEqual(sortedUids(expected));
    return "read";
  },
});

// ---- Text fields ------------------------------------------------------------------------------

/** A JSON edit of asset B: what it answers and what a GET reads back must be `expected`. */
function assetEdit<T>(
  name: string,
  field: "title" | "description" | "tags",
  input: fc.Arbitrary<T>,
  expected: (value: T) => unknown,
) {
  return surface<T>({
    name,
    runs: 60,
    input,
    request: (value, f) =>
      jsonRequest(f, "PUT", `/v3/assets/${f.assetB.uid}`, { asset: { [field]: value } }),
    fields: [field],
    async accepted(value, answer, ctx) {
      const want = expected(value);
      expect((answer.body as { asset: AssetJson }).asset[field]).toEqual(want);
      const { asset } = await read<{ asset: AssetJson }>(
        ctx,
        `/v3/assets/${ctx.fixture.assetB.uid}`,
      );
      expect(asset[field]).toEqual(want);
      return "changed";
    },
  });
}

/** Tags as stored: each trimmed and NFC, once, in the order first given. */
const storedTags = (tags: string[]) => [...new Set(tags.map(storedLine))];

const titles = assetEdit("titles (JSON)", "title", text(20, 255), storedLine);
const descriptions = assetEdit(
  "descriptions (JSON)",
  "description",
  text(40, 4096),
  (value: string) => value.normalize("NFC"),
);
const tags = assetEdit(
  "tags (JSON)",
  "tags",
  fc.oneof(
    fc.array(text(8, 100), { maxLength: 6 }),
    fc.array(fc.constant("t"), { minLength: 49, maxLength: 52 }),
  ),
  storedTags,
);

const folderNames = surface<string>({
  name: "folder names",
  runs: 60,
  input: text(20, 255),
  request: (name, f) => jsonRequest(f, "POST", "/v3/assets/folders", { asset: { name } }),
  fields: ["name"],
  async accepted(name, answer, ctx) {
    const { uid } = (answer.body as { asset: { uid: string } }).asset;
    const read_ = await read<{ asset: { name: string } }>(ctx, `/v3/assets/folders/${uid}`);
    expect(read_.asset.name).toBe(storedLine(name));
    await remove(ctx, `/v3/assets/folders/${uid}`);
    return "undone";
  },
});

// ---- Uploads: forms, raw filenames, slugs -----------------------------------------------------

interface FormInput {
  title?: string;
  description?: string;
  tags?: string;
  parent_uid?: string;
  filename: string;
}

const uploadForm = surface<FormInput>({
  name: "upload forms (text fields, the file's name)",
  runs: 60,
  input: fc.record(
    {
      title: text(15, 255),
      description: text(30),
      tags: fc.oneof(
        text(20),
        fc.array(text(6), { maxLength: 5 }).map((a) => a.join(",")),
      ),
      parent_uid: fc.constantFrom(
        "",
        "{folder_uid}",
        "{other_folder_uid}",
        "blt0000000000000000",
        "x",
      ),
      // (FormData refuses to write a filename that ends with a backslash.)
      filename: fc.oneof(fc.constant("file.txt"), text(15, 255)).filter((n) => !n.endsWith("\\")),
    },
    { requiredKeys: ["filename"] },
  ),
  request: (input, f) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(input)) {
      if (key === "filename") continue;
      form.append(
        `asset[${key}]`,
        String(value).replace(/\{(\w+)\}/g, (_, n) => f.values[n] ?? n),
      );
    }
    form.append(
      "asset[upload]",
      new Blob(["fuzzed upload"], { type: "text/plain" }),
      input.filename,
    );
    return new Request(`${ORIGIN}/v3/assets`, {
      method: "POST",
      headers: auth(f.stack),
      body: form,
    });
  },
  fields: ["title", "description", "tags", "parent_uid", "asset[upload]"].flatMap((f) =>
    f.startsWith("asset[") ? [f] : [f, `asset[${f}]`],
  ),
  // FormData writes a filename's quote, CR and LF as %22, %0D and %0A, other control characters
  // as they are, which no multipart parser takes.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are the point
  malformed: (input) => /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(input.filename),
  async accepted(input, answer, ctx) {
    const created = (answer.body as { asset: AssetJson }).asset;
    const { asset } = await read<{ asset: AssetJson }>(ctx, `/v3/assets/${created.uid}`);
    expect(asset).toEqual(created);
    if (input.title !== undefined) expect(asset.title).toBe(storedLine(wellFormed(input.title)));
    if (input.description !== undefined) {
      expect(asset.description).toBe(wellFormed(input.description).normalize("NFC"));
    }
    if (input.tags !== undefined) {
      const given = wellFormed(input.tags);
      expect(asset.tags).toEqual(given.trim() === "" ? [] : storedTags(given.split(",")));
    }
    // A multipart filename carries no quote or line break: the runtime writes them as %22, %0D
    // and %0A, which is the name the service then keeps.
    if (!/["\r\n]/.test(input.filename)) {
      expect(asset.filename).toBe(formFilename(input.filename).normalize("NFC"));
    }
    return servesThenDelete(ctx, asset.url, asset.uid, "fuzzed upload");
  },
});

const rawFilenames = surface<string>({
  name: "raw upload filenames (?filename=)",
  runs: 60,
  input: text(20, 255),
  request: (name, f) =>
    new Request(`${ORIGIN}/v3/assets?${new URLSearchParams({ filename: name })}`, {
      method: "POST",
      headers: auth(f.stack, { "content-type": "application/octet-stream" }),
      body: "raw fuzzed bytes",
    }),
  fields: ["filename"],
  async accepted(name, answer, ctx) {
    const { asset } = answer.body as { asset: AssetJson };
    expect(asset.filename).toBe(wellFormed(name).normalize("NFC"));
    // The versioned URL is one safe segment, and serves the bytes.
    const segments = new URL(asset.url).pathname.split("/");
    expect(segments).toHaveLength(7);
    expect(decodeURIComponent(segments[6] ?? "")).not.toMatch(/^\.*$|[/\\]/);
    return servesThenDelete(ctx, asset.url, asset.uid, "raw fuzzed bytes");
  },
});

const slugs = surface<string>({
  name: "permanent-URL slugs",
  // Fewer: each accepted slug writes the asset's KV record, then its delete, one second apart
  // (KV's limit for one key), and the request waits for its write.
  runs: 20,
  input: fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._~-]{0,30}$/),
    fc.stringMatching(/^[A-Za-z0-9._~-]{253,257}$/),
    text(20),
    fc.constantFrom(".", "..", "a/b", "%41", "a b", "\u0430", "https://x/v3/assets/a/b/c"),
  ),
  request: (slug, f) => {
    const form = new FormData();
    form.append("asset[permanent_url]", slug);
    form.append("asset[upload]", new Blob(["slug target"], { type: "text/plain" }), "s.txt");
    return new Request(`${ORIGIN}/v3/assets`, {
      method: "POST",
      headers: auth(f.stack),
      body: form,
    });
  },
  fields: ["permanent_url", "asset[permanent_url]"],
  async accepted(slug, answer, ctx) {
    const { asset } = answer.body as { asset: AssetJson };
    expect(asset.permanent_url).toBe(
      `${ORIGIN}/v3/assets/${ctx.fixture.stack.apiKey}/${asset.uid}/${slug}`,
    );
    return servesThenDelete(ctx, asset.permanent_url as string, asset.uid, "slug target");
  },
});

// ---- Upload sessions --------------------------------------------------------------------------

const SIZES = [
  0,
  1,
  5 * MiB - 1,
  5 * MiB,
  8 * MiB,
  8 * MiB + 1,
  SESSION_CEILING,
  SESSION_CEILING + 1,
];

const sessions = surface<{ file_size: unknown; part_size?: unknown }>({
  name: "upload-session sizes",
  runs: 60,
  input: fc.record(
    { file_size: numberValue(SIZES), part_size: numberValue(SIZES) },
    { requiredKeys: ["file_size"] },
  ),
  request: (sizes, f) =>
    jsonRequest(f, "POST", "/v3/uploads", { upload: { filename: "fuzz.bin", ...sizes } }),
  fields: ["file_size", "part_size", "upload"],
  async accepted(sizes, answer, ctx) {
    const { upload } = answer.body as {
      upload: { uid: string; file_size: string; part_size: number; part_count: number };
    };
    expect(upload.file_size).toBe(String(sizes.file_size));
    const size = Number(sizes.file_size);
    expect(upload.part_count).toBe(Math.ceil(size / upload.part_size));
    expect(upload.part_count).toBeLessThanOrEqual(10_000);
    expect(upload.part_size).toBeGreaterThanOrEqual(5 * MiB);
    expect(upload.part_size).toBeLessThanOrEqual(8 * MiB);
    if (sizes.part_size !== undefined) expect(upload.part_size).toBe(sizes.part_size);
    const read_ = await read<{ upload: unknown }>(ctx, `/v3/uploads/${upload.uid}`);
    expect(read_.upload).toEqual(upload);
    await remove(ctx, `/v3/uploads/${upload.uid}`);
    return "undone";
  },
});

const parts = surface<{ n: string; length: number }>({
  name: "upload-session part numbers",
  runs: 60,
  input: fc.record({
    n: fc.oneof(fc.constant("1"), numberText([0, 1, 2, 10_000, 10_001, 99_999])),
    length: fc.oneof(fc.constant(10), fc.constantFrom(0, 9, 11)),
  }),
  request: ({ n, length }, f) =>
    new Request(`${ORIGIN}/v3/uploads/${f.uploadUid}/parts/${encodeURIComponent(n)}`, {
      method: "PUT",
      // Set here: a Request handed to the Worker directly gets no Content-Length of its own.
      headers: auth(f.stack, {
        "content-type": "application/octet-stream",
        "content-length": String(length),
      }),
      body: "0123456789x".slice(0, length),
    }),
  fields: ["part_number", "part"],
  // 404: an empty part number is another path.
  statuses: [404],
  async accepted({ n, length }, answer, ctx) {
    expect([n, length]).toEqual(["1", 10]);
    expect((answer.body as { part: unknown }).part).toMatchObject({ part_number: 1, size: 10 });
    const { upload } = await read<{ upload: { parts: unknown[] } }>(
      ctx,
      `/v3/uploads/${ctx.fixture.uploadUid}`,
    );
    expect(upload.parts).toHaveLength(1);
    return "changed";
  },
});

// ---- Reading one asset, and credentials --------------------------------------------------------

const versions = surface<[string, string | null]>({
  name: "GET of an asset: version, relative_urls",
  runs: 100,
  input: fc.tuple(
    numberText([0, 1, 2, 2 ** 53]),
    fc.option(fc.constantFrom("true", "false", "1", ""), { nil: null }),
  ),
  request: ([version, relative], f) => {
    const query = new URLSearchParams({ version });
    if (relative !== null) query.set("relative_urls", relative);
    return get(f, `/v3/assets/${f.assetA.uid}?${query}`);
  },
  fields: ["version", "relative_urls"],
  statuses: [404],
  async accepted([version], answer, ctx) {
    expect(version).toBe("1");
    expect((answer.body as { asset: AssetJson }).asset).toMatchObject({
      uid: ctx.fixture.assetA.uid,
      _version: 1,
    });
    return "read";
  },
});

/** One credential: a stack's own, another's, or junk; spaces and tabs around it, or not. */
const credential = (own: string, other: string) =>
  fc
    .tuple(
      fc.oneof(
        { weight: 3, arbitrary: fc.constant(own) },
        { weight: 1, arbitrary: fc.constant(other) },
        {
          weight: 2,
          arbitrary: fc.string({
            unit: fc.constantFrom("a", "0", " ", "\t", "%", ";", "b"),
            maxLength: 40,
          }),
        },
        {
          weight: 1,
          arbitrary: fc.constantFrom("", "x".repeat(16 * 1024), `Bearer ${own}`, `${own}${own}`),
        },
      ),
      fc.constantFrom("", " ", "\t", " \t "),
      fc.constantFrom("", " ", "\t"),
    )
    .map(([value, before, after]) => `${before}${value}${after}`);

const credentials = surface<[string, string]>({
  name: "credentials (api_key, authorization)",
  runs: 100,
  input: fc.tuple(
    credential("{api_key}", "{other_api_key}"),
    credential("{token}", "{other_token}"),
  ),
  request: ([apiKey, token], f) => {
    const fill = (v: string) =>
      v
        .replaceAll("{api_key}", f.stack.apiKey)
        .replaceAll("{token}", f.stack.token)
        .replaceAll("{other_api_key}", f.other.apiKey)
        .replaceAll("{other_token}", f.other.token);
    return new Request(`${ORIGIN}/v3/assets?limit=1`, {
      headers: { api_key: fill(apiKey), authorization: fill(token) },
    });
  },
  fields: [],
  statuses: [401, 412],
  async accepted([apiKey, token]) {
    // Only a stack's own key and token, spaces and tabs around them aside, get in.
    const trim = (v: string) => v.replace(/^[ \t]+|[ \t]+$/g, "");
    expect([
      ["{api_key}", "{token}"],
      ["{other_api_key}", "{other_token}"],
    ]).toContainEqual([trim(apiKey), trim(token)]);
    return "read";
  },
});

export const MANAGEMENT_SURFACES: Surface<unknown>[] = [
  listing,
  queryFilter,
  search,
  versions,
  credentials,
  titles,
  descriptions,
  tags,
  folderNames,
  uploadForm,
  rawFilenames,
  slugs,
  sessions,
  parts,
];
