// Environments (routes/environments.ts): the CMA's shapes, addressed by name, unique names, a
// rename that keeps the uid, the limit per stack, and the edge's index of them in KV.

import { env, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { environmentIndexKey } from "../src/domain/kv-records";
import { MAX_ENVIRONMENTS } from "../src/domain/publishing-records";
import {
  environmentCreatedSchema,
  environmentFoundSchema,
  environmentListSchema,
  environmentUpdatedSchema,
} from "../src/http/publishing-response-schemas";
import type { StackObject } from "../src/objects/stack-object";
import { stackStub } from "../src/objects/stubs";
import { auth, call, createStack, type Stack } from "./helpers";

let stack: Stack;

beforeAll(async () => {
  stack = await createStack("Environments");
});

const send = (of: Stack, method: string, path: string, body?: unknown) =>
  call(path, {
    method,
    headers: auth(of, { "content-type": "application/json" }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function createEnv(of: Stack, environment: Record<string, unknown>) {
  const res = await send(of, "POST", "/v3/environments", { environment });
  expect(res.status, await res.clone().text()).toBe(201);
  return environmentCreatedSchema.parse(await res.json()).environment;
}

const path = (name: string) => `/v3/environments/${encodeURIComponent(name)}`;
const kvIndex = async (of: Stack) =>
  JSON.parse((await env.ASSET_INDEX.get(environmentIndexKey(of.apiKey))) ?? "null");

describe("POST /v3/environments", () => {
  it("creates an environment in the CMA's shape, with its urls", async () => {
    const created = await createEnv(stack, {
      name: "production",
      urls: [{ locale: "en-us", url: "https://www.example.com/" }],
    });
    expect(created).toMatchObject({
      name: "production",
      urls: [{ locale: "en-us", url: "https://www.example.com/" }],
      servers: [],
      deploy_content: false,
      created_by: stack.tokenUid,
      updated_by: stack.tokenUid,
    });
    expect(created.uid).toMatch(/^blt[0-9a-f]{16}$/);
    expect(created.created_at).toBe(created.updated_at);
  });

  it("keeps servers and deploy_content, as the SDK's documentation sends them", async () => {
    const created = await createEnv(stack, {
      name: "development",
      servers: [{ name: "default" }],
      deploy_content: true,
    });
    expect(created).toMatchObject({ servers: [{ name: "default" }], deploy_content: true });
  });

  it("refuses a name the stack already has (422), and changes nothing", async () => {
    const before = await (await send(stack, "GET", "/v3/environments")).json();
    const res = await send(stack, "POST", "/v3/environments", {
      environment: { name: "production" },
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error_code: 141,
      errors: { name: ["is already the name of another environment"] },
    });
    expect(await (await send(stack, "GET", "/v3/environments")).json()).toEqual(before);
  });

  it("refuses a stack's environment past the limit", async () => {
    const full = await createStack("Full of environments");
    await runInDurableObject(stackStub(env, full.apiKey), (_o: StackObject, state) => {
      for (let i = 0; i < MAX_ENVIRONMENTS; i++) {
        const uid = `blt${i.toString(16).padStart(16, "0")}`;
        state.storage.sql.exec(
          "INSERT INTO environments (uid, name, created_at, record) VALUES (?, ?, ?, ?)",
          uid,
          `env-${i}`,
          new Date(i).toISOString(),
          JSON.stringify({ uid, name: `env-${i}` }),
        );
      }
    });
    const res = await send(full, "POST", "/v3/environments", { environment: { name: "one more" } });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      errors: { environment: [`a stack may have at most ${MAX_ENVIRONMENTS} environments`] },
    });
  });
});

describe("GET /v3/environments and /v3/environments/{name}", () => {
  it("lists every environment in creation order, with its count", async () => {
    const of = await createStack("Listing environments");
    for (const name of ["one", "two", "three"]) await createEnv(of, { name });
    const all = environmentListSchema.parse(
      await (await send(of, "GET", "/v3/environments")).json(),
    );
    expect(all.environments.map((e) => e.name)).toEqual(["one", "two", "three"]);
    expect(all.count).toBe(3);
    const page = await (await send(of, "GET", "/v3/environments?skip=1&limit=1")).json();
    expect(page).toMatchObject({ environments: [{ name: "two" }], count: 3 });
    const count = await send(of, "GET", "/v3/environments?count=true");
    expect(await count.json()).toEqual({ environments: 3 });
    const query = encodeURIComponent(JSON.stringify({ name: "three" }));
    const filtered = await (await send(of, "GET", `/v3/environments?query=${query}`)).json();
    expect(filtered).toMatchObject({ environments: [{ name: "three" }], count: 1 });
  });

  it("refuses a query on anything but the name (422)", async () => {
    const query = encodeURIComponent(JSON.stringify({ urls: { $exists: true } }));
    const res = await send(stack, "GET", `/v3/environments?query=${query}`);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      errors: { query: ['may only filter on name: {"name": "..."}'] },
    });
  });

  it("fetches one by name, percent-encoded in the path, in either Unicode form", async () => {
    const created = await createEnv(stack, { name: "Pré prod/eu" });
    for (const name of ["Pré prod/eu", "Pre\u0301 prod/eu"]) {
      const res = await send(stack, "GET", path(name));
      expect(res.status).toBe(200);
      expect(environmentFoundSchema.parse(await res.json()).environment).toEqual(created);
    }
  });

  it("answers 404 (error_code 162) for a name the stack does not have", async () => {
    const res = await send(stack, "GET", path("nowhere"));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error_message: "Environment was not found.",
      error_code: 162,
    });
  });

  it("never shows another stack's environment", async () => {
    const other = await createStack("Another tenant");
    await createEnv(other, { name: "theirs" });
    expect((await send(stack, "GET", path("theirs"))).status).toBe(404);
    const res = await call(path("theirs"), {
      headers: { api_key: stack.apiKey, authorization: other.token },
    });
    expect(res.status).toBe(401);
  });
});

describe("PUT /v3/environments/{name}", () => {
  it("renames an environment, keeping its uid; the old name is gone", async () => {
    const created = await createEnv(stack, { name: "staging" });
    const res = await send(stack, "PUT", path("staging"), { environment: { name: "preview" } });
    expect(res.status).toBe(200);
    const updated = environmentUpdatedSchema.parse(await res.json()).environment;
    expect(updated).toMatchObject({ uid: created.uid, name: "preview" });
    expect(updated.updated_at >= created.updated_at).toBe(true);
    expect((await send(stack, "GET", path("staging"))).status).toBe(404);
    expect((await send(stack, "GET", path("preview"))).status).toBe(200);
  });

  it("takes back a whole fetched environment, as the SDK's update() sends it", async () => {
    const { environment } = (await (await send(stack, "GET", path("production"))).json()) as {
      environment: Record<string, unknown>;
    };
    const urls = [
      ...(environment.urls as object[]),
      { locale: "fr-fr", url: "https://fr.example.com" },
    ];
    const res = await send(stack, "PUT", path("production"), {
      environment: { ...environment, urls },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await res.json()) as unknown).toMatchObject({
      notice: "Environment updated successfully.",
      environment: { uid: environment.uid, urls },
    });
  });

  it("changes nothing, not even updated_at, when the values are the same", async () => {
    const before = (await (await send(stack, "GET", path("development"))).json()) as {
      environment: { updated_at: string; name: string };
    };
    const res = await send(stack, "PUT", path("development"), {
      environment: { name: "development", deploy_content: true },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ environment: before.environment });
  });

  it.each([
    ["a name another environment has", { name: "production" }, "name"],
    ["another environment's uid", { uid: "blt0000000000000000", name: "x" }, "uid"],
    ["no change at all", { created_at: "2020-01-01T00:00:00.000Z" }, "environment"],
    ["an unknown field", { title: "x" }, "title"],
  ])("refuses %s (422), changing nothing", async (_what, environment, field) => {
    const before = await (await send(stack, "GET", "/v3/environments")).json();
    const res = await send(stack, "PUT", path("development"), { environment });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: Record<string, unknown> }).errors).toHaveProperty(
      field,
    );
    expect(await (await send(stack, "GET", "/v3/environments")).json()).toEqual(before);
  });

  it("answers 404 for a name the stack does not have", async () => {
    const res = await send(stack, "PUT", path("nowhere"), { environment: { name: "x" } });
    expect(res.status).toBe(404);
  });
});

describe("DELETE /v3/environments/{name}", () => {
  it("deletes it: the name answers 404 after, and can be taken again with a new uid", async () => {
    const of = await createStack("Deleting environments");
    const first = await createEnv(of, { name: "temporary" });
    const res = await send(of, "DELETE", path("temporary"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ notice: "Environment deleted successfully." });
    expect((await send(of, "GET", path("temporary"))).status).toBe(404);
    expect((await send(of, "DELETE", path("temporary"))).status).toBe(404);
    const again = await createEnv(of, { name: "temporary" });
    expect(again.uid).not.toBe(first.uid);
  });
});

describe("the edge's index in KV", () => {
  it("holds every environment's name and uid after each change, as the answer returns", async () => {
    const of = await createStack("Indexed environments");
    expect(await kvIndex(of)).toBeNull();
    const a = await createEnv(of, { name: "alpha" });
    expect(await kvIndex(of)).toEqual({ alpha: a.uid });
    // Within a second of the last write: the answer waits for KV's next slot for the key.
    const b = await createEnv(of, { name: "beta" });
    expect(await kvIndex(of)).toEqual({ alpha: a.uid, beta: b.uid });
    await send(of, "PUT", path("alpha"), { environment: { name: "gamma" } });
    expect(await kvIndex(of)).toEqual({ gamma: a.uid, beta: b.uid });
    await send(of, "DELETE", path("beta"));
    expect(await kvIndex(of)).toEqual({ gamma: a.uid });
  });

  it("writes the key at most once a second", async () => {
    const of = await createStack("Rate of index writes");
    const puts: number[] = [];
    await runInDurableObject(stackStub(env, of.apiKey), (obj: StackObject) => {
      const holder = obj as unknown as { env: Env };
      const kv = holder.env.ASSET_INDEX;
      const recording = {
        put: async (key: string, value: string) => {
          puts.push(Date.now());
          return kv.put(key, value);
        },
        delete: kv.delete.bind(kv),
      } as unknown as KVNamespace;
      holder.env = { ...holder.env, ASSET_INDEX: recording };
    });
    for (const name of ["one", "two", "three"]) await createEnv(of, { name });
    expect(puts).toHaveLength(3);
    for (let i = 1; i < puts.length; i++) {
      expect((puts[i] as number) - (puts[i - 1] as number)).toBeGreaterThanOrEqual(1000);
    }
    expect(Object.keys(await kvIndex(of))).toEqual(["one", "three", "two"]);
  });
});

describe("the stack object's names for publishing", () => {
  it("resolves names to uids (in either Unicode form), or names the unknown ones", async () => {
    const of = await createStack("Resolving names");
    const live = await createEnv(of, { name: "Café" });
    const tricky = await createEnv(of, { name: "constructor" });
    const stub = stackStub(env, of.apiKey);
    expect(await stub.resolveEnvironments(["Cafe\u0301", "constructor"])).toEqual({
      ok: true,
      uids: { "Cafe\u0301": live.uid, constructor: tricky.uid },
    });
    expect(await stub.resolveEnvironments(["Café", "toString", "nowhere", "nowhere"])).toEqual({
      ok: false,
      unknown: ["toString", "nowhere"],
    });
    expect(await stub.environmentNames()).toEqual({
      [live.uid]: "Café",
      [tricky.uid]: "constructor",
    });
  });
});

describe("concurrent changes", () => {
  it("gives a name to exactly one of 20 concurrent creates; the others are 422 and leave nothing", async () => {
    const of = await createStack("Racing environments");
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        send(of, "POST", "/v3/environments", {
          environment: {
            name: "production",
            urls: [{ locale: "en-us", url: `https://${i}.example` }],
          },
        }),
      ),
    );
    const statuses = answers.map((res) => res.status).sort();
    expect(statuses).toEqual([201, ...Array(19).fill(422)]);
    const winner = answers.find((res) => res.status === 201) as Response;
    const { environment } = environmentCreatedSchema.parse(await winner.json());
    await Promise.all(answers.filter((res) => res !== winner).map((res) => res.text()));
    const list = environmentListSchema.parse(
      await (await send(of, "GET", "/v3/environments")).json(),
    );
    expect(list.environments).toEqual([environment]);
    expect(await kvIndex(of)).toEqual({ production: environment.uid });
  });
});
