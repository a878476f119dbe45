// GET /v3/assets: the stack's assets (and folders, with include_folders=true) from its
// catalogue, filtered by the CMA's `query` (domain/asset-query.ts), `folder` and this service's
// `search`, sorted by `asc` or `desc`, a page at a time. `count=true` answers only how many match,
// as the SDK's query().count() expects.

import type { Context } from "hono";
import type { StackVariables } from "../auth/management-auth";
import { parseAssetQuery } from "../domain/asset-query";
import type { ListFilter, ListOrder } from "../domain/asset-query-sql";
import { BLT_ID } from "../domain/ids";
import { publishDetails } from "../domain/publications";
import { ROOT_FOLDER } from "../domain/records";
import { type ListQuery, listQuerySchema } from "../http/asset-schemas";
import { assetView, folderView } from "../http/asset-view";
import { notAFolder, validationFailed } from "../http/errors";
import { validate } from "../http/schemas";
import { answerBase } from "../http/url-base";
import { stackStub } from "../objects/stubs";

type Ctx = Context<{ Bindings: Env; Variables: StackVariables }>;

const unknownFolder = (field: "folder" | "query") =>
  field === "folder"
    ? notAFolder("folder")
    : validationFailed({ query: ["parent_uid is not a folder of this stack"] });

function order(query: ListQuery): ListOrder {
  if (query.asc && query.desc) throw validationFailed({ asc: ["give asc or desc, not both"] });
  if (query.asc) return { field: query.asc, direction: "asc" };
  return { field: query.desc ?? "created_at", direction: "desc" };
}

function filter(query: ListQuery): ListFilter {
  const parsed = query.query === undefined ? null : parseAssetQuery(query.query);
  if (parsed && !parsed.ok) throw validationFailed({ query: [parsed.reason] });
  const result: ListFilter = {
    conditions: parsed?.conditions ?? [],
    search: query.search ?? "",
    includeFolders: query.include_folders === "true",
  };
  if (query.folder === ROOT_FOLDER) result.folder = null;
  else if (query.folder !== undefined) {
    // Whether the stack has it is checked by the stack's object, in the same call as the listing.
    if (!BLT_ID.test(query.folder)) throw notAFolder("folder");
    result.folder = query.folder;
  }
  return result;
}

export async function listAssets(c: Ctx) {
  const query = validate(listQuerySchema, c.req.query());
  const stack = stackStub(c.env, c.get("apiKey"));
  const where = filter(query);
  if (query.count === "true") {
    const count = await stack.countCatalog(where);
    if (typeof count !== "number") throw unknownFolder(count.unknownFolder);
    return c.json({ assets: count });
  }
  const page = await stack.listCatalog(where, order(query), query.skip, query.limit);
  if ("unknownFolder" in page) throw unknownFolder(page.unknownFolder);
  const base = answerBase(c);
  const details = query.include_publish_details === "true";
  const assets = page.items.map((item) => {
    if (item.kind === "folder") return folderView(item.folder);
    const asset = assetView(item.snapshot, base);
    if (details) asset.publish_details = publishDetails(item.publications);
    return asset;
  });
  // `count` is always there (include_count=true asks for what is given anyway).
  return c.json({ assets, count: page.count });
}
