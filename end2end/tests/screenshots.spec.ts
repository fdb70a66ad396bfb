// Every page at phone size (390 px wide, touch), photographed whole for people to look at:
// the pictures are kept in end2end/screenshots/ (Playwright empties test-results/ at each
// run; this folder is only overwritten). No page may scroll sideways as a whole: wide tables
// scroll inside their own frame.

import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { PAGES, detailPages, openPage, signIn } from './support';

const FOLDER = path.resolve(__dirname, '..', 'screenshots');

function fileName(address: string): string {
  const name = address.replace(/^\//, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '');
  return `${name || 'dashboard'}.png`;
}

// Measured against the phone's width: a page too wide for it makes a mobile browser widen
// its layout viewport (and zoom out), so `innerWidth` alone would hide the overflow.
async function sideways(page: Page): Promise<number> {
  const width = page.viewportSize()?.width ?? 390;
  return page.evaluate((w) => Math.max(document.documentElement.scrollWidth, window.innerWidth) - w, width);
}

/** Controls a finger must hit that are smaller than 44 × 44 CSS pixels (links inside text
 * are exempt, as WCAG's target-size rule has them). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = 'button, a.button, select, summary, [role=button], [role=tab], '
      + 'input:not([type=hidden]):not([type=checkbox]):not([type=radio])';
    const small: string[] = [];
    for (const element of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.height < 44 || box.width < 44) {
        const name = (element.getAttribute('aria-label') || element.textContent || element.getAttribute('name') || element.tagName).trim().slice(0, 30);
        small.push(`${element.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    }
    return small;
  });
}

test('every page at 390 px, photographed', async ({ page, browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'the phone-sized pictures');
  test.setTimeout(420_000);
  fs.mkdirSync(FOLDER, { recursive: true });
  const overflowing: string[] = [];
  const tooSmall: string[] = [];

  // Signed out: the sign-in page, in a context of its own.
  const { viewport, isMobile, hasTouch, deviceScaleFactor, baseURL } = testInfo.project.use;
  const fresh = await browser.newContext({ viewport, isMobile, hasTouch, deviceScaleFactor, baseURL });
  const signedOut = await fresh.newPage();
  await signedOut.goto('/login');
  await expect(signedOut.getByRole('button').first()).toBeVisible();
  await signedOut.screenshot({ path: path.join(FOLDER, 'login.png'), fullPage: true });
  if (await sideways(signedOut) > 0) overflowing.push('/login');
  await fresh.close();

  await signIn(page);
  expect(page.viewportSize()?.width).toBe(390);
  for (const address of [...PAGES, ...await detailPages(page, testInfo)]) {
    await openPage(page, address);
    // Figures and charts arrive after the frame: wait for the loading placeholders to go.
    await expect(page.locator('.loading')).toHaveCount(0, { timeout: 15_000 }).catch(() => {});
    await page.screenshot({ path: path.join(FOLDER, fileName(address)), fullPage: true });
    const extra = await sideways(page);
    if (extra > 0) overflowing.push(`${address} (${extra} px too wide)`);
    for (const target of await smallTargets(page)) tooSmall.push(`${address}: ${target}`);
  }
  expect(overflowing).toEqual([]);
  expect(tooSmall).toEqual([]);
});
