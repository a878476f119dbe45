// Uploads: raw and multipart bodies stream into R2, and a failed, oversized or refused upload
// leaves the asset exactly as it was (previous version current and served).

import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import {
  type AssetJson,
  auth,
  call,
  createStack,
  fetchText,
  form,
  type Stack,
  setPermanentUrl,
  sha256Hex,
  uploadAsset,
} from "./helpers";

const MAX = 8 * 1024 * 1024; // MAX_UPLOAD_BYTES in vitest.config.ts

let stack: Stack;
let asset: AssetJson;
let permanent: string;

beforeEach(async () => {
  stack = await createStack();
  asset = await uploadAsset(stack, "current.txt", "the current bytes");
  const res = await setPermanentUrl(stack, asset.uid, "current");
  asset = ((await res.json()) as { asset: AssetJson }).asset;
  permanent = asset.permanent_url as string;
});

/** The asset is unchanged: same JSON, one version, both URLs serve the same bytes, no stray objects. */
async function expectUnchanged() {
  const res = await call(`/v3/assets/${asset.uid}`, { headers: auth(stack) });
  expect(((await res.json()) as { asset: AssetJson }).asset).toEqual(asset);
  const versions = await call(`/v3/assets/${asset.uid}/versions`, { headers: auth(stack) });
  expect(((await versions.json()) as { versions: unknown[] }).versions).toHaveLength(1);
  expect((await fetchText(permanent)).text).toBe("the current bytes");
  expect((await fetchText(asset.url)).text).toBe("the current bytes");
  const objects = await env.FILES.list({ prefix: `${stack.apiKey}/${asset.uid}/` });
  expect(objects.objects).toHaveLength(1);
}

function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = x >>> 16;
  }
  return out;
}

/** A body stream that sends some bytes, then fails. */
function failingStream(sent: Uint8Array): ReadableStream<Uint8Array> {
  let step = 0;
  return new ReadableStream({
    pull(controller) {
      if (step++ === 0) controller.enqueue(sent);
      else controller.error(new Error("client went away"));
    },
  });
}

describe("raw uploads", () => {
  it("creates an asset from a raw body with ?filename= and the declared Content-Type", async () => {
    const data = bytes(300_000);
    const res = await call("/v3/assets?filename=photo.jpg", {
      method: "POST",
      headers: auth(stack, { "content-type": "image/jpeg" }),
      body: data,
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { notice: string; asset: AssetJson };
    expect(created.notice).toBe("Asset created successfully.");
    expect(created.asset).toMatchObject({
      filename: "photo.jpg",
      title: "photo.jpg",
      content_type: "image/jpeg",
      file_size: "300000",
      sha256: await sha256Hex(data),
      _version: 1,
    });
    const served = await call(created.asset.url.replace("https://assets.test", ""));
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(data);
  });

  it("stores and hashes a body many times the read buffer byte for byte", async () => {
    // The body is read into one buffer reused for every read (read-raw-body.ts), and every
    // byte must still reach R2 and the hash in order.
    const data = bytes(7 * 1024 * 1024 + 5, 13);
    const res = await call("/v3/assets?filename=big.bin", {
      method: "POST",
      headers: auth(stack, { "content-type": "application/octet-stream" }),
      body: data,
    });
    expect(res.status).toBe(201);
    const created = ((await res.json()) as { asset: AssetJson }).asset;
    expect(created.sha256).toBe(await sha256Hex(data));
    const served = await call(created.url.replace("https://assets.test", ""));
    expect(await sha256Hex(new Uint8Array(await served.arrayBuffer()))).toBe(created.sha256);
  });

  it("accepts a raw body without Content-Length (streamed in parts)", async () => {
    const data = bytes(100_000, 7);
    const res = await call(`/v3/assets/${asset.uid}?filename=stream.bin`, {
      method: "PUT",
      headers: auth(stack, { "content-type": "application/octet-stream" }),
      body: new Blob([data]).stream(),
    });
    expect(res.status).toBe(200);
    const replaced = ((await res.json()) as { asset: AssetJson }).asset;
    expect(replaced).toMatchObject({
      _version: 2,
      file_size: "100000",
      sha256: await sha256Hex(data),
    });
    expect(new Uint8Array(await (await call(new URL(permanent).pathname)).arrayBuffer())).toEqual(
      data,
    );
  });

  it("stores an empty file", async () => {
    const res = await call("/v3/assets?filename=empty.txt", {
      method: "POST",
      headers: auth(stack, { "content-type": "text/plain" }),
      body: "",
    });
    expect(res.status).toBe(201);
    const created = ((await res.json()) as { asset: AssetJson }).asset;
    expect(created.file_size).toBe("0");
    const served = await fetchText(created.url);
    expect(served.status).toBe(200);
    expect(served.text).toBe("");
    expect(served.headers.get("content-length")).toBe("0");
  });

  it("leaves the asset unchanged when the body fails mid-stream", async () => {
    const res = await call(`/v3/assets/${asset.uid}?filename=broken.txt`, {
      method: "PUT",
      headers: auth(stack, { "content-type": "text/plain", "content-length": String(128 * 1024) }),
      body: failingStream(bytes(64 * 1024)),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_code: number }).error_code).toBe(148);
    await expectUnchanged();
  });

  it("answers 413 before storing anything when Content-Length is over the limit", async () => {
    const res = await call(`/v3/assets/${asset.uid}?filename=big.bin`, {
      method: "PUT",
      headers: auth(stack, { "content-type": "application/octet-stream" }),
      body: bytes(MAX + 1),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error_code: number }).error_code).toBe(149);
    await expectUnchanged();
  });

  it("answers 413 when a body without Content-Length grows over the limit", async () => {
    const res = await call(`/v3/assets/${asset.uid}?filename=big.bin`, {
      method: "PUT",
      headers: auth(stack, { "content-type": "application/octet-stream" }),
      body: new Blob([bytes(MAX + 1)]).stream(),
    });
    expect(res.status).toBe(413);
    await res.arrayBuffer();
    await expectUnchanged();
  });

  it("answers 422 for an empty filename and 415 for a body that names no filename", async () => {
    const empty = await call(`/v3/assets/${asset.uid}?filename=`, {
      method: "PUT",
      headers: auth(stack, { "content-type": "text/plain" }),
      body: "x",
    });
    expect(empty.status).toBe(422);
    await empty.arrayBuffer();
    const none = await call(`/v3/assets/${asset.uid}`, {
      method: "PUT",
      headers: auth(stack, { "content-type": "text/plain" }),
      body: "x",
    });
    expect(none.status).toBe(415);
    await none.arrayBuffer();
    await expectUnchanged();
  });
});

describe("multipart uploads", () => {
  it("replaces a file larger than one R2 part (R2 multipart) and serves it exactly", async () => {
    const data = bytes(6 * 1024 * 1024 + 123, 3);
    const res = await call(`/v3/assets/${asset.uid}`, {
      method: "PUT",
      headers: auth(stack),
      body: form({}, { name: "large.bin", bytes: data }),
    });
    expect(res.status).toBe(200);
    const replaced = (await res.json()) as { notice: string; asset: AssetJson };
    expect(replaced.notice).toBe("Asset updated successfully.");
    expect(replaced.asset).toMatchObject({
      _version: 2,
      file_size: String(data.length),
      sha256: await sha256Hex(data),
    });
    const served = await call(new URL(permanent).pathname);
    expect(served.headers.get("content-length")).toBe(String(data.length));
    expect(await sha256Hex(new Uint8Array(await served.arrayBuffer()))).toBe(replaced.asset.sha256);
  });

  it("answers 413 for a multipart file over the limit and keeps the asset", async () => {
    const res = await call(`/v3/assets/${asset.uid}`, {
      method: "PUT",
      headers: auth(stack),
      body: form({}, { name: "huge.bin", bytes: bytes(MAX + 10) }),
    });
    expect(res.status).toBe(413);
    await res.arrayBuffer();
    await expectUnchanged();
  });

  /** A multipart body of 200 KB, encoded, with the Content-Type naming its boundary. */
  async function encodedForm() {
    const encoded = new Response(form({}, { name: "cut.txt", bytes: bytes(200_000) }));
    const contentType = encoded.headers.get("content-type") as string;
    return { body: new Uint8Array(await encoded.arrayBuffer()), contentType };
  }

  it("leaves the asset unchanged when a multipart body is cut off", async () => {
    const { body, contentType } = await encodedForm();
    const res = await call(`/v3/assets/${asset.uid}`, {
      method: "PUT",
      headers: auth(stack, { "content-type": contentType }),
      body: body.subarray(0, 150_000),
    });
    expect(res.status).toBe(400);
    await res.arrayBuffer();
    await expectUnchanged();
  });

  it("leaves the asset unchanged when a multipart body fails mid-stream", async () => {
    const { body, contentType } = await encodedForm();
    const res = await call(`/v3/assets/${asset.uid}`, {
      method: "PUT",
      headers: auth(stack, { "content-type": contentType }),
      body: failingStream(body.subarray(0, 100_000)),
    });
    expect(res.status).toBe(400);
    await res.arrayBuffer();
    await expectUnchanged();
  });

  it("refuses a slug conflict in the same form as a new file, and keeps the old version", async () => {
    const res = await call(`/v3/assets/${asset.uid}`, {
      method: "PUT",
      headers: auth(stack),
      body: form({ "asset[permanent_url]": "different" }, { name: "new.txt", bytes: "new bytes" }),
    });
    expect(res.status).toBe(409);
    await res.arrayBuffer();
    await expectUnchanged();
  });

  it.each([
    ["an unknown field", { "asset[colour]": "red" }],
    ["a duplicate file field", {}],
    ["an invalid slug", { "asset[permanent_url]": "../etc" }],
    ["an over-long title", { "asset[title]": "t".repeat(256) }],
  ])("answers 422 for %s and keeps the asset", async (name, fields) => {
    const body = form(fields, { name: "x.txt", bytes: "replacement" });
    if (name === "a duplicate file field")
      body.append("asset[upload]", new Blob(["again"]), "y.txt");
    const res = await call(`/v3/assets/${asset.uid}`, {
      method: "PUT",
      headers: auth(stack),
      body,
    });
    expect(res.status).toBe(422);
    await res.arrayBuffer();
    await expectUnchanged();
  });

  it("answers 422 when creating without a file", async () => {
    const res = await call("/v3/assets", {
      method: "POST",
      headers: auth(stack),
      body: form({ "asset[title]": "No file" }),
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: Record<string, string[]> }).errors).toHaveProperty([
      "asset[upload]",
    ]);
  });

  it("answers 400 for a multipart Content-Type without a boundary", async () => {
    const res = await call(`/v3/assets/${asset.uid}`, {
      method: "PUT",
      headers: auth(stack, { "content-type": "multipart/form-data" }),
      body: "whatever",
    });
    expect(res.status).toBe(400);
    await res.arrayBuffer();
    await expectUnchanged();
  });

  it("accepts the permanent URL as a form field without a file", async () => {
    const other = await uploadAsset(stack, "form.txt", "form");
    const res = await call(`/v3/assets/${other.uid}`, {
      method: "PUT",
      headers: auth(stack),
      body: form({ "asset[permanent_url]": "from-form" }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { notice: string; asset: AssetJson };
    expect(body.notice).toBe("Permanent URL generated successfully.");
    expect(body.asset.permanent_url).toMatch(/\/from-form$/);
  });
});

describe("filenames", () => {
  it.each([
    ["spaces and reserved characters", "my photo #1?.jpg", "my_photo__1_.jpg"],
    ["path separators", "../../etc/passwd", ".._.._etc_passwd"],
    ["a dot-dot name", "..", "_.."],
    ["Unicode (kept, percent-encoded in the URL)", "café.txt", "café.txt"],
    ["apostrophes and angle brackets", "<x>'s.txt", "_x__s.txt"],
  ])("keeps %s for display and sanitises the URL segment", async (_name, filename, safe) => {
    const created = await uploadAsset(stack, filename, "named");
    expect(created.filename).toBe(filename);
    expect(decodeURIComponent(created.url.split("/").at(-1) as string)).toBe(safe);
    const served = await fetchText(created.url);
    expect(served.status).toBe(200);
    expect(served.text).toBe("named");
  });
});

describe("client checksums", () => {
  const body = "checked bytes";
  const base64 = async (text: string) =>
    btoa(
      String.fromCharCode(
        ...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))),
      ),
    );
  const putRaw = (headers: Record<string, string>) =>
    call(`/v3/assets/${asset.uid}?filename=checked.txt`, {
      method: "PUT",
      headers: auth(stack, { "content-type": "text/plain", ...headers }),
      body,
    });

  it("accepts a raw body whose Content-Digest matches", async () => {
    const res = await putRaw({ "content-digest": `md5=:AAAA:, sha-256=:${await base64(body)}:` });
    expect(res.status).toBe(200);
    const json = (await res.json()) as { asset: AssetJson };
    expect(json.asset.sha256).toBe(await sha256Hex(body));
  });

  it.each([
    ["a digest of other bytes", async () => `sha-256=:${await base64("other")}:`],
    ["a malformed sha-256 member", async () => "sha-256=:not base64:"],
  ])("refuses %s with 422 and keeps the asset", async (_, digest) => {
    const res = await putRaw({ "content-digest": await digest() });
    expect(res.status).toBe(422);
    const json = (await res.json()) as { errors: Record<string, string[]> };
    expect(json.errors["Content-Digest"]).toBeDefined();
    await expectUnchanged();
  });

  it("checks asset[sha256] in a form, and keeps the asset on a mismatch", async () => {
    const wrong = await call(`/v3/assets/${asset.uid}`, {
      method: "PUT",
      headers: auth(stack),
      body: form({ "asset[sha256]": "0".repeat(64) }, { name: "f.txt", bytes: body }),
    });
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as { errors: Record<string, string[]> }).errors).toHaveProperty(
      "asset[sha256]",
    );
    await expectUnchanged();
    const right = await call(`/v3/assets/${asset.uid}`, {
      method: "PUT",
      headers: auth(stack),
      body: form(
        { "asset[sha256]": (await sha256Hex(body)).toUpperCase() },
        { name: "f.txt", bytes: body },
      ),
    });
    expect(right.status).toBe(200);
  });
});
