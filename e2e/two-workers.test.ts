// The Workers as a client sees them, side by side on their own ports: the delivery Worker answers
// the public URLs (and, through the content delivery Worker behind it, the Content Delivery API)
// and nothing of the management side, the management Worker answers everything else and no
// public URL (the permanent URL's path only as the CMA's download, with a token), and a change
// made through one shows on the other at once.
import { beforeAll, describe, expect, it } from "vitest";
import { formBody, rawBody } from "../client/index";
import { baseUrl, newStack, publicBaseUrl } from "./api";

let asset: { uid: string; url: string; permanent_url: string };
let stack: Awaited<ReturnType<typeof newStack>>;

beforeAll(async () => {
  stack = await newStack("Two Workers");
  const form = new FormData();
  form.append("asset[upload]", new Blob(["first"], { type: "text/plain" }), "split.txt");
  form.append("asset[permanent_url]", "split");
  const created = await stack.api.POST("/v3/assets", formBody(form));
  asset = created.data?.asset as typeof asset;
});

const status = async (url: string, init?: RequestInit) => {
  const res = await fetch(url, { redirect: "manual", ...init });
  await res.arrayBuffer();
  return res.status;
};

describe("the delivery Worker", () => {
  it("hosts every public URL the API returns", () => {
    expect(asset.url.startsWith(`${publicBaseUrl}/v3/assets/`)).toBe(true);
    expect(asset.permanent_url).toBe(
      `${publicBaseUrl}/v3/assets/${stack.apiKey}/${asset.uid}/split`,
    );
  });

  it("answers nothing of the management side: API, console, reference, static files", async () => {
    // /v3/assets and /v3/assets/{uid} are the Content Delivery API here: a management token is
    // no delivery token.
    const auth = { api_key: stack.apiKey, authorization: stack.token, access_token: stack.token };
    expect(await status(`${publicBaseUrl}/v3/assets?environment=x`, { headers: auth })).toBe(401);
    expect(
      await status(`${publicBaseUrl}/v3/assets/${asset.uid}?environment=x`, { headers: auth }),
    ).toBe(401);
    expect(
      await status(`${publicBaseUrl}/v3/assets/${asset.uid}/versions`, { headers: auth }),
    ).toBe(404);
    expect(
      await status(`${publicBaseUrl}/v3/stacks`, {
        method: "POST",
        headers: { authorization: "anything", "content-type": "application/json" },
        body: JSON.stringify({ stack: { name: "x" } }),
      }),
    ).toBe(404);
    for (const path of ["/console", "/console/console.js", "/reference", "/openapi.json", "/"]) {
      expect(await status(`${publicBaseUrl}${path}`), path).toBe(404);
    }
    expect(await status(`${publicBaseUrl}/health`)).toBe(200);
  });
});

describe("the management Worker", () => {
  it("serves no public URL: the permanent URL's path only with a token (the CMA's download)", async () => {
    const onManagement = (url: string) => url.replace(publicBaseUrl, baseUrl);
    expect(await status(onManagement(asset.url))).toBe(404);
    expect(await status(onManagement(asset.permanent_url))).toBe(401);
    const auth = { api_key: stack.apiKey, authorization: stack.token };
    const downloaded = await fetch(onManagement(asset.permanent_url), { headers: auth });
    expect(downloaded.status).toBe(200);
    expect(downloaded.headers.get("cache-control")).toBe("private, no-cache");
    expect(await downloaded.text()).toBe("first");
    expect(await status(asset.url)).toBe(200);
    expect(await status(asset.permanent_url)).toBe(200);
  });
});

describe("a change through the management Worker", () => {
  it("shows on the permanent URL at the very next request, memo or not", async () => {
    expect(await (await fetch(asset.permanent_url)).text()).toBe("first");
    for (const bytes of ["second", "third"]) {
      const replaced = await stack.api.PUT("/v3/assets/{uid}", {
        params: { path: { uid: asset.uid }, query: { filename: "split.txt" } },
        ...rawBody(bytes, "text/plain"),
      });
      expect(replaced.response.status).toBe(200);
      expect(await (await fetch(asset.permanent_url)).text()).toBe(bytes);
    }
  });

  it("makes every URL answer 404 after a delete, the cached versioned URL included", async () => {
    expect(await (await fetch(asset.url)).text()).toBe("first"); // cached by now
    const deleted = await stack.api.DELETE("/v3/assets/{uid}", {
      params: { path: { uid: asset.uid } },
    });
    expect(deleted.response.status).toBe(200);
    expect(await status(asset.url)).toBe(404);
    expect(await status(asset.permanent_url)).toBe(404);
  });
});
