// The public URLs' HTTP behaviour as a table: every case runs against both URL kinds and states
// the exact status, headers and body expected (ranges, conditional requests, downloads, CORS).

import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { type AssetJson, createStack, setPermanentUrl, uploadAsset } from "./helpers";

// 1,000 bytes whose every slice is distinct, so a wrong offset cannot go unnoticed.
const FILE = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7 + (i >> 8)) % 256);
const SIZE = FILE.length;

interface Known {
  etag: string;
  lastModified: string;
}

type Expected = string | null | RegExp;

interface Case {
  name: string;
  method?: string;
  query?: string;
  headers?: (k: Known) => Record<string, string>;
  status: number;
  /** Header values that must be present (string/RegExp) or absent (null). */
  expect?: Record<string, Expected>;
  /** The body as [start, end) of FILE, "none" for an empty body, or "json" for an error. */
  body?: [number, number] | "none" | "json";
  errorCode?: number;
  /** Overrides for the permanent URL, where it must answer differently. */
  permanent?: Partial<Case>;
}

const hourBefore = (date: string) => new Date(Date.parse(date) - 3600_000).toUTCString();
const hourAfter = (date: string) => new Date(Date.parse(date) + 3600_000).toUTCString();
const rfc850 = (date: string) => {
  const d = new Date(date);
  const day = d.toLocaleDateString("en-US", { weekday: "long", timeZone: "UTC" });
  const [, dd, mon, yyyy, time] = d.toUTCString().split(" ");
  return `${day}, ${dd}-${mon}-${yyyy?.slice(2)} ${time} GMT`;
};
const asctime = (date: string) => {
  const [wd, dd, mon, yyyy, time] = new Date(date).toUTCString().split(" ");
  return `${wd?.slice(0, 3)} ${mon} ${String(Number(dd)).padStart(2, " ")} ${time} ${yyyy}`;
};

const full = { status: 200, body: [0, SIZE] as [number, number] };
const partial = (start: number, end: number): Partial<Case> => ({
  status: 206,
  body: [start, end + 1],
  expect: {
    "content-range": `bytes ${start}-${end}/${SIZE}`,
    "content-length": String(end - start + 1),
  },
});
const ignoredRange: Partial<Case> = {
  ...full,
  expect: { "content-range": null, "content-length": String(SIZE) },
};
const unsatisfiable: Partial<Case> = {
  status: 416,
  body: "json",
  errorCode: 153,
  expect: { "content-range": `bytes */${SIZE}` },
};
const notModified: Partial<Case> = {
  status: 304,
  body: "none",
  expect: { "content-type": null, "content-length": null, "content-range": null },
};
const failed: Partial<Case> = { status: 412, body: "json", errorCode: 152 };
const range = (value: string) => () => ({ Range: value });

const CASES: Case[] = [
  // Plain requests.
  { name: "GET", ...full, expect: { "accept-ranges": "bytes", "content-length": "1000" } },
  { name: "HEAD", method: "HEAD", status: 200, body: "none", expect: { "content-length": "1000" } },
  // Ranges (RFC 9110 §14).
  { name: "first 100 bytes", headers: range("bytes=0-99"), ...partial(0, 99) } as Case,
  { name: "open-ended range", headers: range("bytes=100-"), ...partial(100, 999) } as Case,
  { name: "suffix range", headers: range("bytes=-100"), ...partial(900, 999) } as Case,
  {
    name: "range past the end is clamped",
    headers: range("bytes=990-2000"),
    ...partial(990, 999),
  } as Case,
  {
    name: "suffix longer than the file",
    headers: range("bytes=-5000"),
    ...partial(0, 999),
  } as Case,
  { name: "one byte", headers: range("bytes=0-0"), ...partial(0, 0) } as Case,
  { name: "last byte", headers: range("bytes=999-999"), ...partial(999, 999) } as Case,
  { name: "unit is case-insensitive", headers: range("BYTES=10-19"), ...partial(10, 19) } as Case,
  {
    name: "whitespace in the range set",
    headers: range("bytes= 10-19 "),
    ...partial(10, 19),
  } as Case,
  { name: "start at the size", headers: range("bytes=1000-"), ...unsatisfiable } as Case,
  { name: "start past the size", headers: range("bytes=5000-6000"), ...unsatisfiable } as Case,
  { name: "empty suffix", headers: range("bytes=-0"), ...unsatisfiable } as Case,
  { name: "last before first is ignored", headers: range("bytes=5-2"), ...ignoredRange } as Case,
  { name: "garbage is ignored", headers: range("bytes=abc"), ...ignoredRange } as Case,
  { name: "other unit is ignored", headers: range("items=0-5"), ...ignoredRange } as Case,
  {
    name: "multiple ranges are ignored",
    headers: range("bytes=0-5,10-15"),
    ...ignoredRange,
  } as Case,
  { name: "missing '=' is ignored", headers: range("bytes 0-5"), ...ignoredRange } as Case,
  { name: "negative start is ignored", headers: range("bytes=--5"), ...ignoredRange } as Case,
  {
    name: "HEAD ignores Range",
    method: "HEAD",
    headers: range("bytes=0-9"),
    status: 200,
    body: "none",
    expect: { "content-range": null, "content-length": "1000" },
  },
  // If-Range (§13.1.5).
  {
    name: "If-Range with the ETag",
    headers: (k) => ({ Range: "bytes=0-9", "If-Range": k.etag }),
    ...partial(0, 9),
  } as Case,
  {
    name: "If-Range with another ETag",
    headers: () => ({ Range: "bytes=0-9", "If-Range": '"other"' }),
    ...ignoredRange,
  } as Case,
  {
    name: "If-Range with a weak ETag",
    headers: (k) => ({ Range: "bytes=0-9", "If-Range": `W/${k.etag}` }),
    ...ignoredRange,
  } as Case,
  {
    name: "If-Range with Last-Modified",
    headers: (k) => ({ Range: "bytes=0-9", "If-Range": k.lastModified }),
    ...partial(0, 9),
    // The permanent URL's dates are weak (two replaces can share a second): a full 200.
    permanent: ignoredRange,
  } as Case,
  {
    name: "If-Range with an older date",
    headers: (k) => ({ Range: "bytes=0-9", "If-Range": hourBefore(k.lastModified) }),
    ...ignoredRange,
  } as Case,
  // If-None-Match and If-Modified-Since (§13.1.2, §13.1.3).
  {
    name: "If-None-Match with the ETag",
    headers: (k) => ({ "If-None-Match": k.etag }),
    ...notModified,
  } as Case,
  {
    name: "If-None-Match weak comparison",
    headers: (k) => ({ "If-None-Match": `W/${k.etag}` }),
    ...notModified,
  } as Case,
  {
    name: "If-None-Match list",
    headers: (k) => ({ "If-None-Match": `"a", W/"b,c", ${k.etag}` }),
    ...notModified,
  } as Case,
  { name: "If-None-Match *", headers: () => ({ "If-None-Match": "*" }), ...notModified } as Case,
  { name: "If-None-Match another ETag", headers: () => ({ "If-None-Match": '"other"' }), ...full },
  { name: "If-None-Match garbage", headers: () => ({ "If-None-Match": "nonsense" }), ...full },
  {
    name: "HEAD with If-None-Match",
    method: "HEAD",
    headers: (k) => ({ "If-None-Match": k.etag }),
    ...notModified,
  } as Case,
  {
    name: "If-None-Match wins over Range",
    headers: (k) => ({ "If-None-Match": k.etag, Range: "bytes=0-9" }),
    ...notModified,
  } as Case,
  {
    name: "If-Modified-Since = Last-Modified",
    headers: (k) => ({ "If-Modified-Since": k.lastModified }),
    ...notModified,
  } as Case,
  {
    name: "If-Modified-Since later",
    headers: (k) => ({ "If-Modified-Since": hourAfter(k.lastModified) }),
    ...notModified,
  } as Case,
  {
    name: "If-Modified-Since in RFC 850 form",
    headers: (k) => ({ "If-Modified-Since": rfc850(k.lastModified) }),
    ...notModified,
  } as Case,
  {
    name: "If-Modified-Since in asctime form",
    headers: (k) => ({ "If-Modified-Since": asctime(k.lastModified) }),
    ...notModified,
  } as Case,
  {
    name: "If-Modified-Since earlier",
    headers: (k) => ({ "If-Modified-Since": hourBefore(k.lastModified) }),
    ...full,
  },
  {
    name: "If-Modified-Since not a date",
    headers: () => ({ "If-Modified-Since": "yesterday" }),
    ...full,
  },
  {
    name: "If-Modified-Since ignored when If-None-Match is present",
    headers: (k) => ({ "If-None-Match": '"other"', "If-Modified-Since": k.lastModified }),
    ...full,
  },
  // If-Match and If-Unmodified-Since (§13.1.1, §13.1.4).
  { name: "If-Match with the ETag", headers: (k) => ({ "If-Match": k.etag }), ...full },
  { name: "If-Match in a list", headers: (k) => ({ "If-Match": `"x", ${k.etag}` }), ...full },
  { name: "If-Match *", headers: () => ({ "If-Match": "*" }), ...full },
  { name: "If-Match another ETag", headers: () => ({ "If-Match": '"other"' }), ...failed } as Case,
  {
    name: "If-Match is a strong comparison",
    headers: (k) => ({ "If-Match": `W/${k.etag}` }),
    ...failed,
  } as Case,
  {
    name: "If-Unmodified-Since earlier",
    headers: (k) => ({ "If-Unmodified-Since": hourBefore(k.lastModified) }),
    ...failed,
  } as Case,
  {
    name: "If-Unmodified-Since = Last-Modified",
    headers: (k) => ({ "If-Unmodified-Since": k.lastModified }),
    ...full,
  },
  {
    name: "If-Unmodified-Since ignored when If-Match is present",
    headers: (k) => ({ "If-Match": k.etag, "If-Unmodified-Since": hourBefore(k.lastModified) }),
    ...full,
  },
  {
    name: "If-Match is evaluated before Range",
    headers: () => ({ "If-Match": '"other"', Range: "bytes=0-9" }),
    ...failed,
  } as Case,
  {
    name: "HEAD with a failing If-Match",
    method: "HEAD",
    headers: () => ({ "If-Match": '"other"' }),
    status: 412,
    body: "none",
  },
  // Downloads (RFC 6266, RFC 8187).
  {
    name: "?dl",
    query: "dl",
    ...full,
    expect: { "content-disposition": `attachment; filename="data.bin"; filename*=UTF-8''data.bin` },
  },
  {
    name: "?dl=true",
    query: "dl=true",
    ...full,
    expect: { "content-disposition": `attachment; filename="data.bin"; filename*=UTF-8''data.bin` },
  },
  {
    name: "?dl=false",
    query: "dl=false",
    ...full,
    expect: { "content-disposition": null },
  },
  {
    name: "?dl with a name",
    query: `dl=${encodeURIComponent("report 2026.pdf")}`,
    ...full,
    expect: {
      "content-disposition": `attachment; filename="report 2026.pdf"; filename*=UTF-8''report%202026.pdf`,
    },
  },
  {
    name: "?dl with a non-ASCII name",
    query: `dl=${encodeURIComponent("naïve résumé.txt")}`,
    ...full,
    expect: {
      "content-disposition": `attachment; filename="na_ve r_sum_.txt"; filename*=UTF-8''na%C3%AFve%20r%C3%A9sum%C3%A9.txt`,
    },
  },
  {
    name: "?dl cannot inject a header",
    query: `dl=${encodeURIComponent('a"b\r\nX-Injected: 1')}`,
    ...full,
    expect: {
      "content-disposition": `attachment; filename="a_bX-Injected: 1"; filename*=UTF-8''a%22bX-Injected%3A%201`,
      "x-injected": null,
    },
  },
  {
    name: "?dl cannot carry a path",
    query: `dl=${encodeURIComponent("../../etc/passwd")}`,
    ...full,
    expect: {
      "content-disposition": `attachment; filename=".._.._etc_passwd"; filename*=UTF-8''.._.._etc_passwd`,
    },
  },
  {
    name: "?dl drops bidi overrides, and % in the fallback",
    query: `dl=${encodeURIComponent("a\u202Efdp.exe %41")}`,
    ...full,
    expect: {
      "content-disposition": `attachment; filename="afdp.exe _41"; filename*=UTF-8''afdp.exe%20%2541`,
    },
  },
  {
    name: "?dl with a Range",
    query: "dl",
    headers: range("bytes=0-9"),
    status: 206,
    body: [0, 10],
    expect: { "content-disposition": /^attachment; / },
  },
  // CORS and methods.
  {
    name: "CORS on GET",
    headers: () => ({ Origin: "https://site.example" }),
    ...full,
    expect: {
      "access-control-allow-origin": "*",
      "access-control-expose-headers":
        /ETag,Last-Modified,Content-Length,Content-Range,Accept-Ranges,Content-Disposition,Link/,
    },
  },
  {
    name: "OPTIONS preflight",
    method: "OPTIONS",
    headers: () => ({
      Origin: "https://site.example",
      "Access-Control-Request-Method": "GET",
      "Access-Control-Request-Headers": "range",
    }),
    status: 204,
    body: "none",
    expect: {
      "access-control-allow-origin": "*",
      "access-control-allow-methods": "GET,HEAD,OPTIONS",
      "access-control-allow-headers": /Range/,
      "access-control-max-age": "86400",
    },
  },
  {
    name: "POST",
    method: "POST",
    status: 405,
    body: "json",
    errorCode: 151,
    expect: { allow: "GET, HEAD, OPTIONS" },
  },
  {
    name: "DELETE",
    method: "DELETE",
    status: 405,
    body: "json",
    errorCode: 151,
    expect: { allow: "GET, HEAD, OPTIONS" },
  },
];

let asset: AssetJson;
const urls: Record<"versioned" | "permanent", string> = { versioned: "", permanent: "" };
let known: Known;

beforeAll(async () => {
  const stack = await createStack();
  asset = await uploadAsset(stack, "data.bin", FILE, {}, "application/octet-stream");
  const res = await setPermanentUrl(stack, asset.uid, "data");
  expect(res.status).toBe(200);
  urls.versioned = asset.url;
  urls.permanent = ((await res.json()) as { asset: AssetJson }).asset.permanent_url as string;
  const head = await SELF.fetch(asset.url, { method: "HEAD" });
  known = {
    etag: head.headers.get("etag") as string,
    lastModified: head.headers.get("last-modified") as string,
  };
});

const CACHE_CONTROL = {
  versioned: "public, max-age=31536000, immutable",
  permanent: "public, max-age=60",
};

describe.each(["versioned", "permanent"] as const)("%s URL", (kind) => {
  it.each(CASES)("$name", async (base) => {
    const c = kind === "permanent" && base.permanent ? { ...base, ...base.permanent } : base;
    const url = c.query ? `${urls[kind]}?${c.query}` : urls[kind];
    const res = await SELF.fetch(url, { method: c.method ?? "GET", headers: c.headers?.(known) });
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(res.status).toBe(c.status);
    for (const [name, value] of Object.entries(c.expect ?? {})) {
      if (value === null) expect(res.headers.get(name), name).toBeNull();
      else if (value instanceof RegExp) expect(res.headers.get(name), name).toMatch(value);
      else expect(res.headers.get(name), name).toBe(value);
    }
    if (c.status === 200 || c.status === 206 || c.status === 304) {
      expect(res.headers.get("etag")).toBe(known.etag);
      expect(res.headers.get("last-modified")).toBe(known.lastModified);
      expect(res.headers.get("cache-control")).toBe(CACHE_CONTROL[kind]);
      if (kind === "permanent")
        expect(res.headers.get("link")).toBe(`<${urls.versioned}>; rel="canonical"`);
    }
    if (c.status === 200 || c.status === 206) {
      expect(res.headers.get("accept-ranges")).toBe("bytes");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
    if (Array.isArray(c.body)) {
      expect(bytes).toEqual(FILE.slice(c.body[0], c.body[1]));
      expect(res.headers.get("content-length")).toBe(String(c.body[1] - c.body[0]));
    } else if (c.body === "none") {
      expect(bytes.length).toBe(0);
    } else if (c.body === "json") {
      expect(res.headers.get("cache-control")).toBe("no-store");
      const json = JSON.parse(new TextDecoder().decode(bytes));
      expect(json.error_code).toBe(c.errorCode);
      expect(typeof json.error_message).toBe("string");
    }
  });
});

describe("a zero-length file", () => {
  let empty: AssetJson;
  beforeAll(async () => {
    const stack = await createStack();
    empty = await uploadAsset(stack, "empty.txt", new Uint8Array(0));
  });

  it.each([
    { header: undefined, status: 200 },
    { header: "bytes=0-", status: 416 },
    { header: "bytes=0-0", status: 416 },
    { header: "bytes=-5", status: 200 },
    { header: "bytes=-0", status: 416 },
  ])("Range $header -> $status", async ({ header, status }) => {
    const res = await SELF.fetch(empty.url, { headers: header ? { Range: header } : {} });
    const text = await res.text();
    expect(res.status).toBe(status);
    if (status === 200) {
      expect(text).toBe("");
      expect(res.headers.get("content-length")).toBe("0");
      expect(res.headers.get("content-range")).toBeNull();
    } else {
      expect(res.headers.get("content-range")).toBe("bytes */0");
    }
  });
});
