// pageSecurity(): the headers of the HTML pages (the API reference, the console) and of every
// other answer below it.

import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { pageCsp, pageSecurity } from "../src/http/page-security";

function pages() {
  const app = new Hono<{ Bindings: Env }>();
  app.use("*", pageSecurity());
  app.get("/page", (c) => c.html("<p>page</p>"));
  app.get("/data", (c) => c.json({ data: true }));
  return app;
}

describe("pageSecurity()", () => {
  it("sets the policy and the hardening headers on a page", async () => {
    const res = await pages().request("/page", {}, env);
    expect(res.headers.get("content-security-policy")).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(await res.text()).toBe("<p>page</p>");
  });

  it("covers every answer below it, fragments and errors included", async () => {
    const res = await pages().request("/data", {}, env);
    expect(res.headers.get("content-security-policy")).toBe(pageCsp(null));
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.json()).toEqual({ data: true });
  });

  it("lets images come from the public base URL's origin too", async () => {
    expect(pageCsp("https://assets.example.com")).toContain(
      "img-src 'self' https://assets.example.com;",
    );
    const res = await pages().request("/page", {}, {
      ...env,
      PUBLIC_BASE_URL: "https://cdn.example.com",
    } as Env);
    expect(res.headers.get("content-security-policy")).toContain(
      "img-src 'self' https://cdn.example.com;",
    );
    await res.arrayBuffer();
  });
});
