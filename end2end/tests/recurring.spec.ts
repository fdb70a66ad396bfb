// Repeating an invoice in a real browser: from the invoice, choose a schedule; today's
// invoice is made and issued at once, the schedule shows it, and pausing stops it.

import { test, expect } from '@playwright/test';
import { call, signIn, uniqueSuffix, visible } from './support';

test('an invoice is repeated monthly, makes today\'s invoice and can be paused', async ({ page }, testInfo) => {
  await signIn(page);
  const name = `Retainer ${uniqueSuffix(testInfo)}`;
  const customer = await call(page, 'save_customer', {
    id: null,
    form: { name: `Monthly Client ${uniqueSuffix(testInfo)}`, email: '', billing_address: '', tax_id: '',
      currency: 'GBP', payment_terms_days: '14', notes: '' },
  });
  const invoice = await call(page, 'save_draft', {
    form: { id: null, customer_id: customer, issue_date: '2026-03-02', due_date: '2026-03-16', currency: 'GBP', notes: '',
      lines: [{ description: 'Monthly support', quantity: '1', unit_price: '500.00', discount_percent: '0', tax_rate: '20', revenue_account: '4000' }] },
  });
  await call(page, 'issue_invoice', { id: invoice });

  await page.goto(`/invoices/${invoice}`);
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
  await page.getByRole('link', { name: 'Repeat…' }).click();
  await expect(page).toHaveURL(/\/recurring\/new\?invoice=\d+/);
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
  // A bad day is refused with the field named, and nothing is saved.
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('On day').fill('32');
  await page.getByRole('button', { name: 'Start repeating' }).click();
  await expect(page.getByText('a day of the month from 1 to 31')).toBeVisible();
  await page.getByLabel('On day').fill(String(new Date().getDate()));
  await page.getByRole('button', { name: 'Start repeating' }).click();

  await expect(page).toHaveURL(/\/recurring\/\d+$/);
  await expect(page.getByRole('heading', { name })).toBeVisible();
  const runs = page.getByTestId('recurring-runs');
  await expect(runs.getByRole('link', { name: /^INV-/ })).toHaveCount(1);
  await expect(page.getByTestId('recurring-facts')).toContainText('600.00');

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('recurring-next')).toHaveText('Paused');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('recurring-next')).not.toHaveText('Paused');

  await visible(page.getByRole('link', { name: 'Invoices' })).click();
  await page.getByRole('link', { name: 'Recurring' }).click();
  await expect(page.getByTestId('recurring-list')).toContainText(name);
});
