// The console's Publish panel in a real browser (Debian's Chromium) against the real server:
// publish the latest version to one environment, a replace that environment does not see, an
// older version to another, a publish scheduled for tomorrow listed and cancelled, an
// unpublish, each environment's version shown beside the asset; a phone-sized screen, no page
// error, and an axe-core audit of the open panel.
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawBody } from "../client/index";
import { baseUrl as base, newStack } from "./api";
import {
  axeViolations,
  collectPageProblems,
  launchChromium,
  phoneContext,
  screenshotDir,
  tooWide,
  withAuditPage,
} from "./browser";

let browser: Browser;
let page: Page;
let problems: string[];
let stack: Awaited<ReturnType<typeof newStack>>;
let uid: string;

async function signIn(target: Page) {
  await target.goto(`${base}/console`);
  await target.getByLabel("Stack API key").fill(stack.apiKey);
  await target.getByLabel("Management token").fill(stack.token);
  await target.getByLabel("Management token").press("Enter");
}

/** Opens the asset again, and waits until the new panel has replaced the one shown. */
async function reopen() {
  const shown = await page.$("#publish-form");
  await page.locator(".asset-open", { hasText: "poster.txt" }).click();
  if (shown) await page.waitForFunction((form) => !form.isConnected, shown);
  await page.locator("#publish-form").waitFor();
}

/** The "Version" cell of an environment's row in the panel's table. */
const served = (name: string) =>
  page.locator(`.published tr[data-environment="${name}"] .published-version`);

/** A datetime-local value (this browser's local time) a day from now. */
function tomorrow(): string {
  const at = new Date(Date.now() + 86_400_000);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}`;
}

beforeAll(async () => {
  browser = await launchChromium();
  stack = await newStack("Console publishing");
  for (const name of ["production", "staging"]) {
    const created = await stack.api.POST("/v3/environments", { body: { environment: { name } } });
    expect(created.response.status).toBe(201);
  }
  const asset = await stack.api.POST("/v3/assets", {
    params: { query: { filename: "poster.txt" } },
    ...rawBody("poster, version one", "text/plain"),
  });
  uid = asset.data?.asset.uid ?? "";
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  problems = collectPageProblems(page);
  await signIn(page);
  await page.locator(".asset-open", { hasText: "poster.txt" }).click();
  await page.locator("#publishing-title").waitFor();
});

afterAll(async () => {
  await browser?.close();
});

describe("the console's Publish panel in Chromium", () => {
  it("lists every environment, nothing published yet", async () => {
    expect(await page.locator(".published tbody th").allTextContents()).toEqual([
      "production",
      "staging",
    ]);
    expect(await served("production").textContent()).toBe("Not published");
    expect(await served("staging").textContent()).toBe("Not published");
  });

  it("publishes the latest version to production, now", async () => {
    await page.getByRole("checkbox", { name: "production" }).check();
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await served("production").filter({ hasText: "Version 1" }).waitFor();
    expect(await served("staging").textContent()).toBe("Not published");
    const fetched = await stack.api.GET("/v3/assets/{uid}", {
      params: { path: { uid }, query: { include_publish_details: "true" } },
    });
    expect(fetched.data?.asset.publish_details).toMatchObject([{ locale: "en-us", version: 1 }]);
  });

  it("keeps production on version 1 after a replace, and publishes version 1 to staging", async () => {
    const replaced = await stack.api.PUT("/v3/assets/{uid}", {
      params: { path: { uid }, query: { filename: "poster.txt" } },
      ...rawBody("poster, version two", "text/plain"),
    });
    expect(replaced.data?.asset._version).toBe(2);
    await reopen();
    expect(await served("production").textContent()).toBe("Version 1");
    await page.getByRole("checkbox", { name: "staging" }).check();
    await page.getByLabel("Version to publish").selectOption("1");
    await page.getByLabel("Locales").fill("en-us, fr-fr");
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    const staging = page.locator('.published tr[data-environment="staging"]');
    await staging.filter({ hasText: "en-us, fr-fr" }).waitFor();
    expect(await served("staging").textContent()).toBe("Version 1");
  });

  it("schedules a publish for tomorrow, lists it, and cancels it", async () => {
    await page.getByRole("checkbox", { name: "production" }).check();
    await page.getByRole("radio", { name: "At a time" }).check();
    await page.getByLabel("Date and time (this browser's time zone)").fill(tomorrow());
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    const item = page.locator(".scheduled li");
    await item.first().waitFor();
    expect(await item.count()).toBe(1);
    expect(await item.textContent()).toContain("Publish version 2 to production (en-us) at");
    // Nothing changed yet: production still serves version 1.
    expect(await served("production").textContent()).toBe("Version 1");
    await page
      .locator("section.publishing")
      .screenshot({ path: join(screenshotDir(), "console-publishing.png") });
    await page.getByRole("button", { name: /^Cancel: Publish version 2 to production/ }).click();
    await page.getByText("Nothing is scheduled for this asset.").waitFor();
    const queue = await stack.api.GET("/v3/publish-queue");
    expect(queue.data?.count).toBe(0);
  });

  it("refuses a scheduled time left empty without sending anything", async () => {
    await page.getByRole("checkbox", { name: "production" }).check();
    await page.getByRole("radio", { name: "At a time" }).check();
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.locator("#publish-error", { hasText: "Choose the date and time." }).waitFor();
    expect(await page.locator(".scheduled li").count()).toBe(0);
  });

  it("unpublishes from staging", async () => {
    await reopen();
    await page.getByRole("checkbox", { name: "staging" }).check();
    await page.getByLabel("Locales").fill("en-us, fr-fr");
    await page.getByRole("button", { name: "Unpublish" }).click();
    await served("staging").filter({ hasText: "Not published" }).waitFor();
    expect(await served("production").textContent()).toBe("Version 1");
  });

  it("fits a phone-sized screen without sideways scrolling", async () => {
    const phone = await phoneContext(browser);
    try {
      const small = await phone.newPage();
      const smallProblems = collectPageProblems(small);
      await signIn(small);
      await small.locator(".asset-open", { hasText: "poster.txt" }).click();
      await small.locator("#publish-form").waitFor();
      expect(await tooWide(small)).toEqual([]);
      expect(smallProblems).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it("has no axe-core violations with the panel open, and the page reported no problem", async () => {
    await withAuditPage(browser, { width: 1280, height: 900 }, async (p) => {
      await signIn(p);
      await p.locator(".asset-open", { hasText: "poster.txt" }).click();
      await p.locator("#publish-form").waitFor();
      expect(await axeViolations(p)).toEqual([]);
    });
    expect(problems).toEqual([]);
  });
});
