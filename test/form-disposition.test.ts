// upload/form-disposition.ts: a multipart part's name and filename, whatever characters the
// filename holds (multipasta's reading dropped the whole header past U+00FF).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readDisposition } from "../src/upload/form-disposition";

describe("readDisposition", () => {
  it.each([
    [
      'form-data; name="asset[upload]"; filename="a.txt"',
      { name: "asset[upload]", filename: "a.txt" },
    ],
    [
      'form-data; name="asset[upload]"; filename="\u65e5\u672c\u8a9e.pdf"',
      { name: "asset[upload]", filename: "\u65e5\u672c\u8a9e.pdf" },
    ],
    [
      'form-data; name="f"; filename="\u20ac \u{1f600}.txt"',
      { name: "f", filename: "\u20ac \u{1f600}.txt" },
    ],
    ['Form-Data ; NAME="f" ; filename="a\\"b\\\\c"', { name: "f", filename: 'a"b\\c' }],
    ['form-data; name="f"; filename="C:\\temp\\a.txt"', { name: "f", filename: "C:\\temp\\a.txt" }],
    ["form-data; name=asset; filename=plain.txt;", { name: "asset", filename: "plain.txt" }],
    [
      'form-data; name="f"; filename="x"; filename*=UTF-8\'\'%E2%82%AC.txt',
      { name: "f", filename: "\u20ac.txt" },
    ],
    ['form-data; name="f"; filename="x"; filename*=UTF-8\'\'%E2%82', { name: "f", filename: "x" }],
    ['form-data; name="a"; name="b"', { name: "a" }],
    ['form-data; name="title"', { name: "title" }],
  ])("reads %s", (header, expected) => {
    expect(readDisposition(header)).toEqual(expected);
  });

  it.each([
    undefined,
    ["form-data; name=a", "form-data; name=b"],
    "attachment; name=a",
    'form-data; name="unterminated',
    "form-data; name",
    "form-data name=a",
    'form-data; name="a" junk',
  ])("gives no name for %j", (header) => {
    expect(readDisposition(header).name).toBe("");
  });

  it("reads back any filename written as a browser writes it", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.oneof(
            fc.constantFrom('"', "\\", "\r", ";", "="),
            fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
          ),
        }),
        (filename) => {
          // RFC 7578 §4.2 and the HTML standard: a quote, CR and LF become %22, %0D and %0A.
          const written = filename.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
          fc.pre(!written.includes("\\\\"));
          const header = `form-data; name="asset[upload]"; filename="${written}"`;
          expect(readDisposition(header)).toEqual({ name: "asset[upload]", filename: written });
        },
      ),
      { seed: 9, numRuns: 500 },
    );
  });
});
