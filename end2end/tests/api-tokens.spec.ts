// A bookkeeper's or owner's API token: made on its page, shown once to copy, working with
// the HTTP API at once, listed without its secret afterwards, and dead once revoked.

import { test, expect } from '@playwright/test';
import { signIn, uniqueSuffix } from './support';

test('a token is shown once, works with the API, and stops working when revoked', async ({ page }, info) => {
  const name = `sync ${uniqueSuffix(info)}`;
  await signIn(page);
  await page.getByTitle('Your account').click();
  await page.getByRole('link', { name: /^API tokens/ }).click();
  await expect(page.locator('html[data-live=connected]')).toBeAttached({ timeout: 15_000 });

  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Scope').selectOption('write');
  await page.getByRole('button', { name: 'Make token' }).click();
  const secret = await page.getByLabel(/Copy it now/).inputValue();
  expect(secret).toMatch(/^settle_[0-9a-f]{64}$/);
  await page.getByRole('button', { name: 'Copy' }).click();
  const row = page.getByTestId('api-tokens').getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('write');
  await expect(row).toContainText('never');

  const api = (path: string) =>
    page.request.get(path, { headers: { authorization: `Bearer ${secret}` } });
  expect((await api('/api/v1/customers')).status()).toBe(200);

  await page.reload();
  await expect(page.locator('html[data-live=connected]')).toBeAttached({ timeout: 15_000 });
  await expect(page.getByLabel(/Copy it now/)).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);
  await expect(row).not.toContainText('never');

  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await expect(row).toContainText('Revoked');
  expect((await api('/api/v1/customers')).status()).toBe(401);
});
