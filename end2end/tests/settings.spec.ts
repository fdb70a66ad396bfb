// The owner fills in the business's settings (a bad IBAN is refused beside its field),
// uploads a logo, and an invoice then shows the business and prints on its own A4 sheet
// with the same figures, and downloads as a PDF. Runs at desktop and phone size against one
// shared database; both runs write the same settings, which is what a second save does.

import { test, expect, type Page } from '@playwright/test';
import path from 'node:path';
import { call, signIn, uniqueSuffix } from './support';

const LOGO = path.join(__dirname, 'fixtures', 'logo.png');

async function screenshot(page: Page, name: string) {
  const dir = process.env.SETTLE_SCREENSHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, name), fullPage: true });
}

test('the owner sets up the business, and an invoice prints with its details', async ({ page }, testInfo) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.locator('html[data-live=connected]')).toBeVisible();

  await page.getByLabel('Trading name').fill('Harbour Studio');
  await page.getByLabel('Legal name').fill('Harbour Studio Ltd');
  await page.getByLabel('Address').fill('4 Quay Street\nFalmouth TR11 3HH\nUnited Kingdom');
  await page.getByLabel('Email').fill('accounts@harbour.example');
  await page.getByLabel('Phone').fill('+44 1326 555 0100');
  await page.getByLabel('VAT number').fill('GB123456789');
  await page.getByLabel('Company registration number').fill('09876543');
  await page.getByLabel('Bank name').fill('NatWest');
  await page.getByLabel('IBAN').fill('GB28 NWBK 6016 1331 9268 19');
  await page.getByLabel('BIC / SWIFT').fill('NWBKGB2L');
  await page.getByLabel('Other payment details').fill('Sort code 60-16-13, account 31926819.');
  await page.getByLabel('Invoice footer').fill('Payment within 14 days, please. Thank you!');
  await page.getByLabel('Time zone').fill('Europe/London');
  await page.getByLabel('Tax rounding').selectOption('per_document');
  await page.getByRole('button', { name: 'Save settings' }).click();

  await expect(page.getByText("this IBAN's check digits do not match", { exact: false })).toBeVisible();
  await expect(page.getByLabel('IBAN')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('IBAN').fill('GB29 NWBK 6016 1331 9268 19');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  await expect(page.locator('.business-name')).toHaveText('Harbour Studio');

  await page.locator('#logo').setInputFiles(LOGO);
  await expect(page.getByText('Logo saved.')).toBeVisible();
  await expect(page.getByTestId('logo-preview')).toBeVisible();
  await expect(page.getByText('changed in another window')).toHaveCount(0);
  await screenshot(page, `settings-${testInfo.project.name}.png`);

  const customer = await call(page, 'save_customer', {
    id: null,
    form: { name: `Café Zürich ${uniqueSuffix(testInfo)}`, email: 'kasse@cafe.example',
      billing_address: 'Bahnhofstrasse 1\n8001 Zürich', tax_id: 'CHE-123.456.789', currency: 'GBP',
      payment_terms_days: '14', notes: '' },
  });
  const line = (description: string, quantity: string, price: string, tax: string) => ({
    description, quantity, unit_price: price, discount_percent: '0', tax_rate: tax, revenue_account: '4000',
  });
  const invoice = await call(page, 'save_draft', {
    form: { id: null, customer_id: customer, issue_date: '2026-03-02', due_date: '2026-03-16',
      currency: 'GBP', notes: '',
      lines: [line('Brand workshop', '2', '450.00', '20'), line('Printed guide', '1', '80.00', '0')] },
  });
  const number = await call(page, 'issue_invoice', { id: invoice });

  await page.goto(`/invoices/${invoice}`);
  await expect(page.getByRole('heading', { name: number })).toBeVisible();
  await expect(page.getByText('Harbour Studio Ltd')).toBeVisible();
  // The customer's VAT number as billed shows on the screen as on paper.
  await expect(page.getByText('VAT no. CHE-123.456.789')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download PDF' })).toHaveAttribute('href', `/invoices/${invoice}/pdf`);
  await page.getByRole('link', { name: 'Print', exact: true }).click();

  await expect(page).toHaveURL(new RegExp(`/invoices/${invoice}/print$`));
  const sheet = page.getByRole('article', { name: 'Invoice' });
  await expect(sheet.getByText(number).first()).toBeVisible();
  await expect(sheet.getByText('GB29 NWBK 6016 1331 9268 19')).toBeVisible();
  await expect(sheet.getByText('VAT no. CHE-123.456.789')).toBeVisible();
  await expect(sheet.getByText('Tax 20% on 900.00')).toBeVisible();
  await expect(page.getByTestId('print-amount-due')).toHaveText('1,160.00');
  await expect(sheet.locator('img.sheet-logo')).toBeVisible();
  await expect(page.locator('.topbar')).toHaveCount(0);
  await screenshot(page, `print-${testInfo.project.name}.png`);

  const pdf = await page.request.get(`/invoices/${invoice}/pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect(pdf.headers()['content-disposition']).toContain(`${number}.pdf`);
});
