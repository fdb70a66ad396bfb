// The books in a real browser: record a card expense from a receipt, see its input tax, find
// it behind the profit-and-loss figure, and post and reverse a manual journal entry. Runs at
// desktop and phone size on one shared database, so names are unique and figures are read,
// not assumed.

import { test, expect } from '@playwright/test';
import { signIn, uniqueSuffix, visible, money } from './support';

// A 1×1 PNG: a receipt photo as small as can be.
const RECEIPT_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

test('a card expense with its receipt shows its input tax and sits behind the profit and loss figure', async ({ page }, testInfo) => {
  const vendor = `Paper Co ${uniqueSuffix(testInfo)}`;
  await signIn(page);

  await visible(page.getByRole('link', { name: 'Expenses' })).click();
  await page.getByRole('link', { name: 'Record expense' }).click();
  await page.getByLabel('Paid to').fill(vendor);
  await page.getByLabel('Paid from').selectOption({ label: '2300 Credit card' });
  await page.getByLabel('Account (line 1)').selectOption({ label: '6100 Office supplies' });
  await page.getByLabel('Amount (line 1)').fill('60.00');
  await page.getByLabel('Tax % (line 1)').fill('20');
  await page.getByLabel('Receipt (photo or PDF, up to 5 MB)').setInputFiles({
    name: 'till-receipt.png', mimeType: 'image/png', buffer: RECEIPT_PNG,
  });
  await expect(page.getByText('Attached: till-receipt.png')).toBeVisible();
  await page.getByRole('button', { name: 'Record' }).click();

  await expect(page).toHaveURL(/\/expenses\/\d+$/);
  await expect(page.getByTestId('input-tax')).toContainText('10.00');
  await expect(page.getByTestId('expense-total')).toContainText('60.00');
  const receipt = page.getByRole('link', { name: 'till-receipt.png' });
  await expect(receipt).toBeVisible();
  const file = await page.request.get((await receipt.getAttribute('href'))!);
  expect(file.headers()['content-type']).toBe('image/png');
  expect(Buffer.compare(await file.body(), RECEIPT_PNG)).toBe(0);

  await visible(page.getByRole('link', { name: 'Books' })).click();
  // The books' code arrives with their first page: wait for it before asking what it offers.
  await expect(page.getByRole('heading', { name: 'Trial balance' })).toBeVisible();
  const menu = page.getByLabel('Books page');
  if (await menu.isVisible()) {
    await menu.selectOption({ label: 'Profit and loss' });
  } else {
    await page.getByRole('link', { name: 'Profit and loss' }).click();
  }
  await expect(page.getByTestId('profit-loss')).toBeVisible();
  const figure = page.getByTestId('profit-loss').getByRole('row').filter({ hasText: 'Office supplies' }).getByRole('link');
  const shown = money(await figure.innerText());
  expect(shown).toBeGreaterThanOrEqual(50);
  await figure.click();

  await expect(page).toHaveURL(/\/books\/accounts\/6100\?/);
  await expect(page.getByTestId('register')).toContainText(vendor);
  expect(money(await page.getByTestId('closing-balance').innerText())).toBe(shown);

  // The tax summary's 20% input tax leads to the documents behind it, this expense among them,
  // and they add up to the figure.
  await page.goto('/books/tax');
  const rate = page.locator('a[href*="side=input"][href*="rate=20"]');
  const rateTax = money(await page.getByTestId('tax-summary').getByRole('row').filter({ has: rate }).locator('td').last().innerText());
  await page.getByTestId('tax-summary').locator('a[href*="side=input"][href*="rate=20"]').click();
  await expect(page).toHaveURL(/\/books\/tax\/documents\?/);
  await expect(page.getByTestId('tax-documents')).toContainText(vendor);
  expect(money(await page.getByTestId('tax-documents-tax').innerText())).toBe(rateTax);
});

test('a manual entry must balance, and a reversal takes a second press', async ({ page }, testInfo) => {
  const memo = `Depreciation ${uniqueSuffix(testInfo)}`;
  await signIn(page);
  await page.goto('/books/journal');
  await page.getByText('New manual entry').click();

  await page.getByLabel('Memo').fill(memo);
  await page.getByLabel('Account, line 1').selectOption({ label: '6700 Depreciation (Expense)' });
  await page.getByLabel('Debit, line 1').fill('125.00');
  await page.getByLabel('Account, line 2').selectOption({ label: '1510 Accumulated depreciation (Asset)' });
  await page.getByLabel('Credit, line 2').fill('12.50');
  await page.getByRole('button', { name: 'Post entry' }).click();
  await expect(page.getByText('debits (125.00 GBP) and credits (12.50 GBP) must be equal')).toBeVisible();

  await page.getByLabel('Credit, line 2').fill('125.00');
  await page.getByRole('button', { name: 'Post entry' }).click();
  await expect(page.getByText(/Entry \d+ posted\./)).toBeVisible();

  const card = page.getByTestId('journal-entry').filter({ has: page.getByRole('link', { name: memo, exact: true }) });
  await expect(card).toBeVisible();
  await card.getByRole('button', { name: 'Reverse' }).click();
  await card.getByRole('button', { name: 'Post the reversal today' }).click();
  await expect(page.getByRole('link', { name: `Reversal of: ${memo}` })).toBeVisible();
  await expect(card).toContainText('reversed by entry');

  // The trial balance beside last year's closing balances, and the tax summary beside the
  // period before.
  await page.goto('/books?compare=1');
  const lastYearEnd = `Balance 31 Dec ${new Date().getFullYear() - 1}`;
  await expect(page.getByRole('columnheader', { name: lastYearEnd })).toBeVisible();
  await page.goto('/books/tax?compare=1');
  await expect(page.getByTestId('tax-previous')).toContainText('Compared with');
});

test('an account is renamed in place and keeps its code', async ({ page }, testInfo) => {
  const name = `Accountancy fees ${uniqueSuffix(testInfo)}`;
  await signIn(page);
  await page.goto('/books/accounts');
  // The Edit button works once the page is live in the browser.
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });

  const row = page.getByTestId('accounts-expense').getByRole('row').filter({ hasText: '6600' });
  await row.getByRole('button', { name: 'Edit' }).click();
  await row.getByLabel('Name').fill(name);
  await row.getByRole('button', { name: 'Save' }).click();

  await expect(page.getByTestId('accounts-expense').getByRole('link', { name: `6600 ${name}` })).toBeVisible();
});

test('a bill opens its vendor from payables aging and the expense list, and voiding it takes it out', async ({ page }, testInfo) => {
  const vendor = `Print Shop ${uniqueSuffix(testInfo)}`;
  await signIn(page);
  await page.goto('/expenses/new');
  await page.getByLabel('Paid to').fill(vendor);
  await page.getByLabel('Paid from').selectOption({ label: 'Not paid yet: a bill to pay later' });
  await page.getByLabel('Account (line 1)').selectOption({ label: '6100 Office supplies' });
  await page.getByLabel('Amount (line 1)').fill('48.00');
  await page.getByLabel('Tax % (line 1)').fill('20');
  await page.getByRole('button', { name: 'Record' }).click();
  await expect(page).toHaveURL(/\/expenses\/\d+$/);
  const billUrl = page.url();
  const total = money(await page.getByTestId('expense-total').innerText());

  // Payables aging beside a month earlier; the vendor's row leads to the vendor's page.
  await page.goto('/books/aging?compare=1');
  await expect(page.getByTestId('payables-earlier-total')).toBeVisible();
  const row = page.getByTestId('aging-payables').getByRole('row').filter({ hasText: vendor });
  await row.getByRole('link', { name: vendor }).click();
  await expect(page).toHaveURL(/\/vendors\/\d+/);
  await expect(page.getByRole('heading', { name: vendor })).toBeVisible();
  await expect(page.getByTestId('vendor-lines')).toContainText('Bill');
  expect(money(await page.getByTestId('vendor-closing').innerText())).toBe(total);

  // The expense list names the vendor as a link to the same page.
  await page.goto('/expenses');
  await page.getByTestId('expenses').getByRole('link', { name: vendor }).first().click();
  await expect(page).toHaveURL(/\/vendors\/\d+/);

  await page.goto(billUrl);
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
  await page.getByRole('button', { name: 'Void…' }).click();
  await page.getByLabel('Reason (optional)').fill('entered twice');
  await page.getByRole('button', { name: 'Void this bill' }).click();
  await expect(page.getByTestId('expense-void')).toBeVisible();
  await expect(page.getByTestId('expense-kind')).toHaveText('Bill, void');

  await page.goto('/books/aging');
  await expect(page.getByRole('link', { name: vendor })).toHaveCount(0);
});

test('the general ledger and the cash flow compare with the period before', async ({ page }) => {
  await signIn(page);

  await page.goto('/books/ledger?compare=1');
  await expect(page.locator('.report-caption')).toContainText('Compared with');

  await page.goto('/books/cash-flow?compare=1');
  await expect(page.getByTestId('flow-previous-net')).toBeVisible();
  const out = page.getByTestId('flow-totals').getByRole('row').filter({ hasText: 'Out' }).getByRole('link').first();
  const shown = money(await out.innerText());
  await out.click();
  await expect(page).toHaveURL(/\/books\/cash-flow\/movements\?/);
  expect(money(await page.getByTestId('movements-total').innerText())).toBe(shown);
});
