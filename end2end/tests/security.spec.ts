// The pages run under their Content-Security-Policy: no script or style is refused, the app
// hydrates, its live connection opens and its service worker registers.

import { test, expect } from '@playwright/test';
import { signIn } from './support';

const PAGES = ['/', '/customers', '/invoices', '/invoices/new', '/payments', '/payments/new',
  '/expenses', '/books', '/books/profit-loss', '/books/cash-flow', '/books/accounts',
  '/books/aging', '/books/tax', '/recurring', '/recurring/new', '/books/tax/documents?side=output&rate=20', '/credit-notes', '/settings', '/audit', '/settings/numbering', '/settings/bank-accounts', '/settings/tax-rates', '/settings/api-tokens', '/items', '/quotes', '/quotes/new', '/account', '/people', '/bank'];

test('no page breaks its own Content-Security-Policy', async ({ page }) => {
  test.setTimeout(240_000);
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) {
      refused.push(`${page.url()}: ${message.text()}`);
    }
  });
  await signIn(page);

  for (const path of PAGES) {
    const response = await page.goto(path);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self' 'nonce-");
    await expect(page.locator('html[data-live=connected]')).toBeAttached({ timeout: 15_000 });
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
