// A permanent URL's width variants as a responsive image in Chromium: an <img srcset> of
// ?width=200, 400 and 800 with sizes="400px" picks the candidate the device's pixel ratio needs,
// and the picture it shows is that variant, decoded by the browser at the variant's size.

import type { Browser } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formBody } from "../client/index";
import { photoLike } from "../scripts/photo-like.mjs";
import { newStack } from "./api";
import { collectPageProblems, launchChromium } from "./browser";

let browser: Browser;
let permanent: string;

beforeAll(async () => {
  browser = await launchChromium();
  const { api } = await newStack("Responsive images");
  const bytes = await photoLike(2000, 1500).jpeg({ quality: 85 }).toBuffer();
  const form = new FormData();
  form.append("asset[upload]", new Blob([new Uint8Array(bytes)], { type: "image/jpeg" }), "a.jpg");
  form.append("asset[permanent_url]", "responsive");
  const created = await api.POST("/v3/assets", formBody(form));
  permanent = created.data?.asset.permanent_url ?? "";
  expect(permanent).toMatch(/\/responsive$/);
});

afterAll(async () => {
  await browser?.close();
});

const WIDTHS = [200, 400, 800];

describe("an <img srcset> of the permanent URL's width variants", () => {
  it.each([
    [1, 400],
    [2, 800],
  ])("at a device pixel ratio of %i shows the %iw candidate at its size", async (dpr, chosen) => {
    const context = await browser.newContext({
      deviceScaleFactor: dpr,
      viewport: { width: 1000, height: 800 },
    });
    try {
      const page = await context.newPage();
      const problems = collectPageProblems(page);
      const srcset = WIDTHS.map((w) => `${permanent}?width=${w} ${w}w`).join(", ");
      await page.setContent(`<img alt="" sizes="400px" srcset="${srcset}">`);
      const shown = await page.evaluate(async () => {
        const img = document.querySelector("img") as HTMLImageElement;
        await img.decode();
        return {
          currentSrc: img.currentSrc,
          naturalWidth: img.naturalWidth,
          naturalHeight: img.naturalHeight,
          width: img.width,
        };
      });
      expect(shown.currentSrc).toBe(`${permanent}?width=${chosen}`);
      // The variant itself, decoded by sharp: the size the service made.
      const variant = await sharp(
        Buffer.from(await (await fetch(shown.currentSrc)).arrayBuffer()),
      ).metadata();
      expect([variant.width, variant.height]).toEqual([chosen, (chosen * 3) / 4]);
      // HTML's density-corrected natural size: the candidate's pixels over its density, which
      // a w descriptor sets to its width over the slot's (400px), so always 400x300 here.
      const density = chosen / 400;
      expect([shown.naturalWidth * density, shown.naturalHeight * density]).toEqual([
        variant.width,
        variant.height,
      ]);
      expect(shown.width).toBe(400);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
