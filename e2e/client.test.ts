// The management API end to end through the typed client (client/): every operation against
// the real server, with TypeScript checking each path, parameter and body against the document.
// The README's client example (client/example.ts, shown there verbatim) runs here too.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { publish } from "../client/example";
import { type AssetClient, createAssetClient, formBody, rawBody } from "../client/index";
import { ROOT } from "../scripts/local-service.mjs";
import { admin, baseUrl, download, newStack, publicBaseUrl, sha256 } from "./api";

let api: AssetClient;
let apiKey: string;

beforeAll(async () => {
  ({ api, apiKey } = await newStack("Typed client"));
});

describe("the typed client against the local service", () => {
  it("creates, reads, replaces, lists and deletes an asset, with the permanent URL set once", async () => {
    const form = new FormData();
    form.append("asset[upload]", new Blob(["first"], { type: "text/plain" }), "note.txt");
    form.append("asset[title]", "A note");
    const created = await api.POST("/v3/assets", formBody(form));
    expect(created.response.status).toBe(201);
    const asset = created.data?.asset;
    if (!asset) throw new Error("no asset");
    expect(asset).toMatchObject({ title: "A note", filename: "note.txt", _version: 1 });
    expect(asset.sha256).toBe(sha256("first"));
    const uid = asset.uid;
    const path = { params: { path: { uid } } };

    const set = await api.PUT("/v3/assets/{uid}", {
      ...path,
      body: { asset: { permanent_url: "note" } },
    });
    expect(set.data?.notice).toBe("Permanent URL generated successfully.");
    const permanentUrl = set.data?.asset.permanent_url ?? "";
    expect(permanentUrl).toBe(`${publicBaseUrl}/v3/assets/${apiKey}/${uid}/note`);
    const again = await api.PUT("/v3/assets/{uid}", {
      ...path,
      body: { asset: { permanent_url: "note" } },
    });
    expect(again.response.status).toBe(200);
    const other = await api.PUT("/v3/assets/{uid}", {
      ...path,
      body: { asset: { permanent_url: "other" } },
    });
    expect(other.response.status).toBe(409);
    expect(other.error).toMatchObject({ error_code: 147 });

    const replaced = await api.PUT("/v3/assets/{uid}", {
      ...path,
      params: { ...path.params, query: { filename: "note-2.txt" } },
      ...rawBody(new Blob(["second"], { type: "text/plain" })),
    });
    expect(replaced.response.status).toBe(200);
    expect(replaced.data?.asset).toMatchObject({
      _version: 2,
      filename: "note-2.txt",
      permanent_url: permanentUrl,
    });
    expect(await (await fetch(permanentUrl)).text()).toBe("second");
    expect(await (await fetch(asset.url)).text()).toBe("first");
    // The CMA's download with the permanent URL's path, on the management host.
    const downloaded = await api.GET("/v3/assets/{api_key}/{uid}/{slug}", {
      params: { path: { api_key: apiKey, uid, slug: "note" } },
      parseAs: "text",
    });
    expect(downloaded.response.status).toBe(200);
    expect(downloaded.data).toBe("second");

    const read = await api.GET("/v3/assets/{uid}", path);
    expect(read.data?.asset.sha256).toBe(sha256("second"));
    const versions = await api.GET("/v3/assets/{uid}/versions", path);
    expect(versions.data?.versions.map((v) => [v._version, v.filename])).toEqual([
      [2, "note-2.txt"],
      [1, "note.txt"],
    ]);
    const listed = await api.GET("/v3/assets", {
      params: { query: { search: "note-2", limit: 10 } },
    });
    // The answer is a page (AssetList), or only a number with count=true (AssetCount).
    if (!listed.data || !("count" in listed.data)) throw new Error("not a page of assets");
    expect(listed.data.count).toBe(1);
    expect(listed.data.assets[0]?.uid).toBe(uid);

    const deleted = await api.DELETE("/v3/assets/{uid}", path);
    expect(deleted.data?.notice).toBe("Asset deleted successfully.");
    expect((await fetch(permanentUrl)).status).toBe(404);
    const gone = await api.GET("/v3/assets/{uid}", path);
    expect(gone.response.status).toBe(404);
    expect(gone.error).toEqual({ error_message: "Asset was not found.", error_code: 145 });
  });

  it("organises assets in folders, with tags, and lists them with the CMA's filters", async () => {
    const made = await api.POST("/v3/assets/folders", { body: { asset: { name: "Press" } } });
    expect(made.response.status).toBe(201);
    const folder = made.data?.asset;
    if (!folder) throw new Error("no folder");
    expect(folder).toMatchObject({ name: "Press", is_dir: true, parent_uid: null });

    const form = new FormData();
    form.append("asset[upload]", new Blob(["kit"], { type: "text/plain" }), "kit.txt");
    form.append("asset[tags]", "press,2026");
    form.append("asset[parent_uid]", folder.uid);
    const created = await api.POST("/v3/assets", formBody(form));
    const asset = created.data?.asset;
    if (!asset) throw new Error("no asset");
    expect(asset).toMatchObject({ tags: ["press", "2026"], parent_uid: folder.uid });

    const listing = await api.GET("/v3/assets", {
      params: {
        query: {
          folder: folder.uid,
          include_folders: "true",
          query: JSON.stringify({ tags: { $all: ["press", "2026"] } }),
          asc: "title",
        },
      },
    });
    if (!listing.data || !("count" in listing.data)) throw new Error("not a page of assets");
    expect(listing.data.assets.map((a) => a.uid)).toEqual([asset.uid]);
    const counted = await api.GET("/v3/assets", {
      params: { query: { query: JSON.stringify({ tags: "press" }), count: "true" } },
    });
    expect(counted.data).toEqual({ assets: 1 });

    // Moving it out and renaming the folder: its URL stays the same.
    const moved = await api.PUT("/v3/assets/{uid}", {
      params: { path: { uid: asset.uid } },
      body: { asset: { parent_uid: null, tags: ["press"] } },
    });
    expect(moved.data?.asset).toMatchObject({ parent_uid: null, tags: ["press"], url: asset.url });
    const renamed = await api.PUT("/v3/assets/folders/{uid}", {
      params: { path: { uid: folder.uid } },
      body: { asset: { name: "Press kit" } },
    });
    expect(renamed.data?.asset.name).toBe("Press kit");
    const read = await api.GET("/v3/assets/folders/{uid}", {
      params: { path: { uid: folder.uid } },
    });
    expect(read.data?.asset.name).toBe("Press kit");
    const older = await api.GET("/v3/assets/{uid}", {
      params: { path: { uid: asset.uid }, query: { version: 1, relative_urls: "true" } },
    });
    expect(older.data?.asset.url).toBe(new URL(asset.url).pathname);
    const deleted = await api.DELETE("/v3/assets/folders/{uid}", {
      params: { path: { uid: folder.uid } },
    });
    expect(deleted.data?.notice).toBe("Folder deleted successfully.");
  });

  it("sends raw bytes with their own type, never as JSON, even when they look like JSON", async () => {
    const bytes = '{"asset": {"permanent_url": "surprise"}}';
    const created = await api.POST("/v3/assets", {
      params: { query: { filename: "data.bin" } },
      ...rawBody(new TextEncoder().encode(bytes)),
    });
    expect(created.response.status).toBe(201);
    expect(created.data?.asset.content_type).toBe("application/octet-stream");
    const uid = created.data?.asset.uid ?? "";
    const replaced = await api.PUT("/v3/assets/{uid}", {
      params: { path: { uid }, query: { filename: "data.json" } },
      ...rawBody(bytes, "application/json"),
    });
    expect(replaced.response.status).toBe(200);
    expect(replaced.data?.asset).toMatchObject({ _version: 2, content_type: "application/json" });
    expect(replaced.data?.asset.permanent_url).toBeUndefined();
    expect(await (await fetch(replaced.data?.asset.url ?? "")).text()).toBe(bytes);
  });

  it("uploads a file in parts through an upload session", async () => {
    const part = 5 * 1024 * 1024;
    const file = randomBytes(2 * part + 1234);
    const started = await api.POST("/v3/uploads", {
      body: {
        upload: {
          filename: "clip.bin",
          file_size: file.length,
          part_size: part,
          sha256: sha256(file),
        },
      },
    });
    expect(started.response.status).toBe(201);
    const upload = started.data?.upload;
    if (!upload) throw new Error("no upload");
    expect(upload.part_count).toBe(3);
    // Parts in reverse order: any order is fine.
    for (const n of [3, 2, 1]) {
      const sent = await api.PUT("/v3/uploads/{uid}/parts/{part}", {
        params: { path: { uid: upload.uid, part: n } },
        ...rawBody(file.subarray((n - 1) * part, Math.min(n * part, file.length))),
      });
      expect(sent.response.status).toBe(200);
      expect(sent.data?.part.part_number).toBe(n);
    }
    const status = await api.GET("/v3/uploads/{uid}", { params: { path: { uid: upload.uid } } });
    expect(status.data?.upload.missing_parts).toEqual([]);
    const done = await api.POST("/v3/uploads/{uid}/complete", {
      params: { path: { uid: upload.uid } },
    });
    expect(done.response.status).toBe(201);
    expect(done.data?.asset.sha256).toBe(sha256(file));
    expect(sha256((await download(done.data?.asset.url ?? "")).bytes)).toBe(sha256(file));

    const aborted = await api.POST("/v3/uploads", {
      body: { upload: { filename: "never.bin", file_size: part } },
    });
    const abortUid = aborted.data?.upload.uid ?? "";
    const abort = await api.DELETE("/v3/uploads/{uid}", { params: { path: { uid: abortUid } } });
    expect(abort.data?.notice).toBe("Upload aborted.");
  });

  it("mints and revokes management tokens (revoked tokens fail at once)", async () => {
    const stack = await newStack("Tokens");
    const minted = await admin.POST("/v3/stacks/management_tokens", {
      headers: { api_key: stack.apiKey },
    });
    expect(minted.response.status).toBe(201);
    const second = createAssetClient({
      baseUrl,
      apiKey: stack.apiKey,
      token: minted.data?.management_token.token ?? "",
    });
    expect((await second.GET("/v3/assets")).response.status).toBe(200);
    const revoked = await admin.DELETE("/v3/stacks/management_tokens/{token_uid}", {
      headers: { api_key: stack.apiKey },
      params: {
        path: { token_uid: minted.data?.management_token.uid ?? "" },
      },
    });
    expect(revoked.data?.notice).toBe("Management token revoked successfully.");
    const refused = await second.GET("/v3/assets");
    expect(refused.response.status).toBe(401);
    expect(refused.error?.error_code).toBe(105);
  });

  it("manages environments and delivery tokens, and reads an asset's references", async () => {
    const { api: client } = await newStack("Publishing setup");
    const created = await client.POST("/v3/environments", {
      body: {
        environment: { name: "production", urls: [{ locale: "en-us", url: "https://a.example" }] },
      },
    });
    expect(created.response.status).toBe(201);
    const name = { params: { path: { name: "production" } } };
    expect((await client.GET("/v3/environments/{name}", name)).data?.environment.uid).toBe(
      created.data?.environment.uid,
    );
    const renamed = await client.PUT("/v3/environments/{name}", {
      ...name,
      body: { environment: { name: "live" } },
    });
    expect(renamed.data?.environment.name).toBe("live");
    const listed = await client.GET("/v3/environments", { params: { query: { limit: 10 } } });
    expect(listed.data).toMatchObject({ environments: [{ name: "live" }], count: 1 });

    const token = await client.POST("/v3/stacks/delivery_tokens", {
      body: {
        token: {
          name: "Site",
          scope: [{ module: "environment", environments: ["live"], acl: { read: true } }],
        },
      },
    });
    expect(token.data?.token.token).toMatch(/^cs[0-9a-f]{32}$/);
    const uid = { params: { path: { uid: token.data?.token.uid ?? "" } } };
    expect((await client.GET("/v3/stacks/delivery_tokens/{uid}", uid)).data?.token.name).toBe(
      "Site",
    );
    const changed = await client.PUT("/v3/stacks/delivery_tokens/{uid}", {
      ...uid,
      body: { token: { description: "The live site" } },
    });
    expect(changed.data?.token.description).toBe("The live site");
    expect((await client.GET("/v3/stacks/delivery_tokens")).data).toMatchObject({ count: 1 });
    const revoked = await client.DELETE("/v3/stacks/delivery_tokens/{uid}", uid);
    expect(revoked.data?.notice).toBe("Delivery Token deleted successfully.");
    const gone = await client.DELETE("/v3/environments/{name}", {
      params: { path: { name: "live" } },
    });
    expect(gone.data?.notice).toBe("Environment deleted successfully.");

    const form = new FormData();
    form.append("asset[upload]", new Blob(["referenced"], { type: "text/plain" }), "r.txt");
    const asset = await client.POST("/v3/assets", formBody(form));
    const references = await client.GET("/v3/assets/{uid}/references", {
      params: { path: { uid: asset.data?.asset.uid ?? "" } },
    });
    expect(references.data).toEqual({ references: [] });
  });

  it("publishes, schedules, lists the publish queue, cancels and bulk-publishes", async () => {
    const { api: client } = await newStack("Typed publishing");
    const production = await client.POST("/v3/environments", {
      body: { environment: { name: "production" } },
    });
    const form = new FormData();
    form.append("asset[upload]", new Blob(["published"], { type: "text/plain" }), "p.txt");
    const created = await client.POST("/v3/assets", formBody(form));
    const uid = created.data?.asset.uid ?? "";
    const path = { params: { path: { uid } } };
    const target = { asset: { environments: ["production"], locales: ["en-us"] } };
    const published = await client.POST("/v3/assets/{uid}/publish", { ...path, body: target });
    expect(published.data).toEqual({ notice: "Asset sent for publishing." });
    const details = await client.GET("/v3/assets/{uid}", {
      params: { path: { uid }, query: { include_publish_details: "true" } },
    });
    expect(details.data?.asset.publish_details?.map((d) => [d.environment, d.version])).toEqual([
      [production.data?.environment.uid, 1],
    ]);
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await client.POST("/v3/assets/{uid}/unpublish", {
      ...path,
      body: { ...target, scheduled_at: at },
    });
    const queueUid = scheduled.data?.publish_queue_uid ?? "";
    const queue = await client.GET("/v3/publish-queue");
    expect(queue.data?.queue.map((q) => [q.uid, q.action, q.scheduled_at])).toEqual([
      [queueUid, "unpublish", at],
    ]);
    const item = { params: { path: { uid: queueUid } } };
    expect((await client.GET("/v3/publish-queue/{uid}", item)).data?.queue.asset.uid).toBe(uid);
    const cancelled = await client.GET("/v3/publish-queue/{uid}/unschedule", item);
    expect(cancelled.data).toEqual({ notice: "Scheduled action cancelled successfully." });
    const bulk = await client.POST("/v3/bulk/unpublish", {
      body: { assets: [{ uid }], environments: ["production"], locales: ["en-us"] },
    });
    expect(bulk.data?.assets).toEqual([{ uid, status: "done" }]);
    const refused = await client.POST("/v3/bulk/publish", {
      body: { assets: [{ uid, version: 9 }], environments: ["production"] },
    });
    expect(refused.response.status).toBe(422);
  });

  it("answers typed validation errors", async () => {
    const bad = await api.GET("/v3/assets", { params: { query: { limit: 1000 } } });
    expect(bad.response.status).toBe(422);
    expect(bad.error?.errors).toEqual({ limit: ["must be at most 100"] });
  });

  it("runs the README's example, which is client/example.ts verbatim", async () => {
    const source = readFileSync(join(ROOT, "client", "example.ts"), "utf8");
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain(source);
    const stack = await newStack("Example");
    const file = new File([randomBytes(1000)], "hero image.png", { type: "image/png" });
    const url = await publish(baseUrl, stack, file, "hero-image");
    expect(url).toMatch(
      new RegExp(`^${publicBaseUrl}/v3/assets/${stack.apiKey}/blt[0-9a-f]{16}/hero-image$`),
    );
    await expect(publish(baseUrl, stack, file, "no spaces")).rejects.toThrow(/^141: /);
    const served = await fetch(url ?? "");
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
  });
});
