// Hostile cases for environments and delivery tokens (issue 17): junk names and URLs, scopes that
// try to write, to read another stack's environment or a thousand of them, tokens of the wrong
// kind, another tenant's records, and malformed bodies and listings. Each must be a clear 4xx
// that changes nothing (hostile-publishing.test.ts checks the stored state after each).
//
// Placeholders: {env_uid} the stack's "production"; {other_env_uid} the other stack's
// "production"; {token_uid} the stack's delivery token (scoped to production), {other_token_uid}
// the other stack's; {delivery_token} the stack's delivery token itself.

export type Auth = "stack" | "none" | "other" | "cross" | "admin" | "delivery";

export interface PublishingCase {
  name: string;
  method: string;
  path: string;
  auth: Auth;
  /** JSON (serialised), or raw text sent with Content-Type: application/json. */
  body?: unknown;
  raw?: string;
  expect: { status: number; errorCode: number; field?: string };
}

const invalid = (field: string) => ({ status: 422, errorCode: 141, field });
const unauthorized = { status: 401, errorCode: 105 };
const envMissing = { status: 404, errorCode: 162 };
const tokenMissing = { status: 404, errorCode: 163 };

const ENVS = "/v3/environments";
const TOKENS = "/v3/stacks/delivery_tokens";

const createEnv = (name: string, environment: unknown, field: string): PublishingCase => ({
  name,
  method: "POST",
  path: ENVS,
  auth: "stack",
  body: { environment },
  expect: invalid(field),
});

const scope = (environments: unknown, extra: Record<string, unknown> = {}) => [
  { module: "environment", environments, acl: { read: true }, ...extra },
];

const createToken = (name: string, token: unknown, field = "scope"): PublishingCase => ({
  name,
  method: "POST",
  path: TOKENS,
  auth: "stack",
  body: { token },
  expect: invalid(field),
});

const thousand = Array.from({ length: 1000 }, (_, i) => `env-${i}`);

export const PUBLISHING_CASES: PublishingCase[] = [
  // Who may manage environments and tokens.
  {
    name: "environments without credentials",
    method: "GET",
    path: ENVS,
    auth: "none",
    expect: unauthorized,
  },
  {
    name: "environments with another stack's token",
    method: "GET",
    path: ENVS,
    auth: "cross",
    expect: unauthorized,
  },
  {
    name: "environments with the ADMIN_TOKEN",
    method: "POST",
    path: ENVS,
    auth: "admin",
    body: { environment: { name: "x" } },
    expect: unauthorized,
  },
  {
    name: "environments with a delivery token",
    method: "POST",
    path: ENVS,
    auth: "delivery",
    body: { environment: { name: "x" } },
    expect: unauthorized,
  },
  {
    name: "tokens with a delivery token",
    method: "GET",
    path: TOKENS,
    auth: "delivery",
    expect: unauthorized,
  },
  {
    name: "tokens with the ADMIN_TOKEN",
    method: "POST",
    path: TOKENS,
    auth: "admin",
    body: { token: { name: "x", scope: scope(["production"]) } },
    expect: unauthorized,
  },
  {
    name: "tokens without credentials",
    method: "DELETE",
    path: `${TOKENS}/{token_uid}`,
    auth: "none",
    expect: unauthorized,
  },

  // Environment names and fields.
  createEnv("an empty name", { name: "   " }, "name"),
  createEnv("a 101-character name", { name: "n".repeat(101) }, "name"),
  createEnv("a name with a NUL", { name: "prod\u0000uction" }, "name"),
  createEnv("a name with a line break", { name: "prod\nuction" }, "name"),
  createEnv("a name with a C1 control", { name: "prod\u0085" }, "name"),
  createEnv("a name with a lone surrogate", { name: "prod\ud800" }, "name"),
  createEnv("a name that is a number", { name: 42 }, "name"),
  createEnv("a taken name", { name: "production" }, "name"),
  createEnv("a taken name in another Unicode form", { name: "Cafe\u0301" }, "name"),
  createEnv("an unknown field", { name: "x", uid: "blt0000000000000000" }, "uid"),
  createEnv("urls that are not a list", { name: "x", urls: "https://a.example" }, "urls"),
  createEnv(
    "a javascript: URL",
    { name: "x", urls: [{ locale: "en-us", url: "javascript:alert(1)" }] },
    "url",
  ),
  createEnv("a relative URL", { name: "x", urls: [{ locale: "en-us", url: "/site" }] }, "url"),
  createEnv(
    "a 2,000-character URL",
    { name: "x", urls: [{ locale: "en-us", url: `https://a.example/${"a".repeat(2000)}` }] },
    "url",
  ),
  createEnv(
    "an upper-case locale",
    { name: "x", urls: [{ locale: "EN-US", url: "https://a.example" }] },
    "locale",
  ),
  createEnv(
    "a locale with a path",
    { name: "x", urls: [{ locale: "en/../us", url: "https://a.example" }] },
    "locale",
  ),
  createEnv(
    "one locale twice",
    {
      name: "x",
      urls: [
        { locale: "en-us", url: "https://a.example" },
        { locale: "en-us", url: "https://b.example" },
      ],
    },
    "urls",
  ),
  createEnv(
    "51 URLs",
    {
      name: "x",
      urls: Array.from({ length: 51 }, (_, i) => ({
        locale: `ab-${String(i).padStart(2, "0")}`,
        url: "https://a.example",
      })),
    },
    "urls",
  ),
  createEnv("deploy_content as text", { name: "x", deploy_content: "yes" }, "deploy_content"),
  createEnv("a server without a name", { name: "x", servers: [{}] }, "name"),
  {
    name: "a body that is a list",
    method: "POST",
    path: ENVS,
    auth: "stack",
    body: [{ environment: { name: "x" } }],
    expect: invalid("body"),
  },
  {
    name: "a body that is not JSON",
    method: "POST",
    path: ENVS,
    auth: "stack",
    raw: "{environment: ",
    expect: { status: 400, errorCode: 148 },
  },
  {
    name: "a body past 64 KiB",
    method: "POST",
    path: ENVS,
    auth: "stack",
    body: { environment: { name: "n".repeat(70_000) } },
    expect: { status: 413, errorCode: 149 },
  },

  // Renames, other tenants, and addresses that are no environment.
  {
    name: "a rename to a taken name",
    method: "PUT",
    path: `${ENVS}/staging`,
    auth: "stack",
    body: { environment: { name: "production" } },
    expect: invalid("name"),
  },
  {
    name: "another environment's uid sent back",
    method: "PUT",
    path: `${ENVS}/staging`,
    auth: "stack",
    body: { environment: { uid: "{env_uid}", name: "renamed" } },
    expect: invalid("uid"),
  },
  {
    name: "another stack's environment renamed",
    method: "PUT",
    path: `${ENVS}/only-theirs`,
    auth: "stack",
    body: { environment: { name: "mine" } },
    expect: envMissing,
  },
  {
    name: "another stack's environment deleted",
    method: "DELETE",
    path: `${ENVS}/only-theirs`,
    auth: "stack",
    expect: envMissing,
  },
  {
    name: "an environment addressed by its uid",
    method: "DELETE",
    path: `${ENVS}/{env_uid}`,
    auth: "stack",
    expect: envMissing,
  },
  {
    name: "a broken percent-encoding",
    method: "GET",
    path: `${ENVS}/%E0%A4%A`,
    auth: "stack",
    expect: envMissing,
  },
  {
    name: "a listing limit of 1,000",
    method: "GET",
    path: `${ENVS}?limit=1000`,
    auth: "stack",
    expect: invalid("limit"),
  },
  {
    name: "a negative skip",
    method: "GET",
    path: `${ENVS}?skip=-1`,
    auth: "stack",
    expect: invalid("skip"),
  },
  {
    name: "a query that is not JSON",
    method: "GET",
    path: `${ENVS}?query=name`,
    auth: "stack",
    expect: invalid("query"),
  },
  {
    name: "a query with $where",
    method: "GET",
    path: `${ENVS}?query=${encodeURIComponent('{"$where": "1"}')}`,
    auth: "stack",
    expect: invalid("query"),
  },
  {
    name: "a query on a name that is an object",
    method: "GET",
    path: `${TOKENS}?query=${encodeURIComponent('{"name": {"$ne": ""}}')}`,
    auth: "stack",
    expect: invalid("query"),
  },

  // Delivery-token scopes.
  createToken("no scope", { name: "x" }),
  createToken("an empty scope", { name: "x", scope: [] }),
  createToken("a scope that is text", { name: "x", scope: "production" }),
  createToken("a scope that writes", {
    name: "x",
    scope: scope(["production"], { acl: { read: true, write: true } }),
  }),
  createToken("a scope that does not read", {
    name: "x",
    scope: scope(["production"], { acl: { read: false } }),
  }),
  createToken("a branch other than main", {
    name: "x",
    scope: [
      ...scope(["production"]),
      { module: "branch", branches: ["develop"], acl: { read: true } },
    ],
  }),
  createToken("a content-type module", {
    name: "x",
    scope: [...scope(["production"]), { module: "content_type", acl: { read: true } }],
  }),
  createToken("two environment modules", {
    name: "x",
    scope: [...scope(["production"]), ...scope(["staging"])],
  }),
  createToken("no environment", { name: "x", scope: scope([]) }),
  createToken("a thousand environments", { name: "x", scope: scope(thousand) }),
  createToken("another stack's environment by uid", {
    name: "x",
    scope: scope([{ uid: "{other_env_uid}" }]),
  }),
  createToken("an environment the stack does not have", {
    name: "x",
    scope: scope(["only-theirs"]),
  }),
  createToken("an environment object with an unknown field", {
    name: "x",
    scope: scope([{ name: "production", $where: "1" }]),
  }),
  createToken("an environment that is a number", { name: "x", scope: scope([7]) }),
  createToken("an empty token name", { name: "", scope: scope(["production"]) }, "name"),
  createToken(
    "a token chosen by the client",
    { name: "x", token: "cs00000000000000000000000000000000", scope: scope(["production"]) },
    "token",
  ),
  {
    name: "another stack's token changed",
    method: "PUT",
    path: `${TOKENS}/{other_token_uid}`,
    auth: "stack",
    body: { token: { name: "mine" } },
    expect: tokenMissing,
  },
  {
    name: "another stack's token revoked",
    method: "DELETE",
    path: `${TOKENS}/{other_token_uid}`,
    auth: "stack",
    expect: tokenMissing,
  },
  {
    name: "a token addressed by the token itself",
    method: "DELETE",
    path: `${TOKENS}/{delivery_token}`,
    auth: "stack",
    expect: tokenMissing,
  },
  {
    name: "another token's uid sent back",
    method: "PUT",
    path: `${TOKENS}/{token_uid}`,
    auth: "stack",
    body: { token: { uid: "{other_token_uid}", name: "x" } },
    expect: invalid("uid"),
  },
  {
    name: "a scope change to another stack's environment",
    method: "PUT",
    path: `${TOKENS}/{token_uid}`,
    auth: "stack",
    body: { token: { scope: scope([{ uid: "{other_env_uid}" }]) } },
    expect: invalid("scope"),
  },
];
