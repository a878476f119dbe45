// GET /v3/assets/{uid}/references (the official SDK's asset.getReferences()): in Contentstack,
// the entries that use the asset. Entries do not live in this service, so the list is always
// empty, for an asset that exists; an unknown asset is a 404 as everywhere (docs/API-NOTES.md).

import type { Context } from "hono";
import type { StackVariables } from "../auth/management-auth";
import { isAssetUid } from "../domain/ids";
import { assetNotFound } from "../http/errors";
import { assetStub } from "../objects/stubs";

export async function getReferences(c: Context<{ Bindings: Env; Variables: StackVariables }>) {
  const uid = c.req.param("uid") ?? "";
  if (!isAssetUid(uid) || !(await assetStub(c.env, c.get("apiKey"), uid).get())) {
    throw assetNotFound();
  }
  return c.json({ references: [] });
}
