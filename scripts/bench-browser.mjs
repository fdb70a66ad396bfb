// First load of the dashboard in headless Chromium, for scripts/bench.
//
// usage: node scripts/bench-browser.mjs URL COOKIE_NAME COOKIE_VALUE RUNS
//
// Each run is a cold visit: a new browser context (empty cache, no service worker) with the
// session cookie already set, opening URL. Per run it records, in milliseconds from the start
// of navigation (performance.timeOrigin):
//   fcp          the browser's first-contentful-paint entry;
//   interactive  the moment <html> gets data-live="connected": the wasm has loaded, the page
//                has hydrated (event handlers attached) and the live-update stream is open,
//                so a click now does what it should;
//   load         the load event.
// and, from the network, the bytes transferred (as served: compressed when the server sent a
// compressed variant) of the document and of every script, wasm and stylesheet.
// Prints one JSON object: the runs and their medians.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'end2end', 'package.json'));
const { chromium } = require('playwright');

const [url, cookieName, cookieValue, runsText] = process.argv.slice(2);
const runs = Number(runsText ?? 5);
const browser = await chromium.launch({
  executablePath: process.env.SETTLE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// Runs before any of the page's own scripts: notes when data-live first becomes "connected".
const watchLive = () => {
  const mark = () => {
    const root = document.documentElement;
    if (root && root.getAttribute('data-live') === 'connected'
        && window.__settleInteractive === undefined) {
      window.__settleInteractive = performance.now();
    }
  };
  // The init script runs before <html> exists, so watch the whole document.
  new MutationObserver(mark).observe(document,
    { attributes: true, subtree: true, attributeFilter: ['data-live'] });
};

const kindOf = (type, url) => {
  if (type === 'document') return 'html';
  if (url.endsWith('.wasm') || type === 'wasm') return 'wasm';
  if (type === 'script') return 'js';
  if (type === 'stylesheet') return 'css';
  return null;
};

const results = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 },
    serviceWorkers: 'block' });
  await context.addCookies([{ name: cookieName, value: cookieValue, url }]);
  await context.addInitScript(watchLive);
  const page = await context.newPage();
  const transfers = [];
  page.on('requestfinished', async (request) => {
    const kind = kindOf(request.resourceType(), request.url());
    if (!kind) return;
    const sizes = await request.sizes().catch(() => null);
    const response = await request.response();
    transfers.push({ kind, url: request.url(), bytes: sizes ? sizes.responseBodySize : 0,
      encoding: response ? (await response.allHeaders())['content-encoding'] ?? '' : '' });
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__settleInteractive !== undefined, null,
    { timeout: 30_000 });
  const timing = await page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const nav = performance.getEntriesByType('navigation')[0];
    return { fcp: fcp ? fcp.startTime : null, interactive: window.__settleInteractive,
      load: nav ? nav.loadEventEnd : null, path: location.pathname };
  });
  // The dashboard must be what was measured, not a sign-in page.
  if (timing.path !== new URL(url).pathname) {
    throw new Error(`landed on ${timing.path}, not ${new URL(url).pathname}`);
  }
  const bytes = { html: 0, js: 0, wasm: 0, css: 0 };
  for (const t of transfers) bytes[t.kind] += t.bytes;
  results.push({ ...timing, bytes, files: transfers });
  await context.close();
}
await browser.close();

const median = (xs) => {
  const s = xs.filter((x) => x !== null).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};
console.log(JSON.stringify({
  runs: results.length,
  fcp_ms: median(results.map((r) => r.fcp)),
  interactive_ms: median(results.map((r) => r.interactive)),
  load_ms: median(results.map((r) => r.load)),
  max_interactive_ms: Math.max(...results.map((r) => r.interactive)),
  bytes: results[results.length - 1].bytes,
  files: results[results.length - 1].files,
  all: results.map(({ files, ...r }) => r),
}));
