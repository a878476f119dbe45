// fast-check properties: src/delivery's HTTP parsers never throw, stay in bounds, match RFC models.

import { SELF } from "cloudflare:test";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { attachmentDisposition } from "../src/delivery/content-disposition";
import { type EntityTag, parseEntityTagList } from "../src/delivery/entity-tags";
import { fullYear, parseHttpDate } from "../src/delivery/http-date";
import { planDelivery } from "../src/delivery/plan";
import {
  evaluatePreconditions,
  ifRangeAllows,
  type Validators,
} from "../src/delivery/preconditions";
import { parseRange, type RangeOutcome } from "../src/delivery/range";
import { createStack, uploadAsset } from "./helpers";

// ---- Generators -------------------------------------------------------------------------------

/** Strings built from the pieces of Range syntax, so that many are nearly (or fully) valid. */
const rangeLike = fc
  .array(
    fc.constantFrom(
      "bytes",
      "BYTES",
      "Bytes",
      "items",
      "=",
      "-",
      "-",
      ",",
      ",",
      " ",
      "\t",
      "0",
      "1",
      "7",
      "00",
      "99",
      "999",
      "2999",
      "3000",
      "3001",
      "18446744073709551616",
      "x",
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(""));

/** The three valid single-range forms, as a test-side description (not the parser's). */
type Spec =
  | { form: "a-b"; a: number; b: number }
  | { form: "a-"; a: number }
  | { form: "-n"; n: number };

const position = fc.oneof(
  fc.integer({ min: 0, max: 20 }),
  fc.integer({ min: 0, max: 5000 }),
  fc.integer({ min: 0, max: 2e12 }),
);
const size = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 20 }),
  fc.integer({ min: 0, max: 5000 }),
  fc.integer({ min: 0, max: 1e12 }),
);
const spec: fc.Arbitrary<Spec> = fc.oneof(
  fc.record({ form: fc.constant("a-b" as const), a: position, b: position }),
  fc.record({ form: fc.constant("a-" as const), a: position }),
  fc.record({ form: fc.constant("-n" as const), n: position }),
);

const digits = (n: number, zeros: number) => "0".repeat(zeros) + String(n);

function rangeHeader(s: Spec, unit: string, zeros: number): string {
  switch (s.form) {
    case "a-b":
      return `${unit}=${digits(s.a, zeros)}-${digits(s.b, zeros)}`;
    case "a-":
      return `${unit}=${digits(s.a, zeros)}-`;
    case "-n":
      return `${unit}=-${digits(s.n, zeros)}`;
  }
}

/** RFC 9110 §14.1.1-14.1.2 and §15.5.17, written out for one range spec. */
function expectedOutcome(s: Spec, size: number): RangeOutcome {
  if (s.form === "-n") {
    if (s.n === 0) return { kind: "unsatisfiable" };
    if (size === 0) return { kind: "ignore" };
    return { kind: "satisfiable", range: { start: Math.max(0, size - s.n), end: size - 1 } };
  }
  if (s.form === "a-b" && s.b < s.a) return { kind: "ignore" };
  if (s.a >= size) return { kind: "unsatisfiable" };
  const last = s.form === "a-b" ? s.b : size - 1;
  return { kind: "satisfiable", range: { start: s.a, end: Math.min(last, size - 1) } };
}

// etagc = %x21 / %x23-7E
const etagChar = fc.oneof(
  fc.constant("!"),
  fc.integer({ min: 0x23, max: 0x7e }).map((c) => String.fromCharCode(c)),
);
const entityTag: fc.Arbitrary<EntityTag> = fc.record({
  weak: fc.boolean(),
  opaque: fc.string({ unit: etagChar, maxLength: 12 }).map((s) => `"${s}"`),
});
const showTag = (t: EntityTag) => `${t.weak ? "W/" : ""}${t.opaque}`;

/** Entity-tag-list-ish text: quotes, commas, W/, whitespace, stars and a few odd bytes. */
const tagListLike = fc.oneof(
  fc.string({
    unit: fc.constantFrom('"', '"', ",", " ", "\t", "W", "/", "W/", "*", "a", "1", "\x7f"),
    maxLength: 20,
  }),
  fc.stringMatching(/^ *(W\/)?"[!#-~]*" *(, *(W\/)?"[ !#-~]*" *)*,?$/),
  fc.array(entityTag, { maxLength: 4 }).map((tags) => tags.map(showTag).join(",")),
);

const DATE_MAX = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const YEAR_ZERO = -62167219200000; // 0000-01-01T00:00:00Z
const time = fc.date({ min: new Date(YEAR_ZERO), max: new Date(DATE_MAX), noInvalidDate: true });

/** Text shaped like the three HTTP-date forms, with numbers that may be out of range. */
const dateLike = fc
  .tuple(
    fc.constantFrom("Sun", "Mon", "Thu", "Sunday", "Thursday", "Xyz"),
    fc.integer({ min: 0, max: 99 }),
    fc.constantFrom("Jan", "Feb", "Nov", "Dec", "Foo"),
    fc.integer({ min: 0, max: 9999 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
    fc.constantFrom("imf", "rfc850", "asctime"),
  )
  .map(([wd, d, mon, y, h, m, s, form]) => {
    const two = (n: number) => String(n).padStart(2, "0");
    const t = `${two(h)}:${two(m)}:${two(s)}`;
    if (form === "imf") return `${wd}, ${two(d)} ${mon} ${String(y).padStart(4, "0")} ${t} GMT`;
    if (form === "rfc850") return `${wd}, ${two(d)}-${mon}-${two(y % 100)} ${t} GMT`;
    return `${wd} ${mon} ${String(d).padStart(2, " ")} ${t} ${String(y).padStart(4, "0")}`;
  });

const anyText = fc.oneof(fc.string(), fc.string({ unit: "binary" }));

/** Non-ASCII text around quotes (obs-text is allowed inside an entity tag; other code points not). */
const nonAsciiTagText = fc.string({
  unit: fc.constantFrom('"', ",", " ", "W/", "\x80", "\xff", "é", "\u0100", "😀"),
  maxLength: 16,
});

// A header value that Headers accepts without complaint: visible ASCII, space and tab.
const headerChar = fc
  .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.constant(0x09))
  .map((c) => String.fromCharCode(c));
const headerText = fc.string({ unit: headerChar, maxLength: 30 });

const validators: fc.Arbitrary<Validators> = fc.record({
  etag: entityTag,
  lastModified: time.map((d) => d.getTime()),
});

/** Optional conditional headers for a given version: arbitrary, list-like, or its own validators. */
const conditionalHeaders = (v: Validators) => {
  const own = fc.constantFrom(showTag(v.etag), `W/${v.etag.opaque}`, "*");
  const ownDate = fc.constant(new Date(v.lastModified).toUTCString());
  const value = fc.oneof(headerText, tagListLike, dateLike, own, ownDate);
  return fc.record(
    {
      "If-Match": value,
      "If-None-Match": value,
      "If-Modified-Since": value,
      "If-Unmodified-Since": value,
      "If-Range": value,
      Range: fc.oneof(
        rangeLike,
        headerText,
        spec.map((s) => rangeHeader(s, "bytes", 0)),
      ),
    },
    { requiredKeys: [] },
  );
};

const getter = (h: Record<string, string | undefined>) => (name: string) => h[name] ?? null;

// ---- Range --------------------------------------------------------------------------------------

describe("parseRange", () => {
  const checkBounds = (header: string, n: number) => {
    const r = parseRange(header, n);
    expect(["ignore", "satisfiable", "unsatisfiable"]).toContain(r.kind);
    if (r.kind === "satisfiable") {
      const { start, end } = r.range;
      expect(Number.isInteger(start) && Number.isInteger(end)).toBe(true);
      expect(start).toBeGreaterThanOrEqual(0);
      expect(start).toBeLessThanOrEqual(end);
      expect(end).toBeLessThan(n);
    }
  };

  it("never throws, and a satisfiable range lies inside the representation", () => {
    const header = fc.oneof(
      anyText,
      fc.string().map((s) => `bytes=${s}`),
      rangeLike,
      rangeLike.map((s) => `bytes=${s}`),
    );
    fc.assert(fc.property(header, fc.integer({ min: 0, max: 1e12 }), checkBounds), {
      numRuns: 2000,
    });
    fc.assert(fc.property(header, size, checkBounds), { numRuns: 2000 });
  });

  it("agrees with RFC 9110 on every valid single-range form", () => {
    fc.assert(
      fc.property(
        spec,
        size,
        fc.constantFrom("bytes", "BYTES", "Bytes"),
        fc.integer({ min: 0, max: 3 }),
        (s, n, unit, zeros) => {
          expect(parseRange(rangeHeader(s, unit, zeros), n)).toEqual(expectedOutcome(s, n));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("compares positions beyond 2^53 exactly", () => {
    const huge = fc.bigInt({ min: 2n ** 53n - 10n, max: 2n ** 70n });
    fc.assert(
      fc.property(huge, huge, size, (a, b, n) => {
        // Past any real size: an invalid spec (b < a) is ignored, any other is unsatisfiable.
        const expected = b < a ? { kind: "ignore" } : { kind: "unsatisfiable" };
        expect(parseRange(`bytes=${a}-${b}`, n)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });
});

// ---- Entity tags and conditional requests -------------------------------------------------------

describe("entity tags and preconditions", () => {
  it("parseEntityTagList, evaluatePreconditions and ifRangeAllows never throw", () => {
    const text = fc.oneof(anyText, nonAsciiTagText, tagListLike, dateLike, headerText);
    fc.assert(
      fc.property(text, (value) => {
        const tags = parseEntityTagList(value);
        expect(tags === "*" || Array.isArray(tags)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        validators,
        fc.record(
          {
            "If-Match": text,
            "If-None-Match": text,
            "If-Modified-Since": text,
            "If-Unmodified-Since": text,
          },
          { requiredKeys: [] },
        ),
        fc.option(text),
        fc.boolean(),
        (v, headers, ifRange, strongDates) => {
          expect(["proceed", "not-modified", "failed"]).toContain(
            evaluatePreconditions(getter(headers), v),
          );
          expect(typeof ifRangeAllows(ifRange, v, strongDates)).toBe("boolean");
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("planDelivery never throws, and answers 206 only for a GET with Range, inside the size", () => {
    const input = fc.tuple(validators, size, fc.boolean()).chain(([v, n, immutable]) =>
      fc.record({
        method: fc.constantFrom("GET" as const, "HEAD" as const),
        meta: fc.constant({ ...v, size: n, immutable }),
        headers: conditionalHeaders(v),
      }),
    );
    fc.assert(
      fc.property(input, ({ method, meta, headers }) => {
        const h = new Headers();
        for (const [name, value] of Object.entries(headers))
          if (value !== undefined) h.set(name, value);
        const plan = planDelivery(method, h, meta);
        expect([200, 206, 304, 412, 416]).toContain(plan.status);
        if (plan.status === 206 || plan.status === 416) {
          expect(method).toBe("GET");
          expect(h.has("Range")).toBe(true);
        }
        if (plan.status === 206) {
          expect(plan.range.start).toBeGreaterThanOrEqual(0);
          expect(plan.range.start).toBeLessThanOrEqual(plan.range.end);
          expect(plan.range.end).toBeLessThan(meta.size);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("parseEntityTagList reads back a list of valid tags joined with ', '", () => {
    fc.assert(
      fc.property(fc.array(entityTag, { maxLength: 8 }), (tags) => {
        expect(parseEntityTagList(tags.map(showTag).join(", "))).toEqual(tags);
      }),
      { numRuns: 1000 },
    );
  });
});

// ---- HTTP-date ----------------------------------------------------------------------------------

describe("parseHttpDate", () => {
  it("reads back toUTCString() to the whole second, for years 0 to 9999", () => {
    fc.assert(
      fc.property(time, (d) => {
        const t = d.getTime();
        expect(parseHttpDate(d.toUTCString())).toBe(Math.floor(t / 1000) * 1000);
      }),
      { numRuns: 2000 },
    );
  });

  it("reads RFC 850 two-digit years in the current century unless 50+ years ahead", () => {
    const now = Date.UTC(2026, 10, 25);
    expect(fullYear(26, now)).toBe(2026);
    expect(fullYear(76, now)).toBe(2076);
    expect(fullYear(77, now)).toBe(1977);
    expect(fullYear(99, now)).toBe(1999);
    expect(fullYear(0, now)).toBe(2000);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 1970, max: 9000 }),
        (yy, y) => {
          const year = fullYear(yy, Date.UTC(y, 0, 1));
          expect(year % 100).toBe(yy);
          expect(year - y).toBeLessThanOrEqual(50);
          expect(y - year).toBeLessThan(100);
        },
      ),
    );
  });

  it("returns null or a whole-second number for arbitrary text, and never throws", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, dateLike), (value) => {
        const r = parseHttpDate(value);
        if (r !== null) {
          expect(typeof r).toBe("number");
          expect(Number.isInteger(r / 1000)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

// ---- Content-Disposition ------------------------------------------------------------------------

describe("attachmentDisposition", () => {
  const FORMAT =
    /^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]*$/;
  // Lone surrogates too, which no valid UTF-8 can carry.
  const surrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
  const name = fc.oneof(
    fc.string({ unit: "binary" }),
    fc.string({ unit: "grapheme" }),
    fc.string({
      unit: fc.oneof(fc.constantFrom("/", "\\", '"', "\r", "\n", "\0", " ", "%", "é"), surrogate),
    }),
  );

  it("is one safe header line with an ASCII fallback and an RFC 8187 filename*", () => {
    fc.assert(
      fc.property(name, (filename) => {
        const value = attachmentDisposition(filename);
        expect(value).not.toMatch(/[\r\n\0]/);
        expect(value).toMatch(FORMAT);
        const fallback = /filename="(.*)"; filename\*=/.exec(value)?.[1];
        expect(fallback).toBeDefined();
        expect(fallback).not.toMatch(/["\\]/);
        const encoded = value.slice(
          value.indexOf("filename*=UTF-8''") + "filename*=UTF-8''".length,
        );
        const decoded = decodeURIComponent(encoded);
        expect(decoded).not.toMatch(/[/\\]/);
      }),
      { numRuns: 2000 },
    );
  });
});

// ---- Through the worker -------------------------------------------------------------------------

describe("ranges through the worker", () => {
  // 3,000 bytes whose every slice is distinct, so a wrong offset cannot go unnoticed.
  const FILE = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7 + (i >> 8)) % 256);
  let url = "";

  beforeAll(async () => {
    const stack = await createStack();
    url = (await uploadAsset(stack, "data.bin", FILE, {}, "application/octet-stream")).url;
  });

  it("serves exactly the bytes of Content-Range, the whole file, or a 416", async () => {
    const header = fc.oneof(
      spec.map((s) => rangeHeader(s, "bytes", 0)),
      fc
        .tuple(spec, fc.constantFrom("bytes", "BYTES"), fc.integer({ min: 0, max: 2 }))
        .map(([s, unit, zeros]) => rangeHeader(s, unit, zeros)),
      fc
        .array(
          spec.map((s) => rangeHeader(s, "bytes", 0).slice("bytes=".length)),
          { minLength: 1, maxLength: 3 },
        )
        .map((specs) => `bytes=${specs.join(", ")}`),
      rangeLike,
      headerText,
    );
    await fc.assert(
      fc.asyncProperty(header, async (range) => {
        const res = await SELF.fetch(url, { headers: { Range: range } });
        const body = new Uint8Array(await res.arrayBuffer());
        if (res.status === 206) {
          const m = /^bytes (\d+)-(\d+)\/3000$/.exec(res.headers.get("content-range") ?? "");
          expect(m, `Content-Range for ${range}`).not.toBeNull();
          const start = Number(m?.[1]);
          const end = Number(m?.[2]);
          expect(start).toBeLessThanOrEqual(end);
          expect(end).toBeLessThan(3000);
          expect(body).toEqual(FILE.slice(start, end + 1));
          expect(res.headers.get("content-length")).toBe(String(body.length));
        } else if (res.status === 200) {
          expect(body).toEqual(FILE);
        } else {
          expect(res.status, `status for ${range}`).toBe(416);
          expect(res.headers.get("content-range")).toBe("bytes */3000");
        }
        // And the worker did what the pure parser says for the value it received.
        const received = new Headers({ Range: range }).get("Range");
        const kind = parseRange(received, 3000).kind;
        const status = { ignore: 200, satisfiable: 206, unsatisfiable: 416 }[kind];
        expect(res.status, `status for ${JSON.stringify(range)}`).toBe(status);
      }),
      { numRuns: 60 },
    );
  });
});
