// The home page (GET /) in Debian's Chromium against the real management Worker, under its real
// Content-Security-Policy: its stylesheet loads, each link leads to a page or document that is
// there, nothing is wider than a phone, and axe-core finds nothing.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl } from "./api";
import { axeViolations, collectPageProblems, launchChromium, withAuditPage } from "./browser";

let browser: Browser;
let page: Page;
let problems: string[];

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  problems = collectPageProblems(page);
  await page.goto(`${baseUrl}/`);
});

afterAll(async () => {
  await browser?.close();
});

describe("the home page", () => {
  it("says what this is, with its stylesheet, on a phone-sized screen", async () => {
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(
      "Permanent asset URLs",
    );
    // The stylesheet (the reference page's) gives the page its readable width.
    const maxWidth = await page.evaluate(() => getComputedStyle(document.body).maxWidth);
    expect(maxWidth).toBe("1024px");
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await expect(page.locator("code").textContent()).resolves.toBe(
      `contentstack.client({ endpoint: "${baseUrl}/v3" })`,
    );
    expect(problems).toEqual([]);
  });

  it.each([
    ["Console", "/console", "Assets console"],
    ["API reference", "/reference", null],
    ["OpenAPI document", "/openapi.json", null],
  ])("leads to the %s", async (name, path, title) => {
    await page.goto(`${baseUrl}/`);
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.getByRole("link", { name }).click(),
    ]);
    expect(new URL(page.url()).pathname).toBe(path);
    expect(response?.status()).toBe(200);
    if (title) await expect(page.title()).resolves.toBe(title);
    expect(problems).toEqual([]);
  });

  it("has no axe-core accessibility violations (WCAG 2.1 A and AA, best practices)", async () => {
    const violations = await withAuditPage(browser, { width: 1024, height: 768 }, async (audit) => {
      await audit.goto(`${baseUrl}/`);
      return axeViolations(audit);
    });
    expect(violations).toEqual([]);
  });
});
