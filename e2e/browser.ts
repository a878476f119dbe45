// Debian's Chromium driven by playwright-core (no browser download), for the console's tests.
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// Without the background-networking flags Chromium keeps calling Google's hosts, which this
// offline machine refuses; --no-sandbox because CI runs as root.
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/**
 * Where screenshots go: `SCREENSHOTS=docs/screenshots` (npm run screenshots) writes the README's
 * pictures; a test run writes them to a temporary folder, so it leaves the tree unchanged.
 */
export function screenshotDir(): string {
  const dir = process.env.SCREENSHOTS ?? join(tmpdir(), "pau-screenshots");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Problems a page reports: script errors and console errors, CSP violations among them. The
 * browser's own "Failed to load resource: … status of N" lines are left out: the tests assert
 * the statuses they provoke, and the console retries transient ones by design.
 */
export function collectPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    if (/^Failed to load resource: the server responded with a status of \d+/.test(msg.text())) {
      return;
    }
    problems.push(`console: ${msg.text()}`);
  });
  return problems;
}

/** A PNG of a solid colour with a label, drawn by the browser itself. */
export async function drawPng(browser: Browser, colour: string, label: string): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: 160, height: 120 } });
  try {
    await page.setContent(
      `<body style="margin:0"><div style="width:160px;height:120px;background:${colour};color:#fff;font:bold 28px sans-serif;display:grid;place-items:center">${label}</div></body>`,
    );
    return await page.screenshot({ type: "png" });
  } finally {
    await page.close();
  }
}

/** A phone-sized browser context: 390x844 CSS pixels at twice the density, touch. */
export function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
}

/** The elements that reach past the screen's right edge (a page that scrolls sideways). */
export function tooWide(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth)
      .map((el) => `${el.tagName}.${el.className}#${el.id}`),
  );
}

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** axe-core's violations on the page as it is now, as "rule: selectors" lines. */
export async function axeViolations(target: Page): Promise<string[]> {
  await target.addScriptTag({ path: AXE });
  return target.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<AxeResult> } })
      .axe;
    const result = await axe.run(document, {
      runOnly: {
        type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
      },
    });
    return result.violations.map(
      (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
    );
  });
}

interface AxeResult {
  violations: { id: string; nodes: { target: string[] }[] }[];
}

/**
 * Runs `audit` on a page of its own context that bypasses the page policy: axe-core is injected
 * as an inline script, which the pages' Content-Security-Policy forbids (and should).
 */
export async function withAuditPage<T>(
  browser: Browser,
  viewport: { width: number; height: number },
  audit: (page: Page) => Promise<T>,
): Promise<T> {
  const context = await browser.newContext({ bypassCSP: true, viewport });
  try {
    return await audit(await context.newPage());
  } finally {
    await context.close();
  }
}
