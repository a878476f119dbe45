// The API reference page (/reference) in a real browser (Debian's Chromium) against the real
// server, under its real Content-Security-Policy: the script and stylesheet load as static
// assets, the "Try it" forms send real requests, credentials stay in sessionStorage and headers.
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { baseUrl as base } from "./api";
import { axeViolations, collectPageProblems, launchChromium, withAuditPage } from "./browser";

let browser: Browser;
let page: Page;
let problems: string[];
const requestUrls: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  problems = collectPageProblems(page);
  page.on("request", (request) => requestUrls.push(request.url()));
  await page.goto(`${base}/reference`);
});

afterAll(async () => {
  await browser?.close();
});

/** Opens an operation's "Try it", runs `fill`, sends, and returns the status and the body. */
async function tryIt(operationId: string, fill: (operation: Locator) => Promise<void> = noop) {
  const operation = page.locator(`#${operationId}`);
  const details = operation.locator("details.try-it");
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) {
    await details.locator("summary").click();
  }
  await fill(operation);
  const status = operation.locator("[data-status]");
  await operation.getByRole("button", { name: /^Send / }).click();
  // The status line says "Sending…" until the answer is in.
  await status.filter({ hasText: /^\d{3}/ }).waitFor();
  const body = (await operation.locator("[data-response]").textContent()) ?? "";
  return { status: Number((await status.textContent())?.slice(0, 3)), body };
}

const noop = async () => {};

describe("the API reference page", () => {
  it("loads its script and stylesheet under the page policy, on a phone-sized screen", async () => {
    // The script unhides the forms; the stylesheet sets the page's width.
    await expect(page.locator("#createStack details.try-it").isVisible()).resolves.toBe(true);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
  });

  it("creates a stack, takes its credentials, uploads a file and generates its permanent URL", async () => {
    await page.getByLabel("ADMIN_TOKEN (stack and admin operations)").fill(inject("adminToken"));
    const stack = await tryIt("createStack");
    expect(stack.status).toBe(201);
    const created = JSON.parse(stack.body) as {
      stack: { api_key: string };
      management_token: { token: string };
    };
    await page.getByRole("button", { name: "Use this stack's api_key and token" }).click();
    expect(
      await page.evaluate(() => [
        sessionStorage.getItem("pau.apiKey"),
        sessionStorage.getItem("pau.token"),
      ]),
    ).toEqual([created.stack.api_key, created.management_token.token]);

    const upload = await tryIt("createAsset", async (operation) => {
      await operation.locator('input[data-field="asset[upload]"]').setInputFiles({
        name: "hello.txt",
        mimeType: "text/plain",
        buffer: Buffer.from("hello from the reference page"),
      });
      await operation.locator('input[data-field="asset[title]"]').fill("Hello");
    });
    expect(upload.status).toBe(201);
    const uid = (JSON.parse(upload.body) as { asset: { uid: string } }).asset.uid;

    const generated = await tryIt("updateAsset", async (operation) => {
      await operation.locator('input[data-in="path"][data-name="uid"]').fill(uid);
      await operation
        .locator("textarea[data-json]")
        .fill('{"asset": {"permanent_url": "hello-page"}}');
    });
    expect(generated.status).toBe(200);
    const asset = (JSON.parse(generated.body) as { asset: { permanent_url: string } }).asset;
    expect(asset.permanent_url).toMatch(/\/hello-page$/);
    const served = await fetch(asset.permanent_url);
    expect(await served.text()).toBe("hello from the reference page");

    const refused = await tryIt("updateAsset", async (operation) => {
      await operation.locator("textarea[data-json]").fill('{"asset": {"permanent_url": "other"}}');
    });
    expect(refused.status).toBe(409);
    expect(problems).toEqual([]);

    // Credentials went as headers only.
    const secrets = [created.management_token.token, inject("adminToken")];
    expect(requestUrls.filter((url) => secrets.some((s) => url.includes(s)))).toEqual([]);
  });

  it("forgets the ADMIN_TOKEN on reload, and keeps the stack's credentials in the tab", async () => {
    await page.reload();
    expect(await page.getByLabel("ADMIN_TOKEN (stack and admin operations)").inputValue()).toBe("");
    expect(await page.getByLabel("api_key", { exact: true }).inputValue()).toMatch(/^blt/);
    await page.getByRole("button", { name: "Forget the credentials" }).click();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it("has no axe-core accessibility violations (WCAG 2.1 A and AA, best practices)", async () => {
    await withAuditPage(browser, { width: 390, height: 844 }, async (p) => {
      await p.goto(`${base}/reference`);
      await p.locator("#updateAsset details.try-it summary").click();
      expect(await axeViolations(p)).toEqual([]);
    });
  });
});
