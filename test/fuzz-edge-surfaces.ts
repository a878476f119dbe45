// What the public host reads since publishing, as the fuzzer's table (fuzz-surface.ts): the
// Content Delivery API's parameters and credentials (GET /v3/assets and /v3/assets/{uid} on the
// delivery Worker) and `?environment=` on both file URLs. Reads only. The fixture's asset A is
// published to production (fuzz-publishing-state.ts), whose delivery token reads production.

import fc from "fast-check";
import { expect } from "vitest";
import { DELIVERY_HOST } from "./both-workers";
import { numberText, text, wellFormed } from "./fuzz-inputs";
import { type Surface, surface } from "./fuzz-surface";
import { fillPlaceholders } from "./helpers";
import { FIXTURE_BYTES } from "./stored-state";

/** The rule every listing parameter follows on both hosts: digits only, no sign or exponent. */
const DIGITS = /^(0|[1-9][0-9]*)$/;

const environmentName = fc.oneof(
  { weight: 6, arbitrary: fc.constant("production") },
  {
    weight: 2,
    arbitrary: fc.constantFrom("staging", "Production", "Cafe\u0301", "{env_uid}", "__proto__", ""),
  },
  { weight: 1, arbitrary: text(8, 100) },
);

const PARAM_VALUES: Record<string, fc.Arbitrary<string>> = {
  environment: environmentName,
  skip: numberText([0, 1, 1_000_000, 1_000_001]),
  limit: numberText([1, 100, 101]),
  include_count: fc.constantFrom("true", "false", "1", ""),
  include_dimension: fc.constantFrom("true", "false", "yes"),
  relative_urls: fc.constantFrom("true", "false", "1"),
  relative_url: fc.constantFrom("true", "false", "1"),
  locale: fc.constantFrom("en-us", "fr-fr", "EN-US", "en_us", "", "a".repeat(300)),
  version: numberText([0, 1, 2, 2 ** 53]),
  asc: fc.constantFrom("created_at", "title", "file_size", "x"),
  desc: fc.constantFrom("updated_at", "filename", "__proto__"),
  query: fc.oneof(
    fc.constantFrom(
      "{}",
      '{"title":"r\u00e9sum\u00e9.txt"}',
      '{"title":{"$regex":"^r"}}',
      '{"file_size":{"$gt":1}}',
      '{"$where":"1"}',
      "[]",
      "{",
    ),
    text(20, 1024),
  ),
  search: fc.constantFrom("a", ""),
};
/** Values each parameter takes, tried twice as often as the others (so answers are checked). */
const GOOD_VALUES: Record<string, string[]> = {
  skip: ["0", "1"],
  limit: ["1", "100"],
  include_count: ["true"],
  include_dimension: ["true"],
  relative_urls: ["true"],
  relative_url: ["true"],
  locale: ["en-us"],
  version: ["1"],
  asc: ["title"],
  desc: ["updated_at"],
  query: ['{"title":{"$regex":"^r"}}'],
};
const PARAMS = Object.keys(PARAM_VALUES);
const param = fc.constantFrom(...PARAMS).chain((name) => {
  const hostile = PARAM_VALUES[name] as fc.Arbitrary<string>;
  const good = GOOD_VALUES[name];
  const value = good
    ? fc.oneof(
        { weight: 2, arbitrary: fc.constantFrom(...good) },
        { weight: 1, arbitrary: hostile },
      )
    : hostile;
  return value.map((v): [string, string] => [name, v]);
});

/** A credential: the right one mostly, else another stack's, the management token, or junk. */
const credential = (own: string, others: string[]) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant(own) },
    { weight: 2, arbitrary: fc.constantFrom(...others) },
    {
      weight: 1,
      arbitrary: fc.string({ unit: fc.constantFrom("a", "0", "%", " "), maxLength: 30 }),
    },
  );

interface CdaInput {
  one: string | null;
  pairs: [string, string][];
  apiKey: string;
  token: string;
}

const contentDelivery = surface<CdaInput>({
  name: "Content Delivery API (parameters, api_key, access_token)",
  runs: 120,
  input: fc.record({
    one: fc.option(
      fc.constantFrom("{uid}", "{bare_uid}", "{other_uid}", "blt0000000000000000", "x"),
      {
        nil: null,
      },
    ),
    pairs: fc
      .tuple(
        fc.constant<[string, string]>(["environment", "production"]),
        fc.array(param, { maxLength: 3 }),
        fc.oneof(
          { weight: 4, arbitrary: fc.constant(true) },
          { weight: 1, arbitrary: fc.constant(false) },
        ),
      )
      .map(([first, rest, keep]) => (keep ? [first, ...rest] : rest)),
    apiKey: credential("{api_key}", ["{other_api_key}", "BLT0000000000000000"]),
    token: credential("{delivery_token}", ["{other_delivery_token}", "{token}", ""]),
  }),
  request: ({ one, pairs, apiKey, token }, f) => {
    const path = one === null ? "/v3/assets" : `/v3/assets/${fillPlaceholders(one, f.values)}`;
    const query = new URLSearchParams(pairs.map(([k, v]) => [k, fillPlaceholders(v, f.values)]));
    const headers: Record<string, string> = { api_key: fillPlaceholders(apiKey, f.values) };
    if (token !== "") headers.access_token = fillPlaceholders(token, f.values);
    return new Request(`https://${DELIVERY_HOST}${path}?${query}`, { headers });
  },
  fields: PARAMS,
  statuses: [401, 403, 404, 412],
  async accepted({ one, pairs, apiKey, token }, answer, ctx) {
    // Only this stack's delivery token with its key, reading the environment in its scope.
    expect([apiKey, token]).toEqual(["{api_key}", "{delivery_token}"]);
    const environments = pairs.filter(([k]) => k === "environment").map(([, v]) => v);
    expect(environments.map((n) => wellFormed(n).normalize("NFC"))).toEqual(["production"]);
    // One rule on both hosts: numbers in digits, and no parameter given twice.
    // (One asset's route takes only `version` of them; it ignores the listing's, as the CDA does.)
    const numbers = one === null ? ["skip", "limit", "version"] : ["version"];
    for (const [name, value] of pairs) {
      if (numbers.includes(name)) expect(value, name).toMatch(DIGITS);
    }
    const names = pairs.map(([k]) => k).filter((k) => PARAMS.includes(k));
    expect(new Set(names).size, "a parameter given twice").toBe(names.length);
    const production = ctx.fixture.values.env_uid;
    const body = answer.body as { asset?: Record<string, unknown>; assets?: unknown[] };
    const assets = (one === null ? body.assets : [body.asset]) as {
      uid: string;
      publish_details: { environment: string };
    }[];
    for (const asset of assets) expect(asset.publish_details.environment).toBe(production);
    if (one !== null) expect(assets[0]?.uid).toBe(fillPlaceholders(one, ctx.fixture.values));
    return "read";
  },
});

const fileEnvironments = surface<{ permanent: boolean; pairs: [string, string][] }>({
  name: "?environment= on the public file URLs",
  runs: 80,
  input: fc.record({
    permanent: fc.boolean(),
    pairs: fc
      .tuple(
        fc.array(fc.tuple(fc.constant("environment"), environmentName), {
          minLength: 1,
          maxLength: 2,
        }),
        fc.array(
          fc.tuple(
            fc.constantFrom("dl", "width", "format", "version", "x"),
            fc.constantFrom("", "1", "true", "webp", "a.txt"),
          ),
          { maxLength: 2 },
        ),
      )
      .map(([environments, others]) => [...environments, ...others]),
  }),
  request: ({ permanent, pairs }, f) => {
    const url = (permanent ? f.assetA.permanent_url : f.assetA.url) as string;
    const query = new URLSearchParams(pairs.map(([k, v]) => [k, fillPlaceholders(v, f.values)]));
    return new Request(`${url}?${query}`);
  },
  fields: ["environment", "dl", "width", "format", "version", "x"],
  statuses: [404],
  async accepted({ pairs }, answer) {
    // Production holds version 1 of asset A: its bytes, whichever URL asked for it.
    const environments = pairs.filter(([k]) => k === "environment").map(([, v]) => v);
    expect(environments.map((n) => wellFormed(n).normalize("NFC"))).toEqual(["production"]);
    if (answer.headers.get("content-type")?.startsWith("text/")) {
      expect(new TextDecoder().decode(answer.bytes)).toBe(FIXTURE_BYTES);
    }
    return "read";
  },
});

export const EDGE_SURFACES: Surface<unknown>[] = [contentDelivery, fileEnvironments];
