// Folders (POST/GET/PUT/DELETE /v3/assets/folders) and assets moving between them: folders never
// form a cycle, only an empty folder can be deleted (a move under way counts), another stack's
// folder is no folder here, and a move or a tag edit never changes any URL of an asset.

import { env, runInDurableObject } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { readModelKey } from "../src/domain/kv-records";
import type { FolderJson } from "../src/http/response-schemas";
import type { StackObject } from "../src/objects/stack-object";
import { stackStub } from "../src/objects/stubs";
import {
  type AssetJson,
  auth,
  call,
  createStack,
  fetchText,
  type Stack,
  setPermanentUrl,
  uploadAsset,
} from "./helpers";

let stack: Stack;

const json = (method: string, body: unknown, who: Stack = stack) => ({
  method,
  headers: auth(who, { "content-type": "application/json" }),
  body: JSON.stringify(body),
});

async function createFolder(name: string, parent?: string | null, who: Stack = stack) {
  const res = await call(
    "/v3/assets/folders",
    json("POST", { asset: { name, ...(parent !== undefined ? { parent_uid: parent } : {}) } }, who),
  );
  const body = (await res.json()) as { notice: string; asset: FolderJson };
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.asset;
}

const moveFolder = (uid: string, asset: Record<string, unknown>) =>
  call(`/v3/assets/folders/${uid}`, json("PUT", { asset }));
const deleteFolder = (uid: string) =>
  call(`/v3/assets/folders/${uid}`, { method: "DELETE", headers: auth(stack) });
const moveAsset = (uid: string, asset: Record<string, unknown>) =>
  call(`/v3/assets/${uid}`, json("PUT", { asset }));

beforeEach(async () => {
  stack = await createStack("Folders");
});

describe("folders", () => {
  it("creates, reads, renames and moves a folder, recording who did it", async () => {
    const top = await createFolder("Top");
    expect(top).toMatchObject({
      name: "Top",
      parent_uid: null,
      is_dir: true,
      content_type: "application/vnd.contenstack.folder",
      tags: [],
      created_by: stack.tokenUid,
      updated_by: stack.tokenUid,
    });
    const inner = await createFolder("Inner", top.uid);
    const read = await call(`/v3/assets/folders/${inner.uid}`, { headers: auth(stack) });
    expect(await read.json()).toEqual({ asset: inner });

    const renamed = await moveFolder(inner.uid, { name: "Renamed", parent_uid: null });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({
      notice: "Folder updated successfully.",
      asset: { uid: inner.uid, name: "Renamed", parent_uid: null, created_at: inner.created_at },
    });
  });

  it("takes back a fetched folder whole, ignoring its read-only fields", async () => {
    const folder = await createFolder("Whole");
    const res = await moveFolder(folder.uid, { ...folder, name: "Whole again", is_dir: false });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { asset: FolderJson }).asset).toMatchObject({
      name: "Whole again",
      is_dir: true,
    });
    const wrong = await moveFolder(folder.uid, { ...folder, uid: "blt0000000000000000" });
    expect(wrong.status).toBe(422);
    const unknown = await moveFolder(folder.uid, { name: "x", colour: "red" });
    expect(await unknown.json()).toMatchObject({ errors: { colour: ["is not a known field"] } });
  });

  it("refuses a move into the folder itself or below it", async () => {
    const a = await createFolder("A");
    const b = await createFolder("B", a.uid);
    const c = await createFolder("C", b.uid);
    for (const target of [a.uid, b.uid, c.uid]) {
      const res = await moveFolder(a.uid, { parent_uid: target });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({
        errors: { parent_uid: ["would put the folder inside itself"] },
      });
    }
    // Moving the lower folder up is fine, and then the old parent can go below it.
    expect((await moveFolder(c.uid, { parent_uid: null })).status).toBe(200);
    expect((await moveFolder(a.uid, { parent_uid: c.uid })).status).toBe(200);
  });

  it("refuses a parent that is not one of this stack's folders", async () => {
    const other = await createStack("Other");
    const theirs = await createFolder("Theirs", null, other);
    const asset = await uploadAsset(stack, "a.txt", "a");
    for (const parent of [theirs.uid, asset.uid, "blt0000000000000000", "cs_root", ""]) {
      const created = await call(
        "/v3/assets/folders",
        json("POST", { asset: { name: "x", parent_uid: parent } }),
      );
      expect(created.status, parent).toBe(422);
      expect(await created.json()).toMatchObject({
        errors: { parent_uid: ["is not a folder of this stack"] },
      });
    }
    const mine = await createFolder("Mine");
    expect((await moveFolder(mine.uid, { parent_uid: theirs.uid })).status).toBe(422);
    expect((await moveAsset(asset.uid, { parent_uid: theirs.uid })).status).toBe(422);
  });

  it("answers 404 for an unknown folder, and for another stack's", async () => {
    const other = await createStack("Other");
    const theirs = await createFolder("Theirs", null, other);
    for (const uid of [theirs.uid, "blt0000000000000000", "nope"]) {
      const read = await call(`/v3/assets/folders/${uid}`, { headers: auth(stack) });
      expect(read.status).toBe(404);
      expect(await read.json()).toMatchObject({ error_code: 160 });
      expect((await deleteFolder(uid)).status).toBe(404);
    }
  });

  it("deletes only an empty folder", async () => {
    const parent = await createFolder("Parent");
    const child = await createFolder("Child", parent.uid);
    const asset = await uploadAsset(stack, "in.txt", "in", { "asset[parent_uid]": child.uid });

    const refused = await deleteFolder(parent.uid);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error_code: 161 });
    expect((await deleteFolder(child.uid)).status).toBe(409);

    expect((await moveAsset(asset.uid, { parent_uid: null })).status).toBe(200);
    const deleted = await deleteFolder(child.uid);
    expect(await deleted.json()).toEqual({ notice: "Folder deleted successfully." });
    expect((await deleteFolder(parent.uid)).status).toBe(200);
    expect((await call(`/v3/assets/folders/${parent.uid}`, { headers: auth(stack) })).status).toBe(
      404,
    );
  });

  it("keeps a folder from deletion while an asset is being moved into it", async () => {
    const folder = await createFolder("Held");
    const stub = stackStub(env, stack.apiKey);
    expect(await stub.holdFolder(folder.uid, "blt00000000000000ff")).toBe(true);
    expect((await deleteFolder(folder.uid)).status).toBe(409);
    await stub.releaseHold(folder.uid, "blt00000000000000ff");
    expect((await deleteFolder(folder.uid)).status).toBe(200);
    expect(await stub.holdFolder(folder.uid, "blt00000000000000ff")).toBe(false);
  });

  it("lets a hold run out when its mover vanished", async () => {
    const folder = await createFolder("Abandoned");
    const stub = stackStub(env, stack.apiKey);
    await stub.holdFolder(folder.uid, "blt00000000000000ff");
    await runInDurableObject(stub, (_obj: StackObject, state) => {
      state.storage.sql.exec("UPDATE folder_holds SET until = ?", Date.now() - 1);
    });
    expect((await deleteFolder(folder.uid)).status).toBe(200);
  });

  it("leaves no hold behind once the catalogue shows the moved asset", async () => {
    const folder = await createFolder("Target");
    const asset = await uploadAsset(stack, "mover.txt", "m");
    expect((await moveAsset(asset.uid, { parent_uid: folder.uid })).status).toBe(200);
    const holds = await runInDurableObject(stackStub(env, stack.apiKey), (_o: StackObject, state) =>
      state.storage.sql.exec("SELECT COUNT(*) AS n FROM folder_holds").one(),
    );
    expect(holds).toEqual({ n: 0 });
  });
});

describe("moving assets and editing tags never touches a URL", () => {
  it("keeps every URL, the bytes they serve and the KV record through moves and tag edits", async () => {
    const a = await createFolder("A");
    const b = await createFolder("B", a.uid);
    const created = await uploadAsset(stack, "stay.txt", "the same bytes", {
      "asset[tags]": "one",
    });
    const set = await setPermanentUrl(stack, created.uid, "stay");
    const asset = ((await set.json()) as { asset: AssetJson }).asset;
    const key = readModelKey(stack.apiKey, asset.uid);
    const readModel = await env.ASSET_INDEX.get(key);
    const served = async () => {
      const [permanent, versioned] = [
        await fetchText(asset.permanent_url as string),
        await fetchText(asset.url),
      ];
      return [permanent.text, permanent.headers.get("etag"), versioned.text, versioned.status];
    };
    const before = await served();

    const changes = [
      { parent_uid: a.uid },
      { tags: ["two", "three"] },
      { parent_uid: b.uid, tags: [] },
      { parent_uid: null },
    ];
    for (const change of changes) {
      const res = await moveAsset(asset.uid, change);
      expect(res.status).toBe(200);
      const after = ((await res.json()) as { notice: string; asset: AssetJson }).asset;
      expect(after.url).toBe(asset.url);
      expect(after.permanent_url).toBe(asset.permanent_url);
      expect(after._version).toBe(1);
      expect(await served()).toEqual(before);
      // Nothing the edge reads changed, so the record is the one written with the slug.
      expect(await env.ASSET_INDEX.get(key)).toBe(readModel);
    }
    // Moving a folder with the asset's folder below it changes nothing of the asset.
    expect((await moveAsset(asset.uid, { parent_uid: b.uid })).status).toBe(200);
    expect((await moveFolder(a.uid, { name: "A2" })).status).toBe(200);
    const read = await call(`/v3/assets/${asset.uid}`, { headers: auth(stack) });
    expect(((await read.json()) as { asset: AssetJson }).asset).toMatchObject({
      url: asset.url,
      permanent_url: asset.permanent_url,
      parent_uid: b.uid,
    });
    expect(await served()).toEqual(before);
  });
});
