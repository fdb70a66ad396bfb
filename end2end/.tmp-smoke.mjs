// Smoke check of a release binary: direct loads of lazy pages hydrate without errors.
import { chromium } from '@playwright/test';
const base = process.env.BASE;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
const page = await ctx.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push('pageerror ' + e.message));
page.on('console', (m) => { if (m.type() === 'error') errors.push('console ' + m.text()); });
const wasm = [];
page.on('response', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url().split('/').pop() + ' ' + r.status()); });
await page.goto(base + '/login');
await page.waitForFunction(() => document.documentElement.dataset.hydrated !== undefined || true);
await page.fill('input[type=email]', process.env.EMAIL);
await page.fill('input[type=password]', process.env.PASSWORD);
await page.click('button[type=submit]');
await page.waitForURL(base + '/');
await page.waitForSelector('html[data-live="connected"]', { timeout: 15000 });
await page.screenshot({ path: '/tmp/me/shots/dashboard.png' });
for (const path of ['/invoices', '/invoices/new', '/settings', '/books', '/customers']) {
  wasm.length = 0;
  await page.goto(base + path);
  await page.waitForSelector('html[data-live="connected"]', { timeout: 15000 });
  await page.waitForTimeout(300);
  console.log(path, 'wasm files', wasm.length, wasm.slice(0, 3).join(', '));
}
await page.screenshot({ path: '/tmp/me/shots/customers.png' });
// client-side navigation to a lazy page
await page.goto(base + '/');
await page.waitForSelector('html[data-live="connected"]');
await page.click('nav.main-nav a[href="/payments"]');
await page.waitForURL(base + '/payments');
await page.waitForTimeout(1000);
await page.screenshot({ path: '/tmp/me/shots/payments.png' });
console.log('errors', JSON.stringify(errors, null, 1));
await browser.close();
