// The console's pages and fragments through the worker (the browser flows are in
// e2e/console.test.ts): security headers, credentials in headers only, escaping, the slug rules
// in the form, paging and search.
import { describe, expect, it } from "vitest";
import { IMAGE_WIDTHS } from "../src/console/asset-detail";
import { fileKind, formatBytes, formatDate, lastPageStart, pageOf } from "../src/console/format";
import { SLUG_PATTERN } from "../src/domain/slug";
import { FIXTURES } from "./fixtures/images/decoded";
import {
  auth,
  call,
  createStack,
  fetchText,
  ORIGIN,
  runWorker,
  type Stack,
  setPermanentUrl,
  uploadAsset,
} from "./helpers";

const STRICT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

describe("GET /console", () => {
  it("renders the page with a strict policy, no inline script or style, and labelled fields", async () => {
    const page = await fetchText(`${ORIGIN}/console`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=UTF-8");
    expect(page.headers.get("content-security-policy")).toBe(STRICT_CSP);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.text.startsWith("<!doctype html>")).toBe(true);
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(page.text).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
    // Every input has a label, and no credential input has a name a plain form submit could send.
    for (const id of ["api-key", "token", "search", "upload-file"]) {
      expect(page.text).toContain(`<label for="${id}">`);
    }
    expect(page.text).not.toMatch(/<input[^>]*\bname=/);
    expect(page.text).toContain('data-max-upload-bytes="8388608"');
  });

  it("adds the public base URL's origin to img-src, for previews served from a CDN host", async () => {
    const page = await runWorker(
      `${ORIGIN}/console`,
      {},
      { PUBLIC_BASE_URL: "https://cdn.example.com/" },
    );
    expect(page.headers.get("content-security-policy")).toContain(
      "img-src 'self' https://cdn.example.com;",
    );
  });
});

describe("console fragments", () => {
  it("need the stack's credentials in headers: 412 without api_key, 401 with a wrong token", async () => {
    const stack = await createStack("Fragments");
    const none = await fetchText(`${ORIGIN}/console/fragments/assets`);
    expect(none.status).toBe(412);
    expect(none.text).toContain('role="alert"');
    const wrong = await fetchText(`${ORIGIN}/console/fragments/assets`, {
      headers: auth(stack, { authorization: `${stack.token}x` }),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("cache-control")).toBe("no-store");
    expect(wrong.text).toContain("not valid for this stack");
    // Credentials in the query string are not credentials.
    const query = await fetchText(
      `${ORIGIN}/console/fragments/assets?api_key=${stack.apiKey}&authorization=${stack.token}`,
    );
    expect(query.status).toBe(412);
  });

  it("list the newest first, escape what users typed, and page by 20", async () => {
    const stack = await createStack("Listing");
    const hostile = '<img src=x onerror="alert(1)">';
    await uploadAsset(stack, "evil.txt", "x", { "asset[title]": hostile });
    for (let i = 1; i <= 20; i++) await uploadAsset(stack, `file-${i}.txt`, `${i}`);
    const first = await fetchText(`${ORIGIN}/console/fragments/assets`, { headers: auth(stack) });
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(first.headers.get("content-security-policy")).toBe(STRICT_CSP);
    expect(first.text).toContain("21 assets");
    expect(first.text.match(/class="asset-open"/g)).toHaveLength(20);
    expect(first.text.indexOf("file-20.txt")).toBeLessThan(first.text.indexOf("file-19.txt"));
    expect(first.text).toContain("Page 1 of 2");
    expect(first.text).toMatch(/data-skip="20"/);
    const second = await fetchText(`${ORIGIN}/console/fragments/assets?skip=20`, {
      headers: auth(stack),
    });
    expect(second.text).toContain("Page 2 of 2");
    expect(second.text).not.toContain(hostile);
    expect(second.text).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");

    const found = await fetchText(`${ORIGIN}/console/fragments/assets?search=FILE-1`, {
      headers: auth(stack),
    });
    // file-1 and file-10 … file-19
    expect(found.text).toContain("11 assets matching “FILE-1”");
  });

  it("show the once-only slug form until the permanent URL is set, then a read-only field", async () => {
    const stack = await createStack("Detail");
    const asset = await uploadAsset(stack, "photo.png", "png bytes", {}, "image/png");
    const path = `${ORIGIN}/console/fragments/assets/${asset.uid}`;
    const before = await fetchText(path, { headers: auth(stack) });
    expect(before.status).toBe(200);
    expect(before.text).toContain("This can be set only once.");
    expect(before.text).toContain(`pattern="${SLUG_PATTERN.replace(/\\/g, "\\")}"`);
    expect(before.text).toContain('maxlength="255"');
    expect(before.text).toContain(
      `data-prefix="${ORIGIN}/v3/assets/${stack.apiKey}/${asset.uid}/"`,
    );
    expect(before.text).toContain(`<img class="preview" src="${asset.url}"`);
    expect(before.text).toContain("Version 1");

    expect((await setPermanentUrl(stack, asset.uid, "photo")).status).toBe(200);
    const after = await fetchText(path, { headers: auth(stack) });
    expect(after.text).not.toContain('id="slug"');
    expect(after.text).toMatch(
      new RegExp(
        `id="permanent-url" readonly="" value="${ORIGIN}/v3/assets/${stack.apiKey}/${asset.uid}/photo"`,
      ),
    );
  });

  it("answer the API's 404 for an unknown or malformed asset uid", async () => {
    const stack = await createStack("Missing");
    for (const uid of ["blt0000000000000000", "not-a-uid", "%3Cscript%3E"]) {
      const res = await fetchText(`${ORIGIN}/console/fragments/assets/${uid}`, {
        headers: auth(stack),
      });
      expect(res.status).toBe(404);
      expect(res.text).toBe('<p class="form-error" role="alert">Asset was not found.</p>');
    }
  });

  it("change nothing: a fragment request with another method is not a route", async () => {
    const stack = await createStack("Methods");
    const asset = await uploadAsset(stack, "keep.txt", "keep");
    const res = await call(`/console/fragments/assets/${asset.uid}`, {
      method: "DELETE",
      headers: auth(stack),
    });
    expect(res.status).toBe(404);
    const still = await call(`/v3/assets/${asset.uid}`, { headers: auth(stack) });
    expect(still.status).toBe(200);
  });
});

describe("console fragments, continued", () => {
  it("move a page past the end (its last asset deleted) to the last page there is", async () => {
    const stack = await createStack("Past the end");
    const made = [];
    for (let i = 1; i <= 21; i++) made.push(await uploadAsset(stack, `f-${i}.txt`, `${i}`));
    const oldest = made[0]?.uid ?? "";
    await call(`/v3/assets/${oldest}`, { method: "DELETE", headers: auth(stack) }).then((r) =>
      r.arrayBuffer(),
    );
    const page = await fetchText(`${ORIGIN}/console/fragments/assets?skip=20`, {
      headers: auth(stack),
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-count="20" data-skip="0"');
    expect(page.text.match(/class="asset-open"/g)).toHaveLength(20);
    expect(page.text).not.toContain("No assets yet");
  });

  it("pass on the API's 429 with its Retry-After", async () => {
    const stack = await createStack("Limited");
    const exhausted = { limit: async () => ({ success: false }) } as unknown as RateLimit;
    const res = await runWorker(
      `${ORIGIN}/console/fragments/assets`,
      { headers: auth(stack) },
      { MANAGEMENT_RATE_LIMIT: exhausted },
    );
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("60");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.text).toContain('role="alert"');
  });

  it.each(["/console/", "/console/fragments", "/console/fragments/assets/", "/console/nope"])(
    "answer %s with an HTML 404 that is never cached",
    async (path) => {
      const res = await fetchText(`${ORIGIN}${path}`);
      expect(res.status).toBe(404);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("content-security-policy")).toBe(STRICT_CSP);
      expect(res.text).toBe(
        '<p class="form-error" role="alert">This console page does not exist.</p>',
      );
    },
  );
});

describe("console folders and tags", () => {
  async function folder(stack: Stack, name: string, parent?: string) {
    const res = await call("/v3/assets/folders", {
      method: "POST",
      headers: auth(stack, { "content-type": "application/json" }),
      body: JSON.stringify({ asset: { name, ...(parent ? { parent_uid: parent } : {}) } }),
    });
    return ((await res.json()) as { asset: { uid: string } }).asset.uid;
  }
  const list = (stack: Stack, query = "") =>
    fetchText(`${ORIGIN}/console/fragments/assets${query}`, { headers: auth(stack) });

  it("list a folder's folders and assets, with the folders above it and its tags", async () => {
    const stack = await createStack("Folders in the console");
    const top = await folder(stack, "Campaign <2026>");
    const inner = await folder(stack, "Banners", top);
    await uploadAsset(stack, "root.txt", "r", { "asset[tags]": "home,<b>bold</b>" });
    await uploadAsset(stack, "inside.txt", "i", { "asset[parent_uid]": top });

    const root = await list(stack);
    expect(root.status).toBe(200);
    expect(root.text).toContain("1 folder and 1 asset");
    expect(root.text).toContain('<span aria-current="location">All assets</span>');
    expect(root.text).toContain(`data-folder="${top}"`);
    expect(root.text).toContain("Campaign &lt;2026&gt;");
    expect(root.text).not.toContain("inside.txt");
    expect(root.text).toContain('<span class="tag">&lt;b&gt;bold&lt;/b&gt;</span>');

    const opened = await list(stack, `?folder=${top}`);
    expect(opened.text).toContain("1 folder and 1 asset");
    expect(opened.text).toContain('class="folder-open" data-folder="">All assets</button>');
    expect(opened.text).toContain('<span aria-current="location">Campaign &lt;2026&gt;</span>');
    expect(opened.text).toContain(`data-folder="${inner}"`);
    expect(opened.text).toContain("inside.txt");
    expect(opened.text).toContain(`id="folder-rename-form" data-folder="${top}"`);
    expect(opened.text).not.toContain("root.txt");

    const deeper = await list(stack, `?folder=${inner}`);
    expect(deeper.text).toContain(`class="folder-open" data-folder="${top}">`);
    expect(deeper.text).toContain("This folder is empty");

    // A search looks through every folder and lists no folders.
    const found = await list(stack, `?search=.txt&folder=${inner}`);
    expect(found.text).toContain("2 assets matching “.txt”");
    expect(found.text).not.toContain("breadcrumb");
  });

  it("answer the API's 422 for a folder the stack does not have", async () => {
    const stack = await createStack("Unknown folder");
    const res = await list(stack, "?folder=blt0000000000000000");
    expect(res.status).toBe(422);
    expect(res.text).toContain('role="alert"');
  });

  it("show an asset's folder and tags, and a details form to change them", async () => {
    const stack = await createStack("Details form");
    const target = await folder(stack, "Target");
    const other = await folder(stack, "Other");
    const asset = await uploadAsset(stack, "t.txt", "t", {
      "asset[tags]": "a,b",
      "asset[parent_uid]": target,
      "asset[description]": "</textarea><script>x</script>",
    });
    const detail = await fetchText(`${ORIGIN}/console/fragments/assets/${asset.uid}`, {
      headers: auth(stack),
    });
    expect(detail.status).toBe(200);
    expect(detail.text).toContain("<dt>Folder</dt><dd>Target</dd>");
    expect(detail.text).toContain('<span class="tag">a</span><span class="tag">b</span>');
    expect(detail.text).toContain('id="details-form"');
    expect(detail.text).toContain('id="detail-tags" value="a, b"');
    expect(detail.text).toContain(`<option value="${target}" selected="">Target</option>`);
    expect(detail.text).toContain(`<option value="${other}">Other</option>`);
    expect(detail.text).not.toContain("<script>x</script>");
    for (const id of ["detail-title-input", "detail-description", "detail-tags", "detail-folder"]) {
      expect(detail.text).toContain(`<label for="${id}">`);
    }
  });
});

describe("the Publish section", () => {
  const json = (stack: Stack, method: string, path: string, body: unknown) =>
    call(path, {
      method,
      headers: auth(stack, { "content-type": "application/json" }),
      body: JSON.stringify(body),
    });
  const detailOf = async (stack: Stack, uid: string) =>
    (await fetchText(`${ORIGIN}/console/fragments/assets/${uid}`, { headers: auth(stack) })).text;

  it("says how to make environments when the stack has none", async () => {
    const stack = await createStack("No environments");
    const asset = await uploadAsset(stack, "n.txt", "n");
    const html = await detailOf(stack, asset.uid);
    expect(html).toContain("This stack has no environments yet.");
    expect(html).not.toContain('id="publish-form"');
  });

  it("shows what each environment serves, the form, and this asset's scheduled actions only", async () => {
    const stack = await createStack("Publish panel");
    for (const name of ["production", "<b>staging</b>"]) {
      expect(
        (await json(stack, "POST", "/v3/environments", { environment: { name } })).status,
      ).toBe(201);
    }
    const asset = await uploadAsset(stack, "p.txt", "one");
    const other = await uploadAsset(stack, "o.txt", "other");
    const publish = (uid: string, body: unknown) =>
      json(stack, "POST", `/v3/assets/${uid}/publish`, body);
    expect(
      (
        await publish(asset.uid, {
          asset: { environments: ["production"], locales: ["en-us", "fr-fr"] },
        })
      ).status,
    ).toBe(200);
    const at = new Date(Date.now() + 86_400_000).toISOString();
    expect(
      (await publish(asset.uid, { asset: { environments: ["<b>staging</b>"] }, scheduled_at: at }))
        .status,
    ).toBe(200);
    expect(
      (await publish(other.uid, { asset: { environments: ["production"] }, scheduled_at: at }))
        .status,
    ).toBe(200);

    const html = await detailOf(stack, asset.uid);
    expect(html).toMatch(
      /<tr data-environment="production"><th scope="row">production<\/th><td class="published-version">Version 1<\/td><td>en-us, fr-fr<\/td>/,
    );
    expect(html).toContain(
      '<th scope="row">&lt;b&gt;staging&lt;/b&gt;</th><td colspan="3" class="published-version">Not published</td>',
    );
    expect(html).not.toContain("<b>staging</b>");
    expect(html).toContain(
      '<input type="checkbox" name="publish-environment" value="production"/>',
    );
    expect(html).toContain('<option value="1">Version 1 · p.txt</option>');
    for (const id of ["publish-version", "publish-locales", "publish-at"]) {
      expect(html).toContain(`<label for="${id}">`);
    }
    // One scheduled action: this asset's, not the other asset's.
    expect(html.match(/class="cancel-scheduled"/g)).toHaveLength(1);
    expect(html).toContain("Publish version 1 to &lt;b&gt;staging&lt;/b&gt; (en-us) at ");
    // The publish queue's asset_uid filter the panel reads through.
    const queue = await call(`/v3/publish-queue?asset_uid=${asset.uid}`, { headers: auth(stack) });
    expect(await queue.json()).toMatchObject({ count: 1, queue: [{ asset: { uid: asset.uid } }] });
    const junk = await call("/v3/publish-queue?asset_uid=x", { headers: auth(stack) });
    expect(junk.status).toBe(422);
    expect(await junk.json()).toMatchObject({ errors: { asset_uid: ["must be an asset uid"] } });
  });
});

describe("the image sizes picker", () => {
  const detailOf = async (stack: Stack, uid: string) =>
    (await fetchText(`${ORIGIN}/console/fragments/assets/${uid}`, { headers: auth(stack) })).text;

  it("offers an image's widths up to its own, on the permanent URL once it has one", async () => {
    const stack = await createStack("Picker");
    const png = FIXTURES[0]?.data ?? new Uint8Array();
    const asset = await uploadAsset(stack, "wide.png", png, {}, "image/png");
    const before = await detailOf(stack, asset.uid);
    expect(before).toContain(`id="image-form" class="image-form" data-base="${asset.url}"`);
    expect(before).toContain("Set a permanent URL to get links that keep working");
    // The fixture is 123 pixels wide: no width above it is offered (no upscaling in a srcset).
    expect(before).toContain('data-widths=""');
    expect(before).toContain("Original (123 pixels)");
    for (const id of ["image-width", "image-format", "image-url", "image-srcset"]) {
      expect(before).toContain(`<label for="${id}">`);
    }
    expect((await setPermanentUrl(stack, asset.uid, "wide")).status).toBe(200);
    const after = await detailOf(stack, asset.uid);
    expect(after).toContain(
      `data-base="${ORIGIN}/v3/assets/${stack.apiKey}/${asset.uid}/wide" data-widths=""`,
    );
  });

  it("lists the common widths when the size is not known, and is absent for other files", async () => {
    const stack = await createStack("Picker 2");
    const fake = await uploadAsset(stack, "big.jpg", "not read as an image", {}, "image/jpeg");
    expect(await detailOf(stack, fake.uid)).toContain(`data-widths="${IMAGE_WIDTHS.join(",")}"`);
    const text = await uploadAsset(stack, "notes.txt", "text");
    expect(await detailOf(stack, text.uid)).not.toContain("image-form");
  });
});

describe("console formatting", () => {
  it.each([
    [0, "0 bytes"],
    [1, "1 byte"],
    [1023, "1023 bytes"],
    [1536, "1.5 KB"],
    [10 * 1024, "10 KB"],
    [11 * 1024 * 1024 + 7, "11 MB"],
    [5 * 1024 ** 4, "5.0 TB"],
    [-1, "unknown size"],
    [Number.NaN, "unknown size"],
  ])("formats %d bytes as %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it("formats ISO dates in UTC and leaves anything else alone", () => {
    expect(formatDate("2026-11-25T10:04:05.123Z")).toBe("2026-11-25 10:04 UTC");
    expect(formatDate("yesterday")).toBe("yesterday");
  });

  it("finds where the last page starts", () => {
    expect(lastPageStart(0)).toBe(0);
    expect(lastPageStart(20)).toBe(0);
    expect(lastPageStart(21)).toBe(20);
    expect(lastPageStart(40)).toBe(20);
  });

  it("numbers pages from 1 and always has at least one", () => {
    expect(pageOf(0, 0)).toEqual({ page: 1, pages: 1 });
    expect(pageOf(20, 21)).toEqual({ page: 2, pages: 2 });
    expect(pageOf(0, 40)).toEqual({ page: 1, pages: 2 });
  });

  it("labels files without a preview by extension", () => {
    expect(fileKind("report.PDF")).toBe("PDF");
    expect(fileKind("archive.tar.gz")).toBe("GZ");
    expect(fileKind("README")).toBe("FILE");
    expect(fileKind("odd.toolongext")).toBe("FILE");
  });
});
