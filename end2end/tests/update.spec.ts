// A new build deployed while the app is open: the page is told, and reloads exactly once
// onto the new build when the person presses Reload; the old build's caches are gone.
//
// This spec runs its own server (the shared one must keep running), on the next port, with
// SETTLE_BUILD_ID naming the build; "deploying" is stopping it and starting the same binary
// with another id on the same database.

import { test, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signIn } from './support';

const PORT = Number(process.env.SETTLE_E2E_PORT ?? 3100) + 1;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const repoRoot = path.resolve(__dirname, '..', '..');
const bin = process.env.SETTLE_BIN
  ? path.resolve(process.env.SETTLE_BIN)
  : path.resolve(repoRoot, process.env.CARGO_TARGET_DIR ?? 'target', 'debug', 'settle');

test.use({ baseURL: ORIGIN });
test.describe.configure({ timeout: 150_000 });

let server: ChildProcess | null = null;
let db = '';

async function start(build: string) {
  server = spawn(bin, ['serve', '--db', db, '--addr', `127.0.0.1:${PORT}`], {
    cwd: repoRoot,
    env: { ...process.env, SETTLE_BUILD_ID: build },
    stdio: 'ignore',
  });
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${ORIGIN}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the second server did not start');
}

async function stop() {
  const running = server;
  server = null;
  if (!running || running.exitCode !== null) return;
  const exited = new Promise((r) => running.once('exit', r));
  running.kill('SIGTERM');
  // Open live streams may hold a graceful stop up: a deploy does not wait for them forever.
  const late = setTimeout(() => running.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(late);
}

test.beforeEach(async ({}, testInfo) => {
  db = path.join(os.tmpdir(), `settle-update-${process.pid}-${testInfo.project.name}.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
  await start('e2e-first');
});

test.afterEach(async () => {
  await stop();
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
});

const pageBuild = (page: Page) =>
  page.locator('meta[name=settle-build]').getAttribute('content');

const shellCaches = (page: Page) =>
  page.evaluate(async () => (await caches.keys()).filter((name) => name.startsWith('settle-shell-')).sort());

/** The build's shell cache is there, and no other build's cache (its data cache comes when
 * the first page or answer is saved). */
async function onlyCachesOf(page: Page, build: string) {
  const own = `settle-shell-v1-${build}`;
  await expect.poll(() => shellCaches(page), { timeout: 15_000 }).toContain(own);
  await expect
    .poll(async () => (await shellCaches(page)).filter((name) => name !== own && name !== `${own}-data`))
    .toEqual([]);
}

test('a new build is announced, and Reload brings it in with a single reload', async ({ page }) => {
  await signIn(page);
  expect(await pageBuild(page)).toBe('e2e-first');
  // The first worker takes control by itself.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
  await expect(page.getByTestId('update-banner')).toHaveCount(0);
  await onlyCachesOf(page, 'e2e-first');

  // Something typed into a form is never lost to an automatic reload.
  await page.goto('/customers/new');
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
  await page.getByLabel('Name').first().fill('Typed before the deploy');
  let loads = 0;
  page.on('load', () => { loads += 1; });

  // The deploy: the same database, a new build.
  await stop();
  await start('e2e-second');

  // The live stream reconnects, the page learns of the new build, the new worker installs
  // and waits; the person is told.
  const banner = page.getByTestId('update-banner');
  await expect(banner).toContainText('A new version of Settle is ready', { timeout: 60_000 });
  expect(loads).toBe(0);
  await expect(page.getByLabel('Name').first()).toHaveValue('Typed before the deploy');
  expect(await pageBuild(page)).toBe('e2e-first');
  const waiting = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return registration?.waiting?.scriptURL ?? null;
  });
  expect(waiting).toContain('v=e2e-second');

  await banner.getByRole('button', { name: 'Reload' }).click();
  await expect.poll(() => loads, { timeout: 20_000 }).toBe(1);
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
  expect(await pageBuild(page)).toBe('e2e-second');
  await expect(page.getByTestId('update-banner')).toHaveCount(0);
  // The new worker controls the page; the old build's caches are deleted.
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? ''))
    .toContain('v=e2e-second');
  await onlyCachesOf(page, 'e2e-second');
  // And it stays put: no second reload.
  await page.waitForTimeout(3_000);
  expect(loads).toBe(1);
});

test('a page opened after the deploy runs the new build without being asked to reload', async ({ page, context }) => {
  await signIn(page);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await page.close();

  await stop();
  await start('e2e-second');

  const later = await context.newPage();
  await later.goto('/');
  await expect(later.locator('html')).toHaveAttribute('data-live', 'connected', { timeout: 15_000 });
  expect(await pageBuild(later)).toBe('e2e-second');
  await expect
    .poll(() => later.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? ''), { timeout: 20_000 })
    .toContain('v=e2e-second');
  await expect(later.getByTestId('update-banner')).toHaveCount(0);
  await onlyCachesOf(later, 'e2e-second');
});
