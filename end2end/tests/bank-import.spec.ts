// Importing a bank statement in the browser: upload a CSV, read the preview, import the new
// lines, confirm the proposed match (one transfer paying two invoices), and see both invoices
// paid and a second page's dashboard follow live. Runs at desktop and phone size against one
// shared database, so every name (and so every statement line) is unique.

import { test, expect, type Page } from '@playwright/test';
import { signIn, uniqueSuffix, money, isoDay } from './support';

async function api(page: Page, name: string, data: unknown): Promise<unknown> {
  const response = await page.request.post(`/api/${name}`, { data });
  expect(response.ok(), `${name}: ${await response.text()}`).toBeTruthy();
  return response.json();
}

async function issuedInvoice(page: Page, customer: number, price: string): Promise<number> {
  const form = {
    id: null, customer_id: customer, issue_date: isoDay(0), due_date: isoDay(14), currency: 'GBP', notes: '',
    lines: [{ description: 'Coffee beans', quantity: '1', unit_price: price, discount_percent: '0', tax_rate: '0',
      revenue_account: '4000' }],
  };
  const id = (await api(page, 'save_draft', { form })) as number;
  await api(page, 'issue_invoice', { id });
  return id;
}

function statement(customer: string, suffix: string): Buffer {
  const [y, m, d] = isoDay(0).split('-');
  const day = `${d}.${m}.${y}`;
  return Buffer.from(
    'Date;Description;Counterparty;Amount\n'
    + `${day};Transfer ${suffix};${customer};120,00\n`
    + `${day};Card payment ${suffix};Office World;-12,50\n`,
  );
}

test('a statement is previewed, imported and its match confirmed; invoices turn paid and the dashboard follows', async ({ page, context }, testInfo) => {
  const suffix = uniqueSuffix(testInfo);
  const name = `Quay Roasters ${suffix}`;
  await signIn(page);
  const customer = (await api(page, 'save_customer', {
    id: null,
    form: { name, email: '', billing_address: '', tax_id: '', currency: 'GBP', payment_terms_days: '14', notes: '' },
  })) as number;
  const fifty = await issuedInvoice(page, customer, '50.00');
  const seventy = await issuedInvoice(page, customer, '70.00');

  const dashboard = await context.newPage();
  await dashboard.setViewportSize(page.viewportSize()!);
  await dashboard.goto('/');
  const outstanding = dashboard.getByTestId('kpi-outstanding');
  await expect(dashboard.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
  const before = money(await outstanding.innerText());

  await page.goto('/bank');
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
  await page.getByLabel(/Statement file/).setInputFiles({
    name: 'statement.csv', mimeType: 'text/csv', buffer: statement(name, suffix),
  });

  const preview = page.getByTestId('statement-preview');
  await expect(preview).toContainText('CSV');
  await expect(preview).toContainText(`Transfer ${suffix}`);
  await expect(preview).toContainText('2 new, 0 already imported');
  await page.screenshot({ path: testInfo.outputPath('preview.png'), fullPage: true });
  await page.getByRole('button', { name: 'Import 2 new lines' }).click();
  await expect(page.getByTestId('import-outcome')).toContainText('Imported 2 new lines');

  const line = page.getByTestId('bank-line').filter({ hasText: `Transfer ${suffix}` });
  const proposal = line.getByTestId('proposal').first();
  await expect(proposal).toContainText(name);
  await expect(proposal).toContainText('high confidence');
  await page.screenshot({ path: testInfo.outputPath('lines.png'), fullPage: true });
  await proposal.getByRole('button', { name: 'Confirm payment' }).click();
  await expect(line).toHaveAttribute('data-state', 'matched');
  await expect(line).toContainText('Payment recorded');
  await expect(page.getByTestId('reconciliation')).toContainText('Book balance');
  await page.screenshot({ path: testInfo.outputPath('confirmed.png'), fullPage: true });

  await expect.poll(async () => money(await outstanding.innerText()), { timeout: 3_000 }).toBeCloseTo(before - 120, 2);
  for (const id of [fifty, seventy]) {
    await page.goto(`/invoices/${id}`);
    await expect(page.getByText('paid', { exact: true }).first()).toBeVisible();
  }
});
