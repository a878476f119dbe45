// Contentstack's own Management SDK (@contentstack/management, pinned) managing environments and
// delivery tokens against the real local service, endpoint only changed, the way its own sanity
// tests do: create, fetch by name, add a URL, rename, query, count, delete; tokens created with a
// scope, found by query, fetched, renamed with update() after fetch() (the whole object sent
// back), revoked; and the errors a client relies on reaching it as the SDK's error objects.
import type { DeliveryToken, Environment, Stack } from "@contentstack/management";
import { beforeAll, describe, expect, it } from "vitest";
import { newStack } from "./api";
import { sdkError, sdkStack } from "./sdk";

let stack: Stack;
let production: Environment;

beforeAll(async () => {
  const created = await newStack("Contentstack SDK environments");
  stack = sdkStack(created.apiKey, created.token);
});

describe("environments through the official SDK", () => {
  it("creates an environment and fetches it by name", async () => {
    production = await stack.environment().create({
      environment: { name: "production", urls: [{ locale: "en-us", url: "https://example.com" }] },
    });
    expect(production.uid).toMatch(/^blt[0-9a-f]{16}$/);
    expect(production.urls).toEqual([{ locale: "en-us", url: "https://example.com" }]);
    const fetched = await stack.environment("production").fetch();
    expect(fetched.uid).toBe(production.uid);
    expect(fetched.name).toBe("production");
  });

  it("adds a URL, then renames, with update() after fetch(); the uid stays", async () => {
    await stack.environment().create({ environment: { name: "temp_rename" } });
    const env = await stack.environment("temp_rename").fetch();
    env.urls.push({ locale: "fr-fr", url: "https://example.com/fr" });
    const withUrl = await env.update();
    expect(withUrl.urls).toEqual([{ locale: "fr-fr", url: "https://example.com/fr" }]);
    withUrl.name = "staging";
    const renamed = await withUrl.update();
    expect(renamed).toMatchObject({ uid: env.uid, name: "staging" });
    expect(await sdkError(() => stack.environment("temp_rename").fetch())).toMatchObject({
      status: 404,
      errorCode: 162,
    });
  });

  it("queries every environment, one by name, and counts them", async () => {
    const all = await stack.environment().query().find();
    expect(all.items.map((e) => e.name)).toEqual(["production", "staging"]);
    expect(all.count).toBe(2);
    const one = await stack
      .environment()
      .query({ query: { name: "staging" } })
      .find();
    expect(one.items.map((e) => e.name)).toEqual(["staging"]);
    expect(await stack.environment().query().count()).toEqual({ environments: 2 });
  });

  it("reaches the SDK's error objects: a taken name, no name, an invalid URL, a missing one", async () => {
    const taken = await sdkError(() =>
      stack.environment().create({ environment: { name: "production" } }),
    );
    expect(taken).toMatchObject({ status: 422, errorCode: 141 });
    expect(taken.errors.name?.[0]).toBe("is already the name of another environment");
    const nameless = await sdkError(() =>
      stack.environment().create({ environment: { urls: [] } }),
    );
    expect(nameless.status).toBe(422);
    const badUrl = await sdkError(() =>
      stack.environment().create({
        environment: { name: "bad", urls: [{ locale: "en-us", url: "not-a-valid-url" }] },
      }),
    );
    expect(badUrl.errors.url?.[0]).toBe("must be an absolute http or https URL");
    expect(await sdkError(() => stack.environment("nowhere").fetch())).toMatchObject({
      status: 404,
    });
  });
});

describe("delivery tokens through the official SDK", () => {
  let token: DeliveryToken;

  it("creates a token scoped to an environment: the token is in this answer only", async () => {
    token = await stack.deliveryToken().create({
      token: {
        name: "Website",
        description: "The production site's build",
        scope: [
          { module: "environment", environments: ["production"], acl: { read: true } },
          { module: "branch", branches: ["main"], acl: { read: true } },
        ],
      },
    });
    expect(token.token).toMatch(/^cs[0-9a-f]{32}$/);
    expect(token.scope).toEqual([
      {
        module: "environment",
        environments: [{ uid: production.uid, name: "production" }],
        acl: { read: true },
      },
      { module: "branch", branches: ["main"], acl: { read: true } },
    ]);
    const fetched = await stack.deliveryToken(token.uid).fetch();
    expect(fetched.name).toBe("Website");
    expect(fetched.token).toBeUndefined();
  });

  it("finds tokens by query, with a limit", async () => {
    await stack.deliveryToken().create({
      token: {
        name: "Preview",
        scope: [{ module: "environment", environments: ["staging"], acl: { read: true } }],
      },
    });
    const all = await stack.deliveryToken().query().find();
    expect(all.items.map((t) => t.name)).toEqual(["Website", "Preview"]);
    const limited = await stack.deliveryToken().query({ limit: 1 }).find();
    expect(limited.items).toHaveLength(1);
  });

  it("renames a token with update() after fetch(), sending its scope back as answered", async () => {
    const fetched = await stack.deliveryToken(token.uid).fetch();
    fetched.name = "Website (renamed)";
    const updated = await fetched.update();
    expect(updated).toMatchObject({ uid: token.uid, name: "Website (renamed)" });
    expect(updated.scope).toEqual(token.scope);
  });

  it("refuses a scope with no environment, or one that writes, as the SDK's errors", async () => {
    const empty = await sdkError(() =>
      stack.deliveryToken().create({
        token: {
          name: "No environment",
          scope: [{ module: "environment", environments: [], acl: { read: true } }],
        },
      }),
    );
    expect(empty).toMatchObject({ status: 422, errorCode: 141 });
    const writes = await sdkError(() =>
      stack.deliveryToken().create({
        token: {
          name: "Writer",
          scope: [
            {
              module: "environment",
              environments: ["production"],
              acl: { read: true, write: true },
            },
          ],
        },
      }),
    );
    expect(writes.errors.scope?.[0]).toContain("a delivery token can only read");
  });

  it("revokes a token; fetching it then is the SDK's 404", async () => {
    expect(await stack.deliveryToken(token.uid).delete()).toEqual({
      notice: "Delivery Token deleted successfully.",
    });
    expect(await sdkError(() => stack.deliveryToken(token.uid).fetch())).toMatchObject({
      status: 404,
      errorCode: 163,
    });
  });

  it("deletes an environment: its name is free and the token's scope no longer holds it", async () => {
    const preview = (await stack.deliveryToken().query().find()).items[0] as DeliveryToken;
    expect(await stack.environment("staging").delete()).toEqual({
      notice: "Environment deleted successfully.",
    });
    const after = await stack.deliveryToken(preview.uid).fetch();
    expect(after.scope[0]?.environments).toEqual([]);
    expect(await sdkError(() => stack.environment("staging").fetch())).toMatchObject({
      status: 404,
    });
  });
});
