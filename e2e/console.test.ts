// The console in a real browser (Debian's Chromium) against the real server: sign in, upload by
// picker, by drag-and-drop and as a large file through an upload session, search, generate the
// permanent URL with live validation, copy it, replace the file, check what the permanent URL
// serves, delete with confirmation, folders and tags, sign out; then the same page on a
// phone-sized screen.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { photoLike } from "../scripts/photo-like.mjs";
import { admin, baseUrl as base, download, newStack, publicBaseUrl, sha256 } from "./api";
import {
  axeViolations,
  collectPageProblems,
  drawPng,
  launchChromium,
  phoneContext,
  screenshotDir,
  tooWide,
  withAuditPage,
} from "./browser";

const shots = screenshotDir();
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
const requestUrls: string[] = [];
let stack: Awaited<ReturnType<typeof newStack>>;
let logoV1: Buffer;
let logoV2: Buffer;

beforeAll(async () => {
  browser = await launchChromium();
  stack = await newStack("Console");
  logoV1 = await drawPng(browser, "#b3261e", "v1");
  logoV2 = await drawPng(browser, "#0b57d0", "v2");
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  page = await context.newPage();
  problems = collectPageProblems(page);
  page.on("request", (request) => requestUrls.push(request.url()));
});

afterAll(async () => {
  await browser?.close();
});

async function signIn(target: Page, token: string) {
  await target.getByLabel("Stack API key").fill(stack.apiKey);
  await target.getByLabel("Management token").fill(token);
  await target.getByLabel("Management token").press("Enter"); // the keyboard, no mouse
}

const listSummary = () => page.locator("#asset-list .summary");
const detailTitle = () => page.locator("#detail-title");

describe("the console in Chromium", () => {
  it("serves the page with a strict Content-Security-Policy and no inline code", async () => {
    const res = await page.goto(`${base}/console`);
    expect(res?.status()).toBe(200);
    const csp = res?.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(await page.locator("script:not([src])").count()).toBe(0);
    expect(await page.locator("[style]").count()).toBe(0);
    await page.screenshot({ path: join(shots, "console-sign-in.png") });
  });

  it("refuses a wrong token and stays signed out", async () => {
    await signIn(page, `${stack.token}x`);
    await page.getByRole("alert").filter({ hasText: "not accepted" }).waitFor();
    expect(await page.locator("#library").isHidden()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it("signs in with the keyboard and keeps the token in sessionStorage only", async () => {
    await signIn(page, stack.token);
    await listSummary().filter({ hasText: "0 assets" }).waitFor();
    expect(await page.locator("#session-stack").textContent()).toBe(stack.apiKey);
    expect(await page.evaluate(() => sessionStorage.getItem("pau.token"))).toBe(stack.token);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await page.evaluate(() => document.cookie)).toBe("");
    // The focus moved to the library's heading, for keyboard and screen-reader users.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("library-title");
  });

  it("uploads an image with the file picker, shows its progress and opens it", async () => {
    await page
      .getByLabel("Upload files: drop them here or choose them")
      .setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: logoV1 });
    await page.locator("#uploads progress").first().waitFor({ state: "attached" });
    await detailTitle().filter({ hasText: "logo.png" }).waitFor();
    await listSummary().filter({ hasText: "1 asset" }).waitFor();
    // The preview is the uploaded file, served by the versioned URL.
    const src = await page.locator(".detail img.preview").getAttribute("src");
    expect(src).toMatch(/\/v3\/assets\/blt[0-9a-f]{16}\/blt[0-9a-f]{16}\/[0-9a-f]{24}\/logo\.png$/);
    expect(sha256((await download(src ?? "")).bytes)).toBe(sha256(logoV1));
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>(".detail img.preview");
      return img?.complete && img.naturalWidth > 0;
    });
  });

  it("uploads a file dropped on the drop zone", async () => {
    const dataTransfer = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(["dropped notes"], "notes.txt", { type: "text/plain" }));
      return dt;
    });
    await page.dispatchEvent("#drop-zone", "dragover", { dataTransfer });
    expect(await page.locator("#drop-zone.dragging").count()).toBe(1);
    await page.dispatchEvent("#drop-zone", "drop", { dataTransfer });
    await detailTitle().filter({ hasText: "notes.txt" }).waitFor();
    await listSummary().filter({ hasText: "2 assets" }).waitFor();
    // Newest first.
    expect(await page.locator(".asset-title").allTextContents()).toEqual(["notes.txt", "logo.png"]);
  });

  it("uploads a large file through an upload session, part by part, retrying a refused part", async () => {
    const big = randomBytes(11 * 1024 * 1024 + 7); // three 5 MiB parts
    const before = requestUrls.length;
    // The first try of part 2 meets the rate limit (429, Retry-After: 0): it is sent again.
    let refusals = 0;
    await page.route(/\/v3\/uploads\/upl[0-9a-f]{24}\/parts\/2$/, async (route) => {
      if (refusals++ > 0) return route.continue();
      await route.fulfill({
        status: 429,
        headers: { "retry-after": "0", "content-type": "application/json" },
        body: JSON.stringify({ error_message: "Too many requests.", error_code: 158 }),
      });
    });
    await page
      .getByLabel("Upload files: drop them here or choose them")
      .setInputFiles({ name: "film.bin", mimeType: "application/octet-stream", buffer: big });
    await detailTitle().filter({ hasText: "film.bin" }).waitFor();
    const sent = requestUrls.slice(before).map((u) => new URL(u).pathname);
    await page.unroute(/\/v3\/uploads\/upl[0-9a-f]{24}\/parts\/2$/);
    const parts = sent.filter((p) => /^\/v3\/uploads\/upl[0-9a-f]{24}\/parts\/\d$/.test(p));
    // Parts go up to three at a time, so their order varies; part 2 went twice.
    expect(parts.map((p) => p.slice(-1)).sort()).toEqual(["1", "2", "2", "3"]);
    expect(sent.some((p) => /\/complete$/.test(p))).toBe(true);
    const url = await page.locator(".detail .facts a.url").getAttribute("href");
    expect(sha256((await download(url ?? "")).bytes)).toBe(sha256(big));
  });

  it("aborts the session when a part is refused for good, leaving no asset behind", async () => {
    const calls: string[] = [];
    const record = (r: { method: () => string; url: () => string }) =>
      calls.push(`${r.method()} ${new URL(r.url()).pathname}`);
    page.on("request", record);
    const part3 = /\/v3\/uploads\/upl[0-9a-f]{24}\/parts\/3$/;
    await page.route(part3, (route) =>
      route.fulfill({
        status: 422,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ error_message: "Validation failed.", error_code: 141 }),
      }),
    );
    await page.getByLabel("Upload files: drop them here or choose them").setInputFiles({
      name: "broken.bin",
      mimeType: "application/octet-stream",
      buffer: randomBytes(11 * 1024 * 1024),
    });
    await page.locator("#uploads .failed").filter({ hasText: "Validation failed." }).waitFor();
    await page.locator("#status").filter({ hasText: "broken.bin was not uploaded" }).waitFor();
    await page.unroute(part3);
    page.off("request", record);
    // Part 3 once (a 422 is not retried), then the session is aborted and nothing completed.
    expect(calls.filter((c) => /^PUT .*\/parts\/3$/.test(c))).toHaveLength(1);
    expect(calls.filter((c) => /^DELETE \/v3\/uploads\/upl[0-9a-f]{24}$/.test(c))).toHaveLength(1);
    expect(calls.some((c) => c.endsWith("/complete"))).toBe(false);
    await listSummary().filter({ hasText: "3 assets" }).waitFor();
    expect(await page.locator(".asset-title").allTextContents()).not.toContain("broken.bin");
  });

  it("searches by title or filename", async () => {
    await page.getByLabel("Search by title or filename").fill("LOGO");
    await page.getByLabel("Search by title or filename").press("Enter");
    await listSummary().filter({ hasText: "1 asset matching “LOGO”" }).waitFor();
    expect(await page.locator(".asset-title").allTextContents()).toEqual(["logo.png"]);
    await page.getByLabel("Search by title or filename").fill("");
    await page.getByLabel("Search by title or filename").press("Enter");
    await listSummary().filter({ hasText: "3 assets" }).waitFor();
  });

  it("validates the slug live, previews the URL, warns it is once only, then sets it", async () => {
    await page.locator(".asset-open", { hasText: "logo.png" }).click();
    await detailTitle().filter({ hasText: "logo.png" }).waitFor();
    const uid = await page.locator(".detail").getAttribute("data-uid");
    const slug = page.getByLabel("Slug (the last part of the URL)");
    const message = page.locator("#slug-message");
    await expectWarningShown();

    for (const [typed, why] of [
      ["brand logo", "Use only A–Z a–z 0–9 . _ ~ -"],
      ["-logo", "Start with a letter or a digit."],
      ["a/b", "Use only A–Z a–z 0–9 . _ ~ -"],
      ["%2F", "Start with a letter or a digit."],
      ["", "Enter a slug."],
    ] as const) {
      await slug.fill(typed);
      await message.filter({ hasText: why }).waitFor();
      expect(await slug.getAttribute("aria-invalid")).toBe("true");
    }
    await slug.fill("brand-logo");
    await message.filter({ hasText: "This slug is valid." }).waitFor();
    expect(await slug.getAttribute("aria-invalid")).toBe("false");
    const expected = `${publicBaseUrl}/v3/assets/${stack.apiKey}/${uid}/brand-logo`;
    expect(await page.locator("#slug-preview").textContent()).toBe(expected);
    await page
      .locator("section[aria-labelledby=permanent-title]")
      .screenshot({ path: join(shots, "console-permanent-url-form.png") });

    // Not without ticking the confirmation.
    await page.getByRole("button", { name: "Set the permanent URL" }).click();
    await page.locator("#slug-error").filter({ hasText: "Tick the box" }).waitFor();
    await page.getByLabel("I understand that this URL can never be changed.").check();
    await page.getByRole("button", { name: "Set the permanent URL" }).click();

    // Now read-only, with a copy button that puts the URL on the clipboard.
    const field = page.getByRole("textbox", { name: "Permanent URL" });
    await field.waitFor();
    expect(await field.inputValue()).toBe(expected);
    expect(await field.getAttribute("readonly")).not.toBeNull();
    expect(await page.locator("#slug").count()).toBe(0);
    await page.getByRole("button", { name: "Copy" }).click();
    await page.locator("#status").filter({ hasText: "Copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);

    const served = await download(expected);
    expect(served.status).toBe(200);
    expect(sha256(served.bytes)).toBe(sha256(logoV1));
  });

  it("replaces the file: the permanent URL serves the new bytes, the old URL the old", async () => {
    const oldUrl = (await page.locator(".detail .facts a.url").getAttribute("href")) ?? "";
    await page
      .getByLabel("Choose the new file")
      .setInputFiles({ name: "logo-2.png", mimeType: "image/png", buffer: logoV2 });
    await page.locator(".versions li").nth(1).waitFor();
    expect(await page.locator(".versions li strong").allTextContents()).toEqual([
      "Version 2",
      "Version 1",
    ]);
    const permanent = await page.getByRole("textbox", { name: "Permanent URL" }).inputValue();
    expect(sha256((await download(permanent)).bytes)).toBe(sha256(logoV2));
    expect(sha256((await download(oldUrl)).bytes)).toBe(sha256(logoV1));
    const versionLinks = await page
      .locator(".versions a.url")
      .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
    expect(versionLinks[1]).toBe(oldUrl);
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>(".detail img.preview");
      return img?.complete && img.naturalWidth > 0 && img.src.endsWith("logo-2.png");
    });
    await page.screenshot({ path: join(shots, "console-asset.png"), fullPage: true });
  });

  it("picks an image's size and format, previews that variant and gives a srcset to copy", async () => {
    const photo = await photoLike(1400, 900, { seed: 7 }).jpeg({ quality: 80 }).toBuffer();
    await page
      .getByLabel("Upload files: drop them here or choose them")
      .setInputFiles({ name: "photo.jpg", mimeType: "image/jpeg", buffer: photo });
    await detailTitle().filter({ hasText: "photo.jpg" }).waitFor();
    const versioned = (await page.locator(".detail .facts a.url").getAttribute("href")) ?? "";
    await page.getByText("Sizes and formats").click(); // folded away until asked for
    const url = page.getByRole("textbox", { name: "Image URL" });
    expect(await url.inputValue()).toBe(versioned);
    // Widths up to the photo's own 1,400 pixels.
    const widths = await page.locator("#image-width option").allTextContents();
    expect(widths).toEqual([
      "Original (1400 pixels)",
      "160 pixels",
      "320 pixels",
      "640 pixels",
      "960 pixels",
      "1280 pixels",
    ]);
    await page.getByLabel("Width", { exact: true }).selectOption("640");
    await page.getByLabel("Format", { exact: true }).selectOption("webp");
    expect(await url.inputValue()).toBe(`${versioned}?width=640&format=webp`);
    const previewSize = () =>
      page.evaluate(() => {
        const img = document.querySelector<HTMLImageElement>("#image-preview");
        return img?.complete ? [img.naturalWidth, img.naturalHeight] : null;
      });
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>("#image-preview");
      return img?.complete && img.naturalWidth === 640;
    });
    expect(await previewSize()).toEqual([640, 411]);
    const srcset = await page.getByLabel("srcset for the common widths").inputValue();
    expect(srcset.split(",\n")).toEqual(
      [160, 320, 640, 960, 1280].map((w) => `${versioned}?width=${w}&format=webp ${w}w`),
    );
    await page.getByLabel("Format", { exact: true }).selectOption("auto");
    expect(await url.inputValue()).toBe(`${versioned}?width=640&auto=avif,webp`);
    await page.locator("#image-srcset").locator("xpath=following-sibling::button").click();
    await page.locator("#status").filter({ hasText: "Copied: srcset" }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(`${versioned}?width=1280&auto=avif,webp 1280w`);
    // What the picker shows is what the service makes.
    const made = await fetch(`${versioned}?width=960&format=webp`);
    expect(made.headers.get("content-type")).toBe("image/webp");
    // The photo leaves the stack as it came, so the later tests count the assets they expect.
    const uid = (await page.locator(".detail").getAttribute("data-uid")) ?? "";
    const deleted = await stack.api.DELETE("/v3/assets/{uid}", { params: { path: { uid } } });
    expect(deleted.response.status).toBe(200);
  });

  it("has no axe-core accessibility violations (WCAG 2.1 A and AA, best practices)", async () => {
    await withAuditPage(browser, { width: 1280, height: 900 }, async (p) => {
      await p.goto(`${base}/console`);
      const signInPage = await axeViolations(p);
      await signIn(p, stack.token);
      await p.locator(".asset-open", { hasText: "film.bin" }).click(); // no permanent URL yet
      await p.locator("#slug").fill("not valid!");
      await p.locator("#slug-message").filter({ hasText: "Use only" }).waitFor();
      const library = await axeViolations(p);
      await p.locator(".asset-open", { hasText: "logo.png" }).click();
      await p.getByRole("textbox", { name: "Permanent URL" }).waitFor();
      const withUrl = await axeViolations(p);
      await p.getByRole("button", { name: "Delete this asset…" }).click();
      const dialog = await axeViolations(p);
      expect({ signInPage, library, withUrl, dialog }).toEqual({
        signInPage: [],
        library: [],
        withUrl: [],
        dialog: [],
      });
    });
  });

  it("deletes only after confirmation", async () => {
    await page.locator(".asset-open", { hasText: "notes.txt" }).click();
    await detailTitle().filter({ hasText: "notes.txt" }).waitFor();
    const url = (await page.locator(".detail .facts a.url").getAttribute("href")) ?? "";

    await page.getByRole("button", { name: "Delete this asset…" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete “notes.txt”?" });
    await dialog.waitFor();
    await page.keyboard.press("Escape"); // closes without deleting
    await dialog.waitFor({ state: "hidden" });
    expect((await download(url)).status).toBe(200);

    await page.getByRole("button", { name: "Delete this asset…" }).click();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect((await download(url)).status).toBe(200);

    await page.getByRole("button", { name: "Delete this asset…" }).click();
    await dialog.getByRole("button", { name: "Delete asset" }).click();
    await page.locator("#status").filter({ hasText: "The asset is deleted." }).waitFor();
    await listSummary().filter({ hasText: "2 assets" }).waitFor();
    expect((await download(url)).status).toBe(404);
  });

  it("shows only the newest list, even when an older answer arrives after it", async () => {
    const search = page.getByLabel("Search by title or filename");
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const isOld = (url: URL) => url.searchParams.get("search") === "old-query";
    await page.route(isOld, async (route) => {
      await held; // answered only after the newer search has been shown
      await route.continue();
    });
    const oldAsked = page.waitForRequest((r) => isOld(new URL(r.url())));
    await search.fill("old-query");
    await search.press("Enter");
    await oldAsked;
    await search.fill("logo");
    await search.press("Enter");
    await listSummary().filter({ hasText: "1 asset matching “logo”" }).waitFor();
    const oldDone = page.waitForEvent("requestfinished", (r) => isOld(new URL(r.url())));
    release();
    await oldDone;
    // One more round trip from the page, so the old answer has surely been handled by now.
    await page.evaluate(() => fetch("/health").then((r) => r.text()));
    expect(await listSummary().textContent()).toBe("1 asset matching “logo”");
    await page.unroute(isOld);
    await search.fill("");
    await search.press("Enter");
    await listSummary()
      .filter({ hasText: /^\d+ assets?$/ })
      .waitFor();
  });

  it("makes a folder, uploads into it, edits tags and moves the file out, then deletes the folder", async () => {
    await page.getByLabel("New folder here").fill("Campaign");
    await page.getByRole("button", { name: "Create folder" }).click();
    await page.locator("#status").filter({ hasText: "Created the folder Campaign." }).waitFor();
    await page.locator(".asset-open.folder-open", { hasText: "Campaign" }).click();
    await page.locator(".breadcrumb [aria-current]", { hasText: "Campaign" }).waitFor();
    await listSummary().filter({ hasText: "0 assets" }).waitFor();

    await page
      .getByLabel("Upload files: drop them here or choose them")
      .setInputFiles({ name: "brief.txt", mimeType: "text/plain", buffer: Buffer.from("brief") });
    await detailTitle().filter({ hasText: "brief.txt" }).waitFor();
    await listSummary().filter({ hasText: "1 asset" }).waitFor();
    expect(await page.locator(".detail .facts").textContent()).toContain("Campaign");
    const url = (await page.locator(".detail .facts a.url").getAttribute("href")) ?? "";

    await page.getByLabel("Tags").fill("launch, spring ,launch");
    await page
      .getByLabel("Folder", { exact: true })
      .selectOption({ label: "All assets (top level)" });
    await page.getByRole("button", { name: "Save details" }).click();
    await page.locator("#status").filter({ hasText: "The details are saved." }).waitFor();
    expect(await page.locator(".detail .facts .tag").allTextContents()).toEqual([
      "launch",
      "spring",
    ]);
    // Moving it changed none of its URLs.
    expect(await page.locator(".detail .facts a.url").getAttribute("href")).toBe(url);
    await listSummary().filter({ hasText: "0 assets" }).waitFor(); // gone from the folder

    page.once("dialog", (dialog) => dialog.accept());
    await page.getByText("Rename or delete this folder").click();
    await page.getByRole("button", { name: "Delete this folder" }).click();
    await page.locator("#status").filter({ hasText: "The folder is deleted." }).waitFor();
    await page.locator(".breadcrumb [aria-current]", { hasText: "All assets" }).waitFor();
    const row = page.locator(".asset-open", { hasText: "brief.txt" });
    expect(await row.locator(".tag").allTextContents()).toEqual(["launch", "spring"]);
    expect(await page.locator(".folder-open", { hasText: "Campaign" }).count()).toBe(0);
  });

  it("has no axe-core violations in a folder, with the details form open", async () => {
    const folder = await stack.api.POST("/v3/assets/folders", {
      body: { asset: { name: "Audited" } },
    });
    const uid = folder.data?.asset.uid ?? "";
    try {
      await withAuditPage(browser, { width: 1280, height: 900 }, async (p) => {
        await p.goto(`${base}/console`);
        await signIn(p, stack.token);
        await p.locator(".asset-open", { hasText: "brief.txt" }).click();
        await p.getByRole("button", { name: "Save details" }).waitFor();
        await p.locator(".asset-open.folder-open", { hasText: "Audited" }).click();
        await p.locator(".breadcrumb [aria-current]", { hasText: "Audited" }).waitFor();
        await p.getByText("Rename or delete this folder").click();
        expect(await axeViolations(p)).toEqual([]);
      });
    } finally {
      await stack.api.DELETE("/v3/assets/folders/{uid}", { params: { path: { uid } } });
    }
  });

  it("signs out, forgetting the credentials, and never put the token in a URL", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Stack API key").waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(requestUrls.length).toBeGreaterThan(10);
    expect(requestUrls.filter((u) => u.includes(stack.token))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("does not sign in on a 429, and signs out when the token is revoked mid-session", async () => {
    const other = await browser.newContext();
    try {
      const p = await other.newPage();
      await p.route("**/console/fragments/assets*", (route) =>
        route.fulfill({
          status: 429,
          headers: { "retry-after": "60", "content-type": "text/html" },
          body: '<p class="form-error" role="alert">Too many requests: try again later.</p>',
        }),
      );
      await p.goto(`${base}/console`);
      await signIn(p, stack.token);
      await p.locator("#sign-in-error").filter({ hasText: "Too many requests" }).waitFor();
      expect(await p.locator("#library").isHidden()).toBe(true);
      expect(await p.evaluate(() => sessionStorage.length)).toBe(0);
      await p.unrouteAll();

      // A second token, revoked while the console uses it.
      const minted = await admin.POST("/v3/stacks/management_tokens", {
        headers: { api_key: stack.apiKey },
      });
      const second = minted.data?.management_token;
      if (!second) throw new Error("no token");
      await signIn(p, second.token);
      await p.locator("#library-title").waitFor();
      await admin.DELETE("/v3/stacks/management_tokens/{token_uid}", {
        headers: { api_key: stack.apiKey },
        params: { path: { token_uid: second.uid } },
      });
      await p
        .getByLabel("Upload files: drop them here or choose them")
        .setInputFiles({ name: "late.txt", mimeType: "text/plain", buffer: Buffer.from("late") });
      await p.locator("#sign-in-error").filter({ hasText: "was not accepted" }).waitFor();
      expect(await p.locator("#library").isHidden()).toBe(true);
      expect(await p.evaluate(() => sessionStorage.length)).toBe(0);
    } finally {
      await other.close();
    }
  });

  it("works on a phone-sized screen without sideways scrolling", async () => {
    const phone = await phoneContext(browser);
    try {
      const small = await phone.newPage();
      const smallProblems = collectPageProblems(small);
      await small.goto(`${base}/console`);
      await signIn(small, stack.token);
      await small.locator(".asset-open", { hasText: "logo.png" }).click();
      await small.locator("#detail-title").filter({ hasText: "logo.png" }).waitFor();
      await small.waitForFunction(() => {
        const img = document.querySelector<HTMLImageElement>(".detail img.preview");
        return img?.complete && img.naturalWidth > 0;
      });
      expect(await tooWide(small)).toEqual([]);
      await small.screenshot({ path: join(shots, "console-phone.png") });
      expect(smallProblems).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});

async function expectWarningShown() {
  const warning = page.locator("#slug-warning");
  expect(await warning.textContent()).toContain("This can be set only once.");
  expect(
    await page.getByLabel("Slug (the last part of the URL)").getAttribute("aria-describedby"),
  ).toContain("slug-warning");
}
