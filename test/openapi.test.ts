/// <reference types="vite/client" />
// The OpenAPI document: its shape, its parity with the routes the app really registers, and the
// interactive page rendered from it (public/reference.html).

import { type Hono, Hono as HonoApp } from "hono";
import { inspectRoutes } from "hono/dev";
import { describe, expect, it } from "vitest";
import { version } from "../package.json";
import { app } from "../src/management-app";
import { openApiDocument } from "../src/openapi/document";
import type { JsonSchema, Operation } from "../src/openapi/types";
import { referencePage } from "../src/reference/reference-page";
import { FILE_FIELD, TEXT_FIELDS } from "../src/upload/read-multipart-form";

const doc = openApiDocument(version);

const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ path, method, op: op as Operation })),
);

/** The public delivery routes (app.all), which this document does not describe (docs/HTTP.md). */
const DELIVERY_PATHS = new Set([
  "/v3/assets/:api_key/:uid/:slug",
  "/v3/assets/:api_key/:uid/:file_uid/:filename",
]);

/**
 * The HTML pages, no API: the home page, and the console's page and the HTML fragments its
 * script asks for (docs/CONSOLE.md).
 */
const isPage = (path: string) =>
  path === "/" || path === "/console" || path.startsWith("/console/");

/**
 * "METHOD /path" of every route an app registers, in OpenAPI's path form. Middleware (handlers
 * that take `next`, as Hono's own inspectRoutes tells them), the delivery routes and the
 * pages are left out; anything else registered with app.all stays in as "ALL", which no
 * operation can match.
 */
function registeredRoutes(hono: Hono<{ Bindings: Env }>): string[] {
  const routes = inspectRoutes(hono)
    .filter((route) => !route.isMiddleware)
    .filter((route) => !(route.method === "ALL" && DELIVERY_PATHS.has(route.path)))
    .filter((route) => !isPage(route.path))
    .map((route) => `${route.method} ${route.path.replace(/:([A-Za-z_]+)/g, "{$1}")}`);
  return [...new Set(routes)].sort();
}

/** Every `$ref` anywhere in a value. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === "$ref" && typeof inner === "string" ? [inner] : refsIn(inner),
  );
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1.0 with info, tags, paths and components", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.version).toBe(version);
    expect(doc.info.title).not.toBe("");
    expect(doc.info.description.length).toBeGreaterThan(100);
    expect(doc.jsonSchemaDialect).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(
      ["adminToken", "apiKey", "managementToken"].sort(),
    );
    for (const scheme of Object.values(doc.components.securitySchemes)) {
      expect(scheme).toMatchObject({ type: "apiKey", in: "header" });
    }
    // 39 routes of the Worker; the document and this page are static files (public/).
    expect(operations.length).toBe(39);
  });

  it.each(operations)("describes $method $path fully", ({ path, op }) => {
    expect(op.operationId).toMatch(/^[a-z][A-Za-z]+$/);
    expect(op.summary.length).toBeGreaterThan(5);
    expect(op.description.length).toBeGreaterThan(60);
    expect(op.tags).toHaveLength(1);
    expect(doc.tags.map((t) => t.name)).toContain(op.tags[0]);
    const statuses = Object.keys(op.responses);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.some((s) => s.startsWith("2"))).toBe(true);
    for (const status of statuses) {
      expect(status).toMatch(/^[1-5][0-9][0-9]$/);
      expect(op.responses[status]?.description).toBeTruthy();
    }
    // Every {name} in the path is a required path parameter, and no other one is declared.
    const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const declared = op.parameters.filter((p) => p.in === "path");
    expect(declared.map((p) => p.name).sort()).toEqual(inPath.sort());
    expect(declared.every((p) => p.required)).toBe(true);
    for (const parameter of op.parameters) {
      expect(parameter.description, parameter.name).not.toBe("");
      expect(Object.keys(parameter.schema).length, parameter.name).toBeGreaterThan(0);
    }
    // Each security requirement names declared schemes, and each credential has its errors.
    const schemes = op.security.flatMap((requirement) => Object.keys(requirement));
    for (const scheme of schemes) expect(doc.components.securitySchemes).toHaveProperty(scheme);
    if (schemes.length > 0) expect(statuses).toContain("401");
    if (schemes.includes("apiKey")) expect(statuses).toContain("412");
  });

  it("lists each error the code can send, with the code's own message", () => {
    const replace = doc.paths["/v3/assets/{uid}"]?.put?.responses;
    // Two 413s of one error_code, with different limits: a JSON body and an upload.
    expect(replace?.["413"]?.description).toContain("limit of 65536 bytes");
    expect(replace?.["413"]?.description).toContain("limit of 98566144 bytes");
    expect(replace?.["409"]?.description).toContain("`error_code` 147");
    expect(replace?.["429"]?.headers).toHaveProperty("Retry-After");
  });

  it("gives every operation its own operationId", () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("points every $ref at a component schema that exists", () => {
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas, ref).toHaveProperty(ref.slice("#/components/schemas/".length));
    }
  });

  it("takes the upload form's fields from the form reader, and their limits from the schema", () => {
    const form = doc.components.schemas.AssetCreateForm as JsonSchema;
    const properties = form.properties as Record<string, JsonSchema>;
    expect(Object.keys(properties).sort()).toEqual([FILE_FIELD, ...TEXT_FIELDS].sort());
    expect(form.required).toEqual([FILE_FIELD]);
    expect(properties["asset[title]"]).toMatchObject({
      type: "string",
      minLength: 1,
      maxLength: 255,
    });
    expect(doc.components.schemas.AssetUpdateForm).not.toHaveProperty("required");
  });
});

describe("route parity", () => {
  it("documents exactly the routes the app registers", () => {
    const documented = operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(registeredRoutes(app)).toEqual([...documented].sort());
  });

  it("would see a new route, and leaves out middleware and the delivery routes", () => {
    const probe = new HonoApp<{ Bindings: Env }>();
    probe.use("/v3/things/*", async (_c, next) => next());
    probe.all("/v3/assets/:api_key/:uid/:slug", (c) => c.text("delivery"));
    probe.get("/v3/things/:thing_uid", (c) => c.text("thing"));
    probe.all("/v3/other", (c) => c.text("other"));
    probe.get("/console/fragments/things", (c) => c.html("<p>things</p>"));
    expect(registeredRoutes(probe)).toEqual(["ALL /v3/other", "GET /v3/things/{thing_uid}"]);
  });
});

// The page's files, as the Worker's static assets serve them (public/).
const PUBLIC_FILES = import.meta.glob("../public/**/*", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

// The page is a static file (public/reference.html, checked against this renderer and served
// with its headers in e2e/generated-files.test.ts); here the renderer itself is tested.
describe("the reference page", () => {
  const page = async () => ({ html: await referencePage(doc) });

  it("is a whole HTML document", async () => {
    const { html } = await page();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<html lang="en">');
  });

  it("names every operation, with its method, path and summary", async () => {
    const { html } = await page();
    for (const { method, path, op } of operations) {
      expect(html).toContain(`id="${op.operationId}"`);
      expect(html).toContain(`data-method="${method.toUpperCase()}" data-path="${path}"`);
      expect(html).toContain(op.summary.replaceAll("'", "&#39;"));
    }
    for (const name of Object.keys(doc.components.schemas)) {
      expect(html).toContain(`id="schema-${name}"`);
    }
  });

  it("renders the descriptions' lists, code and emphasis as HTML, and escapes the rest", async () => {
    const { html } = await page();
    expect(html).toContain("<p>Two forms of request:</p><ul><li><code>multipart/form-data</code>");
    expect(html).toContain("<strong>Exactly once.</strong>");
    expect(html).toContain("<code>{&quot;error_message&quot;: &quot;...&quot;");
  });

  it("has no inline script, style or event handler, and its files exist in public/", async () => {
    const { html } = await page();
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1] ?? "");
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) expect(attributes).toMatch(/\ssrc="\/reference\//);
    // Every file the page loads from this origin, but the document (a route).
    const files = [...html.matchAll(/(?:src|href)="(\/[^"#]*)"/g)]
      .map((m) => m[1])
      .filter((path) => path !== "/openapi.json");
    expect(files.sort()).toEqual([
      "/console/icon.svg",
      "/reference/reference.css",
      "/reference/reference.js",
    ]);
    for (const file of files) expect(PUBLIC_FILES).toHaveProperty(`../public${file}`);
  });

  it("keeps credentials in sessionStorage under the shared keys, and never logs or writes HTML", () => {
    const script = PUBLIC_FILES["../public/reference/reference.js"] ?? "";
    expect(script).toContain('apiKey: "pau.apiKey"');
    expect(script).toContain('token: "pau.token"');
    expect(script).not.toMatch(/localStorage|console\.|innerHTML|outerHTML|eval\(/);
    // The ADMIN_TOKEN is read from its field only, never stored.
    expect(script).not.toMatch(/storage\.set\([^)]*admin/i);
  });
});
