import { chromium } from '@playwright/test';
const base = process.env.BASE;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
async function visit(path, cookie) {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: 'block' });
  if (cookie) await ctx.addCookies([cookie]);
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 });
  let n = 0; page.on('response', (r) => { if (r.url().endsWith('.wasm')) n++; });
  const t0 = Date.now();
  await page.goto(base + path);
  await page.waitForSelector('html[data-live="connected"]', { timeout: 60000 });
  const t = Date.now() - t0;
  const c = (await ctx.cookies())[0];
  await ctx.close();
  return [t, n, c];
}
const ctx = await browser.newContext();
const p = await ctx.newPage();
await p.goto(base + '/login');
await p.waitForTimeout(1500);
await p.fill('input[type=email]', process.env.EMAIL);
await p.fill('input[type=password]', process.env.PASSWORD);
await p.click('button[type=submit]');
await p.waitForURL(base + '/');
const cookie = (await ctx.cookies())[0];
for (const path of ['/', '/invoices', '/invoices/new', '/settings']) {
  const [t, n] = await visit(path, cookie);
  console.log(path, 'interactive ms (150 ms RTT, 1.6 Mbit/s)', t, 'wasm files', n);
}
await browser.close();
