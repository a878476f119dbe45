// The management API's documentation: GET /openapi.json (the OpenAPI 3.1 document) and
// GET /reference (the interactive page rendered from it). Each is built once per isolate, when
// first asked for: the dynamic imports keep the schema conversion and the page's code out of
// every isolate's start-up.

import { Hono } from "hono";
import { version } from "../../package.json";
import { pageSecurity } from "../http/page-security";
import { DOCS_MAX_AGE } from "../openapi/service-operations";

export const apiDocsRoutes = new Hono<{ Bindings: Env }>();

const CACHE_CONTROL = `public, max-age=${DOCS_MAX_AGE}`;

const built = new Map<string, Promise<unknown>>();

/** Builds a value once per isolate; a failed build is forgotten, so a later request retries. */
function once<T>(key: string, build: () => Promise<T>): Promise<T> {
  let value = built.get(key) as Promise<T> | undefined;
  if (!value) {
    value = build();
    built.set(key, value);
    value.catch(() => built.delete(key));
  }
  return value;
}

const documentObject = () =>
  once("document", async () => (await import("../openapi/document")).openApiDocument(version));
const documentJson = () => once("json", async () => JSON.stringify(await documentObject()));
const referenceHtml = () =>
  once("html", async () =>
    (await import("../reference/page")).referencePage(await documentObject()),
  );

apiDocsRoutes.get("/openapi.json", async (c) =>
  c.body(await documentJson(), 200, {
    "Content-Type": "application/json",
    "Cache-Control": CACHE_CONTROL,
  }),
);

apiDocsRoutes.use("/reference", pageSecurity());
apiDocsRoutes.get("/reference", async (c) =>
  c.html(await referenceHtml(), 200, { "Cache-Control": CACHE_CONTROL }),
);
