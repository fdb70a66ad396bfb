// Reading offline: the pages and invoices seen while online stay readable when the
// connection goes, with a banner saying how old they are; the banner goes when it returns.
//
// `context.setOffline` takes the page offline; the service worker's own requests are cut
// too (Playwright sees them with PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS, set in the
// config), so what the page shows comes from what the worker saved.

import { test, expect, type BrowserContext, type Route } from '@playwright/test';
import { call, signIn, uniqueSuffix, visible } from './support';

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
    form: { id: null, customer_id: customer, issue_date: '2026-03-02', due_date: '2026-03-16', currency: 'GBP', notes: '',
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
  } finally {
    await goOnline(context);
  }
  await expect(page.getByTestId('offline-banner')).toHaveCount(0, { timeout: 15_000 });
});
