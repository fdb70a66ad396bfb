// The main job in a real browser: sign in, create a customer, write and issue an invoice,
// take two payments, watch a second page's dashboard follow live, and find the books
// balanced. Runs at desktop and phone size against one shared database, so every name it
// creates is unique.

import { test, expect, type Page } from '@playwright/test';
import { signIn, uniqueSuffix, visible, money, isoDay, chooseRate } from './support';

async function createCustomer(page: Page, name: string) {
  await visible(page.getByRole('link', { name: 'Customers' })).click();
  await page.getByRole('link', { name: 'New customer' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Payment terms').fill('14');
  await page.getByRole('button', { name: 'Save customer' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
}

async function fillLine(page: Page, n: number, d: string, q: string, p: string, disc: string, tax: string) {
  const line = (label: string) => page.getByLabel(`${label} (line ${n})`, { exact: true });
  await line('Description').fill(d);
  await line('Quantity').fill(q);
  await line('Unit price').fill(p);
  await line('Discount %').fill(disc);
  await chooseRate(page, n, tax);
}

async function recordPayment(page: Page, amount: string) {
  await page.getByRole('link', { name: 'Record payment' }).click();
  await expect(page).toHaveURL(/\/payments\/new/);
  await page.getByLabel('Amount').fill(amount);
  await page.getByRole('button', { name: 'Record payment' }).click();
  await expect(page).toHaveURL(/\/invoices\/\d+$/);
}

test('an invoice is issued, paid in two parts, and the books and a live dashboard follow', async ({ page, context }, testInfo) => {
  const customer = `Harbor Cafe ${uniqueSuffix(testInfo)}`;
  await signIn(page);
  await createCustomer(page, customer);

  await page.goto('/invoices/new');
  await page.getByLabel('Customer').selectOption({ label: customer });
  await page.getByLabel('Issue date').fill(isoDay(0));
  await page.getByLabel('Due date').fill(isoDay(14));
  await fillLine(page, 1, 'Service hours', '12', '45.50', '0', '20');
  await page.getByRole('button', { name: 'Add line' }).click();
  await fillLine(page, 2, 'Descaling kits', '3', '19.99', '10', '20');
  await page.getByRole('button', { name: 'Add line' }).click();
  await fillLine(page, 3, 'Call-out fee', '1', '120.00', '0', '0');
  await expect(page.getByTestId('preview-total')).toContainText('839.96');
  await page.getByRole('button', { name: 'Save and issue' }).click();

  await expect(page).toHaveURL(/\/invoices\/\d+$/);
  await expect(page.getByText('issued', { exact: true }).first()).toBeVisible();
  await expect(page.getByText('839.96').first()).toBeVisible();

  const dashboard = await context.newPage();
  await dashboard.setViewportSize(page.viewportSize()!);
  await dashboard.goto('/');
  const outstanding = dashboard.getByTestId('kpi-outstanding');
  await expect(outstanding).toContainText('GBP');
  // The page is listening once its live-update stream is open.
  await expect(dashboard.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
  const before = money(await outstanding.innerText());

  await recordPayment(page, '400.00');
  await expect(page.getByText('partially paid', { exact: true }).first()).toBeVisible();
  await expect(page.getByText('439.96').first()).toBeVisible();

  // No reload: the dashboard follows the payment over the live-update stream.
  await expect.poll(async () => money(await outstanding.innerText()), { timeout: 2_000 }).toBeCloseTo(before - 400, 2);

  await recordPayment(page, '439.96');
  await expect(page.getByText('paid', { exact: true }).first()).toBeVisible();
  await expect.poll(async () => money(await outstanding.innerText()), { timeout: 2_000 }).toBeCloseTo(before - 839.96, 2);

  await visible(page.getByRole('link', { name: 'Books' })).click();
  await expect(page.getByTestId('trial-balance-check')).toContainText('Balanced');
  const debit = money(await page.getByTestId('total-debit').innerText());
  const credit = money(await page.getByTestId('total-credit').innerText());
  expect(debit).toBeCloseTo(credit, 2);
  expect(debit).toBeGreaterThan(0);
  await page.screenshot({ path: testInfo.outputPath('books.png'), fullPage: true });
});
