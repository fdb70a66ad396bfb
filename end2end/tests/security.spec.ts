// The pages run under their Content-Security-Policy: no script or style is refused, the app
// hydrates, its live connection opens and its service worker registers.

import { test, expect } from '@playwright/test';
import { PAGES, detailPages, openPage, signIn } from './support';

test('no page breaks its own Content-Security-Policy', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) {
      refused.push(`${page.url()}: ${message.text()}`);
    }
  });
  await signIn(page);

  for (const path of [...PAGES, ...await detailPages(page, testInfo)]) {
    const response = await openPage(page, path);
    expect(response?.headers()['content-security-policy'], path).toContain("script-src 'self' 'nonce-");
  }
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));

  expect(refused).toEqual([]);
});

test('an injected inline script is refused by the policy', async ({ page }) => {
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
  });
  await page.goto('/login');

  const ran = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true;';
    document.head.appendChild(script);
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });

  expect(ran).toBe(false);
  await expect.poll(() => refused.length).toBeGreaterThan(0);
  expect(refused[0]).toMatch(/inline script/i);
});
