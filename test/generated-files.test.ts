// The OpenAPI document and the reference page are generated from the code and committed as
// static files (public/openapi.json, public/reference.html), which Workers Static Assets serve
// without running the Worker. Each must be exactly what the code generates now: `npm run
// generate` rewrites them, and in CI a stale file fails here. (e2e/generated-files.test.ts makes
// the typed client's types from the committed document and checks what wrangler dev serves.)
import { describe, expect, it } from "vitest";
import { version } from "../package.json";
import { openApiDocument } from "../src/openapi/document";
import { referencePage } from "../src/reference/reference-page";

const doc = openApiDocument(version);

describe("generated files", () => {
  it("public/openapi.json is the document the code describes", async () => {
    await expect(`${JSON.stringify(doc, null, 2)}\n`).toMatchFileSnapshot("../public/openapi.json");
  });

  it("public/reference.html is the page rendered from that document", async () => {
    await expect(await referencePage(doc)).toMatchFileSnapshot("../public/reference.html");
  });
});
