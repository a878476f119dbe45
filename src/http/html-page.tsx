// The document around every HTML page this project serves (the console, the API reference):
// doctype, language, viewport, icon, and one stylesheet and at most one module script from this
// origin, since the pages' policy (page-security.ts) allows nothing inline.

import { raw } from "hono/html";
import type { Child } from "hono/jsx";

export interface HtmlPageProps {
  title: string;
  /** Path of the page's stylesheet and of its module script, e.g. /console/console.css. */
  stylesheet: string;
  /** None for a page that needs no script (the home page). */
  script?: string;
  /** `data-*` attributes of <body>: how a page hands server values to its script. */
  bodyData?: Record<string, string>;
  children?: Child;
}

export function HtmlPage({ title, stylesheet, script, bodyData = {}, children }: HtmlPageProps) {
  const data = Object.fromEntries(Object.entries(bodyData).map(([k, v]) => [`data-${k}`, v]));
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{title}</title>
          <link rel="icon" href="/console/icon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href={stylesheet} />
          {script && <script type="module" src={script} />}
        </head>
        <body {...data}>{children}</body>
      </html>
    </>
  );
}
