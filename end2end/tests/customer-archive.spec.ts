// Ending a customer in a real browser: one with an invoice is archived (and leaves the list),
// restored, and can never be deleted; one with nothing is deleted after a second click.

import { test, expect } from '@playwright/test';
import { call, signIn, uniqueSuffix } from './support';

test('a billed customer is archived and restored; an unbilled one is deleted', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const crashes: string[] = [];
  page.on('pageerror', (error) => crashes.push(error.message));
  await signIn(page);
  const form = (name: string) => ({ name, email: '', billing_address: '', tax_id: '', currency: 'GBP',
    payment_terms_days: '14', notes: '' });
  const billedName = `Archived Client ${uniqueSuffix(testInfo)}`;
  const billed = await call(page, 'save_customer', { id: null, form: form(billedName) });
  const invoice = await call(page, 'save_draft', {
    form: { id: null, customer_id: billed, issue_date: '2026-03-02', due_date: '2026-03-16', currency: 'GBP', notes: '',
      lines: [{ description: 'Work', quantity: '1', unit_price: '10.00', discount_percent: '0', tax_rate: '20', revenue_account: '4000' }] },
  });
  await call(page, 'issue_invoice', { id: invoice });
  const spareName = `Spare Client ${uniqueSuffix(testInfo)}`;
  const spare = await call(page, 'save_customer', { id: null, form: form(spareName) });

  await page.goto(`/customers/${billed}`);
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
  await page.getByRole('button', { name: 'Delete customer' }).click();
  await page.getByRole('button', { name: 'Yes, delete customer' }).click();
  await expect(page.getByText(/archive .* instead/)).toBeVisible();
  await page.getByRole('button', { name: 'Archive customer' }).click();
  await expect(page.getByTestId('customer-archived')).toBeVisible();
  await expect(page.getByRole('link', { name: 'New invoice' })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('archived-customer.png'), fullPage: true });

  await page.goto(`/customers?q=${encodeURIComponent(billedName)}`);
  await expect(page.getByText(`No customer matches`)).toBeVisible();
  await page.getByRole('link', { name: 'Archived', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Archived customers' })).toBeVisible();
  await page.getByRole('link', { name: billedName }).click();
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
  await page.getByRole('button', { name: 'Restore customer' }).click();
  await expect(page.getByTestId('customer-archived')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'New invoice' })).toBeVisible();

  await page.goto(`/customers/${spare}`);
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
  await page.getByRole('button', { name: 'Delete customer' }).click();
  await page.getByRole('button', { name: 'Yes, delete customer' }).click();
  await expect(page).toHaveURL(/\/customers$/);
  await page.goto(`/customers?q=${encodeURIComponent(spareName)}`);
  await expect(page.getByText(`No customer matches`)).toBeVisible();
  expect(crashes).toEqual([]);
});
