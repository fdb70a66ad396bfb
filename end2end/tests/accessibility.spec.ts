// Every page scanned with axe-core (WCAG 2 A and AA rules) at desktop and phone size: no
// serious or critical violation. Each violation is reported with the elements it found.

import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { PAGES, detailPages, openPage, signIn } from './support';

async function serious(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${page.url()} ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

test('the sign-in page has no serious accessibility violation', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('button').first()).toBeVisible();
  expect(await serious(page)).toEqual([]);
});

test('no page has a serious accessibility violation', async ({ page }, testInfo) => {
  test.setTimeout(420_000);
  await signIn(page);
  const found: string[] = [];
  for (const path of [...PAGES, ...await detailPages(page, testInfo)]) {
    await openPage(page, path);
    found.push(...await serious(page));
  }
  expect(found).toEqual([]);
});
