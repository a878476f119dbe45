// The pure domain helpers: no I/O, so these are plain unit tests.

import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config";
import { decideSlug } from "../src/domain/exactly-once";
import { checkFilename, sanitizeFilename } from "../src/domain/filename";
import {
  isApiKey,
  isAssetUid,
  isFileUid,
  newApiKey,
  newAssetUid,
  newFileUid,
  newManagementToken,
} from "../src/domain/ids";
import { deliveryTokenKey, environmentIndexKey, readModelKey } from "../src/domain/kv-records";
import { parsePublicPath, versionedPath, versionObjectKey } from "../src/domain/urls";
import { chooseContentType } from "../src/upload/content-type";

describe("ids", () => {
  it("generates ids in the CMA formats, and they are random", () => {
    expect(isApiKey(newApiKey())).toBe(true);
    expect(isAssetUid(newAssetUid())).toBe(true);
    expect(isFileUid(newFileUid())).toBe(true);
    expect(newManagementToken()).toMatch(/^cs[0-9a-f]{32}$/);
    expect(new Set(Array.from({ length: 100 }, newAssetUid)).size).toBe(100);
  });

  it.each([
    "",
    "blt",
    "BLT0123456789abcdef",
    "blt0123456789ABCDEF",
    "blt0123456789abcde",
    "blt0123456789abcdef0",
  ])("rejects %j as an api_key or uid", (value) => {
    expect(isApiKey(value)).toBe(false);
    expect(isAssetUid(value)).toBe(false);
  });
});

describe("publishing's KV keys", () => {
  it("gives each kind of record its own prefix, so no key of one kind names another", () => {
    const apiKey = "blt0123456789abcdef";
    const keys = [
      readModelKey(apiKey, "blt0000000000000000"),
      environmentIndexKey(apiKey),
      deliveryTokenKey("ab".repeat(32)),
    ];
    expect(keys).toEqual([
      "asset:blt0123456789abcdef/blt0000000000000000",
      "environments:blt0123456789abcdef",
      `delivery_token:${"ab".repeat(32)}`,
    ]);
    expect(new Set(keys.map((k) => k.split(":")[0])).size).toBe(3);
  });
});

describe("decideSlug (the exactly-once rule)", () => {
  it("sets a slug when there is none, repeats are idempotent, others conflict", () => {
    expect(decideSlug(null, "a")).toEqual({ kind: "set" });
    expect(decideSlug("a", "a")).toEqual({ kind: "same" });
    expect(decideSlug("a", "b")).toEqual({ kind: "conflict", existing: "a" });
    expect(decideSlug("a", "A")).toEqual({ kind: "conflict", existing: "a" });
  });
});

describe("filenames", () => {
  it.each([
    ["photo.jpg", "photo.jpg"],
    ["my photo.jpg", "my_photo.jpg"],
    ["a#b%c^d+e\\f/g?h*i:j|k\"l'm<n>o{p}q=r,s.txt", "a_b_c_d_e_f_g_h_i_j_k_l_m_n_o_p_q_r_s.txt"],
    ["..", "_.."],
    [".", "_."],
    ["...", "_..."],
    ["", "file"],
    ["cafe\u0301.txt", "café.txt"],
  ])("sanitises %j to %j", (input, expected) => {
    expect(sanitizeFilename(input)).toBe(expected);
  });

  it("never yields a separator, a dot-only name or an empty name", () => {
    for (const input of ["/", "//", "./..", "..\\..", "%2e%2e", " . "]) {
      const safe = sanitizeFilename(input);
      expect(safe).not.toMatch(/[/\\]/);
      expect(safe).not.toMatch(/^\.+$/);
      expect(safe.length).toBeGreaterThan(0);
    }
  });

  it("keeps a safe name within 255 UTF-8 bytes, before its extension, whole characters", () => {
    const safe = sanitizeFilename(`${"\u{10000}".repeat(254)}.jpeg`);
    expect(new TextEncoder().encode(safe).length).toBeLessThanOrEqual(255);
    expect(safe).toBe(`${"\u{10000}".repeat(62)}.jpeg`);
    expect(sanitizeFilename("\u00e9".repeat(255))).toBe("\u00e9".repeat(127));
    expect(sanitizeFilename(`${"a".repeat(255)}`)).toBe("a".repeat(255));
  });

  it("takes names of 1 to 255 code points, NFC-normalised, as given", () => {
    expect(checkFilename("\u{1f600}".repeat(255))).toEqual({
      ok: true,
      filename: "\u{1f600}".repeat(255),
    });
    expect(checkFilename("cafe\u0301 .txt")).toEqual({ ok: true, filename: "caf\u00e9 .txt" });
  });

  it.each([
    ["", "must not be empty"],
    ["\u{1f600}".repeat(256), "must be at most 255 characters"],
    ["a\u0000b.txt", "must not contain control characters"],
    ["tab\there.txt", "must not contain control characters"],
    ["c1\u0085.txt", "must not contain control characters"],
    ["lone\ud800.txt", "must be well-formed Unicode (it holds a lone surrogate)"],
  ])("refuses %j: %s", (name, reason) => {
    expect(checkFilename(name)).toEqual({ ok: false, reason });
  });
});

describe("parsePublicPath", () => {
  const key = "blt0123456789abcdef";
  const uid = "bltfedcba9876543210";
  it("tells the two URL shapes apart by segment count", () => {
    expect(parsePublicPath(`/v3/assets/${key}/${uid}/photo`)).toEqual({
      kind: "permanent",
      apiKey: key,
      assetUid: uid,
      slug: "photo",
    });
    expect(
      parsePublicPath(`/v3/assets/${key}/${uid}/0123456789abcdef01234567/caf%C3%A9.txt`),
    ).toEqual({
      kind: "versioned",
      apiKey: key,
      assetUid: uid,
      fileUid: "0123456789abcdef01234567",
      filename: "café.txt",
    });
  });

  it.each([
    "/v3/assets",
    "/v3/assets/",
    `/v3/assets/${key}`,
    `/v3/assets/${key}/${uid}`,
    `/v3/assets/${key}/${uid}/`,
    `/v3/assets/${key}//x`,
    `/v3/assets/${key}/${uid}/a/b/c`,
    `/v3/assets/${key}/${uid}/%E0%A4%A`,
    "/v2/assets/a/b/c",
  ])("returns null for %s", (path) => {
    expect(parsePublicPath(path)).toBeNull();
  });

  it("round-trips the versioned URL of any sanitised filename", () => {
    for (const name of ["a b.txt", "café.txt", "100%.txt", "x?y.txt", "..", "日本語.pdf"]) {
      const safe = sanitizeFilename(name);
      const path = versionedPath(key, uid, "0123456789abcdef01234567", safe);
      const parsed = parsePublicPath(new URL(path, "https://h").pathname);
      expect(parsed).toMatchObject({ kind: "versioned", filename: safe });
      expect(versionObjectKey(key, uid, "0123456789abcdef01234567", safe)).toBe(
        `${key}/${uid}/0123456789abcdef01234567/${safe}`,
      );
    }
  });
});

describe("chooseContentType", () => {
  it.each([
    ["image/jpeg", "x.bin", "image/jpeg"],
    ["IMAGE/PNG; charset=x", "x.bin", "image/png"],
    ["application/octet-stream", "x.pdf", "application/pdf"],
    [undefined, "x.svg", "image/svg+xml"],
    ["", "x.unknownext", "application/octet-stream"],
    ["not a type", "x.txt", "text/plain"],
    ["text/html\r\nSet-Cookie: a=b", "x.txt", "text/plain"],
  ])("declared %j with %s gives %s", (declared, filename, expected) => {
    expect(chooseContentType(declared, filename)).toBe(expected);
  });
});

describe("parseConfig", () => {
  it("applies defaults", () => {
    expect(parseConfig({})).toEqual({
      publicBaseUrl: null,
      permanentMaxAge: 60,
      maxUploadBytes: 98566144,
      maxFileBytes: 5492189429760,
      permanentUrlMode: "serve",
      corsAllowedOrigins: ["*"],
      edgeCacheMaxBytes: 4194304,
      readModelMemoMs: 5000,
      orphanMinAgeMs: 172800000,
      sweepMaxSubrequests: 500,
      authFailuresPerMinute: 20,
      imageWidths: { kind: "any" },
      imageMaxInputBytes: 26214400,
      completeHashStepBytes: 67108864,
    });
  });

  it("reads every variable", () => {
    expect(
      parseConfig({
        PUBLIC_BASE_URL: "https://cdn.example.com/",
        PERMANENT_URL_MAX_AGE: "300",
        MAX_UPLOAD_BYTES: "1000",
        MAX_FILE_BYTES: "2000",
        PERMANENT_URL_MODE: "redirect",
        CORS_ALLOWED_ORIGINS: "https://a.example, http://localhost:3000/",
        EDGE_CACHE_MAX_BYTES: "0",
        READ_MODEL_MEMO_SECONDS: "0",
        ORPHAN_MIN_AGE_SECONDS: "60",
        SWEEP_MAX_SUBREQUESTS: "40",
        AUTH_FAILURES_PER_MINUTE: "5",
        IMAGE_WIDTHS: "640, 320,1280,320",
        IMAGE_MAX_INPUT_BYTES: "1000000",
        COMPLETE_HASH_STEP_BYTES: "1048576",
      }),
    ).toEqual({
      publicBaseUrl: "https://cdn.example.com",
      permanentMaxAge: 300,
      maxUploadBytes: 1000,
      maxFileBytes: 2000,
      permanentUrlMode: "redirect",
      corsAllowedOrigins: ["https://a.example", "http://localhost:3000"],
      edgeCacheMaxBytes: 0,
      readModelMemoMs: 0,
      orphanMinAgeMs: 60000,
      sweepMaxSubrequests: 40,
      authFailuresPerMinute: 5,
      imageWidths: { kind: "list", sizes: [320, 640, 1280] },
      imageMaxInputBytes: 1000000,
      completeHashStepBytes: 1048576,
    });
    expect(parseConfig({ IMAGE_WIDTHS: "step:100" }).imageWidths).toEqual({
      kind: "step",
      step: 100,
    });
  });

  it.each([
    [{ PERMANENT_URL_MAX_AGE: "-1" }],
    [{ PERMANENT_URL_MAX_AGE: "ten" }],
    [{ MAX_UPLOAD_BYTES: "1.5" }],
    // Above R2's largest part and single upload (5 GiB - 5 MiB).
    [{ MAX_UPLOAD_BYTES: String(5 * 1024 ** 3 - 5 * 1024 ** 2 + 1) }],
    [{ SWEEP_MAX_SUBREQUESTS: "0" }],
    [{ SWEEP_MAX_SUBREQUESTS: "9" }],
    [{ PUBLIC_BASE_URL: "cdn.example.com" }],
    [{ PUBLIC_BASE_URL: "https://cdn.example.com/path" }],
    [{ PERMANENT_URL_MODE: "proxy" }],
    [{ CORS_ALLOWED_ORIGINS: "example.com" }],
    [{ CORS_ALLOWED_ORIGINS: "https://a.example/path" }],
    [{ EDGE_CACHE_MAX_BYTES: "-5" }],
    [{ IMAGE_WIDTHS: "step:0" }],
    [{ IMAGE_WIDTHS: "320,wide" }],
    [{ IMAGE_WIDTHS: "9000" }],
    [{ IMAGE_MAX_INPUT_BYTES: "big" }],
    [{ COMPLETE_HASH_STEP_BYTES: "0" }],
    [{ COMPLETE_HASH_STEP_BYTES: "-1" }],
  ])("refuses %j", (vars) => {
    expect(() => parseConfig(vars)).toThrow();
  });
});
