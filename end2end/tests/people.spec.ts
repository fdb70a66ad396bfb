// The owner invites a viewer by link; the viewer joins in a fresh browser, can look but not
// change anything, and is locked out when the owner disables the account.

import { test, expect } from '@playwright/test';
import { signIn, uniqueSuffix } from './support';

test('an invited viewer joins, cannot change the books, and can be disabled', async ({ page, browser }, info) => {
  const email = `viewer.${uniqueSuffix(info).replace(/\W+/g, '-')}@example.com`;
  await signIn(page);
  await page.getByTitle('Your account').click();
  await page.getByRole('link', { name: /^People/ }).click();
  await expect(page.locator('html[data-live=connected]')).toBeAttached({ timeout: 15_000 });
  await page.getByLabel('Their email').fill(email);
  await page.getByLabel('Role').selectOption('viewer');
  await page.getByRole('button', { name: 'Make invitation link' }).click();
  const link = await page.getByLabel(/Send them this link/).inputValue();
  expect(link).toMatch(/\/invite\/[0-9a-f]{64}$/);
  await expect(page.getByTestId('invitations')).toContainText(email);

  const stranger = await browser.newContext({ viewport: page.viewportSize() ?? undefined });
  const viewer = await stranger.newPage();
  await viewer.goto(link);
  await expect(viewer.getByRole('heading', { name: 'Join Harbour Studio' })).toBeVisible();
  await expect(viewer.locator('html[data-live]')).toHaveCount(0); // no app frame before joining
  await viewer.getByLabel('Password').fill('viewer password 1');
  await viewer.getByRole('button', { name: 'Join' }).click();
  await expect(viewer.getByTestId('kpi-outstanding')).toBeVisible({ timeout: 20_000 });

  await viewer.goto('/customers/new');
  await expect(viewer.locator('html[data-live=connected]')).toBeAttached({ timeout: 15_000 });
  await viewer.getByLabel('Name').fill('Viewer Was Here Ltd');
  await viewer.getByRole('button', { name: 'Save customer' }).click();
  await expect(viewer.getByText('Your account can only view the books.')).toBeVisible();

  await page.reload();
  await expect(page.locator('html[data-live=connected]')).toBeAttached({ timeout: 15_000 });
  const row = page.getByTestId('people').getByRole('row').filter({ hasText: email });
  await row.getByRole('button', { name: 'Disable' }).click();
  await expect(row.getByRole('button', { name: 'Enable' })).toBeVisible();

  await viewer.goto('/customers');
  await expect(viewer).toHaveURL(/\/login/);
  await stranger.close();
});
