// The slug rules table (docs/CONTRACT.md): every case through the API, checking the stored state too.

import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { checkSlug, parsePermanentUrlInput } from "../src/domain/slug";
import {
  type AssetJson,
  auth,
  call,
  createStack,
  type Stack,
  setPermanentUrl,
  uploadAsset,
} from "./helpers";

const VALID: [string, string][] = [
  ["a single letter", "a"],
  ["a single digit", "7"],
  ["letters, digits and dashes", "boy-photo-2026"],
  ["underscores", "boy_photo"],
  ["a tilde", "boy~photo"],
  ["dots inside", "boy.photo.jpeg"],
  ["a trailing dot", "boy."],
  ["upper case", "BoyPhoto"],
  ["255 characters", `a${"b".repeat(254)}`],
  ["a digit first then dots", "1..2"],
];

const INVALID: [string, string][] = [
  ["empty", ""],
  ["256 characters", `a${"b".repeat(255)}`],
  ["a single dot", "."],
  ["two dots", ".."],
  ["a leading dot", ".hidden"],
  ["a leading dash", "-photo"],
  ["a leading underscore", "_photo"],
  ["a leading tilde", "~photo"],
  ["a slash", "a/b"],
  ["an encoded slash", "a%2Fb"],
  ["percent-encoding", "caf%C3%A9"],
  ["a space", "boy photo"],
  ["a tab", "boy\tphoto"],
  ["a newline", "boy\nphoto"],
  ["a backslash", "a\\b"],
  ["a question mark", "a?b"],
  ["a hash", "a#b"],
  ["Unicode letters", "café"],
  ["a Cyrillic look-alike", "\u0430pple"],
  ["a fullwidth letter", "\uff41bc"],
  ["a zero-width space", "ab\u200bc"],
  ["an emoji", "photo-\u{1f600}"],
  ["a colon", "a:b"],
  ["a plus", "a+b"],
  ["a quote", 'a"b'],
  ["angle brackets", "<script>"],
];

describe("checkSlug", () => {
  it.each(VALID)("accepts %s", (_name, slug) => {
    expect(checkSlug(slug)).toEqual({ ok: true, slug });
  });
  it.each(INVALID)("rejects %s", (_name, slug) => {
    expect(checkSlug(slug).ok).toBe(false);
  });
});

describe("parsePermanentUrlInput", () => {
  const key = "blt0123456789abcdef";
  const uid = "bltfedcba9876543210";
  it.each([
    ["a bare slug", "photo", { ok: true, slug: "photo" }],
    [
      "a full URL on any host",
      `https://cdn.example.com/v3/assets/${key}/${uid}/photo`,
      { ok: true, slug: "photo" },
    ],
    [
      "an http URL",
      `http://localhost:8787/v3/assets/${key}/${uid}/photo`,
      { ok: true, slug: "photo" },
    ],
    [
      "the path alone (relative_urls=true)",
      `/v3/assets/${key}/${uid}/photo`,
      { ok: true, slug: "photo" },
    ],
  ])("accepts %s", (_name, value, expected) => {
    expect(parsePermanentUrlInput(value, key, uid)).toEqual(expected);
  });
  it.each([
    [
      "another stack's api_key",
      `https://h/v3/assets/blt1111111111111111/${uid}/photo`,
      "names another stack's api_key",
    ],
    [
      "another asset's uid",
      `https://h/v3/assets/${key}/blt1111111111111111/photo`,
      "names another asset's uid",
    ],
    [
      "a versioned URL shape",
      `https://h/v3/assets/${key}/${uid}/0123456789abcdef01234567/photo`,
      "must have the form",
    ],
    ["a wrong prefix", `https://h/v2/assets/${key}/${uid}/photo`, "must have the form"],
    ["a path of another shape", `/v3/assets/${key}/photo`, "must have the form"],
    ["a path naming another asset", `/v3/assets/${key}/blt1111111111111111/photo`, "another asset"],
    ["an encoded slash in the slug", `https://h/v3/assets/${key}/${uid}/a%2Fb`, "must use only"],
    ["a dot-dot slug", `https://h/v3/assets/${key}/${uid}/%2e%2e`, "must have the form"],
    ["an invalid URL", "https://[bad", "is not a valid URL"],
  ])("rejects %s", (_name, value, reason) => {
    const result = parsePermanentUrlInput(value, key, uid);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.reason).toContain(reason);
  });
});

describe("through the API", () => {
  let stack: Stack;
  let asset: AssetJson;
  beforeAll(async () => {
    stack = await createStack();
    asset = await uploadAsset(stack, "table.txt", "table");
  });

  async function expectUnchanged() {
    const res = await call(`/v3/assets/${asset.uid}`, { headers: auth(stack) });
    const body = (await res.json()) as { asset: AssetJson };
    expect(body.asset).toEqual(asset);
    // No KV record: an asset without a permanent URL has nothing for the edge to serve.
    expect(await env.ASSET_INDEX.get(`asset:${stack.apiKey}/${asset.uid}`)).toBeNull();
  }

  it.each(INVALID)("answers 422 for %s and stores nothing", async (_name, slug) => {
    const res = await setPermanentUrl(stack, asset.uid, slug);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error_code: number; errors: Record<string, string[]> };
    expect(body.error_code).toBe(141);
    expect(body.errors.permanent_url?.[0]).toMatch(/must/);
    await expectUnchanged();
  });

  it.each([
    ["another stack's api_key", () => `https://h/v3/assets/blt1111111111111111/${asset.uid}/photo`],
    ["another asset's uid", () => `https://h/v3/assets/${stack.apiKey}/blt1111111111111111/photo`],
  ])("answers 422 for a full URL naming %s", async (_name, value) => {
    const res = await setPermanentUrl(stack, asset.uid, value());
    expect(res.status).toBe(422);
    expect(
      ((await res.json()) as { errors: Record<string, string[]> }).errors.permanent_url?.[0],
    ).toMatch(/another/);
    await expectUnchanged();
  });

  it("accepts a 255-character slug", async () => {
    const other = await uploadAsset(stack, "long.txt", "long");
    const slug = `a${"b".repeat(254)}`;
    const res = await setPermanentUrl(stack, other.uid, slug);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { asset: AssetJson }).asset.permanent_url).toMatch(
      new RegExp(`/${slug}$`),
    );
  });
});
