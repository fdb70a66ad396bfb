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

async function sideways(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

test('every page at 390 px, photographed', async ({ page, browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'the phone-sized pictures');
  test.setTimeout(420_000);
  fs.mkdirSync(FOLDER, { recursive: true });
  const overflowing: string[] = [];

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
  }
  expect(overflowing).toEqual([]);
});
