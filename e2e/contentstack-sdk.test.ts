// Contentstack's own Management SDK (@contentstack/management, pinned) against the real local
// service, exactly as a CMS integration uses it: only the endpoint changes. Every asset operation
// the SDK offers goes through the SDK's own methods (no hand-made requests), and every error must
// reach it as its usual error object. The public URLs come only from the API's answers. Asset
// references are always none here (no entries live in this service): docs/API-NOTES.md.
// Environments and delivery tokens: e2e/contentstack-sdk-environments.test.ts; publishing:
// e2e/contentstack-sdk-publishing.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Asset, Folder, Stack } from "@contentstack/management";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newStack, publicBaseUrl, sha256 } from "./api";
import { sdkError, sdkStack } from "./sdk";

const text = (data: ArrayBuffer) => Buffer.from(data).toString("utf8");

let stack: Stack;
let apiKey: string;
let tokenUid: string;
let work: string;
let folder: Folder;
let subfolder: Folder;
let fromPath: Asset;
let fromBuffer: Asset;
let firstUrl: string;
let permanentUrl: string;

beforeAll(async () => {
  const created = await newStack("Contentstack SDK");
  stack = sdkStack(created.apiKey, created.token);
  apiKey = created.apiKey;
  tokenUid = created.tokenUid;
  work = mkdtempSync(join(tmpdir(), "pau-sdk-"));
  writeFileSync(join(work, "banner.txt"), "banner, first version\n");
  writeFileSync(join(work, "banner-2.txt"), "banner, second version\n");
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the official Contentstack Management SDK", () => {
  it("creates folders with folder().create(), reads and renames them", async () => {
    folder = await stack
      .asset()
      .folder()
      .create({ asset: { name: "Banners" } });
    expect(folder).toMatchObject({ name: "Banners", is_dir: true, parent_uid: null });
    subfolder = await stack
      .asset()
      .folder()
      .create({ asset: { name: "Old", parent_uid: folder.uid } });
    expect(subfolder.parent_uid).toBe(folder.uid);

    const fetched = await stack.asset().folder(subfolder.uid).fetch();
    expect(fetched.name).toBe("Old");
    fetched.name = "Old banners";
    const renamed = await fetched.update();
    expect(renamed).toMatchObject({ uid: subfolder.uid, name: "Old banners", is_dir: true });
  });

  it("creates an asset from a file path, with title, description, tags and parent_uid", async () => {
    fromPath = await stack.asset().create({
      upload: join(work, "banner.txt"),
      title: "Banner",
      description: "The home page banner",
      tags: ["home", "hero"],
      parent_uid: folder.uid,
    });
    expect(fromPath).toMatchObject({
      title: "Banner",
      description: "The home page banner",
      tags: ["home", "hero"],
      parent_uid: folder.uid,
      is_dir: false,
      filename: "banner.txt",
      file_size: "22",
      _version: 1,
      created_by: tokenUid,
      updated_by: tokenUid,
    });
    expect(fromPath.sha256).toBe(sha256("banner, first version\n"));
    expect(fromPath.url.startsWith(`${publicBaseUrl}/v3/assets/`)).toBe(true);
    firstUrl = fromPath.url;
  });

  it("creates an asset from a Buffer", async () => {
    fromBuffer = await stack.asset().create({
      upload: Buffer.from("raw buffer bytes"),
      filename: "buffer.bin",
      content_type: "application/x-test",
      title: "From a Buffer",
      tags: "buffer",
      parent_uid: subfolder.uid,
    });
    expect(fromBuffer).toMatchObject({
      title: "From a Buffer",
      filename: "buffer.bin",
      content_type: "application/x-test",
      file_size: "16",
      tags: ["buffer"],
      parent_uid: subfolder.uid,
    });
  });

  it("fetches an asset", async () => {
    const fetched = await stack.asset(fromPath.uid).fetch();
    expect(fetched.uid).toBe(fromPath.uid);
    expect(fetched.title).toBe("Banner");
    expect(fetched.url).toBe(firstUrl);
  });

  it("updates title, description, tags and permanent_url with update() after fetch()", async () => {
    const fetched = await stack.asset(fromPath.uid).fetch();
    fetched.title = "Home banner";
    fetched.description = "Shown on the home page";
    fetched.tags = ["home", "launch"];
    fetched.permanent_url = "home-banner";
    const updated = await fetched.update();
    permanentUrl = `${publicBaseUrl}/v3/assets/${apiKey}/${fromPath.uid}/home-banner`;
    expect(updated).toMatchObject({
      uid: fromPath.uid,
      title: "Home banner",
      description: "Shown on the home page",
      tags: ["home", "launch"],
      permanent_url: permanentUrl,
      url: firstUrl,
      _version: 1,
    });
    const again = await stack.asset(fromPath.uid).fetch();
    expect(again.permanent_url).toBe(permanentUrl);

    // An update of the refetched asset sends the standing permanent URL back: no conflict.
    again.title = "Home banner (final)";
    expect((await again.update()).title).toBe("Home banner (final)");
  });

  it("throws a 409 naming the standing URL when a second update() sets another slug", async () => {
    const fetched = await stack.asset(fromPath.uid).fetch();
    fetched.permanent_url = "another-slug";
    fetched.title = "Never applied";
    const error = await sdkError(() => fetched.update());
    expect(error.status).toBe(409);
    expect(error.errorCode).toBe(147);
    expect(error.errorMessage).toContain(permanentUrl);
    expect(error.message).toContain(permanentUrl);
    expect(error.errors).toEqual({ permanent_url: ["has already been set"] });
    expect((await stack.asset(fromPath.uid).fetch()).title).toBe("Home banner (final)");
  });

  it("replaces the file: a new version and URL, and the permanent URL serves the new bytes", async () => {
    const replaced = await stack
      .asset(fromPath.uid)
      .replace({ upload: join(work, "banner-2.txt"), title: "Home banner v2" });
    expect(replaced).toMatchObject({
      _version: 2,
      filename: "banner-2.txt",
      title: "Home banner v2",
      permanent_url: permanentUrl,
      parent_uid: folder.uid,
    });
    expect(replaced.url).not.toBe(firstUrl);
    const served = await stack.asset().download({ url: permanentUrl, responseType: "arraybuffer" });
    expect(text(served.data)).toBe("banner, second version\n");
  });

  it("fetches an older version with fetch({ version })", async () => {
    const first = await stack.asset(fromPath.uid).fetch({ version: 1 });
    expect(first).toMatchObject({
      uid: fromPath.uid,
      _version: 1,
      filename: "banner.txt",
      url: firstUrl,
      title: "Home banner v2",
    });
    const missing = await sdkError(() => stack.asset(fromPath.uid).fetch({ version: 9 }));
    expect(missing).toMatchObject({ status: 404, errorCode: 159 });
  });

  it("downloads through both URL kinds with download()", async () => {
    const current = await stack.asset(fromPath.uid).fetch();
    // Without a url, download() takes the asset's own (the versioned URL).
    const versioned = await current.download({ responseType: "arraybuffer" });
    expect(versioned.status).toBe(200);
    expect(text(versioned.data)).toBe("banner, second version\n");
    const old = await stack.asset().download({ url: firstUrl, responseType: "arraybuffer" });
    expect(text(old.data)).toBe("banner, first version\n");
    const permanent = await stack
      .asset()
      .download({ url: current.permanent_url ?? "", responseType: "arraybuffer" });
    expect(permanent.headers.link).toBe(`<${current.url}>; rel="canonical"`);
    expect(text(permanent.data)).toBe("banner, second version\n");
  });

  it("queries with find(): include_count, skip, limit, asc/desc and a query filter", async () => {
    const extra = await stack.asset().create({
      upload: Buffer.from("z"),
      filename: "z.txt",
      content_type: "text/plain",
      title: "Zebra",
      tags: ["home"],
    });
    const all = await stack.asset().query({ include_count: true, asc: "title" }).find();
    expect(all.count).toBe(3);
    expect(all.items.map((a) => a.title)).toEqual(["From a Buffer", "Home banner v2", "Zebra"]);
    const page = await stack
      .asset()
      .query({ include_count: true, desc: "title", skip: 1, limit: 1 })
      .find();
    expect(page.count).toBe(3);
    expect(page.items.map((a) => a.title)).toEqual(["Home banner v2"]);
    const tagged = await stack
      .asset()
      .query({ include_count: true, query: { tags: { $in: ["home"] }, file_size: { $lt: 10 } } })
      .find();
    expect(tagged.items.map((a) => a.uid)).toEqual([extra.uid]);
    expect(tagged.count).toBe(1);
    const regex = await stack
      .asset()
      .query({ query: { title: { $regex: "^home", $options: "i" } } })
      .find();
    expect(regex.items.map((a) => a.uid)).toEqual([fromPath.uid]);
    // The SDK's own sanity tests filter by type this way.
    const typed = await stack
      .asset()
      .query({ query: { content_type: { $regex: "x-test" } } })
      .find();
    expect(typed.items.map((a) => a.uid)).toEqual([fromBuffer.uid]);
    // The items are SDK assets: their methods work.
    expect((await regex.items[0]?.fetch())?.uid).toBe(fromPath.uid);
  });

  it("counts with count() and takes the first with findOne()", async () => {
    expect(
      await stack
        .asset()
        .query({ query: { tags: "home" } })
        .count(),
    ).toEqual({ assets: 2 });
    expect(await stack.asset().query().count()).toEqual({ assets: 3 });
    const newest = await stack.asset().query({ desc: "created_at" }).findOne();
    expect(newest.items).toHaveLength(1);
    expect(newest.items[0]?.title).toBe("Zebra");
    const none = await stack
      .asset()
      .query({ query: { title: "nothing" } })
      .findOne();
    expect(none.items).toEqual([]);
  });

  it("lists a folder, with its folders when include_folders is set", async () => {
    const inFolder = await stack.asset().query({ folder: folder.uid }).find();
    expect(inFolder.items.map((a) => a.uid)).toEqual([fromPath.uid]);
    const withFolders = await stack
      .asset()
      .query({ folder: folder.uid, include_folders: true, asc: "title" })
      .find();
    expect(withFolders.items.map((a) => [a.uid, a.is_dir])).toEqual([
      [fromPath.uid, false],
      [subfolder.uid, true],
    ]);
    const root = await stack.asset().query({ folder: "cs_root", include_folders: true }).find();
    expect(root.items.map((a) => a.title ?? a.name).sort()).toEqual(["Banners", "Zebra"]);
  });

  it("moves an asset between folders with update(), its URLs unchanged", async () => {
    const fetched = await stack.asset(fromBuffer.uid).fetch();
    fetched.parent_uid = folder.uid;
    const moved = await fetched.update();
    expect(moved).toMatchObject({ parent_uid: folder.uid, url: fromBuffer.url });
    const served = await stack.asset().download({ url: moved.url, responseType: "arraybuffer" });
    expect(text(served.data)).toBe("raw buffer bytes");
  });

  it("gets every error as the SDK's error object", async () => {
    const unknown = await sdkError(() => stack.asset("blt0000000000000000").fetch());
    expect(unknown).toMatchObject({
      status: 404,
      errorCode: 145,
      errorMessage: "Asset was not found.",
      errors: {},
    });
    const fetched = await stack.asset(fromPath.uid).fetch();
    fetched.tags = ["no,commas"];
    const invalid = await sdkError(() => fetched.update());
    expect(invalid).toMatchObject({
      status: 422,
      errorCode: 141,
      errors: { tags: ["a tag must not contain a comma"] },
    });
    const badQuery = await sdkError(() =>
      stack
        .asset()
        .query({ query: { $where: "this.title" } })
        .find(),
    );
    expect(badQuery.status).toBe(422);
    expect(badQuery.errors.query?.[0]).toContain("$where is not a supported operator");
    expect(fromPath.stackHeaders.api_key).toBe(apiKey);
    const badToken = sdkStack(apiKey, "cs-wrong");
    expect(await sdkError(() => badToken.asset().query().find())).toMatchObject({
      status: 401,
      errorCode: 105,
    });
  });

  it("refuses publishing to an environment the stack lacks with the SDK's 422; references are none", async () => {
    const asset = await stack.asset(fromPath.uid).fetch();
    // Publishing itself: e2e/contentstack-sdk-publishing.test.ts.
    const publish = await sdkError(() =>
      asset.publish({ publishDetails: { locales: ["en-us"], environments: ["production"] } }),
    );
    expect(publish).toMatchObject({ status: 422, errorCode: 141 });
    const unpublish = await sdkError(() =>
      asset.unpublish({ publishDetails: { locales: ["en-us"], environments: ["production"] } }),
    );
    expect(unpublish).toMatchObject({ status: 422, errorCode: 141 });
    // No entries live in this service, so no entry uses the asset.
    expect(await asset.getReferences()).toEqual({ references: [] });
  });

  it("refuses to delete a folder that is not empty, then deletes assets and folders", async () => {
    const refused = await sdkError(() => stack.asset().folder(folder.uid).delete());
    expect(refused).toMatchObject({ status: 409, errorCode: 161 });

    for (const uid of [fromPath.uid, fromBuffer.uid]) {
      expect(await stack.asset(uid).delete()).toEqual({ notice: "Asset deleted successfully." });
    }
    expect(await stack.asset().folder(subfolder.uid).delete()).toEqual({
      notice: "Folder deleted successfully.",
    });
    expect(await stack.asset().folder(folder.uid).delete()).toEqual({
      notice: "Folder deleted successfully.",
    });
    expect(await sdkError(() => stack.asset(fromPath.uid).fetch())).toMatchObject({ status: 404 });
    const gone = await sdkError(() =>
      stack.asset().download({ url: permanentUrl, responseType: "arraybuffer" }),
    );
    expect(gone.status).toBe(404);
  });
});
