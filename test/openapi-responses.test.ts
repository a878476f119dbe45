// Real answers of the worker checked against the OpenAPI document: each status must be one the
// operation documents, and each JSON body must pass the zod/mini schema its documented $ref
// names (safeParse, strict objects: a missing, extra or mistyped field fails).

import { beforeAll, describe, expect, it } from "vitest";
import { version } from "../package.json";
import { assetSchema } from "../src/http/response-schemas";
import { RESPONSE_SCHEMAS, type ResponseSchemaName } from "../src/openapi/components";
import { openApiDocument } from "../src/openapi/document";
import { refName } from "../src/openapi/json-schemas";
import type { HttpMethod, JsonSchema } from "../src/openapi/types";
import { ADMIN_TOKEN, auth, call, form, type Stack, sha256Hex } from "./helpers";

const doc = openApiDocument(version);

/**
 * Sends a request for a documented operation and checks the answer against the document.
 * `path` is the documented path; `params` fill its {names}. Returns the parsed body.
 */
async function documented<Body = unknown>(
  method: HttpMethod,
  path: string,
  init: RequestInit & { params?: Record<string, string>; query?: string } = {},
) {
  const op = doc.paths[path]?.[method];
  if (!op) throw new Error(`${method} ${path} is not documented`);
  const url = path.replace(/\{([^}]+)\}/g, (_m, name: string) => init.params?.[name] ?? "");
  const res = await call(`${url}${init.query ?? ""}`, { ...init, method: method.toUpperCase() });
  const text = await res.text();
  const response = op.responses[String(res.status)];
  expect(
    response,
    `${method} ${path} answered an undocumented ${res.status}: ${text}`,
  ).toBeDefined();
  const schema = response?.content?.["application/json"]?.schema as JsonSchema | undefined;
  expect(schema, `${res.status} of ${op.operationId} documents no JSON body`).toBeDefined();
  const name = refName(schema ?? {}) as ResponseSchemaName | null;
  expect(name && name in RESPONSE_SCHEMAS, `${op.operationId} ${res.status}: ${name}`).toBe(true);
  const body: unknown = JSON.parse(text);
  const check = RESPONSE_SCHEMAS[name as ResponseSchemaName].safeParse(body);
  expect(check.success, `${op.operationId} ${res.status} is not ${name}: ${text}`).toBe(true);
  return { status: res.status, body: body as Body };
}

let stack: Stack;

beforeAll(async () => {
  const { status, body } = await documented<{
    stack: { api_key: string };
    management_token: { token: string };
  }>("post", "/v3/stacks", {
    headers: { authorization: ADMIN_TOKEN, "content-type": "application/json" },
    body: JSON.stringify({ stack: { name: "Documented" } }),
  });
  expect(status).toBe(201);
  stack = { apiKey: body.stack.api_key, token: body.management_token.token, tokenUid: "" };
});

describe("stack and token answers match the document", () => {
  it("mints and revokes a token", async () => {
    const minted = await documented<{ management_token: { uid: string } }>(
      "post",
      "/v3/stacks/management_tokens",
      {
        headers: { authorization: ADMIN_TOKEN, api_key: stack.apiKey },
      },
    );
    expect(minted.status).toBe(201);
    const uid = minted.body.management_token.uid;
    const params = { token_uid: uid };
    const headers = { authorization: ADMIN_TOKEN, api_key: stack.apiKey };
    const path = "/v3/stacks/management_tokens/{token_uid}";
    expect((await documented("delete", path, { headers, params })).status).toBe(200);
    expect((await documented("delete", path, { headers, params })).status).toBe(404);
  });

  it("refuses a wrong admin token with the documented error", async () => {
    const { status } = await documented("post", "/v3/stacks", {
      headers: { authorization: "wrong", "content-type": "application/json" },
      body: "{}",
    });
    expect(status).toBe(401);
  });
});

describe("asset answers match the document", () => {
  it("upload, read, list, generate the permanent URL, replace, versions, delete", async () => {
    const created = await documented<{ asset: { uid: string } }>("post", "/v3/assets", {
      headers: auth(stack),
      body: form({ "asset[title]": "Doc" }, { name: "doc.txt", bytes: "one", type: "text/plain" }),
    });
    expect(created.status).toBe(201);
    const uid = created.body.asset.uid;
    const params = { uid };

    const raw = await documented("post", "/v3/assets", {
      headers: auth(stack, { "content-type": "text/plain" }),
      query: "?filename=raw.txt",
      body: "raw bytes",
    });
    expect(raw.status).toBe(201);

    expect(
      (await documented("get", "/v3/assets/{uid}", { headers: auth(stack), params })).status,
    ).toBe(200);
    const list = await documented<{ count: number }>("get", "/v3/assets", {
      headers: auth(stack),
      query: "?limit=1",
    });
    expect(list.body.count).toBeGreaterThanOrEqual(2);

    const slug = (value: string) => ({
      headers: auth(stack, { "content-type": "application/json" }),
      params,
      body: JSON.stringify({ asset: { permanent_url: value } }),
    });
    const generated = await documented<{ asset: { permanent_url?: string } }>(
      "put",
      "/v3/assets/{uid}",
      slug("doc-slug"),
    );
    expect(generated.status).toBe(200);
    expect(generated.body.asset.permanent_url).toMatch(/\/doc-slug$/);
    expect((await documented("put", "/v3/assets/{uid}", slug("doc-slug"))).status).toBe(200);
    expect((await documented("put", "/v3/assets/{uid}", slug("other-slug"))).status).toBe(409);
    const invalid = await documented("put", "/v3/assets/{uid}", slug("../escape"));
    expect(invalid.status).toBe(422);
    expect(invalid.body).toHaveProperty("errors.permanent_url");

    const replaced = await documented("put", "/v3/assets/{uid}", {
      headers: auth(stack),
      params,
      body: form({}, { name: "doc.txt", bytes: "two", type: "text/plain" }),
    });
    expect(replaced.status).toBe(200);
    const versions = await documented<{ versions: unknown[] }>("get", "/v3/assets/{uid}/versions", {
      headers: auth(stack),
      params,
    });
    expect(versions.body.versions).toHaveLength(2);

    expect(
      (await documented("delete", "/v3/assets/{uid}", { headers: auth(stack), params })).status,
    ).toBe(200);
    expect(
      (await documented("get", "/v3/assets/{uid}", { headers: auth(stack), params })).status,
    ).toBe(404);
  });

  it("folders, a listing with folders and filters, count=true and ?version= answer as documented", async () => {
    const json = (body: unknown) => ({
      headers: auth(stack, { "content-type": "application/json" }),
      body: JSON.stringify(body),
    });
    const made = await documented<{ asset: { uid: string } }>(
      "post",
      "/v3/assets/folders",
      json({ asset: { name: "Documented" } }),
    );
    expect(made.status).toBe(201);
    const params = { uid: made.body.asset.uid };
    const path = "/v3/assets/folders/{uid}";
    expect((await documented("get", path, { headers: auth(stack), params })).status).toBe(200);
    const renamed = await documented("put", path, {
      ...json({ asset: { name: "Again" } }),
      params,
    });
    expect(renamed.status).toBe(200);
    const cycle = await documented("put", path, {
      ...json({ asset: { parent_uid: params.uid } }),
      params,
    });
    expect(cycle.status).toBe(422);

    const created = await documented<{ asset: { uid: string } }>("post", "/v3/assets", {
      headers: auth(stack),
      body: form(
        { "asset[tags]": "doc", "asset[parent_uid]": params.uid },
        { name: "in.txt", bytes: "in", type: "text/plain" },
      ),
    });
    expect(created.status).toBe(201);
    const occupied = await documented("delete", path, { headers: auth(stack), params });
    expect(occupied.status).toBe(409);

    const query = `?include_folders=true&asc=title&query=${encodeURIComponent('{"tags": {"$in": ["doc"]}}')}`;
    const listed = await documented<{ count: number }>("get", "/v3/assets", {
      headers: auth(stack),
      query,
    });
    expect(listed.body.count).toBe(1);
    const withFolders = await documented<{ assets: { is_dir: boolean }[] }>("get", "/v3/assets", {
      headers: auth(stack),
      query: `?folder=cs_root&include_folders=true`,
    });
    expect(withFolders.body.assets.some((a) => a.is_dir)).toBe(true);
    const counted = await documented("get", "/v3/assets", {
      headers: auth(stack),
      query: "?count=true",
    });
    expect(counted.body).toHaveProperty("assets");
    const bad = await documented("get", "/v3/assets", {
      headers: auth(stack),
      query: `?query=${encodeURIComponent('{"$where": "1"}')}`,
    });
    expect(bad.status).toBe(422);

    const asset = { uid: created.body.asset.uid };
    const old = await documented("get", "/v3/assets/{uid}", {
      headers: auth(stack),
      params: asset,
      query: "?version=1&relative_urls=true",
    });
    expect(old.status).toBe(200);
    const missing = await documented("get", "/v3/assets/{uid}", {
      headers: auth(stack),
      params: asset,
      query: "?version=2",
    });
    expect(missing.status).toBe(404);

    await documented("delete", "/v3/assets/{uid}", { headers: auth(stack), params: asset });
    expect((await documented("delete", path, { headers: auth(stack), params })).status).toBe(200);
    expect((await documented("get", path, { headers: auth(stack), params })).status).toBe(404);
  });

  it.each([
    ["no api_key", (): Record<string, string> => ({}), 412],
    ["an unknown stack", () => ({ api_key: "blt0000000000000000", authorization: "cs00" }), 412],
    ["no token", () => ({ api_key: stack.apiKey }), 401],
    ["a wrong token", () => ({ api_key: stack.apiKey, authorization: "cs00" }), 401],
  ])("answers %s with a documented error", async (_name, headers, status) => {
    expect((await documented("get", "/v3/assets", { headers: headers() })).status).toBe(status);
  });

  it("answers the documented 415 and 422 for bodies it does not take", async () => {
    const post = (init: RequestInit & { query?: string }) =>
      documented("post", "/v3/assets", { ...init, headers: { ...auth(stack), ...init.headers } });
    expect(
      (await post({ headers: { "content-type": "application/json" }, body: "{}" })).status,
    ).toBe(415);
    expect((await post({ body: form({ "asset[title]": "no file" }) })).status).toBe(422);
    const digest = await post({
      headers: { "content-type": "text/plain", "content-digest": "sha-256=:AAAA:" },
      query: "?filename=a.txt",
      body: "abc",
    });
    expect(digest.status).toBe(422);
  });
});

describe("the documented limits are the enforced ones", () => {
  const property = (schema: string, field: string) =>
    ((doc.components.schemas[schema]?.properties ?? {}) as Record<string, JsonSchema>)[field];

  it("a title as long as the form schema allows is taken, one more character is a 422", async () => {
    const max = property("AssetCreateForm", "asset[title]")?.maxLength as number;
    expect(max).toBeGreaterThan(0);
    const upload = (title: string) =>
      documented("post", "/v3/assets", {
        headers: auth(stack),
        body: form({ "asset[title]": title }, { name: "t.txt", bytes: "t" }),
      });
    expect((await upload("t".repeat(max))).status).toBe(201);
    expect((await upload("t".repeat(max + 1))).status).toBe(422);
  });

  it("the list's documented limit bounds are the validated ones", async () => {
    const limit = doc.paths["/v3/assets"]?.get?.parameters.find((p) => p.name === "limit");
    const { minimum, maximum } = (limit?.schema ?? {}) as { minimum: number; maximum: number };
    expect(maximum).toBeGreaterThan(minimum);
    const list = (value: number) =>
      documented("get", "/v3/assets", { headers: auth(stack), query: `?limit=${value}` });
    expect((await list(minimum)).status).toBe(200);
    expect((await list(maximum)).status).toBe(200);
    expect((await list(minimum - 1)).status).toBe(422);
    expect((await list(maximum + 1)).status).toBe(422);
  });
});

describe("upload session answers match the document", () => {
  it("start, read, send the part, complete; start and abort", async () => {
    const bytes = "a small file in one part";
    const start = (upload: Record<string, unknown>) =>
      documented<{ upload: { uid: string } }>("post", "/v3/uploads", {
        headers: auth(stack, { "content-type": "application/json" }),
        body: JSON.stringify({ upload }),
      });
    const started = await start({
      filename: "big.txt",
      file_size: bytes.length,
      sha256: await sha256Hex(bytes),
    });
    expect(started.status).toBe(201);
    const uid = started.body.upload.uid;
    const headers = auth(stack);
    expect(
      (await documented("get", "/v3/uploads/{uid}", { headers, params: { uid } })).status,
    ).toBe(200);
    const part = await documented("put", "/v3/uploads/{uid}/parts/{part}", {
      headers,
      params: { uid, part: "1" },
      body: bytes,
    });
    expect(part.status).toBe(200);
    const completed = await documented("post", "/v3/uploads/{uid}/complete", {
      headers,
      params: { uid },
    });
    expect(completed.status).toBe(201);
    expect(
      (await documented("post", "/v3/uploads/{uid}/complete", { headers, params: { uid } })).status,
    ).toBe(201);
    expect(
      (await documented("delete", "/v3/uploads/{uid}", { headers, params: { uid } })).status,
    ).toBe(409);

    const other = await start({ filename: "gone.txt", file_size: 10 });
    const otherUid = other.body.upload.uid;
    const aborted = await documented("delete", "/v3/uploads/{uid}", {
      headers,
      params: { uid: otherUid },
    });
    expect(aborted.status).toBe(200);
    expect((await start({ filename: "x", file_size: 0 })).status).toBe(422);
  });
});

describe("operations answers match the document", () => {
  it("the admin metrics", async () => {
    const { body } = await documented<{ durable_object_stubs: number }>(
      "get",
      "/v3/admin/metrics",
      {
        headers: { authorization: ADMIN_TOKEN },
      },
    );
    expect(body.durable_object_stubs).toBeGreaterThan(0);
  });
});

describe("the response schemas are strict", () => {
  it("refuses an asset with a field too many, too few, or of the wrong shape", () => {
    const asset = {
      uid: "blt0123456789abcdef",
      title: "t",
      description: "",
      tags: ["a"],
      parent_uid: null,
      is_dir: false,
      filename: "t.txt",
      content_type: "text/plain",
      file_size: "1",
      sha256: "0".repeat(64),
      url: "https://assets.test/v3/assets/blt0123456789abcdef/blt0123456789abcdef/0123456789abcdef01234567/t.txt",
      _version: 1,
      created_at: "2026-11-22T10:00:00.000Z",
      updated_at: "2026-11-22T10:00:00.000Z",
      created_by: "blt0123456789abcdef",
      updated_by: "",
    };
    expect(assetSchema.safeParse(asset).success).toBe(true);
    expect(assetSchema.safeParse({ ...asset, url: "/v3/assets/k/u/f/t.txt" }).success).toBe(true);
    expect(assetSchema.safeParse({ ...asset, url: "v3/assets/k/u/f/t.txt" }).success).toBe(false);
    expect(assetSchema.safeParse({ ...asset, is_dir: true }).success).toBe(false);
    expect(assetSchema.safeParse({ ...asset, extra: 1 }).success).toBe(false);
    const { sha256: _dropped, ...missing } = asset;
    expect(assetSchema.safeParse(missing).success).toBe(false);
    expect(assetSchema.safeParse({ ...asset, file_size: 1 }).success).toBe(false);
  });
});

describe("environment, delivery-token and reference answers match the document", () => {
  const json = (body: unknown, params: Record<string, string> = {}) => ({
    headers: auth(stack, { "content-type": "application/json" }),
    body: JSON.stringify(body),
    params,
  });

  it("environments: create, list, count, read, rename, duplicate, delete, 404", async () => {
    const env = (name: string) => json({ environment: { name } });
    expect((await documented("post", "/v3/environments", env("doc-live"))).status).toBe(201);
    expect((await documented("post", "/v3/environments", env("doc-live"))).status).toBe(422);
    const headers = auth(stack);
    expect((await documented("get", "/v3/environments", { headers })).status).toBe(200);
    const count = await documented("get", "/v3/environments", { headers, query: "?count=true" });
    expect(count.body).toEqual({ environments: 1 });
    const path = "/v3/environments/{name}";
    const params = { name: "doc-live" };
    expect((await documented("get", path, { headers, params })).status).toBe(200);
    const renamed = await documented(
      "put",
      path,
      json({ environment: { name: "doc-prod" } }, params),
    );
    expect(renamed.status).toBe(200);
    expect((await documented("get", path, { headers, params })).status).toBe(404);
    const gone = { headers, params: { name: "doc-prod" } };
    expect((await documented("delete", path, gone)).status).toBe(200);
    expect((await documented("delete", path, gone)).status).toBe(404);
  });

  it("delivery tokens: create, list, read, change, unknown environment, revoke, 404", async () => {
    await documented("post", "/v3/environments", json({ environment: { name: "doc-site" } }));
    const scope = (name: string) => [
      { module: "environment", environments: [name], acl: { read: true } },
    ];
    const created = await documented<{ token: { uid: string } }>(
      "post",
      "/v3/stacks/delivery_tokens",
      json({ token: { name: "Doc", scope: scope("doc-site") } }),
    );
    expect(created.status).toBe(201);
    const unknown = await documented(
      "post",
      "/v3/stacks/delivery_tokens",
      json({ token: { name: "Doc", scope: scope("nowhere") } }),
    );
    expect(unknown.status).toBe(422);
    const headers = auth(stack);
    expect((await documented("get", "/v3/stacks/delivery_tokens", { headers })).status).toBe(200);
    const path = "/v3/stacks/delivery_tokens/{uid}";
    const params = { uid: created.body.token.uid };
    expect((await documented("get", path, { headers, params })).status).toBe(200);
    const changed = await documented("put", path, json({ token: { name: "Doc 2" } }, params));
    expect(changed.status).toBe(200);
    expect((await documented("delete", path, { headers, params })).status).toBe(200);
    expect((await documented("get", path, { headers, params })).status).toBe(404);
  });

  it("references: an empty list, and 404 for an unknown asset", async () => {
    const created = await documented<{ asset: { uid: string } }>("post", "/v3/assets", {
      headers: auth(stack),
      body: form({}, { name: "ref.txt", bytes: "ref", type: "text/plain" }),
    });
    const path = "/v3/assets/{uid}/references";
    const headers = auth(stack);
    const found = await documented("get", path, {
      headers,
      params: { uid: created.body.asset.uid },
    });
    expect(found.body).toEqual({ references: [] });
    const missing = await documented("get", path, {
      headers,
      params: { uid: "blt0000000000000000" },
    });
    expect(missing.status).toBe(404);
  });
});

describe("publishing answers match the document", () => {
  const json = (body: unknown): RequestInit => ({
    headers: auth(stack, { "content-type": "application/json" }),
    body: JSON.stringify(body),
  });

  it("publish, unpublish, schedule, the queue, cancel, bulk, and their refusals", async () => {
    await documented("post", "/v3/environments", json({ environment: { name: "documented" } }));
    const fd = form({}, { name: "published.txt", bytes: "p", type: "text/plain" });
    const created = await documented<{ asset: { uid: string } }>("post", "/v3/assets", {
      headers: auth(stack),
      body: fd,
    });
    const params = { uid: created.body.asset.uid };
    const target = { asset: { environments: ["documented"], locales: ["en-us"] } };
    for (const path of ["/v3/assets/{uid}/publish", "/v3/assets/{uid}/unpublish"]) {
      expect((await documented("post", path, { ...json(target), params })).status).toBe(200);
    }
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await documented<{ publish_queue_uid: string }>(
      "post",
      "/v3/assets/{uid}/publish",
      { ...json({ ...target, scheduled_at: later }), params },
    );
    const queued = { uid: scheduled.body.publish_queue_uid };
    await documented("get", "/v3/publish-queue", { headers: auth(stack) });
    await documented("get", "/v3/publish-queue/{uid}", { headers: auth(stack), params: queued });
    const cancel = "/v3/publish-queue/{uid}/unschedule";
    expect((await documented("get", cancel, { headers: auth(stack), params: queued })).status).toBe(
      200,
    );
    expect((await documented("get", cancel, { headers: auth(stack), params: queued })).status).toBe(
      404,
    );
    const bulk = { assets: [{ uid: params.uid }], environments: ["documented"] };
    for (const path of ["/v3/bulk/publish", "/v3/bulk/unpublish"]) {
      expect((await documented("post", path, json(bulk))).status).toBe(200);
      const refused = await documented("post", path, json({ ...bulk, environments: ["nowhere"] }));
      expect(refused.status).toBe(422);
    }
    const noVersion = { ...target, version: 9 };
    const refused = await documented("post", "/v3/assets/{uid}/publish", {
      ...json(noVersion),
      params,
    });
    expect(refused.status).toBe(422);
    await documented("get", "/v3/assets/{uid}", {
      headers: auth(stack),
      params,
      query: "?include_publish_details=true",
    });
    await documented("get", "/v3/assets", {
      headers: auth(stack),
      query: "?include_publish_details=true",
    });
  });
});
