// A private link: created from an issued invoice's page, opened in a fresh browser with no
// session (the invoice and its balance, nothing else, no accessibility problem), counted as
// viewed on the invoice page, then revoked so it answers "not found".

import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { chooseRate, signIn, uniqueSuffix, visible, isoDay } from './support';

async function issuedInvoice(page: Page, customer: string) {
  await visible(page.getByRole('link', { name: 'Customers' })).click();
  await page.getByRole('link', { name: 'New customer' }).click();
  await page.getByLabel('Name').fill(customer);
  await page.getByLabel('Payment terms').fill('14');
  await page.getByRole('button', { name: 'Save customer' }).click();
  await expect(page.getByRole('heading', { name: customer })).toBeVisible();
  await page.goto('/invoices/new');
  await page.getByLabel('Customer').selectOption({ label: customer });
  await page.getByLabel('Issue date').fill(isoDay(0));
  await page.getByLabel('Due date').fill(isoDay(14));
  const line = (label: string) => page.getByLabel(`${label} (line 1)`, { exact: true });
  await line('Description').fill('Shop window lettering');
  await line('Quantity').fill('2');
  await line('Unit price').fill('150.00');
  await line('Discount %').fill('0');
  await chooseRate(page, 1, '20');
  await page.getByRole('button', { name: 'Save and issue' }).click();
  await expect(page).toHaveURL(/\/invoices\/\d+$/);
  await expect(page.getByTestId('amount-due')).toContainText('360.00');
}

test('a private link shows the customer the invoice and its balance until it is revoked', async ({ page, browser }, testInfo) => {
  const customer = `Lantern Bakery ${uniqueSuffix(testInfo)}`;
  const crashes: string[] = [];
  page.on('pageerror', (error) => crashes.push(error.message));
  await signIn(page);
  await issuedInvoice(page, customer);
  await expect(page.locator('html[data-live=connected]')).toBeAttached({ timeout: 15_000 });

  await page.getByRole('button', { name: 'Create private link' }).click();
  const field = page.getByRole('textbox', { name: 'Private link address' });
  await expect(field).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+\/p\/[0-9a-f]{64}$/);
  const address = await field.inputValue();
  await expect(page.getByTestId('link-views')).toHaveText('Not viewed by the customer yet');

  const stranger = await browser.newContext({ viewport: testInfo.project.name === 'phone' ? { width: 390, height: 844 } : undefined });
  const customerPage = await stranger.newPage();
  const response = await customerPage.goto(address);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['referrer-policy']).toBe('no-referrer');
  await expect(customerPage.getByTestId('public-balance')).toHaveText('GBP 360.00');
  await expect(customerPage.getByText(customer).first()).toBeVisible();
  await expect(customerPage.getByRole('link', { name: 'Download PDF' })).toBeVisible();
  const axe = await new AxeBuilder({ page: customerPage }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await customerPage.screenshot({ path: testInfo.outputPath('public-invoice.png'), fullPage: true });

  // The view reaches the open invoice page live; a reload does not depend on that timing.
  await page.goto(page.url());
  await expect(page.getByTestId('link-views')).toContainText('Viewed by the customer on', { timeout: 15_000 });
  await expect(page.locator('html[data-live=connected]')).toBeAttached({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Revoke link' }).click();
  await expect(page.getByRole('button', { name: 'Create private link' })).toBeVisible();
  const revoked = await customerPage.goto(address);
  expect(revoked?.status()).toBe(404);
  await stranger.close();
  expect(crashes).toEqual([]);
});
