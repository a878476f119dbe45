// Folders of assets, as the CMA has them (docs/CONTRACT.md, "The management API"):
//   POST   /v3/assets/folders          {"asset": {"name", "parent_uid"?}}
//   GET    /v3/assets/folders/{uid}
//   PUT    /v3/assets/folders/{uid}    rename or move; a move into itself or below is refused
//   DELETE /v3/assets/folders/{uid}    only when empty
// They live in the stack's Durable Object (objects/stack-folders.ts). Mounted under /v3/assets, whose
// routes authenticate every request (routes/assets.ts).

import { type Context, Hono } from "hono";
import type { StackVariables } from "../auth/management-auth";
import { BLT_ID, newAssetUid } from "../domain/ids";
import type { FolderRecord } from "../domain/records";
import { folderCreateSchema, folderUpdateSchema } from "../http/asset-schemas";
import { folderView } from "../http/asset-view";
import { folderNotEmpty, folderNotFound, notAFolder, validationFailed } from "../http/errors";
import { readJson, validate } from "../http/schemas";
import type { FolderChangeResult } from "../objects/stack-folders";
import { stackStub } from "../objects/stubs";

type Env_ = { Bindings: Env; Variables: StackVariables };
type Ctx = Context<Env_>;

export const folderRoutes = new Hono<Env_>();

folderRoutes.post("/", createFolder);
folderRoutes.get("/:uid", getFolder);
folderRoutes.put("/:uid", updateFolder);
folderRoutes.delete("/:uid", deleteFolder);

const stack = (c: Ctx) => stackStub(c.env, c.get("apiKey"));

function folderUidParam(c: Ctx): string {
  const uid = c.req.param("uid") ?? "";
  if (!BLT_ID.test(uid)) throw folderNotFound();
  return uid;
}

/** A parent_uid as sent: null (the root) or something that can name a folder. */
function parentParam(parent: string | null | undefined): string | null | undefined {
  if (typeof parent === "string" && !BLT_ID.test(parent)) {
    throw notAFolder();
  }
  return parent;
}

function changed(result: FolderChangeResult): FolderRecord {
  if (result.ok) return result.folder;
  switch (result.reason) {
    case "not_found":
      throw folderNotFound();
    case "parent_not_found":
      throw notAFolder();
    case "cycle":
      throw validationFailed({ parent_uid: ["would put the folder inside itself"] });
  }
}

async function createFolder(c: Ctx) {
  const { asset } = validate(folderCreateSchema, await readJson(c.req.raw));
  const now = new Date().toISOString();
  const by = c.get("tokenUid");
  const folder = changed(
    await stack(c).createFolder({
      uid: newAssetUid(),
      name: asset.name,
      parentUid: parentParam(asset.parent_uid) ?? null,
      createdAt: now,
      updatedAt: now,
      createdBy: by,
      updatedBy: by,
    }),
  );
  return c.json({ notice: "Folder created successfully.", asset: folderView(folder) }, 201);
}

async function getFolder(c: Ctx) {
  const folder = await stack(c).getFolder(folderUidParam(c));
  if (!folder) throw folderNotFound();
  return c.json({ asset: folderView(folder) });
}

async function updateFolder(c: Ctx) {
  const uid = folderUidParam(c);
  const { asset } = validate(folderUpdateSchema, await readJson(c.req.raw));
  if (asset.uid !== undefined && asset.uid !== uid) {
    throw validationFailed({ uid: ["is not the uid of the folder in the URL"] });
  }
  const change: { name?: string; parentUid?: string | null } = {};
  if (asset.name !== undefined) change.name = asset.name;
  const parentUid = parentParam(asset.parent_uid);
  if (parentUid !== undefined) change.parentUid = parentUid;
  if (Object.keys(change).length === 0) {
    throw validationFailed({ asset: ["nothing to update: send name or parent_uid"] });
  }
  const folder = changed(await stack(c).updateFolder(uid, change, c.get("tokenUid")));
  return c.json({ notice: "Folder updated successfully.", asset: folderView(folder) });
}

async function deleteFolder(c: Ctx) {
  const result = await stack(c).deleteFolder(folderUidParam(c));
  if (!result.ok) throw result.reason === "not_found" ? folderNotFound() : folderNotEmpty();
  return c.json({ notice: "Folder deleted successfully." });
}
