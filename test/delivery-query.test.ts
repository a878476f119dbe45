// domain/delivery-query.ts: the Content Delivery API's asset parameters, as the delivery SDK
// sends them, with the management listing's limits and refusals.

import { describe, expect, it } from "vitest";
import { parseDeliveryFetch, parseDeliveryListing } from "../src/domain/delivery-query";

const listing = (query: string) => parseDeliveryListing(new URLSearchParams(query));

describe("the listing's parameters", () => {
  it("defaults to the first 100, newest first, no count, absolute URLs, any locale", () => {
    expect(listing("environment=production")).toEqual({
      ok: true,
      value: {
        filter: { conditions: [], search: "", includeFolders: false },
        order: { field: "created_at", direction: "desc" },
        skip: 0,
        limit: 100,
        includeCount: false,
        locale: null,
        relativeUrls: false,
        includeDimension: false,
        version: null,
      },
    });
  });

  it("takes what the SDK sends: skip, limit, order, count, locale, query, relative_url", () => {
    const query = encodeURIComponent(JSON.stringify({ tags: { $in: ["home"] } }));
    const parsed = listing(
      `skip=20&limit=10&asc=title&include_count=true&locale=fr-fr&relative_url=true&include_dimension=true&include_fallback=true&query=${query}`,
    );
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        skip: 20,
        limit: 10,
        order: { field: "title", direction: "asc" },
        includeCount: true,
        locale: "fr-fr",
        relativeUrls: true,
        includeDimension: true,
        filter: { conditions: [{ kind: "tags", match: "any", tags: ["home"] }] },
      },
    });
    expect(listing("relative_urls=true")).toMatchObject({ value: { relativeUrls: true } });
    expect(listing("desc=file_size")).toMatchObject({
      value: { order: { field: "file_size", direction: "desc" } },
    });
  });

  it.each([
    ["limit=0", "limit", "must be at least 1"],
    ["limit=101", "limit", "must be at most 100"],
    ["limit=1.5", "limit", "must be a whole number"],
    ["skip=-1", "skip", "must be a whole number in digits"],
    ["skip=lots", "skip", "must be a whole number in digits"],
    ["skip=1e3", "skip", "must be a whole number in digits"],
    ["skip=0x10", "skip", "must be a whole number in digits"],
    ["skip=%201", "skip", "must be a whole number in digits"],
    ["limit=01", "limit", "must be a whole number in digits"],
    ["skip=", "skip", "must be a whole number in digits"],
    ["skip=1000001", "skip", "must be at most 1000000"],
    ["asc=uid", "asc", "must be created_at, updated_at, title or file_size"],
    ["asc=title&desc=title", "asc", "give asc or desc, not both"],
    ["include_count=yes", "include_count", 'must be "true" or "false"'],
    ["locale=EN_US", "locale", "must be a locale code such as en-us"],
    ["locale=", "locale", "must be a locale code such as en-us"],
    ["version=0", "version", "must be at least 1"],
    ["query=%7B%22%24where%22%3A1%7D", "query", "$where is not a supported operator"],
    ["query=not-json", "query", "must be a JSON object"],
    [`query=${"x".repeat(4097)}`, "query", "must be at most 4096 characters of JSON"],
  ])("refuses %#, naming %s", (query, field, reason) => {
    const parsed = listing(query);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.field).toBe(field);
    expect(parsed.reason).toContain(reason);
  });
});

describe("a single asset's parameters", () => {
  it("takes locale, relative_urls, include_dimension and version, and ignores the rest", () => {
    expect(
      parseDeliveryFetch(
        new URLSearchParams(
          "locale=en-us&relative_urls=true&include_dimension=true&version=3&include_branch=true",
        ),
      ),
    ).toEqual({
      ok: true,
      value: { locale: "en-us", relativeUrls: true, includeDimension: true, version: 3 },
    });
  });

  it("refuses a bad version, naming it", () => {
    expect(parseDeliveryFetch(new URLSearchParams("version=-1"))).toEqual({
      ok: false,
      field: "version",
      reason: "must be a whole number in digits",
    });
  });
});
