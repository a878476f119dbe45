// The console's routes: GET /console (the page) and two HTML fragments the page's script asks
// for with the stack's credentials in headers. The fragments get their data by calling the
// management API in-process, so authentication, rate limits and validation are exactly the API's.

import { type Context, Hono } from "hono";
import { config, publicBase } from "../config";
import { pageSecurity } from "../http/page-security";
import { AssetDetail, type VersionJson } from "./asset-detail";
import { type AssetJson, AssetList } from "./asset-list";
import { lastPageStart, PAGE_SIZE } from "./format";
import { ConsolePage } from "./page";

/** How the console reaches the management API: the app's own fetch handler. */
export type ApiFetch = (
  request: Request,
  env: Env,
  ctx: Context["executionCtx"],
) => Response | Promise<Response>;

type Ctx = Context<{ Bindings: Env }>;

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
    const page = (from: number) => {
      const query = new URLSearchParams({ skip: String(from), limit: String(PAGE_SIZE) });
      if (search) query.set("search", search);
      return callApi<{ assets: AssetJson[]; count: number }>(c, `/v3/assets?${query}`);
    };
    let result = await page(skip);
    if (result instanceof Response) return result;
    if (result.body.assets.length === 0 && result.body.count > 0) {
      // Past the end (its last asset was deleted): the last page that exists instead.
      skip = lastPageStart(result.body.count);
      result = await page(skip);
      if (result instanceof Response) return result;
    }
    const { assets, count } = result.body;
    return c.html(<AssetList assets={assets} count={count} skip={skip} search={search} />);
  });

  routes.get("/fragments/assets/:uid", async (c) => {
    const uid = encodeURIComponent(c.req.param("uid"));
    const asset = await callApi<{ asset: AssetJson }>(c, `/v3/assets/${uid}`);
    if (asset instanceof Response) return asset;
    const versions = await callApi<{ versions: VersionJson[] }>(c, `/v3/assets/${uid}/versions`);
    if (versions instanceof Response) return versions;
    const apiKey = c.req.header("api_key") ?? "";
    const prefix = `${publicBase(c.env, c.req.url)}/v3/assets/${apiKey}/${asset.body.asset.uid}/`;
    return c.html(
      <AssetDetail
        asset={asset.body.asset}
        versions={versions.body.versions}
        permanentPrefix={prefix}
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
