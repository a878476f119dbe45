// An image's `dimension` is read from its header while the upload streams (no decoding, no second
// read): for every fixture image through a form, raw uploads with and without Content-Length, a
// replacement, and an upload session whose part 1 arrives after part 2. Other files have none.

import { beforeAll, describe, expect, it } from "vitest";
import { displayedSize } from "../src/upload/file-facts";
import { IMAGE_FIXTURES, type ImageFixture } from "./fixtures/images/index";
import {
  type AssetJson,
  auth,
  call,
  createStack,
  replaceAsset,
  type Stack,
  uploadAsset,
} from "./helpers";

let stack: Stack;

beforeAll(async () => {
  stack = await createStack("Dimensions");
});

const bytesOf = (fixture: ImageFixture) =>
  Uint8Array.from(atob(fixture.base64), (ch) => ch.charCodeAt(0));

/** What the fixture looks like on screen: its stored size, turned by its EXIF orientation. */
const shown = (fixture: ImageFixture) =>
  displayedSize({ width: fixture.width, height: fixture.height }, fixture.orientation);

const assetOf = async (res: Response) => {
  const body = (await res.json()) as { asset: AssetJson };
  expect(res.status, JSON.stringify(body)).toBeLessThan(300);
  return body.asset;
};

describe("dimension", () => {
  it.each(IMAGE_FIXTURES.map((f) => [f.name, f] as const))(
    "is the displayed size of %s uploaded in a form",
    async (_name, fixture) => {
      const asset = await uploadAsset(stack, fixture.name, bytesOf(fixture), {}, "");
      expect(asset.dimension).toEqual(shown(fixture));
      const read = await call(`/v3/assets/${asset.uid}`, { headers: auth(stack) });
      expect((await assetOf(read)).dimension).toEqual(shown(fixture));
    },
  );

  it("turns a JPEG whose EXIF orientation is a quarter turn", () => {
    const turned = IMAGE_FIXTURES.find((f) => f.name === "jpeg-exif-orientation-6-45x123.jpg");
    expect(turned && shown(turned)).toEqual({ width: 123, height: 45 });
  });

  it("is read from raw uploads, with and without Content-Length", async () => {
    const fixture = IMAGE_FIXTURES.find((f) => f.name === "webp-lossy-123x45.webp");
    if (!fixture) throw new Error("no fixture");
    const known = await call("/v3/assets?filename=known.webp", {
      method: "POST",
      headers: auth(stack, { "content-type": "image/webp" }),
      body: bytesOf(fixture),
    });
    expect((await assetOf(known)).dimension).toEqual({ width: 123, height: 45 });
    const streamed = await call("/v3/assets?filename=streamed.webp", {
      method: "POST",
      headers: auth(stack, { "content-type": "image/webp" }),
      body: new Blob([bytesOf(fixture)]).stream(),
    });
    expect((await assetOf(streamed)).dimension).toEqual({ width: 123, height: 45 });
  });

  it("follows the current version, and ?version=N shows an older one's", async () => {
    const png = IMAGE_FIXTURES.find((f) => f.name === "png-123x45.png");
    const gif = IMAGE_FIXTURES.find((f) => f.name === "jpeg-grey-7x300.jpg");
    if (!png || !gif) throw new Error("no fixture");
    const asset = await uploadAsset(stack, "a.png", bytesOf(png), {}, "image/png");
    const form = new FormData();
    form.append("asset[upload]", new Blob([bytesOf(gif)], { type: "image/jpeg" }), "b.jpg");
    const replaced = await assetOf(
      await call(`/v3/assets/${asset.uid}`, { method: "PUT", headers: auth(stack), body: form }),
    );
    expect(replaced.dimension).toEqual({ width: 7, height: 300 });
    const first = await call(`/v3/assets/${asset.uid}?version=1`, { headers: auth(stack) });
    expect((await assetOf(first)).dimension).toEqual({ width: 123, height: 45 });
    // A text file after an image: no dimension at all.
    const text = await replaceAsset(stack, asset.uid, "c.txt", "not an image");
    expect(text).not.toHaveProperty("dimension");
  });

  it("is absent for a file that is not a raster image, even one named .png", async () => {
    const asset = await uploadAsset(stack, "fake.png", "plain text", {}, "image/png");
    expect(asset).not.toHaveProperty("dimension");
    const svg = await uploadAsset(
      stack,
      "i.svg",
      '<svg width="10" height="10"/>',
      {},
      "image/svg+xml",
    );
    expect(svg).not.toHaveProperty("dimension");
  });

  it("is read from part 1 of an upload session, whatever order the parts come in", async () => {
    const png = IMAGE_FIXTURES.find((f) => f.name === "png-interlaced-300x2.png");
    if (!png) throw new Error("no fixture");
    const PART = 5 * 1024 * 1024;
    const file = new Uint8Array(PART + 1000);
    file.set(bytesOf(png));
    const started = await call("/v3/uploads", {
      method: "POST",
      headers: auth(stack, { "content-type": "application/json" }),
      body: JSON.stringify({
        upload: { filename: "big.png", file_size: file.byteLength, part_size: PART },
      }),
    });
    const { upload } = (await started.json()) as { upload: { uid: string } };
    for (const [n, bytes] of [
      [2, file.subarray(PART)],
      [1, file.subarray(0, PART)],
    ] as const) {
      const part = await call(`/v3/uploads/${upload.uid}/parts/${n}`, {
        method: "PUT",
        headers: auth(stack, { "content-length": String(bytes.byteLength) }),
        body: bytes,
      });
      expect(part.status).toBe(200);
      await part.arrayBuffer();
    }
    const completed = await call(`/v3/uploads/${upload.uid}/complete`, {
      method: "POST",
      headers: auth(stack),
    });
    expect((await assetOf(completed)).dimension).toEqual({ width: 300, height: 2 });
  });
});
