// Markup typed into text fields is shown as text in a real browser, never run: a customer
// named with a script, an address with an image that fires on error, notes that try to close
// their field, and an invoice line that does the same. No dialog opens, no console error,
// and the text reads back exactly as typed, also in the edit forms.

import { test, expect } from '@playwright/test';
import { call, isoDay, signIn, uniqueSuffix } from './support';

test('markup in names, addresses, notes and lines is shown as text and never runs', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const crashes: string[] = [];
  page.on('pageerror', (error) => crashes.push(error.message));
  await signIn(page);
  const name = `</title><script>alert('name')</script> Cafe ${uniqueSuffix(testInfo)}`;
  const address = '<img src=x onerror="alert(\'address\')">\nFalmouth TR11 3HH';
  const notes = '</textarea><script>alert(\'notes\')</script>';
  const customer = await call(page, 'save_customer', {
    id: null,
    form: { name, email: '', billing_address: address, tax_id: '', currency: 'GBP', payment_terms_days: '14', notes },
  });
  const invoice = await call(page, 'save_draft', {
    // Dated today, so it is on the invoice list's first page however many invoices other tests made.
    form: { id: null, customer_id: customer, issue_date: isoDay(0), due_date: isoDay(14), currency: 'GBP', notes,
      lines: [{ description: '<b onmouseover="alert(\'line\')">Bold work</b>', quantity: '1', unit_price: '10.00',
        discount_percent: '0', tax_rate: '20', revenue_account: '4000' }] },
  });

  for (const path of [`/customers/${customer}`, '/customers', `/invoices/${invoice}`,
    `/invoices/${invoice}/edit`, `/invoices/${invoice}/print`, '/invoices']) {
    await page.goto(path);
    if (!path.endsWith('/print')) {
      await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
    }
    await expect(page.locator('body')).toContainText(/alert\('(name|line)'\)|Bold work/);
    await page.screenshot({ path: testInfo.outputPath(`hostile${path.replace(/\//g, '-')}.png`), fullPage: true });
  }
  await page.goto(`/customers/${customer}`);
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
  await expect(page.locator('#notes')).toHaveValue(notes);
  await expect(page.locator('#billing_address')).toHaveValue(address);
  await expect(page).toHaveTitle(/<\/title><script>alert\('name'\)<\/script> Cafe/);

  expect(dialogs).toEqual([]);
  expect(crashes).toEqual([]);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.locator('b[onmouseover]').count()).toBe(0);
});
