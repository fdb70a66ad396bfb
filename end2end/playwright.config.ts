import { defineConfig, type LaunchOptions } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/*
 * Browser journeys for Settle.
 *
 * One `settle serve` process is started for the whole run, on a fresh SQLite
 * file, and BOTH projects ("desktop" and "phone") run against that same server
 * and that same database, one after the other (workers: 1).
 *
 *   ==> Tests must create uniquely named data (e.g. append `testInfo.project.name`
 *       and a timestamp/random suffix to customer names, invoice references,
 *       e-mails…) and must never assume the database is empty or that a list
 *       holds only what the test itself created.
 *
 * Environment:
 *   SETTLE_BIN       server binary (default: $CARGO_TARGET_DIR/debug/settle, or
 *                    ../target/debug/settle). scripts/test sets it.
 *   SETTLE_E2E_PORT  loopback port for the server (default 3100).
 *   SETTLE_CHROMIUM  browser executable (default /usr/bin/chromium, Debian's).
 *   SETTLE_E2E_DB    set by this config for its worker processes: the path of
 *                    the SQLite file the server uses (tests may open it or pass
 *                    it to `settle ... --db`). If you set it yourself, that file
 *                    is DELETED before the run.
 *
 * Never run `npx playwright install`: the system Chromium is used.
 */

// Lets tests see (and cut) the service worker's own requests when they take a page offline.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

const PORT = Number(process.env.SETTLE_E2E_PORT ?? 3100);
const HOST = '127.0.0.1';
const BASE_URL = `http://${HOST}:${PORT}`;

const repoRoot = path.resolve(__dirname, '..');

const settleBin = process.env.SETTLE_BIN
  ? path.resolve(process.env.SETTLE_BIN)
  : path.resolve(repoRoot, process.env.CARGO_TARGET_DIR ?? 'target', 'debug', 'settle');

// Playwright evaluates this file in the runner and again in every worker
// process. The runner picks the database path and hands it to the workers via
// the environment; only the runner (no TEST_WORKER_INDEX) deletes old files.
if (!process.env.SETTLE_E2E_DB) {
  process.env.SETTLE_E2E_DB = path.join(os.tmpdir(), `settle-e2e-${process.pid}.sqlite`);
}
const dbPath = process.env.SETTLE_E2E_DB;
if (process.env.TEST_WORKER_INDEX === undefined) {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    fs.rmSync(dbPath + suffix, { force: true });
  }
}

const chromium: LaunchOptions = {
  executablePath: process.env.SETTLE_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox', // we run as root
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export default defineConfig({
  testDir: 'tests',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  forbidOnly: !!process.env.CI,
  reporter: 'list',

  use: {
    baseURL: BASE_URL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },

  projects: [
    {
      name: 'desktop',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        launchOptions: chromium,
      },
    },
    {
      name: 'phone',
      use: {
        browserName: 'chromium',
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        deviceScaleFactor: 2,
        launchOptions: chromium,
      },
    },
  ],

  webServer: {
    command: `${sh(settleBin)} serve --db ${sh(dbPath)} --addr ${HOST}:${PORT}`,
    // The repo root, so the server finds the site cargo-leptos wrote to
    // target/site (site-root in Cargo.toml is relative to the workspace).
    cwd: repoRoot,
    url: `${BASE_URL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
