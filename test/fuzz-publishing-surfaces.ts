// Publishing's input surfaces on the management host, as the fuzzer's table (fuzz-surface.ts):
// environment bodies and names, publish and unpublish bodies (environments, locales, version,
// scheduled_at), bulk bodies, delivery-token bodies and the two small listings. What the
// fixture holds for them (environments, a delivery token, a publication) is seeded by
// fuzz-publishing-state.ts.

import fc from "fast-check";
import { expect } from "vitest";
import { numberText, numberValue, storedLine, text, wellFormed } from "./fuzz-inputs";
import { type FuzzContext, type Outcome, surface } from "./fuzz-surface";
import { auth, fillPlaceholders, fillPlaceholdersDeep, ORIGIN } from "./helpers";
import type { Fixture } from "./stored-state";

const send = (f: Fixture, method: string, path: string, value?: unknown) =>
  new Request(`${ORIGIN}${path}`, {
    method,
    headers: auth(f.stack, { "content-type": "application/json" }),
    ...(value === undefined ? {} : { body: JSON.stringify(fillPlaceholdersDeep(value, f.values)) }),
  });

async function expectStatus(ctx: FuzzContext, request: Request, status: number) {
  const answer = await ctx.send(request);
  expect(answer.status, `${request.method} ${request.url}`).toBe(status);
  return answer.body as Record<string, unknown>;
}

/** Keys no body of these routes knows: each must be refused by its own name. */
const UNKNOWN_KEYS = ["uid", "colour", "__proto__", "constructor", "environment_uid"];
/** One body in six gets a key the route does not know. */
const withUnknown = <T extends object>(arb: fc.Arbitrary<T>) =>
  fc
    .tuple(
      arb,
      fc.oneof(
        { weight: 5, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.constantFrom(...UNKNOWN_KEYS) },
      ),
    )
    .map(([body, key]) => (key === null ? body : { ...body, [key]: "x" }));
/** Three times in four something the route takes, else something hostile. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: hostile });
/** A name a person would give (so that accepted writes are tried too), or hostile text. */
const nameText = (limit: number) =>
  mostly(fc.stringMatching(/^[A-Za-z\u00e9][A-Za-z0-9 _.\u00e9-]{0,15}$/), text(12, limit));

// ---- Environments -----------------------------------------------------------------------------

const localeCode = mostly(
  fc.constantFrom("en-us", "fr-fr", "de", "zh-hant-tw"),
  fc.oneof(fc.constantFrom("EN-US", "en_us", "e", "en/../us", ""), text(6, 35)),
);
const siteUrl = mostly(
  fc.constantFrom("https://a.example", "http://a.example/x?y#z"),
  fc.oneof(
    fc.constantFrom(
      "javascript:alert(1)",
      "/site",
      "ftp://a.example",
      `https://a.example/${"a".repeat(1010)}`,
    ),
    text(12),
  ),
);

const environmentBody = withUnknown(
  fc.record(
    {
      name: mostly(nameText(100), fc.constantFrom("production", "Cafe\u0301", 42, null)),
      urls: mostly(
        fc.array(fc.record({ locale: localeCode, url: siteUrl }), { maxLength: 2 }),
        fc.constantFrom("https://a.example", null),
      ),
      servers: fc.array(fc.record({ name: nameText(255) }), { maxLength: 2 }),
      deploy_content: mostly(fc.boolean(), fc.constantFrom("true", 1)),
    },
    { requiredKeys: ["name"] },
  ),
);

const ENVIRONMENT_FIELDS = [
  "body",
  "environment",
  "name",
  "urls",
  "locale",
  "url",
  "servers",
  "deploy_content",
  ...UNKNOWN_KEYS,
];

const environments = surface<Record<string, unknown>>({
  name: "environments (create bodies)",
  // Fewer: each accepted create, and its delete, rewrites the stack's environment index in KV, one
  // second after the last write (KV's limit for one key), and waits for it.
  runs: 24,
  input: environmentBody,
  request: (environment, f) => send(f, "POST", "/v3/environments", { environment }),
  fields: ENVIRONMENT_FIELDS,
  async accepted(input, answer, ctx) {
    const created = (answer.body as { environment: Record<string, unknown> }).environment;
    expect(created.name).toBe(storedLine(String(input.name)));
    expect(created.urls).toEqual(input.urls ?? []);
    expect(created.deploy_content).toBe(input.deploy_content ?? false);
    const path = `/v3/environments/${encodeURIComponent(String(created.name))}`;
    const read = await expectStatus(ctx, send(ctx.fixture, "GET", path), 200);
    expect(read.environment).toEqual(created);
    await expectStatus(ctx, send(ctx.fixture, "DELETE", path), 200);
    return "undone";
  },
});

/** Another name in an environment's URL: a read and an update that only renames it to itself. */
const environmentPaths = surface<[string, boolean]>({
  name: "environment names in the URL",
  runs: 40,
  input: fc.tuple(
    fc.oneof(
      fc.constantFrom("production", "Production", "production ", "Cafe\u0301", "Caf\u00e9", "%2e"),
      fc.constantFrom("{env_uid}", "{other_env_uid}", "..", "a/b", "only-theirs"),
      text(10, 100).map(wellFormed),
    ),
    fc.boolean(),
  ),
  request: ([name, update], f) => {
    const path = `/v3/environments/${encodeURIComponent(fillPlaceholders(name, f.values))}`;
    return update
      ? send(f, "PUT", path, { environment: { deploy_content: false } })
      : send(f, "GET", path);
  },
  fields: ["name", "environment"],
  statuses: [404],
  async accepted([name, update], answer) {
    // Only the stack's own environments are found, by their name in NFC.
    const { environment } = answer.body as { environment: { name: string } };
    expect(["production", "staging", "Caf\u00e9"]).toContain(environment.name);
    expect(name.normalize("NFC")).toBe(environment.name);
    return update ? "changed" : "read";
  },
});

const smallListings = surface<[string, [string, string][]]>({
  name: "environment and delivery-token listings",
  runs: 40,
  input: fc.tuple(
    fc.constantFrom("/v3/environments", "/v3/stacks/delivery_tokens"),
    fc.array(
      fc.tuple(
        fc.constantFrom("skip", "limit", "include_count", "count", "query", "skip[]"),
        fc.oneof(
          numberText([0, 1, 100, 101]),
          fc.constantFrom("true", "false", '{"name":"production"}', '{"name":{"$ne":1}}', "{}"),
          fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
          text(12, 1024),
        ),
      ),
      { maxLength: 4 },
    ),
  ),
  request: ([path, pairs], f) => send(f, "GET", `${path}?${new URLSearchParams(pairs)}`),
  fields: ["skip", "limit", "include_count", "count", "query", "skip[]"],
  async accepted([path, pairs], answer) {
    const key = path.endsWith("environments") ? "environments" : "tokens";
    const list = (answer.body as Record<string, unknown>)[key];
    if (pairs.some(([k, v]) => k === "count" && v === "true")) expect(typeof list).toBe("number");
    else expect(Array.isArray(list)).toBe(true);
    return "read";
  },
});

// ---- Publish, unpublish and bulk bodies -----------------------------------------------------

const environmentName = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom("production", "staging", "Cafe\u0301") },
  {
    weight: 2,
    arbitrary: fc.constantFrom("{env_uid}", "{other_env_uid}", "only-theirs", "Production", ""),
  },
  { weight: 1, arbitrary: text(8, 100) },
  { weight: 1, arbitrary: fc.constantFrom(1, null, ["production"]) },
);
const environmentList = mostly(
  fc.array(environmentName, { minLength: 1, maxLength: 3 }),
  fc.constantFrom([], "production", null),
);
const scheduledAt = mostly(
  fc.constantFrom("2030-01-31T09:00:00Z", "2030-01-31T09:00:00+05:30"),
  fc.oneof(
    fc.constantFrom(
      "2030-01-31T09:00:00",
      "2030-02-30T09:00:00Z",
      "2020-01-01T00:00:00Z",
      "2040-01-01T00:00:00Z",
      "+275760-09-13T00:00:00.000Z",
      "tomorrow",
      "",
    ),
    text(10, 64),
  ),
);
const version = mostly(
  fc.constantFrom(1, "1"),
  fc.oneof(numberValue([1, 2]), fc.constantFrom("01", "1e0", " 1", "2")),
);
const localeList = mostly(
  fc.array(localeCode, { maxLength: 3 }),
  fc.array(fc.constant("en-us"), { minLength: 50, maxLength: 51 }),
);

interface PublishInput {
  action: "publish" | "unpublish";
  asset: string;
  body: unknown;
}

const publishBody = fc.oneof(
  {
    weight: 6,
    arbitrary: withUnknown(
      fc.record(
        {
          asset: fc.record(
            { environments: environmentList, locales: localeList },
            { requiredKeys: ["environments"] },
          ),
          locale: localeCode,
          version,
          scheduled_at: scheduledAt,
        },
        { requiredKeys: ["asset"] },
      ),
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

const PUBLISH_FIELDS = [
  "body",
  "asset",
  "environments",
  "locales",
  "locale",
  "version",
  "scheduled_at",
  ...UNKNOWN_KEYS,
];

const publications = surface<PublishInput>({
  name: "publish and unpublish bodies",
  // Fewer: a publish that changes what an environment holds writes the asset's KV record, one
  // second after the last (KV's limit for one key), and waits for it.
  runs: 30,
  input: fc.record({
    action: fc.constantFrom("publish", "unpublish"),
    asset: fc.oneof(
      { weight: 5, arbitrary: fc.constant("{bare_uid}") },
      { weight: 1, arbitrary: fc.constantFrom("{other_uid}", "blt0000000000000000", "x") },
    ),
    body: publishBody,
  }),
  request: (input, f) =>
    send(
      f,
      "POST",
      `/v3/assets/${fillPlaceholders(input.asset, f.values)}/${input.action}`,
      input.body,
    ),
  fields: PUBLISH_FIELDS,
  statuses: [404],
  async accepted(input, answer, ctx) {
    expect(input.asset).toBe("{bare_uid}");
    return checkPublished(ctx, input.action, input.body as PublishRequest, answer.body);
  },
});

interface PublishRequest {
  asset: { environments: string[]; locales?: string[] };
  locale?: string;
  version?: number | string;
  scheduled_at?: string;
}

/** A publish or unpublish answered 200: the asset shows it, or the queue holds it. */
async function checkPublished(
  ctx: FuzzContext,
  action: PublishInput["action"],
  body: PublishRequest,
  answer: unknown,
): Promise<Outcome> {
  const f = ctx.fixture;
  const queued = (answer as { publish_queue_uid?: string }).publish_queue_uid;
  if (body.scheduled_at !== undefined) {
    expect(typeof queued).toBe("string");
    const entry = await expectStatus(ctx, send(f, "GET", `/v3/publish-queue/${queued}`), 200);
    expect(JSON.stringify(entry)).toContain(f.assetB.uid);
    return "changed";
  }
  expect(queued).toBeUndefined();
  const named = [...(body.asset.locales ?? []), ...(body.locale ? [body.locale] : [])];
  const locales = named.length > 0 ? named : ["en-us"];
  const uids = body.asset.environments.map((n) => f.values[`env:${n.normalize("NFC")}`]);
  const path = `/v3/assets/${f.assetB.uid}?include_publish_details=true`;
  const { asset } = (await expectStatus(ctx, send(f, "GET", path), 200)) as {
    asset: { publish_details: { environment: string; locale: string; version: number }[] };
  };
  for (const environment of uids) {
    for (const locale of locales) {
      const detail = asset.publish_details.find(
        (d) => d.environment === environment && d.locale === locale,
      );
      if (action === "unpublish") expect(detail, `${environment} ${locale}`).toBeUndefined();
      else expect(detail?.version, `${environment} ${locale}`).toBe(Number(body.version ?? 1));
    }
  }
  return "changed";
}

const bulk = surface<{ action: string; body: unknown }>({
  name: "bulk publish and unpublish bodies",
  runs: 30,
  input: fc.record({
    action: fc.constantFrom("publish", "unpublish"),
    body: fc.oneof(
      {
        weight: 6,
        arbitrary: withUnknown(
          fc.record(
            {
              assets: mostly(
                fc.uniqueArray(
                  fc.record(
                    {
                      uid: mostly(
                        fc.constantFrom("{bare_uid}", "{image_uid}"),
                        fc.constantFrom("{other_uid}", "blt0000000000000000", "x"),
                      ),
                      version,
                    },
                    { requiredKeys: ["uid"] },
                  ),
                  { minLength: 1, maxLength: 3, selector: (a) => a.uid },
                ),
                fc.constantFrom([], "{bare_uid}", null, [
                  { uid: "{bare_uid}" },
                  { uid: "{bare_uid}" },
                ]),
              ),
              entries: mostly(fc.constant([]), fc.constant([{ uid: "x" }])),
              environments: environmentList,
              locales: localeList,
              scheduled_at: scheduledAt,
            },
            { requiredKeys: ["assets", "environments"] },
          ),
        ),
      },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    ),
  }),
  request: ({ action, body }, f) => send(f, "POST", `/v3/bulk/${action}`, body),
  fields: [...PUBLISH_FIELDS, "assets", "uid", "entries"],
  async accepted({ body }, answer, ctx) {
    const { assets } = body as { assets: { uid: string }[] };
    const { assets: results } = answer.body as { assets: { uid: string }[] };
    expect(results.map((r) => r.uid)).toEqual(
      assets.map((a) => fillPlaceholders(a.uid, ctx.fixture.values)),
    );
    return "changed";
  },
});

// ---- Delivery tokens ------------------------------------------------------------------------

const scopeItem = mostly(
  fc.constant({ module: "environment", environments: ["staging"], acl: { read: true } }),
  fc.record(
    {
      module: fc.constantFrom("environment", "Environment", "branch", "asset", ""),
      environments: fc.oneof(
        fc.array(
          fc.oneof(
            environmentName,
            fc.record({ uid: fc.constantFrom("{env_uid}", "{other_env_uid}", "x") }),
            fc.record({ name: environmentName }),
          ),
          { maxLength: 3 },
        ),
        fc.constant(Array.from({ length: 101 }, (_, i) => `env-${i}`)),
      ),
      branches: fc.constantFrom(["main"], ["dev"], [], "main"),
      acl: fc.constantFrom({ read: true }, { read: true, write: true }, { read: false }, {}, null),
    },
    { requiredKeys: ["module"] },
  ),
);

const tokens = surface<Record<string, unknown>>({
  name: "delivery-token bodies",
  // Fewer, as for environments: an accepted token writes its grant in KV and waits for it.
  runs: 30,
  input: withUnknown(
    fc.record(
      {
        name: mostly(nameText(255), fc.constantFrom(42, null)),
        description: mostly(nameText(4096), text(20, 4096)),
        scope: fc.oneof(
          { weight: 3, arbitrary: fc.array(scopeItem, { maxLength: 3 }) },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
          {
            weight: 2,
            arbitrary: fc.constant([
              { module: "environment", environments: ["production"], acl: { read: true } },
            ]),
          },
        ),
      },
      { requiredKeys: ["scope"] },
    ),
  ),
  request: (token, f) => send(f, "POST", "/v3/stacks/delivery_tokens", { token }),
  fields: ["body", "token", "name", "description", "scope", ...UNKNOWN_KEYS],
  async accepted(input, answer, ctx) {
    const created = (answer.body as { token: Record<string, unknown> }).token;
    expect(created.name).toBe(storedLine(String(input.name)));
    expect(typeof created.token).toBe("string");
    const path = `/v3/stacks/delivery_tokens/${created.uid}`;
    const read = (await expectStatus(ctx, send(ctx.fixture, "GET", path), 200)) as {
      token: Record<string, unknown>;
    };
    const { token: _secret, ...shown } = created;
    expect(read.token).toEqual(shown);
    await expectStatus(ctx, send(ctx.fixture, "DELETE", path), 200);
    return "undone";
  },
});

export const PUBLISHING_SURFACES = [
  environments,
  environmentPaths,
  smallListings,
  publications,
  bulk,
  tokens,
];
