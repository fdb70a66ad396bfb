// Items and pricing: an item added to the catalogue fills a line when picked; prices written
// with tax included and a discount on the whole invoice give exact totals, the same in the
// editor's preview and on the issued invoice. Runs at desktop and phone size.

import { test, expect, type Page } from '@playwright/test';
import { signIn, uniqueSuffix, call, chooseRate, isoDay } from './support';

async function ready(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
}

test('a picked item fills its line, and tax-inclusive prices with a discount give exact totals', async ({ page }, testInfo) => {
  const suffix = uniqueSuffix(testInfo);
  const size = testInfo.project.name;
  const item = `Design hour ${suffix}`;
  const crashes: string[] = [];
  page.on('pageerror', (error) => crashes.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /panicked|disposed/.test(message.text())) crashes.push(message.text());
  });
  await signIn(page);
  const customer = `Pier Gallery ${suffix}`;
  await call(page, 'save_customer', {
    id: null,
    form: { name: customer, email: '', billing_address: '', tax_id: '', currency: 'GBP', payment_terms_days: '14', notes: '' },
  });

  await page.goto('/settings/tax-rates');
  await ready(page);
  await expect(page.getByRole('cell', { name: 'Exempt from VAT' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath(`tax-rates-${size}.png`), fullPage: true });

  await page.goto('/items');
  await ready(page);
  await page.getByLabel('Name', { exact: true }).fill(item);
  await page.getByLabel('Unit', { exact: true }).fill('hour');
  await page.getByLabel('Unit price').fill('45.50');
  await page.getByLabel('Tax rate').selectOption({ label: 'Standard 20%' });
  await page.getByRole('button', { name: 'Save item' }).click();
  await expect(page.getByRole('cell', { name: item, exact: true })).toBeVisible();
  await page.getByLabel('Search items').fill(suffix);
  await expect(page.getByRole('button', { name: `Edit ${item}` })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath(`items-${size}.png`), fullPage: true });

  await page.goto('/invoices/new');
  await ready(page);
  await page.getByLabel('Customer').selectOption({ label: customer });
  const line = (label: string) => page.getByLabel(`${label} (line 1)`, { exact: true });
  await line('Item').selectOption({ label: item });

  await expect(line('Description')).toHaveValue(item);
  await expect(line('Unit')).toHaveValue('hour');
  await expect(line('Unit price')).toHaveValue('45.5');
  await expect(line('Tax rate')).toHaveValue(/\d+/);
  await line('Quantity').fill('2');
  await page.getByLabel('Prices include tax').check();
  await page.getByLabel('Invoice discount').selectOption('percent');
  await page.getByLabel('Discount %', { exact: true }).fill('10');

  // 2 × 45.50 = 91.00 with tax; less 10% is 81.90, of which 20% VAT is 13.65 and net 68.25.
  await expect(page.getByTestId('preview-total')).toContainText('81.90');
  await expect(page.getByTestId('preview-net')).toContainText('68.25');
  await expect(page.getByTestId('preview-discount')).toContainText('7.58');
  await page.screenshot({ path: testInfo.outputPath(`priced-draft-${size}.png`), fullPage: true });
  await page.getByRole('button', { name: 'Save and issue' }).click();

  await expect(page).toHaveURL(/\/invoices\/\d+$/);
  await expect(page.getByTestId('total')).toContainText('81.90');
  await expect(page.getByTestId('net')).toContainText('68.25');
  await expect(page.getByTestId('discount')).toContainText('7.58');
  await expect(page.getByTestId('amount-due')).toContainText('81.90');
  await expect(page.getByRole('cell', { name: '2 hour' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath(`priced-invoice-${size}.png`), fullPage: true });
  expect(crashes).toEqual([]);
});

test('a quote is sent, converted into an invoice in one click, and the invoice links back to it', async ({ page }, testInfo) => {
  const suffix = uniqueSuffix(testInfo);
  const size = testInfo.project.name;
  const crashes: string[] = [];
  page.on('pageerror', (error) => crashes.push(error.message));
  await signIn(page);
  const customer = `Dockside Deli ${suffix}`;
  await call(page, 'save_customer', {
    id: null,
    form: { name: customer, email: '', billing_address: '', tax_id: '', currency: 'GBP', payment_terms_days: '30', notes: '' },
  });

  await page.goto('/quotes/new');
  await ready(page);
  await page.getByLabel('Customer').selectOption({ label: customer });
  await page.getByLabel('Valid until').fill(isoDay(30));
  const line = (label: string) => page.getByLabel(`${label} (line 1)`, { exact: true });
  await line('Description').fill('Shop sign repaint');
  await line('Quantity').fill('3');
  await line('Unit price').fill('80.00');
  await chooseRate(page, 1, '20');
  await expect(page.getByTestId('preview-total')).toContainText('288.00');
  await page.getByRole('button', { name: 'Save and send' }).click();

  await expect(page).toHaveURL(/\/quotes\/\d+$/);
  await expect(page.getByRole('heading', { name: /^Quote QUO-/ })).toBeVisible();
  await expect(page.getByTestId('quote-status')).toContainText('sent');
  await expect(page.getByTestId('total')).toContainText('288.00');
  await page.screenshot({ path: testInfo.outputPath(`quote-${size}.png`), fullPage: true });
  const [pdf] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'PDF', exact: true }).click(),
  ]);
  expect(pdf.suggestedFilename()).toMatch(/^QUO-\d{4}-\d{4}\.pdf$/);
  await ready(page);
  await page.getByRole('button', { name: 'Convert to invoice' }).click();

  await expect(page).toHaveURL(/\/invoices\/\d+\/edit$/);
  await expect(line('Description')).toHaveValue('Shop sign repaint');
  await expect(page.getByTestId('preview-total')).toContainText('288.00');
  await page.getByRole('button', { name: 'Save and issue' }).click();
  await expect(page).toHaveURL(/\/invoices\/\d+$/);
  await expect(page.getByTestId('amount-due')).toContainText('288.00');
  await page.getByRole('link', { name: /^QUO-/ }).click();
  await expect(page.getByTestId('quote-status')).toContainText('accepted');
  expect(crashes).toEqual([]);
});
