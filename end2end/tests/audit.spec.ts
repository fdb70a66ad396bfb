// The audit trail: a draft edited in the browser shows up in the invoice's History and in the
// audit log, where opening the change shows the field before and after.

import { test, expect, type Page } from '@playwright/test';
import { call, isoDay, signIn, uniqueSuffix } from './support';

async function ready(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
}

test('an edited draft shows its change in its history and in the audit log', async ({ page }, testInfo) => {
  const crashes: string[] = [];
  page.on('pageerror', (error) => crashes.push(error.message));
  await signIn(page);
  const name = `Audit Works ${uniqueSuffix(testInfo)}`;
  const customer = await call(page, 'save_customer', {
    id: null,
    form: { name, email: '', billing_address: '', tax_id: '', currency: 'GBP', payment_terms_days: '14', notes: '' },
  });
  // The named standard rate, as the editor saves it, so that only the note changes below.
  const defaults = await call(page, 'get_document_defaults', {});
  const standard = defaults.tax_rates.find((r: { rate: string; archived: boolean }) => !r.archived && Number(r.rate) === 20);
  const line = { description: 'Shop sign', quantity: '1', unit_price: '80.00', discount_percent: '0', tax_rate: '20',
    tax_rate_id: String(standard.id), revenue_account: '4000' };
  const invoice = await call(page, 'save_draft', {
    form: { id: null, customer_id: customer, issue_date: isoDay(0), due_date: isoDay(14), currency: 'GBP', notes: '', lines: [line] },
  });
  const note = `Deliver by Friday ${Date.now().toString(36)}`;

  await page.goto(`/invoices/${invoice}/edit`);
  await ready(page);
  await page.getByLabel('Notes').fill(note);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page).toHaveURL(new RegExp(`/invoices/${invoice}$`));

  const history = page.getByRole('region', { name: 'History' });
  await expect(history.getByTestId('history-item').first()).toContainText('Created as a draft');
  await expect(history.getByTestId('history-item').nth(1)).toContainText('Draft edited');
  await history.getByText('1 field').click();
  await expect(history.getByText(note)).toBeVisible();
  await history.screenshot({ path: testInfo.outputPath('history.png') });

  await page.goto(`/audit?kind=invoice&doc=${invoice}`);
  await ready(page);
  const newest = page.getByTestId('audit-entry').first();
  await expect(newest).toContainText('edited');
  await expect(newest).toContainText('owner@example.com');
  await newest.getByText('1 field').click();
  await expect(newest.getByText(note)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('audit-log.png'), fullPage: true });
  expect(crashes).toEqual([]);
});
