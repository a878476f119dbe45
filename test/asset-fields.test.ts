// The asset fields the CMA has (tags, parent_uid, is_dir, created_by/updated_by), PUT taking
// back a whole fetched asset (read-only fields ignored, the exactly-once rule intact),
// GET ?version=N, and the notices.

import { beforeEach, describe, expect, it } from "vitest";
import {
  ADMIN_TOKEN,
  type AssetJson,
  auth,
  call,
  createStack,
  replaceAsset,
  type Stack,
  setPermanentUrl,
  uploadAsset,
} from "./helpers";

let stack: Stack;

const put = (uid: string, asset: unknown, who: Stack = stack) =>
  call(`/v3/assets/${uid}`, {
    method: "PUT",
    headers: auth(who, { "content-type": "application/json" }),
    body: JSON.stringify({ asset }),
  });

async function read(uid: string, query = "") {
  const res = await call(`/v3/assets/${uid}${query}`, { headers: auth(stack) });
  return {
    status: res.status,
    body: (await res.json()) as { asset: AssetJson; error_code?: number },
  };
}

beforeEach(async () => {
  stack = await createStack("Fields");
});

describe("tags", () => {
  it("takes tags as comma-separated form text and as a JSON array, and answers an array", async () => {
    const asset = await uploadAsset(stack, "t.txt", "t", { "asset[tags]": " home , hero ,home" });
    expect(asset.tags).toEqual(["home", "hero"]);
    const res = await put(asset.uid, { tags: ["launch", "Home"] });
    expect(((await res.json()) as { asset: AssetJson }).asset.tags).toEqual(["launch", "Home"]);
    const cleared = await put(asset.uid, { tags: [] });
    expect(((await cleared.json()) as { asset: AssetJson }).asset.tags).toEqual([]);
    const emptyForm = await uploadAsset(stack, "u.txt", "u", { "asset[tags]": "" });
    expect(emptyForm.tags).toEqual([]);
  });

  it.each([
    [["a,b"], "a tag must not contain a comma"],
    [[""], "a tag must not be empty"],
    [Array.from({ length: 51 }, (_, i) => `t${i}`), "must have at most 50 tags"],
    ["home", "must be an array of strings"],
  ])("refuses tags %j with a 422", async (tags, reason) => {
    const asset = await uploadAsset(stack, "t.txt", "t");
    const res = await put(asset.uid, { tags });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ errors: { tags: [reason] } });
    expect((await read(asset.uid)).body.asset).toEqual(asset);
  });

  it("replaces a file with the SDK's form fields (title, description, tags, parent_uid)", async () => {
    const asset = await uploadAsset(stack, "r.txt", "one");
    const form = new FormData();
    form.append("asset[parent_uid]", "");
    form.append("asset[description]", "second");
    form.append("asset[tags]", "a,b");
    form.append("asset[title]", "Replaced");
    form.append("asset[upload]", new Blob(["two"], { type: "text/plain" }), "r2.txt");
    const res = await call(`/v3/assets/${asset.uid}`, {
      method: "PUT",
      headers: auth(stack),
      body: form,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { asset: AssetJson }).asset).toMatchObject({
      _version: 2,
      filename: "r2.txt",
      title: "Replaced",
      description: "second",
      tags: ["a", "b"],
      parent_uid: null,
    });
  });
});

describe("PUT with a whole fetched asset", () => {
  it("ignores every read-only field, whatever its value, and applies the rest", async () => {
    const asset = await uploadAsset(stack, "whole.txt", "whole");
    const res = await put(asset.uid, {
      ...asset,
      uid: undefined,
      title: "New title",
      url: "https://evil.example/x",
      filename: "evil.exe",
      content_type: "application/x-evil",
      file_size: "1",
      sha256: "0".repeat(64),
      _version: 99,
      is_dir: true,
      dimension: { width: 1, height: 1 },
      created_at: "2000-01-01T00:00:00.000Z",
      created_by: "blt0000000000000000",
      updated_by: "someone",
    });
    expect(res.status).toBe(200);
    const updated = ((await res.json()) as { notice: string; asset: AssetJson }).asset;
    expect(updated).toEqual({
      ...asset,
      title: "New title",
      updated_at: updated.updated_at,
    });
    expect(updated.updated_at >= asset.updated_at).toBe(true);
  });

  it("changes nothing when sent back unchanged, not even updated_at", async () => {
    const asset = await uploadAsset(stack, "same.txt", "same");
    const res = await put(asset.uid, asset);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ notice: "Asset updated successfully.", asset });
  });

  it("refuses another asset's uid, and a field no asset has", async () => {
    const asset = await uploadAsset(stack, "a.txt", "a");
    const other = await uploadAsset(stack, "b.txt", "b");
    const wrong = await put(asset.uid, { ...other, title: "overwrite" });
    expect(wrong.status).toBe(422);
    expect(await wrong.json()).toMatchObject({
      errors: { uid: ["is not the uid of the asset in the URL"] },
    });
    const unknown = await put(asset.uid, { ...asset, ACL: {}, publish_details: [] });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({
      errors: { ACL: ["is not a known field"], publish_details: ["is not a known field"] },
    });
    expect((await read(asset.uid)).body.asset).toEqual(asset);
  });

  it("keeps the exactly-once rule: the standing URL again is fine, another is a 409", async () => {
    const asset = await uploadAsset(stack, "once.txt", "once");
    const set = await put(asset.uid, { ...asset, permanent_url: "first" });
    const body = (await set.json()) as { notice: string; asset: AssetJson };
    expect(body.notice).toBe("Permanent URL generated successfully.");
    const fetched = body.asset;

    // The SDK sends the standing permanent_url back with every update: that is no new URL.
    const retitled = await put(asset.uid, { ...fetched, title: "Retitled" });
    expect(await retitled.json()).toMatchObject({
      notice: "Asset updated successfully.",
      asset: { title: "Retitled", permanent_url: fetched.permanent_url },
    });
    const again = await put(asset.uid, { ...fetched, title: "Retitled" });
    expect(await again.json()).toMatchObject({ notice: "Permanent URL generated successfully." });

    const other = await put(asset.uid, { ...fetched, permanent_url: "second", title: "Lost" });
    expect(other.status).toBe(409);
    const error = (await other.json()) as { error_message: string };
    expect(error.error_message).toContain(fetched.permanent_url);
    expect((await read(asset.uid)).body.asset).toMatchObject({
      title: "Retitled",
      permanent_url: fetched.permanent_url,
    });
  });

  it("takes back an asset fetched with relative_urls=true, its permanent_url a path", async () => {
    const asset = await uploadAsset(stack, "relative.txt", "relative");
    await put(asset.uid, { permanent_url: "relative-slug" });
    const res = await call(`/v3/assets/${asset.uid}?relative_urls=true`, { headers: auth(stack) });
    const fetched = ((await res.json()) as { asset: AssetJson }).asset;
    expect(fetched.permanent_url).toBe(`/v3/assets/${stack.apiKey}/${asset.uid}/relative-slug`);
    const back = await put(asset.uid, { ...fetched, title: "Relative" });
    expect(back.status).toBe(200);
    expect((await read(asset.uid)).body.asset).toMatchObject({
      title: "Relative",
      permanent_url: new URL(fetched.permanent_url as string, asset.url).href,
    });
  });

  it("names everything it can change when given nothing to change", async () => {
    const asset = await uploadAsset(stack, "n.txt", "n");
    const res = await put(asset.uid, { url: asset.url, _version: 1 });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      errors: {
        asset: [
          "nothing to update: send a file, title, description, tags, parent_uid or permanent_url",
        ],
      },
    });
  });
});

describe("created_by and updated_by", () => {
  it("are the uids of the tokens that created and last changed the asset", async () => {
    const asset = await uploadAsset(stack, "who.txt", "who");
    expect(asset).toMatchObject({ created_by: stack.tokenUid, updated_by: stack.tokenUid });
    const minted = await call("/v3/stacks/management_tokens", {
      method: "POST",
      headers: { authorization: ADMIN_TOKEN, api_key: stack.apiKey },
    });
    const second = ((await minted.json()) as { management_token: { uid: string; token: string } })
      .management_token;
    const editor: Stack = { ...stack, token: second.token, tokenUid: second.uid };
    const res = await put(asset.uid, { title: "Edited" }, editor);
    expect(((await res.json()) as { asset: AssetJson }).asset).toMatchObject({
      created_by: stack.tokenUid,
      updated_by: second.uid,
    });
  });
});

describe("GET ?version=N", () => {
  it("shows an older version's file with the asset's other fields as they are now", async () => {
    const asset = await uploadAsset(stack, "v1.txt", "one", { "asset[tags]": "x" });
    const permanent = (
      (await (await setPermanentUrl(stack, asset.uid, "v")).json()) as {
        asset: AssetJson;
      }
    ).asset;
    const replaced = await replaceAsset(stack, asset.uid, "v2.txt", "two!");
    const first = await read(asset.uid, "?version=1");
    expect(first.status).toBe(200);
    expect(first.body.asset).toEqual({
      ...replaced,
      _version: 1,
      filename: "v1.txt",
      file_size: "3",
      sha256: asset.sha256,
      url: asset.url,
      content_type: asset.content_type,
    });
    expect(first.body.asset.permanent_url).toBe(permanent.permanent_url);
    expect((await read(asset.uid, "?version=2")).body.asset).toEqual(replaced);
  });

  it("answers 404 for a version the asset never had, 422 for a value that is no version", async () => {
    const asset = await uploadAsset(stack, "v.txt", "v");
    const missing = await read(asset.uid, "?version=2");
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe(159);
    for (const bad of ["0", "-1", "1.5", "abc", "99999999999999999999"]) {
      expect((await read(asset.uid, `?version=${bad}`)).status, bad).toBe(422);
    }
    expect((await read("blt0000000000000000", "?version=1")).status).toBe(404);
  });
});
