// Security headers for the HTML pages the worker renders (the console and the API reference).
// The policy allows no inline script or style at all: every script and stylesheet is a file
// served from this origin, so an injected tag cannot run.

import { createMiddleware } from "hono/factory";
import { config } from "../config";

/** The Content-Security-Policy of a page; images may also come from the public base URL. */
export function pageCsp(publicBaseUrl: string | null): string {
  const images = publicBaseUrl ? `'self' ${new URL(publicBaseUrl).origin}` : "'self'";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    `img-src ${images}`,
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}

/** Adds the page policy and the usual hardening headers to every answer below it. */
export const pageSecurity = () =>
  createMiddleware<{ Bindings: Env }>(async function pageSecurity(c, next) {
    await next();
    c.header("Content-Security-Policy", pageCsp(config(c.env).publicBaseUrl));
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    c.header("X-Frame-Options", "DENY");
  });
