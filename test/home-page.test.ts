// GET /: a small HTML page, under the pages' policy, that says what this is and links to the
// console, the API reference and the OpenAPI document, each of which the Worker serves.

import { describe, expect, it } from "vitest";
import { pageCsp } from "../src/http/page-security";
import { call, ORIGIN } from "./helpers";

// The page's stylesheet, as the Worker's static assets serve it (public/).
const PUBLIC_FILES = import.meta.glob("../public/reference/*", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

describe("GET /", () => {
  it("answers an HTML page under the page policy, never cached stale", async () => {
    const res = await call("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=UTF-8");
    expect(res.headers.get("content-security-policy")).toBe(pageCsp(null));
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    const html = await res.text();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("<title>Permanent asset URLs</title>");
  });

  it("links to the console, the reference and the OpenAPI document, and names the endpoint", async () => {
    const html = await (await call("/")).text();
    for (const href of ["/console", "/reference", "/openapi.json"]) {
      expect(html).toContain(`<a href="${href}">`);
    }
    expect(html).toContain(`contentstack.client({ endpoint: &quot;${ORIGIN}/v3&quot; })`);
  });

  it("has no inline script or style, and its stylesheet exists", async () => {
    const html = await (await call("/")).text();
    expect(html).not.toMatch(/<script|style=|<style|\son[a-z]+=/i);
    expect(html).toContain('<link rel="stylesheet" href="/reference/reference.css"/>');
    expect(Object.keys(PUBLIC_FILES)).toContain("../public/reference/reference.css");
  });

  it("is the only page at the root: other methods and unknown paths stay JSON 404s", async () => {
    const post = await call("/", { method: "POST" });
    expect(post.status).toBe(404);
    expect(await post.json()).toMatchObject({ error_code: 404 });
    const other = await call("/index.html");
    expect(other.status).toBe(404);
    expect(other.headers.get("content-type")).toContain("application/json");
  });
});
