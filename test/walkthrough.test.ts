// The README walk-through, through the worker's fetch handler.

import { describe, expect, it } from "vitest";
import {
  auth,
  call,
  createStack,
  fetchText,
  replaceAsset,
  setPermanentUrl,
  sha256Hex,
  uploadAsset,
} from "./helpers";

describe("README walk-through", () => {
  it("creates, generates a permanent URL, replaces, and serves old and new bytes", async () => {
    const stack = await createStack();
    const asset = await uploadAsset(stack, "hello.txt", "hello, world\n", {
      "asset[title]": "Greeting",
    });
    expect(asset).toMatchObject({
      title: "Greeting",
      filename: "hello.txt",
      content_type: "text/plain",
      file_size: "13",
      _version: 1,
      sha256: await sha256Hex("hello, world\n"),
    });
    expect(asset.permanent_url).toBeUndefined();
    expect(asset.url).toMatch(
      new RegExp(
        `^https://assets\\.test/v3/assets/${stack.apiKey}/${asset.uid}/[0-9a-f]{24}/hello\\.txt$`,
      ),
    );

    const v1 = await fetchText(asset.url);
    expect(v1.status).toBe(200);
    expect(v1.text).toBe("hello, world\n");
    expect(v1.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");

    const generated = await setPermanentUrl(stack, asset.uid, "greeting");
    expect(generated.status).toBe(200);
    const withSlug = (await generated.json()) as {
      notice: string;
      asset: { permanent_url: string };
    };
    expect(withSlug.notice).toBe("Permanent URL generated successfully.");
    const permanent = withSlug.asset.permanent_url;
    expect(permanent).toBe(`https://assets.test/v3/assets/${stack.apiKey}/${asset.uid}/greeting`);

    const p1 = await fetchText(permanent);
    expect(p1.status).toBe(200);
    expect(p1.text).toBe("hello, world\n");
    expect(p1.headers.get("cache-control")).toBe("public, max-age=60");
    expect(p1.headers.get("link")).toBe(`<${asset.url}>; rel="canonical"`);

    const replaced = await replaceAsset(stack, asset.uid, "hello.txt", "hello again\n");
    expect(replaced._version).toBe(2);
    expect(replaced.url).not.toBe(asset.url);
    expect(replaced.permanent_url).toBe(permanent);

    expect((await fetchText(permanent)).text).toBe("hello again\n");
    expect((await fetchText(asset.url)).text).toBe("hello, world\n");
    expect((await fetchText(replaced.url)).text).toBe("hello again\n");

    const list = await call("/v3/assets", { headers: auth(stack) });
    expect(list.status).toBe(200);
    const listed = (await list.json()) as {
      assets: { uid: string; _version: number }[];
      count: number;
    };
    expect(listed.count).toBe(1);
    expect(listed.assets[0]).toMatchObject({ uid: asset.uid, _version: 2 });
  });
});
