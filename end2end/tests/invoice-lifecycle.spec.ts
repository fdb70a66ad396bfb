// After issuing: an invoice part paid, then credited in part, shows what is still due and
// lists its credit note, which has a page of its own; a duplicate of it becomes a new
// invoice that is written off. Runs at desktop and phone size on one shared database.

import { test, expect, type Page } from '@playwright/test';
import { signIn, uniqueSuffix, visible, isoDay, chooseRate } from './support';

async function createCustomer(page: Page, name: string) {
  await visible(page.getByRole('link', { name: 'Customers' })).click();
  await page.getByRole('link', { name: 'New customer' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Payment terms').fill('14');
  await page.getByRole('button', { name: 'Save customer' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
}

/** Waits until the page has hydrated and listens for changes, so clicks reach the app. */
async function ready(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
}

test('a part-paid invoice is credited in part, and a duplicate of it is written off', async ({ page }, testInfo) => {
  const customer = `Quayside Books ${uniqueSuffix(testInfo)}`;
  const size = testInfo.project.name;
  const crashes: string[] = [];
  page.on('pageerror', (error) => crashes.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /panicked|disposed/.test(message.text())) crashes.push(message.text());
  });
  await signIn(page);
  await createCustomer(page, customer);

  await page.goto('/invoices/new');
  await page.getByLabel('Customer').selectOption({ label: customer });
  await page.getByLabel('Issue date').fill(isoDay(0));
  await page.getByLabel('Due date').fill(isoDay(14));
  const line = (label: string) => page.getByLabel(`${label} (line 1)`, { exact: true });
  await line('Description').fill('Window display design');
  await line('Quantity').fill('1');
  await line('Unit price').fill('100.00');
  await line('Discount %').fill('0');
  await chooseRate(page, 1, '20');
  await page.getByRole('button', { name: 'Save and issue' }).click();
  await expect(page).toHaveURL(/\/invoices\/\d+$/);
  const invoiceUrl = page.url();
  await expect(page.getByTestId('amount-due')).toContainText('120.00');

  await page.getByRole('link', { name: 'Record payment' }).click();
  await expect(page).toHaveURL(/\/payments\/new/);
  await page.getByLabel('Amount').fill('30.00');
  await page.getByRole('button', { name: 'Record payment' }).click();
  await expect(page).toHaveURL(/\/invoices\/\d+$/);
  await expect(page.getByTestId('amount-due')).toContainText('90.00');

  await ready(page);
  await page.getByRole('button', { name: 'Credit note' }).click();
  await page.getByLabel('Amount to credit').fill('50.00');
  await page.getByLabel('Reason').fill('Agreed discount for a late delivery');
  await page.getByRole('button', { name: 'Issue credit note' }).click();

  await expect(page.getByTestId('amount-due')).toContainText('40.00');
  await expect(page.getByTestId('credited')).toContainText('50.00');
  await expect(page.getByText('partially paid', { exact: true }).first()).toBeVisible();
  const creditLink = page.getByRole('link', { name: /^Credit note CN-/ });
  await expect(creditLink).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath(`credited-invoice-${size}.png`), fullPage: true });

  await creditLink.click();
  await expect(page).toHaveURL(/\/credit-notes\/\d+$/);
  await expect(page.getByRole('heading', { name: /^Credit note CN-/ })).toBeVisible();
  await expect(page.getByTestId('credit-total')).toContainText('50.00');
  await expect(page.getByText('Agreed discount for a late delivery')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath(`credit-note-${size}.png`), fullPage: true });

  await page.goto(invoiceUrl);
  await ready(page);
  await page.getByRole('button', { name: 'Duplicate' }).click();
  await expect(page).toHaveURL(/\/invoices\/\d+\/edit$/);
  await expect(line('Description')).toHaveValue('Window display design');
  await page.getByRole('button', { name: 'Save and issue' }).click();
  await expect(page).toHaveURL(/\/invoices\/\d+$/);
  expect(page.url()).not.toBe(invoiceUrl);
  await expect(page.getByTestId('amount-due')).toContainText('120.00');

  await ready(page);
  await page.getByRole('button', { name: 'Write off' }).click();
  await page.getByRole('button', { name: 'Yes, write off' }).click();
  await expect(page.getByText('written off', { exact: true }).first()).toBeVisible();
  await expect(page.getByTestId('amount-due')).toContainText('0.00');
  await page.screenshot({ path: testInfo.outputPath(`written-off-${size}.png`), fullPage: true });

  await page.goto('/credit-notes');
  await expect(page.getByRole('cell', { name: customer })).toBeVisible();
  // The app in the browser never panicked along the way.
  expect(crashes).toEqual([]);
});
