// Reading offline: the pages and invoices seen while online stay readable when the
// connection goes, with a banner saying how old they are; the banner goes when it returns.
//
// `context.setOffline` takes the page offline; the service worker's own requests are cut
// too (Playwright sees them with PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS, set in the
// config), so what the page shows comes from what the worker saved.

import { test, expect, type BrowserContext, type Route } from '@playwright/test';
import { call, chooseRate, isoDay, money, signIn, uniqueSuffix, visible } from './support';

// Each test waits on the service worker and on sync; a busy machine needs room.
test.describe.configure({ timeout: 90_000 });

const cutWorker = (route: Route) =>
  route.request().serviceWorker() ? route.abort('internetdisconnected') : route.continue();

async function goOffline(context: BrowserContext) {
  await context.setOffline(true);
  await context.route('**', cutWorker);
}

async function goOnline(context: BrowserContext) {
  await context.unroute('**', cutWorker);
  await context.setOffline(false);
}

test('the dashboard, the invoice list and an invoice seen online are readable offline', async ({ page, context }, testInfo) => {
  await signIn(page);
  const customer = await call(page, 'save_customer', {
    id: null,
    form: { name: `Offline Reader ${uniqueSuffix(testInfo)}`, email: '', billing_address: '', tax_id: '',
      currency: 'GBP', payment_terms_days: '14', notes: '' },
  });
  const invoice = await call(page, 'save_draft', {
    // Dated today, so it is on the list's first page however many invoices other tests made.
    form: { id: null, customer_id: customer, issue_date: isoDay(0), due_date: isoDay(14), currency: 'GBP', notes: '',
      lines: [{ description: 'Site visit', quantity: '1', unit_price: '250.00', discount_percent: '0', tax_rate: '20', revenue_account: '4000' }] },
  });
  await call(page, 'issue_invoice', { id: invoice });
  const number = (await call(page, 'get_invoice', { id: invoice })).summary.number as string;

  // The worker controls the page once it is active; then each page is seen once online.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.reload();
  await expect(page.getByTestId('kpi-outstanding')).toBeVisible();
  await page.goto('/invoices');
  await expect(page.getByRole('link', { name: number })).toBeVisible();
  await page.goto(`/invoices/${invoice}`);
  await expect(page.getByRole('heading', { name: new RegExp(number) })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
  await expect(page.getByTestId('offline-banner')).toHaveCount(0);

  await goOffline(context);
  try {
    // The page may reload itself from its saved copy at the same moment (a read it had in
    // flight failed): either way it ends on the saved copy.
    await page.reload().catch(() => page.waitForLoadState());
    await expect(page.getByRole('heading', { name: new RegExp(number) })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByText('300.00').first()).toBeVisible();
    const banner = page.getByTestId('offline-banner');
    await expect(banner).toContainText('You are offline', { timeout: 15_000 });
    await expect(banner).toContainText('Showing what was saved at', { timeout: 15_000 });

    // Moving around inside the app reads the saved answers too.
    await visible(page.getByRole('link', { name: 'Invoices' })).click();
    await expect(page).toHaveURL(/\/invoices$/);
    await expect(page.getByRole('link', { name: number })).toBeVisible({ timeout: 15_000 });
    await visible(page.getByRole('link', { name: 'Dashboard' })).click();
    await expect(page.getByTestId('kpi-outstanding')).toBeVisible({ timeout: 15_000 });
    await expect(banner).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('offline-dashboard.png'), fullPage: true });

    // The books were never opened on this device: their part of the app cannot be fetched,
    // and the page says so (the app keeps running; the test fails on any panic).
    await visible(page.getByRole('link', { name: 'Books' })).click();
    await expect(page.getByTestId('page-unavailable')).toContainText('not on this device yet', { timeout: 15_000 });
    await visible(page.getByRole('link', { name: 'Dashboard' })).click();
    await expect(page.getByTestId('kpi-outstanding')).toBeVisible({ timeout: 15_000 });
  } finally {
    await goOnline(context);
  }
  await expect(page.getByTestId('offline-banner')).toHaveCount(0, { timeout: 15_000 });
});

async function draftIssued(page: import('@playwright/test').Page, customer: number, price: string) {
  const id = await call(page, 'save_draft', {
    form: { id: null, customer_id: customer, issue_date: '2026-03-02', due_date: '2099-12-31', currency: 'GBP', notes: '',
      lines: [{ description: 'Repair', quantity: '1', unit_price: price, discount_percent: '0', tax_rate: '0', revenue_account: '4000' }] },
  });
  await call(page, 'issue_invoice', { id });
  return id as number;
}

test('a payment recorded offline waits on the device and is recorded once when the connection returns', async ({ page, context }, testInfo) => {
  await signIn(page);
  const customer = await call(page, 'save_customer', {
    id: null,
    form: { name: `Cheque Payer ${uniqueSuffix(testInfo)}`, email: '', billing_address: '', tax_id: '',
      currency: 'GBP', payment_terms_days: '14', notes: '' },
  });
  const paid = await draftIssued(page, customer, '100.00');
  const voided = await draftIssued(page, customer, '80.00');
  const collected = money(await page.getByTestId('kpi-collected').innerText());

  // Online, the form is opened from the invoice; then the connection goes.
  await page.goto(`/payments/new?invoice=${paid}&customer=${customer}`);
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
  await expect(page.getByLabel('Amount')).toHaveValue('100.00');
  await goOffline(context);
  try {
    await page.getByLabel('Method').selectOption({ label: 'Cheque' });
    await page.getByRole('button', { name: 'Record payment' }).click();
    await expect(page.getByTestId('payment-queued')).toContainText('Saved on this device');
    const outbox = page.getByTestId('outbox');
    await expect(outbox).toContainText('1 payment waiting to sync');
    await expect(outbox).toContainText('Waiting to sync');

    // A second one, for what is still open (the 80.00 invoice, voided before the connection
    // returns; the open invoices could not be fetched offline, so oldest due first).
    await page.getByRole('button', { name: 'Record another' }).click();
    await page.getByLabel('Customer', { exact: true }).selectOption(String(customer));
    await page.getByLabel('Amount').fill('80.00');
    await page.getByRole('button', { name: 'Record payment' }).click();
    await expect(outbox).toContainText('2 payments waiting to sync');
    await page.screenshot({ path: testInfo.outputPath('offline-outbox.png'), fullPage: true });
    // Meanwhile, elsewhere, the 80.00 invoice is voided.
    await call(page, 'void_invoice', { id: voided });
  } finally {
    await goOnline(context);
  }

  // Back online: the first is recorded once, the second is refused and shown, not dropped.
  await expect(page.getByTestId('outbox-synced')).toContainText('100.00 GBP', { timeout: 30_000 });
  const outbox = page.getByTestId('outbox');
  await expect(outbox).toContainText('Not recorded');
  await expect(outbox).toContainText('The server refused it');
  const invoice = await call(page, 'get_invoice', { id: paid });
  expect(invoice.summary.status).toBe('Paid');
  expect(invoice.payments).toHaveLength(1);
  expect(invoice.paid.amount).toBe('100.00');
  // The device's queue had the 80.00 against the voided invoice: nothing recorded for it.
  const after = await call(page, 'get_invoice', { id: voided });
  expect(after.payments).toHaveLength(0);
  await page.getByRole('button', { name: 'Discard' }).click();
  await expect(outbox).toHaveCount(0);

  await visible(page.getByRole('link', { name: 'Dashboard' })).click();
  await expect
    .poll(async () => money(await page.getByTestId('kpi-collected').innerText()), { timeout: 15_000 })
    .toBeCloseTo(collected + 100, 2);
});

test('payments queued offline for invoices paid in full or voided meanwhile are shown as not recorded, saying what happened', async ({ page, context }, testInfo) => {
  await signIn(page);
  const customer = await call(page, 'save_customer', {
    id: null,
    form: { name: `Late Payer ${uniqueSuffix(testInfo)}`, email: '', billing_address: '', tax_id: '',
      currency: 'GBP', payment_terms_days: '14', notes: '' },
  });
  const paidElsewhere = await draftIssued(page, customer, '120.00');
  const voided = await draftIssued(page, customer, '90.00');
  const numberOf = async (id: number) => (await call(page, 'get_invoice', { id })).summary.number as string;
  const [paidNumber, voidedNumber] = [await numberOf(paidElsewhere), await numberOf(voided)];
  await visible(page.getByRole('link', { name: 'Dashboard' })).click();
  const collected = money(await page.getByTestId('kpi-collected').innerText());

  // Both forms are seen online once, so the device can open them again offline.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  for (const invoice of [voided, paidElsewhere]) {
    await page.goto(`/payments/new?invoice=${invoice}&customer=${customer}`);
    await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
    await expect(page.getByLabel('Amount')).not.toHaveValue('');
  }

  await goOffline(context);
  try {
    await page.getByRole('button', { name: 'Record payment' }).click();
    await expect(page.getByTestId('payment-queued')).toContainText('Saved on this device');
    // The other form, from the copy this device saved.
    await page.goto(`/payments/new?invoice=${voided}&customer=${customer}`).catch(() => page.waitForLoadState());
    await expect(page.getByLabel('Amount')).toHaveValue('90.00', { timeout: 15_000 });
    await page.getByRole('button', { name: 'Record payment' }).click();
    const outbox = page.getByTestId('outbox');
    await expect(outbox).toContainText('2 payments waiting to sync');
    // Meanwhile, elsewhere: the 120.00 invoice is paid by another request, the 90.00 one voided.
    await call(page, 'record_payment', {
      form: { customer_id: customer, amount: '120.00', received_on: isoDay(0), method: 'Card', bank_account_id: null,
        reference: 'at the counter', allocations: [[paidElsewhere, '120.00']], keep_excess_as_credit: false,
        idempotency_key: `elsewhere-${Date.now()}`, fee: '', fee_account: null },
    });
    await call(page, 'void_invoice', { id: voided });
  } finally {
    await goOnline(context);
  }

  // Back online: neither is recorded, each says what happened, and both stay until discarded.
  const outbox = page.getByTestId('outbox');
  await expect(outbox).toContainText('Payments not recorded', { timeout: 30_000 });
  await expect(outbox).toContainText(`Invoice ${paidNumber} was paid in full meanwhile, so nothing was recorded`);
  await expect(outbox).toContainText(`Invoice ${voidedNumber} was voided meanwhile, so nothing was recorded`);
  await expect(outbox.getByText('Not recorded', { exact: true })).toHaveCount(2);
  await page.screenshot({ path: testInfo.outputPath('offline-conflicts.png'), fullPage: true });

  // Nothing doubled: the paid invoice holds only the payment made elsewhere; the void one none.
  const paid = await call(page, 'get_invoice', { id: paidElsewhere });
  expect(paid.summary.status).toBe('Paid');
  expect(paid.payments).toHaveLength(1);
  expect(paid.paid.amount).toBe('120.00');
  const gone = await call(page, 'get_invoice', { id: voided });
  expect(gone.summary.status).toBe('Void');
  expect(gone.payments).toHaveLength(0);

  // Nothing is dropped until the person says so, and the dashboard counts the one payment.
  await outbox.getByRole('button', { name: 'Discard' }).first().click();
  await expect(outbox.getByText('Not recorded', { exact: true })).toHaveCount(1);
  await outbox.getByRole('button', { name: 'Discard' }).click();
  await expect(outbox).toHaveCount(0);
  await visible(page.getByRole('link', { name: 'Dashboard' })).click();
  await expect
    .poll(async () => money(await page.getByTestId('kpi-collected').innerText()), { timeout: 15_000 })
    .toBeCloseTo(collected + 120, 2);
});

test('a draft invoice written offline waits on the device and is saved once when the connection returns', async ({ page, context }, testInfo) => {
  await signIn(page);
  const name = `Offline Draft Client ${uniqueSuffix(testInfo)}`;
  const customer = await call(page, 'save_customer', {
    id: null,
    form: { name, email: '', billing_address: '', tax_id: '', currency: 'GBP', payment_terms_days: '14', notes: '' },
  });

  // Online, the editor is opened; then the connection goes before it is saved.
  await page.goto(`/invoices/new?customer=${customer}`);
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
  const line = (label: string) => page.getByLabel(`${label} (line 1)`, { exact: true });
  await line('Description').fill('Kitchen refit, first stage');
  await line('Quantity').fill('2');
  await line('Unit price').fill('250.00');
  await chooseRate(page, 1, '20');
  await expect(page.getByTestId('preview-total')).toContainText('600.00');
  await goOffline(context);
  try {
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.getByTestId('draft-queued')).toContainText('kept on this device');
    const outbox = page.getByTestId('outbox');
    await expect(outbox).toContainText('1 draft invoice waiting to sync');
    await expect(outbox).toContainText(`Draft invoice for ${name}`);
    // Saved again, still offline, after a change: one draft waits, the latest version.
    await line('Quantity').fill('3');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(outbox).toContainText('1 draft invoice waiting to sync');
    await page.screenshot({ path: testInfo.outputPath('offline-draft.png'), fullPage: true });
  } finally {
    await goOnline(context);
  }

  await expect(page.getByTestId('outbox-synced')).toContainText(`Draft invoice for ${name}`, { timeout: 30_000 });
  await expect(page.getByTestId('outbox')).toHaveCount(0);
  const listed = await call(page, 'list_invoices', { status: '', search: '', customer, page: 1 });
  expect(listed.items).toHaveLength(1);
  expect(listed.items[0].status).toBe('Draft');
  expect(listed.items[0].total.amount).toBe('900.00');
});
