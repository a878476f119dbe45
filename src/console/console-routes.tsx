// The console's routes: GET /console (the page) and two HTML fragments the page's script asks
// for with the stack's credentials in headers (the asset panel's includes its publishing). The fragments get their data by calling the
// management API in-process, so authentication, rate limits and validation are exactly the API's.

import { type Context, Hono } from "hono";
import { config, publicBase } from "../config";
import { FOLDER_CONTENT_TYPE, ROOT_FOLDER } from "../domain/records";
import { pageSecurity } from "../http/page-security";
import type { EnvironmentJson } from "../http/publishing-response-schemas";
import { headerValue } from "../http/request-fields";
import { AssetDetail, type VersionJson } from "./asset-detail";
import { type AssetJson, AssetList, type FolderJson, type ListedJson } from "./asset-list";
import type { QueuedAction } from "./asset-publishing";
import { ConsolePage } from "./console-page";
import { lastPageStart, PAGE_SIZE } from "./format";

/** How the console reaches the management API: the app's own fetch handler. */
export type ApiFetch = (
  request: Request,
  env: Env,
  ctx: Context["executionCtx"],
) => Response | Promise<Response>;

type Ctx = Context<{ Bindings: Env }>;

/** The listing's filter for folders only (they are the catalogue's rows of the CMA's folder type). */
const IS_FOLDER = JSON.stringify({ content_type: FOLDER_CONTENT_TYPE });
/** How many folders up the breadcrumb goes. */
const MAX_DEPTH = 20;

/** Headers passed on to the API: the credentials, and the client address its limits count. */
const FORWARDED = ["api_key", "authorization", "cf-connecting-ip"];

export function consoleRoutes(api: ApiFetch) {
  const routes = new Hono<{ Bindings: Env }>();

  async function callApi<T>(c: Ctx, path: string): Promise<{ ok: true; body: T } | Response> {
    const headers = new Headers();
    for (const name of FORWARDED) {
      const value = c.req.header(name);
      if (value !== undefined) headers.set(name, value);
    }
    const res = await api(
      new Request(new URL(path, c.req.url), { headers }),
      c.env,
      c.executionCtx,
    );
    if (res.ok) return { ok: true, body: (await res.json()) as T };
    // The API's status and message, as a fragment the page can show (and react to: 401/412),
    // with its Retry-After when it has one (429, 503).
    const error = (await res.json().catch(() => ({}))) as { error_message?: string };
    c.status(res.status as 400);
    const retryAfter = res.headers.get("retry-after");
    if (retryAfter !== null) c.header("Retry-After", retryAfter);
    return c.html(
      <p class="form-error" role="alert">
        {error.error_message ?? `The request failed (${res.status}).`}
      </p>,
    );
  }

  /** The folder and the folders above it, the top first; at most MAX_DEPTH of them. */
  async function folderPath(c: Ctx, uid: string): Promise<FolderJson[] | Response> {
    const path: FolderJson[] = [];
    for (let next: string | null = uid; next && path.length < MAX_DEPTH; ) {
      const found: { ok: true; body: { asset: FolderJson } } | Response = await callApi<{
        asset: FolderJson;
      }>(c, `/v3/assets/folders/${encodeURIComponent(next)}`);
      if (found instanceof Response) return found;
      path.unshift(found.body.asset);
      next = found.body.asset.parent_uid;
    }
    return path;
  }

  routes.use("*", pageSecurity());
  routes.use("/fragments/*", async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store"); // a stack's data, fetched with its credentials
  });

  routes.get("/", (c) => {
    c.header("Cache-Control", "no-cache");
    return c.html(<ConsolePage maxUploadBytes={config(c.env).maxUploadBytes} />);
  });

  routes.get("/fragments/assets", async (c) => {
    let skip = Math.max(0, Math.floor(Number(c.req.query("skip") ?? "0")) || 0);
    const search = (c.req.query("search") ?? "").trim();
    // A search looks through every folder; otherwise one folder's folders and assets are shown.
    const folder = search ? "" : (c.req.query("folder") ?? "");
    const inFolder = (query: URLSearchParams) => {
      if (search) return query.set("search", search);
      query.set("include_folders", "true");
      query.set("folder", folder || ROOT_FOLDER);
    };
    const page = (from: number) => {
      const query = new URLSearchParams({ skip: String(from), limit: String(PAGE_SIZE) });
      inFolder(query);
      return callApi<{ assets: ListedJson[]; count: number }>(c, `/v3/assets?${query}`);
    };
    let result = await page(skip);
    if (result instanceof Response) return result;
    if (result.body.assets.length === 0 && result.body.count > 0) {
      // Past the end (its last asset was deleted): the last page that exists instead.
      skip = lastPageStart(result.body.count);
      result = await page(skip);
      if (result instanceof Response) return result;
    }
    let folders = 0;
    if (!search) {
      const query = new URLSearchParams({ count: "true", query: IS_FOLDER });
      inFolder(query);
      const counted = await callApi<{ assets: number }>(c, `/v3/assets?${query}`);
      if (counted instanceof Response) return counted;
      folders = counted.body.assets;
    }
    const path = folder ? await folderPath(c, folder) : [];
    if (path instanceof Response) return path;
    const { assets, count } = result.body;
    return c.html(
      <AssetList
        items={assets}
        count={count}
        folders={folders}
        skip={skip}
        search={search}
        path={path}
      />,
    );
  });

  routes.get("/fragments/assets/:uid", async (c) => {
    const uid = encodeURIComponent(c.req.param("uid"));
    const asset = await callApi<{ asset: AssetJson }>(
      c,
      `/v3/assets/${uid}?include_publish_details=true`,
    );
    if (asset instanceof Response) return asset;
    const folderQuery = new URLSearchParams({
      include_folders: "true",
      query: IS_FOLDER,
      asc: "title",
      limit: "100",
    });
    const [versions, folders, environments, queue] = await Promise.all([
      callApi<{ versions: VersionJson[] }>(c, `/v3/assets/${uid}/versions`),
      callApi<{ assets: FolderJson[] }>(c, `/v3/assets?${folderQuery}`),
      callApi<{ environments: EnvironmentJson[] }>(c, "/v3/environments?limit=100"),
      callApi<{ queue: QueuedAction[] }>(c, `/v3/publish-queue?limit=100&asset_uid=${uid}`),
    ]);
    if (versions instanceof Response) return versions;
    if (folders instanceof Response) return folders;
    if (environments instanceof Response) return environments;
    if (queue instanceof Response) return queue;
    const apiKey = headerValue(c.req.raw, "api_key") ?? "";
    const prefix = `${publicBase(c.env, c.req.url)}/v3/assets/${apiKey}/${asset.body.asset.uid}/`;
    return c.html(
      <AssetDetail
        asset={asset.body.asset}
        versions={versions.body.versions}
        folders={folders.body.assets}
        permanentPrefix={prefix}
        environments={environments.body.environments}
        queue={queue.body.queue}
      />,
    );
  });

  // Anything else under /console: an HTML 404 the page can show, never cached.
  routes.all("*", (c) => {
    c.header("Cache-Control", "no-store");
    c.status(404);
    return c.html(
      <p class="form-error" role="alert">
        This console page does not exist.
      </p>,
    );
  });

  return routes;
}
