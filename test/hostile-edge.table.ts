// Hostile cases for what the public host reads since publishing (issue 17): the Content Delivery
// API's credentials, scopes and parameters, `?environment=` on both file URLs, and the management
// host's download with an environment. Each must be a clear 4xx naming what is wrong where it can;
// hostile-edge.test.ts checks that none changes a stored record.
//
// Placeholders: {api_key} and {other_api_key} the two stacks; {token} the stack's delivery token
// (scoped to production), {other_token} the other stack's (scoped to its production), {staging_token}
// one scoped to staging only, {management} the stack's management token; {uid} an asset published
// to production (version 1, with the permanent URL "hero"), {other_uid} the other stack's asset
// published to its production; {v1} and {v2} the asset's versioned URL paths; {env_uid} the
// stack's production uid; {long} 10,000 letters.

/** Who sends it: the public host with these headers, or the management host with a token. */
export type Host = "public" | "management";

export interface EdgeCase {
  name: string;
  host: Host;
  method?: string;
  path: string;
  headers: Record<string, string>;
  expect: { status: number; errorCode: number; field?: string };
}

const ME = { api_key: "{api_key}", access_token: "{token}" };
const unknownKey = { status: 412, errorCode: 109 };
const noToken = { status: 401, errorCode: 175 };
const outOfScope = { status: 403, errorCode: 176 };
const notFound = { status: 404, errorCode: 145 };
const nothing = { status: 404, errorCode: 404 };
const invalid = (field: string) => ({ status: 422, errorCode: 141, field });

const cda = (
  name: string,
  path: string,
  expect: EdgeCase["expect"],
  headers: Record<string, string> = ME,
  method = "GET",
): EdgeCase => ({ name, host: "public", method, path, headers, expect });

const listing = (name: string, query: string, field: string) =>
  cda(name, `/v3/assets?environment=production&${query}`, invalid(field));

const file = (name: string, path: string, expect: EdgeCase["expect"] = nothing): EdgeCase => ({
  name,
  host: "public",
  path,
  headers: {},
  expect,
});

const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));

export const EDGE_CASES: EdgeCase[] = [
  // Credentials of the Content Delivery API.
  cda("no api_key", "/v3/assets?environment=production", unknownKey, { access_token: "{token}" }),
  cda("an api_key in capitals", "/v3/assets?environment=production", unknownKey, {
    api_key: "BLT0000000000000000",
    access_token: "{token}",
  }),
  cda("another stack's api_key with this token", "/v3/assets?environment=production", noToken, {
    api_key: "{other_api_key}",
    access_token: "{token}",
  }),
  cda("another stack's token with this api_key", "/v3/assets?environment=production", noToken, {
    api_key: "{api_key}",
    access_token: "{other_token}",
  }),
  cda("the management token as access_token", "/v3/assets/{uid}?environment=production", noToken, {
    api_key: "{api_key}",
    access_token: "{management}",
  }),
  cda("the management token as authorization", "/v3/assets?environment=production", noToken, {
    api_key: "{api_key}",
    authorization: "{management}",
  }),
  cda("10,000 characters of token", "/v3/assets?environment=production", noToken, {
    api_key: "{api_key}",
    access_token: "{long}",
  }),
  cda("the token's own SHA-256 as the token", "/v3/assets?environment=production", noToken, {
    api_key: "{api_key}",
    access_token: "{token_hash}",
  }),
  // Environments and scopes.
  cda("no environment", "/v3/assets", invalid("environment")),
  cda("an empty environment", "/v3/assets/{uid}?environment=", invalid("environment")),
  cda("an environment outside the scope", "/v3/assets?environment=production", outOfScope, {
    api_key: "{api_key}",
    access_token: "{staging_token}",
  }),
  cda("the environment's uid for its name", "/v3/assets?environment={env_uid}", outOfScope),
  cda("__proto__ as environment", "/v3/assets?environment=__proto__", outOfScope),
  cda("constructor as environment", "/v3/assets/{uid}?environment=constructor", outOfScope),
  cda("10,000 characters of environment", "/v3/assets?environment={long}", outOfScope),
  cda("the name in other case", "/v3/assets?environment=Production", outOfScope),
  // Found by the fuzzer (issue 20): a second environment was ignored, the first read; a repeated
  // parameter is a 422 naming it, as on the management host.
  cda(
    "a second environment after a refused one",
    "/v3/assets?environment=staging&environment=production",
    invalid("environment"),
  ),
  cda(
    "the environment twice",
    "/v3/assets/{uid}?environment=production&environment=production",
    invalid("environment"),
  ),
  listing("skip twice", "skip=0&skip=1", "skip"),
  listing("a parameter the CDA ignores, twice", "colour=1&colour=2", "colour"),
  // Found by the fuzzer (issue 20): numbers Number() reads but no client means; digits only, as
  // on the management host.
  listing("skip=1e3", "skip=1e3", "skip"),
  listing("limit=0x10", "limit=0x10", "limit"),
  listing("limit=%201", "limit=%201", "limit"),
  listing("limit=01", "limit=01", "limit"),
  listing("an empty skip", "skip=", "skip"),
  cda("version=1.0", "/v3/assets/{uid}?environment=production&version=1.0", invalid("version")),
  // One asset.
  cda("another stack's published asset", "/v3/assets/{other_uid}?environment=production", notFound),
  cda("not an asset uid", "/v3/assets/not-a-uid?environment=production", notFound),
  cda("a NUL in the uid", "/v3/assets/blt%0000000000000000?environment=production", notFound),
  cda("a version not published", "/v3/assets/{uid}?environment=production&version=2", notFound),
  cda("version 0", "/v3/assets/{uid}?environment=production&version=0", invalid("version")),
  cda("version -1", "/v3/assets/{uid}?environment=production&version=-1", invalid("version")),
  cda("version 1.5", "/v3/assets/{uid}?environment=production&version=1.5", invalid("version")),
  cda(
    "a version past every safe integer",
    "/v3/assets/{uid}?environment=production&version=99999999999999999999",
    invalid("version"),
  ),
  cda(
    "a locale in capitals",
    "/v3/assets/{uid}?environment=production&locale=EN-US",
    invalid("locale"),
  ),
  cda(
    "a locale of 300 letters",
    `/v3/assets/{uid}?environment=production&locale=${"a".repeat(300)}`,
    invalid("locale"),
  ),
  cda(
    "relative_urls=yes",
    "/v3/assets/{uid}?environment=production&relative_urls=yes",
    invalid("relative_urls"),
  ),
  // The listing's parameters.
  listing("limit 0", "limit=0", "limit"),
  listing("limit 101", "limit=101", "limit"),
  listing("limit 1e9", "limit=1e9", "limit"),
  listing("a negative skip", "skip=-1", "skip"),
  listing("skip past a million", "skip=10000000", "skip"),
  listing("skip as words", "skip=ten", "skip"),
  listing("include_count=1", "include_count=1", "include_count"),
  listing("asc on uid", "asc=uid", "asc"),
  listing("asc and desc", "asc=title&desc=title", "asc"),
  listing("a query that is not JSON", "query={title", "query"),
  listing("a query that is an array", `query=${q(["title"])}`, "query"),
  listing("$where", `query=${q({ $where: "sleep(1000)" })}`, "query"),
  listing("$or", `query=${q({ $or: [{ title: "a" }, { title: "b" }] })}`, "query"),
  listing("a nested quantifier", `query=${q({ title: { $regex: "(a+)+$" } })}`, "query"),
  listing(
    "SQL in a field name",
    `query=${q({ "title; DROP TABLE published_assets": "x" })}`,
    "query",
  ),
  listing(
    "21 tags in $in",
    `query=${q({ tags: { $in: Array.from({ length: 21 }, (_, i) => `t${i}`) } })}`,
    "query",
  ),
  listing("a query of 5,000 characters", `query=${q({ title: "x".repeat(5000) })}`, "query"),
  listing("a locale with a slash", "locale=en/us", "locale"),
  cda("POST", "/v3/assets?environment=production", { status: 405, errorCode: 151 }, ME, "POST"),
  cda(
    "DELETE one",
    "/v3/assets/{uid}?environment=production",
    { status: 405, errorCode: 151 },
    ME,
    "DELETE",
  ),
  // ?environment= on the file URLs.
  file(
    "the permanent URL with the environment's uid",
    "/v3/assets/{api_key}/{uid}/hero?environment={env_uid}",
  ),
  file("the permanent URL with __proto__", "/v3/assets/{api_key}/{uid}/hero?environment=__proto__"),
  file(
    "the permanent URL with 10,000 characters",
    "/v3/assets/{api_key}/{uid}/hero?environment={long}",
  ),
  file("the permanent URL with a broken escape", "/v3/assets/{api_key}/{uid}/hero?environment=%ZZ"),
  file(
    "another stack's asset with this stack's environment",
    "/v3/assets/{api_key}/{other_uid}/hero?environment=production",
  ),
  file("a version the environment does not hold", "{v2}?environment=production"),
  file("a versioned URL with the environment of nothing", "{v1}?environment=staging"),
  // Found by the fuzzer (issue 20): the first environment was served; now a 400 naming it, as a
  // repeated image parameter or ?dl is.
  file(
    "the permanent URL with the environment twice",
    "/v3/assets/{api_key}/{uid}/hero?environment=production&environment=staging",
    { status: 400, errorCode: 174, field: "environment" },
  ),
  file(
    "a versioned URL with the environment twice",
    "{v1}?environment=staging&environment=production",
    {
      status: 400,
      errorCode: 174,
      field: "environment",
    },
  ),
  file(
    "an environment with a bad image parameter",
    "/v3/assets/{api_key}/{uid}/hero?environment=production&width=-5",
    {
      status: 400,
      errorCode: 170,
    },
  ),
  // The management host's download.
  {
    name: "the download with another stack's environment",
    host: "management",
    path: "/v3/assets/{api_key}/{uid}/hero?environment=elsewhere",
    headers: {},
    expect: { status: 404, errorCode: 162 },
  },
  {
    name: "the download with 10,000 characters of environment",
    host: "management",
    path: "/v3/assets/{api_key}/{uid}/hero?environment={long}",
    headers: {},
    expect: { status: 404, errorCode: 162 },
  },
];
