// Payments in full: a second bank account is added, a card payment with a processor fee is
// recorded into it and pays an invoice, then the payment is reversed and the invoice is open
// again. Runs at desktop and phone size on one shared database.

import { test, expect, type Page } from '@playwright/test';
import { signIn, uniqueSuffix, visible, isoDay, chooseRate, ensureRate } from './support';

/** Waits until the page has hydrated and listens for changes, so clicks reach the app. */
async function ready(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
}

async function issueInvoice(page: Page, customer: string): Promise<string> {
  await page.goto('/invoices/new');
  await page.getByLabel('Customer').selectOption({ label: customer });
  await page.getByLabel('Issue date').fill(isoDay(0));
  await page.getByLabel('Due date').fill(isoDay(14));
  const line = (label: string) => page.getByLabel(`${label} (line 1)`, { exact: true });
  await line('Description').fill('Bicycle service');
  await line('Quantity').fill('1');
  await line('Unit price').fill('100.00');
  await line('Discount %').fill('0');
  await chooseRate(page, 1, '21');
  await page.getByRole('button', { name: 'Save and issue' }).click();
  await expect(page).toHaveURL(/\/invoices\/\d+$/);
  await expect(page.getByTestId('amount-due')).toContainText('121.00');
  return page.url();
}

test('credit left by an overpayment is applied to the next invoice, then the rest refunded', async ({ page }, testInfo) => {
  const customer = `Dune Bikes ${uniqueSuffix(testInfo)}`;
  const size = testInfo.project.name;
  // A long journey; on a busy machine a debug build needs more than the default 30 s.
  test.setTimeout(120_000);
  const crashes: string[] = [];
  page.on('pageerror', (error) => crashes.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /panicked|disposed/.test(message.text())) crashes.push(message.text());
  });
  await signIn(page);
  await ensureRate(page, '21');
  await visible(page.getByRole('link', { name: 'Customers' })).click();
  await page.getByRole('link', { name: 'New customer' }).click();
  await page.getByLabel('Name').fill(customer);
  await page.getByLabel('Payment terms').fill('14');
  await page.getByRole('button', { name: 'Save customer' }).click();
  await expect(page.getByRole('heading', { name: customer })).toBeVisible();
  const customerUrl = page.url();

  await issueInvoice(page, customer);
  await page.getByRole('link', { name: 'Record payment' }).click();
  await ready(page);
  await page.getByLabel('Amount').fill('271.00');
  await page.getByLabel('Keep any excess as customer credit').check();
  await page.getByRole('button', { name: 'Record payment' }).click();
  await expect(page).toHaveURL(/\/invoices\/\d+$/);
  await expect(page.getByTestId('amount-due')).toContainText('0.00');

  await issueInvoice(page, customer);
  await ready(page);
  await page.getByRole('button', { name: /^Apply credit \(150\.00 GBP available\)$/ }).click();
  await page.getByRole('button', { name: 'Yes, apply credit' }).click();
  await expect(page.getByTestId('amount-due')).toContainText('0.00');
  await page.screenshot({ path: testInfo.outputPath(`credit-applied-${size}.png`), fullPage: true });

  await page.goto(customerUrl);
  await ready(page);
  await page.getByRole('button', { name: 'Refund credit' }).click();
  await expect(page.getByLabel('Amount')).toHaveValue('29.00');
  await expect(page.getByLabel('From bank account')).not.toHaveValue('');
  await page.screenshot({ path: testInfo.outputPath(`credit-refund-${size}.png`), fullPage: true });
  await page.getByRole('button', { name: 'Yes, refund credit' }).click();
  await expect(page.getByRole('button', { name: 'Refund credit' })).toBeHidden();
  // The app in the browser never panicked along the way.
  expect(crashes).toEqual([]);
});

test('a card payment with a fee into a second bank account pays an invoice, and reversing it reopens the invoice', async ({ page }, testInfo) => {
  const suffix = uniqueSuffix(testInfo);
  const customer = `Pier Cycles ${suffix}`;
  const bank = `Card takings ${suffix}`;
  const size = testInfo.project.name;
  // A long journey; on a busy machine a debug build needs more than the default 30 s.
  test.setTimeout(120_000);
  const crashes: string[] = [];
  page.on('pageerror', (error) => crashes.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /panicked|disposed/.test(message.text())) crashes.push(message.text());
  });
  await signIn(page);
  await ensureRate(page, '21');

  await page.goto('/settings/bank-accounts');
  await ready(page);
  await page.getByLabel('Name').fill(bank);
  await page.getByRole('button', { name: 'Add bank account' }).click();
  await expect(page.getByRole('cell', { name: bank, exact: true })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath(`bank-accounts-${size}.png`), fullPage: true });

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
  await line('Description').fill('Bicycle service');
  await line('Quantity').fill('1');
  await line('Unit price').fill('100.00');
  await line('Discount %').fill('0');
  await chooseRate(page, 1, '21');
  await page.getByRole('button', { name: 'Save and issue' }).click();
  await expect(page).toHaveURL(/\/invoices\/\d+$/);
  const invoiceUrl = page.url();
  await expect(page.getByTestId('amount-due')).toContainText('121.00');

  await page.getByRole('link', { name: 'Record payment' }).click();
  await expect(page).toHaveURL(/\/payments\/new/);
  await ready(page);
  await page.getByLabel('Amount').fill('121.00');
  await page.getByLabel('Method').selectOption({ label: 'Card' });
  await page.getByLabel('Bank account').selectOption({ label: bank });
  await page.getByLabel('Processor fee').fill('2.05');
  await page.screenshot({ path: testInfo.outputPath(`payment-form-${size}.png`), fullPage: true });
  await page.getByRole('button', { name: 'Record payment' }).click();
  await expect(page).toHaveURL(/\/invoices\/\d+$/);
  await expect(page.getByTestId('amount-due')).toContainText('0.00');
  await expect(page.getByText('paid', { exact: true }).first()).toBeVisible();

  await page.goto('/payments');
  const row = page.getByRole('row').filter({ hasText: customer });
  await expect(row).toContainText(bank);
  await row.getByRole('link').first().click();
  await expect(page).toHaveURL(/\/payments\/\d+$/);
  await expect(page.getByTestId('payment-bank')).toHaveText(bank);
  await expect(page.getByTestId('payment-fee')).toContainText('2.05');
  await ready(page);
  await page.getByRole('button', { name: 'Reverse payment' }).click();
  await page.screenshot({ path: testInfo.outputPath(`payment-reverse-${size}.png`), fullPage: true });
  await page.getByRole('button', { name: 'Yes, reverse payment' }).click();
  await expect(page.getByTestId('payment-state')).toContainText('Reversed on');
  await expect(page.getByTestId('payment-undone')).toContainText('those invoices are open again');
  await page.screenshot({ path: testInfo.outputPath(`payment-reversed-${size}.png`), fullPage: true });

  await page.goto(invoiceUrl);
  await expect(page.getByTestId('amount-due')).toContainText('121.00');
  await expect(page.getByText('issued', { exact: true }).first()).toBeVisible();
  // The app in the browser never panicked along the way.
  expect(crashes).toEqual([]);
});
