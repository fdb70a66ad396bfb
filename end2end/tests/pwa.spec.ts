// The app is installable: Chromium reads the manifest, the service worker takes control,
// and the DevTools protocol reports no installability errors.

import { test, expect, chromium } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

test('Chromium finds the app installable', async ({ browserName, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'one browser profile is enough');
  expect(browserName).toBe('chromium');
  // A persistent profile: Playwright's default contexts are incognito, which Chromium
  // itself reports as a reason not to install.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'settle-pwa-'));
  const launch = testInfo.project.use.launchOptions ?? {};
  const context = await chromium.launchPersistentContext(profile, { ...launch, headless: true });
  try {
    const page = await context.newPage();
    await page.goto(`${baseURL}/login`);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    const cdp = await context.newCDPSession(page);

    const manifest = await cdp.send('Page.getAppManifest');
    const installability = await cdp.send('Page.getInstallabilityErrors');

    expect(manifest.errors).toEqual([]);
    expect(manifest.url).toContain('/manifest.webmanifest');
    expect(installability.installabilityErrors).toEqual([]);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
});
