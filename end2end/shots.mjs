// Screenshots of the pages changed for voids, vendors and comparisons (not a test).
import { chromium } from '@playwright/test';

const base = process.env.BASE;
const out = process.env.OUT;
const pages = JSON.parse(process.env.PAGES);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const [name, width, height, mobile] of [['desktop', 1280, 900, false], ['phone', 390, 844, true]]) {
  const context = await browser.newContext({ viewport: { width, height }, isMobile: mobile, hasTouch: mobile, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill('owner@example.com');
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
  for (const [slug, path, open] of pages) {
    await page.goto(`${base}${path}`);
    await page.waitForLoadState('networkidle');
    if (open) for (const d of await page.locator('details').all()) await d.evaluate((e) => e.setAttribute('open', ''));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) console.log(`OVERFLOW ${name} ${slug}: ${overflow}px`);
    await page.screenshot({ path: `${out}/${slug}-${name}.png`, fullPage: process.env.FULL !== '0' });
  }
  await context.close();
}
await browser.close();
