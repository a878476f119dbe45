// `?environment={name}` on both public URL kinds (delivery/environment-version.ts through
// serve.ts): the version an environment holds, with the same HTTP behaviour as without it
// (ranges, conditionals, HEAD, image parameters, redirect mode), the short caching of the
// permanent URL, and every change (publish, unpublish, rename) shown on the next request.

import { beforeAll, describe, expect, it } from "vitest";
import { imageFixture } from "./fixtures/images/decoded";
import {
  type AssetJson,
  countCalls,
  createStack,
  fetchText,
  publishAsset,
  replaceAsset,
  runWorker,
  type Stack,
  sendJson,
  uploadAsset,
} from "./helpers";
import { assetWithVersions, createEnvironments } from "./publishing-fixtures";

let stack: Stack;
let permanent: string;
/** Version 1 published to production, 2 to staging; 3 is the latest, published nowhere. */
let v1: AssetJson;
let v2: AssetJson;
let v3: AssetJson;

const env = (url: string, name: string, extra = "") => `${url}?environment=${name}${extra}`;

beforeAll(async () => {
  stack = await createStack("Environments at the edge");
  await createEnvironments(stack, ["production", "staging", "preview"]);
  const notes = await assetWithVersions(stack, "notes", [
    { name: "notes.txt", bytes: "version one", publish: { environments: ["production"] } },
    { name: "notes.txt", bytes: "version two!", publish: { environments: ["staging"] } },
    { name: "notes-3.txt", bytes: "version three, the latest" },
  ]);
  [v1, v2, v3] = notes.versions;
  permanent = notes.permanent as string;
});

describe("the permanent URL with ?environment=", () => {
  it("serves each environment's version, and the latest without it", async () => {
    const [production, staging, latest] = await Promise.all([
      fetchText(env(permanent, "production")),
      fetchText(env(permanent, "staging")),
      fetchText(permanent),
    ]);
    expect([production.text, staging.text, latest.text]).toEqual([
      "version one",
      "version two!",
      "version three, the latest",
    ]);
    const versioned = await fetchText(v1.url);
    for (const h of ["etag", "last-modified", "content-length", "content-type"]) {
      expect(production.headers.get(h), h).toBe(versioned.headers.get(h));
    }
    expect(production.headers.get("etag")).not.toBe(staging.headers.get("etag"));
    expect(production.headers.get("cache-control")).toBe("public, max-age=60");
    expect(production.headers.get("link")).toBe(`<${v1.url}>; rel="canonical"`);
    expect(production.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("answers 404, kept by no cache, for an unknown environment or nothing published there", async () => {
    for (const name of ["nowhere", "", "preview", "constructor", "Production"]) {
      const res = await fetchText(env(permanent, name));
      expect(res.status, name).toBe(404);
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
    const wrongSlug = await fetchText(env(permanent.replace(/notes$/, "other"), "production"));
    expect(wrongSlug.status).toBe(404);
  });

  it("answers ranges, conditionals and HEAD as without it", async () => {
    const range = await fetchText(env(permanent, "production"), { headers: { range: "bytes=8-" } });
    expect(range.status).toBe(206);
    expect(range.text).toBe("one");
    expect(range.headers.get("content-range")).toBe("bytes 8-10/11");
    const etag = (await fetchText(env(permanent, "production"))).headers.get("etag") ?? "";
    const same = await fetchText(env(permanent, "production"), {
      headers: { "if-none-match": etag },
    });
    expect(same.status).toBe(304);
    expect(same.headers.get("cache-control")).toBe("public, max-age=60");
    // The latest version's ETag does not match the environment's.
    const latest = await fetchText(env(permanent, "staging"), {
      headers: { "if-none-match": etag },
    });
    expect(latest.status).toBe(200);
    const failed = await fetchText(env(permanent, "production"), {
      headers: { "if-match": '"other"' },
    });
    expect(failed.status).toBe(412);
    const head = await fetchText(env(permanent, "production"), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    expect(head.headers.get("content-length")).toBe("11");
  });

  it("keeps ?dl with it", async () => {
    const res = await fetchText(env(permanent, "production", "&dl"));
    expect(res.headers.get("content-disposition")).toContain('filename="notes.txt"');
  });

  it("redirects to the environment's versioned URL in redirect mode, without the parameter", async () => {
    const redirect = { PERMANENT_URL_MODE: "redirect" };
    const res = await runWorker(env(permanent, "production", "&dl=x.txt"), {}, redirect);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${v1.url}?dl=x.txt`);
    expect(res.headers.get("cache-control")).toBe("public, max-age=60");
    const bare = await runWorker(env(permanent, "staging"), {}, redirect);
    expect(bare.headers.get("location")).toBe(v2.url);
    expect((await runWorker(env(permanent, "nowhere"), {}, redirect)).status).toBe(404);
  });

  it("costs one more KV read than the plain URL (run beside it), and no Durable Object", async () => {
    // (Each counted request has a memo of its own: these are the reads a memo miss makes.)
    const plain = await countCalls(permanent, { method: "HEAD" });
    expect(plain.counts).toEqual({ "kv.get": 1 });
    const staged = await countCalls(env(permanent, "staging"), { method: "HEAD" });
    expect(staged.status).toBe(200);
    expect(staged.counts).toEqual({ "kv.get": 2 });
  });
});

describe("the versioned URL with ?environment=", () => {
  it("serves the environment's own version, with the permanent URL's short caching", async () => {
    const res = await fetchText(env(v1.url, "production"));
    expect(res.status).toBe(200);
    expect(res.text).toBe("version one");
    expect(res.headers.get("cache-control")).toBe("public, max-age=60");
    const plain = await fetchText(v1.url);
    expect(plain.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(plain.headers.get("etag")).toBe(res.headers.get("etag"));
  });

  it("answers 404 for a version the environment does not hold", async () => {
    for (const [url, name] of [
      [v2.url, "production"],
      [v3.url, "production"],
      [v1.url, "staging"],
      [v1.url, "preview"],
      [v1.url, "nowhere"],
    ] as const) {
      const res = await fetchText(env(url, name));
      expect(res.status, `${url} ${name}`).toBe(404);
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("answers ranges and conditionals as without it", async () => {
    const range = await fetchText(env(v2.url, "staging"), { headers: { range: "bytes=0-6" } });
    expect(range.status).toBe(206);
    expect(range.text).toBe("version");
    const etag = range.headers.get("etag") ?? "";
    const same = await fetchText(env(v2.url, "staging"), { headers: { "if-none-match": etag } });
    expect(same.status).toBe(304);
    expect(same.headers.get("cache-control")).toBe("public, max-age=60");
  });
});

describe("image parameters with ?environment=", () => {
  let image: AssetJson;
  let imagePermanent: string;

  beforeAll(async () => {
    const logo = await assetWithVersions(stack, "logo", [
      {
        name: "logo.png",
        bytes: imageFixture("png-123x45.png"),
        type: "image/png",
        publish: { environments: ["production"] },
      },
      { name: "logo.png", bytes: "no longer an image" },
    ]);
    [image] = logo.versions;
    imagePermanent = logo.permanent as string;
  });

  it("transform the environment's version, as one variant with the versioned URL's", async () => {
    const variant = await countCalls(env(imagePermanent, "production", "&width=60&format=webp"));
    expect(variant.status).toBe(200);
    expect(variant.headers.get("content-type")).toBe("image/webp");
    // `environment` is not part of the variant's key: the versioned URL's variant is the same.
    const same = await countCalls(`${image.url}?width=60&format=webp`);
    expect(same.counts["images.input"] ?? 0).toBe(0);
    expect(same.headers.get("etag")).toBe(variant.headers.get("etag"));
    expect(same.bytes).toEqual(variant.bytes);
    // The latest version is text: without the environment, its own bytes.
    const latest = await fetchText(`${imagePermanent}?width=60&format=webp`);
    expect(latest.text).toBe("no longer an image");
  });

  it("refuses a bad image parameter with a 400, environment or not", async () => {
    const res = await fetchText(env(imagePermanent, "production", "&width=-1"));
    expect(res.status).toBe(400);
  });
});

describe("changes reach the edge on the next request", () => {
  it("shows a publish, an unpublish and a rename", async () => {
    const doc = await uploadAsset(stack, "doc.txt", "first", { "asset[permanent_url]": "doc" });
    const url = doc.permanent_url as string;
    expect((await fetchText(env(url, "preview"))).status).toBe(404);
    await publishAsset(stack, doc.uid, { environments: ["preview"] });
    expect((await fetchText(env(url, "preview"))).text).toBe("first");
    await replaceAsset(stack, doc.uid, "doc.txt", "second");
    expect((await fetchText(env(url, "preview"))).text).toBe("first");
    await publishAsset(stack, doc.uid, { environments: ["preview"] });
    expect((await fetchText(env(url, "preview"))).text).toBe("second");
    const renamed = await sendJson(stack, "PUT", "/v3/environments/preview", {
      environment: { name: "review" },
    });
    expect(renamed.status).toBe(200);
    expect((await fetchText(env(url, "preview"))).status).toBe(404);
    expect((await fetchText(env(url, "review"))).text).toBe("second");
    await publishAsset(stack, doc.uid, { environments: ["review"] }, { action: "unpublish" });
    expect((await fetchText(env(url, "review"))).status).toBe(404);
    expect((await fetchText(url)).text).toBe("second");
  });
});
