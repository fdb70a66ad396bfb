// Mistakes a person makes: a malformed amount, an overpayment without consent, a missing
// customer, and an impatient double click on "Record payment".

import { test, expect, type Page } from '@playwright/test';
import { signIn, uniqueSuffix, visible, chooseRate } from './support';

async function issuedInvoice(page: Page, customer: string) {
  await visible(page.getByRole('link', { name: 'Customers' })).click();
  await page.getByRole('link', { name: 'New customer' }).click();
  await page.getByLabel('Name').fill(customer);
  await page.getByRole('button', { name: 'Save customer' }).click();
  await expect(page.getByRole('heading', { name: customer })).toBeVisible();
  await page.goto('/invoices/new');
  await page.getByLabel('Customer').selectOption({ label: customer });
  await page.getByLabel('Description (line 1)', { exact: true }).fill('Design work');
  await page.getByLabel('Quantity (line 1)', { exact: true }).fill('2');
  await page.getByLabel('Unit price (line 1)', { exact: true }).fill('50');
  await chooseRate(page, 1, '20');
  await page.getByRole('button', { name: 'Save and issue' }).click();
  await expect(page).toHaveURL(/\/invoices\/\d+$/);
  return page.url();
}

test('a draft without a customer or with a negative quantity is refused beside its fields', async ({ page }) => {
  await signIn(page);
  await page.goto('/invoices/new');
  await page.getByLabel('Description (line 1)', { exact: true }).fill('Hours');
  await page.getByLabel('Quantity (line 1)', { exact: true }).fill('-3');
  await page.getByLabel('Unit price (line 1)', { exact: true }).fill('10');

  await page.getByRole('button', { name: 'Save draft' }).click();

  await expect(page.getByText('choose a customer')).toBeVisible();
  await expect(page.getByText('quantity must be more than zero')).toBeVisible();
  await expect(page).toHaveURL(/\/invoices\/new/);
});

test('bad payments are refused with a message and a double click records one payment', async ({ page }, testInfo) => {
  await signIn(page);
  const customer = `Careful Co ${uniqueSuffix(testInfo)}`;
  const invoiceUrl = await issuedInvoice(page, customer);
  await page.getByRole('link', { name: 'Record payment' }).click();

  await page.getByLabel('Amount').fill('12,50');
  await page.getByRole('button', { name: 'Record payment' }).click();
  await expect(page.getByText('is not an amount')).toBeVisible();

  await page.getByLabel('Amount').fill('500.00');
  await page.getByRole('button', { name: 'Record payment' }).click();
  await expect(page.getByText('keep the excess as customer credit', { exact: false }).first()).toBeVisible();

  await page.getByLabel('Amount').fill('30.00');
  await page.getByRole('button', { name: 'Record payment' }).dblclick();
  await expect(page).toHaveURL(invoiceUrl);

  await page.reload();
  await expect(page.getByText('partially paid', { exact: true }).first()).toBeVisible();
  await expect(page.getByText('90.00').first()).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: '30.00' })).toHaveCount(1);

  await visible(page.getByRole('link', { name: 'Payments' })).click();
  await expect(page.getByRole('row').filter({ hasText: customer })).toHaveCount(1);
});
