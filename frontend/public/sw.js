/*
 * Settle service worker: keeps the app shell available offline.
 *
 * - install:  pre-caches the shell (with the loader of the wasm's per-page
 *             pieces), six at a time (a missing one is logged, never fails
 *             the install). A page's pieces are cached when it is first shown.
 * - activate: deletes older "settle-shell-*" caches, claims open pages.
 * - fetch:    same origin only; never /events (Server-Sent Events).
 *               pages (navigations)       network first; offline: this page as
 *                                         last seen, else the cached "/"
 *               POST /api/get_…, list_…   reads: network first (a slow network
 *                                         gives way to the saved answer after
 *                                         a few seconds); offline: the answer
 *                                         saved for the same request body
 *               /b/BUILD/pkg/… (the wasm, cache first, then network
 *                 its pieces, the JS)     (a build's files never change)
 *               /pkg/…, manifest, favicon network first, then cache
 *               /icons/…                  cache first, then network
 *             Everything else (every change) goes to the network as if there
 *             were no worker: nothing is ever written from a saved copy.
 *
 * Offline reading: the pages and read answers last seen are kept (at most
 * MAX_PAGES and MAX_READS, oldest dropped) with the time they were fetched.
 * Whenever a saved copy stands in for the network, the page that asked gets
 * {type: "stale", savedAt} (ISO time); the first fresh answer afterwards sends
 * {type: "fresh"}. A page that starts later asks with {type: "status"} and is
 * answered the same way, so its banner can say how old what it shows is.
 *
 * Versioning: the server serves this file with its build id in place of the
 * placeholder below (the build id names the site files the binary carries, or
 * SETTLE_BUILD_ID), so every new build is a new worker script and gets its own
 * shell cache; older caches are deleted when it activates. Pages load the wasm,
 * its pieces and the JavaScript from /b/BUILD/pkg/, a path per build, so those
 * are never stale; the stylesheet (/pkg/settle.css) keeps its name between
 * builds and is fetched network first (a revalidation is a 304 from the ETag). The first worker of a device takes control at once; a
 * later one waits until the page asks it to ("skip-waiting"), which the page
 * does when the person chooses to reload (or at once, when that page already
 * runs the new build), so no page runs old wasm under a new worker unasked.
 * Served by anything else than Settle, the build is taken from `?v=`.
 *
 * Messages from the page: {type: "clear"} deletes the caches (call it on log
 * out: the cached "/" may hold a signed-in page); {type: "skip-waiting"}
 * activates a waiting worker at once; {type: "build"} is answered with
 * {type: "build", build} so a page can tell which build a waiting
 * worker brings.
 */

const CACHE_BASE = 'settle-shell-v1';
const CACHE_PREFIX = 'settle-shell-';
// Replaced by the server with its build id.
const SERVED_BUILD = '__SETTLE_BUILD__';
const BUILD = SERVED_BUILD.startsWith('__SETTLE')
  ? new URL(self.location.href).searchParams.get('v')
  : SERVED_BUILD;
const CACHE = BUILD ? `${CACHE_BASE}-${BUILD.replace(/[^A-Za-z0-9._-]/g, '')}` : CACHE_BASE;
// Pages and read answers: dropped with the shell when a new build arrives (their format
// belongs to the build that made them) and on sign-out.
const DATA = `${CACHE}-data`;
const MAX_PAGES = 60;
const MAX_READS = 400;
const SAVED_AT = 'x-settle-saved-at';
const READ = /^\/api\/(get|list)_[a-z0-9_]+$/;
// How long a read waits for the network before a saved answer is shown instead.
const PATIENCE_MS = 4000;

// The time of the saved copy last shown in place of the network, until a fresh answer.
let stale = null;

// What pages load their wasm, its pieces and the JavaScript from: this build's own path.
const PKG = `/b/${BUILD}/pkg`;

const SHELL = [
  '/',
  `${PKG}/settle.js`,
  `${PKG}/settle.wasm`,
  '/pkg/settle.css',
  '/manifest.webmanifest',
  '/favicon.svg',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/icons/maskable-512.png',
];

// The wasm is cut into one piece per page plus the pieces pages share; the loader script
// fetches a page's pieces the first time the page is shown, and they are cached then (cache
// first: a build's files never change). Only the pages someone uses cost them data.
const SPLIT_LOADER = `${PKG}/__wasm_split.______________________.js`;

// Fetches `urls` into `cache`, a few at a time; a missing one is logged, never fatal.
async function precache(cache, urls) {
  const queue = [...urls];
  const worker = async () => {
    for (let url = queue.shift(); url; url = queue.shift()) {
      await cache.add(new Request(url, { cache: 'reload' })).catch((err) => {
        console.warn(`[sw] not pre-cached: ${url}`, err);
      });
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await precache(cache, [...SHELL, SPLIT_LOADER]);
      // The first worker on this device has no page to disturb; a new build waits for the page.
      if (!self.registration.active) await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE && name !== DATA)
          .map((name) => caches.delete(name)),
      );
      if (self.registration.navigationPreload) {
        await self.registration.navigationPreload.enable();
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  const type = event.data && event.data.type;
  if (type === 'clear') {
    event.waitUntil(
      caches.keys().then((names) =>
        Promise.all(names.filter((n) => n.startsWith(CACHE_PREFIX)).map((n) => caches.delete(n))),
      ),
    );
  } else if (type === 'skip-waiting') {
    self.skipWaiting();
  } else if (type === 'build' && event.source) {
    event.source.postMessage({ type: 'build', build: BUILD });
  } else if (type === 'status' && event.source) {
    const source = event.source;
    event.waitUntil(
      staleness().then((savedAt) =>
        source.postMessage(savedAt ? { type: 'stale', savedAt } : { type: 'fresh' }),
      ),
    );
  }
});

function isRead(request, url) {
  return request.method === 'POST' && url.origin === self.location.origin && READ.test(url.pathname);
}

function bypass(request, url) {
  if (request.method !== 'GET') return true;
  if (url.origin !== self.location.origin) return true;
  const path = url.pathname;
  if (path.startsWith('/api/') || path === '/api') return true;
  if (path === '/events' || path.startsWith('/events/')) return true;
  const accept = request.headers.get('accept') || '';
  if (accept.includes('text/event-stream')) return true;
  return false;
}

// A response that went through a redirect cannot answer a navigation
// (redirect mode "manual"): hand back a plain copy instead.
async function plain(response) {
  if (!response || !response.redirected) return response;
  const body = await response.blob();
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

function cacheable(response) {
  return response && response.ok && response.type === 'basic';
}

async function tell(clientId, message) {
  if (!clientId) return;
  const client = await self.clients.get(clientId);
  if (client) client.postMessage(message);
}

// `stale` is also kept in the data cache: the browser may stop an idle worker and start a
// fresh one, which must still know what the pages it answered are showing.
const STATE = '/__offline/state';

function noteFresh(clientId) {
  if (stale === null) return;
  stale = null;
  caches.open(DATA).then((cache) => cache.delete(STATE));
  tell(clientId, { type: 'fresh' });
}

function noteStale(clientId, response) {
  stale = response.headers.get(SAVED_AT) || stale || new Date(0).toISOString();
  const saved = new Response(stale);
  caches.open(DATA).then((cache) => cache.put(STATE, saved));
  tell(clientId, { type: 'stale', savedAt: stale });
}

async function staleness() {
  if (stale !== null) return stale;
  const saved = await caches.match(STATE, { cacheName: DATA });
  return saved ? saved.text() : null;
}

// A copy of `response` with the time it was fetched, for the data cache.
async function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set(SAVED_AT, new Date().toISOString());
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
}

// Keeps at most `limit` entries whose key starts with `prefix`, dropping the oldest.
async function trim(cache, prefix, limit) {
  const keys = (await cache.keys()).filter((r) => new URL(r.url).pathname.startsWith(prefix));
  await Promise.all(keys.slice(0, Math.max(0, keys.length - limit)).map((k) => cache.delete(k)));
}

async function save(key, response, prefix, limit) {
  const cache = await caches.open(DATA);
  await cache.delete(key);
  await cache.put(key, await stamped(response));
  await trim(cache, prefix, limit);
}

function pageKey(url) {
  return new Request(`${self.location.origin}/__offline/page${url.pathname}${url.search}`);
}

async function navigate(event) {
  const { request } = event;
  const url = new URL(request.url);
  const client = event.resultingClientId || event.clientId;
  try {
    const response = (await event.preloadResponse) || (await fetch(request));
    if (cacheable(response) && !response.redirected) {
      event.waitUntil(save(pageKey(url), response.clone(), '/__offline/page', MAX_PAGES));
      if (url.pathname === '/' && !url.search) {
        const copy = response.clone();
        event.waitUntil(caches.open(CACHE).then((cache) => cache.put('/', copy)));
      }
      noteFresh(client);
    }
    return response;
  } catch (err) {
    const page = await caches.match(pageKey(url), { cacheName: DATA });
    if (page) {
      noteStale(client, page);
      return page;
    }
    if (url.pathname === '/') {
      const shell = await caches.match('/', { cacheName: CACHE });
      if (shell) return plain(shell);
    }
    // Another page's copy would not fit this address: say plainly what is missing.
    return offlinePage(url);
  }
}

function offlinePage(url) {
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Offline · Settle</title><link rel="stylesheet" href="/pkg/settle.css"></head>
<body><main class="content offline-page">
<div class="offline-banner" role="status" data-testid="offline-banner">You are offline.</div>
<h1>This page was not saved on this device</h1>
<p>Settle keeps the pages you opened recently for reading offline; ${url.pathname.replace(/[^A-Za-z0-9/_-]/g, '')} was not one of them. It will open when the connection returns.</p>
<p><a class="button primary" href="/">Open the dashboard</a></p>
</main></body></html>`;
  return new Response(html, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

async function digest(text) {
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

// A read server function: the network's answer, saved for later; offline (or when the
// network keeps it waiting), the answer saved for the very same request.
async function read(event) {
  const { request } = event;
  const url = new URL(request.url);
  const body = await request.clone().text();
  const key = new Request(`${self.location.origin}/__offline${url.pathname}?k=${await digest(body)}`);
  const network = fetch(request).then((response) => {
    if (response.ok) {
      event.waitUntil(save(key, response.clone(), '/__offline/api/', MAX_READS));
      noteFresh(event.clientId);
    }
    return response;
  });
  const saved = await caches.match(key, { cacheName: DATA });
  if (!saved) {
    try {
      return await network;
    } catch (err) {
      // The app moved to a page whose answers this device never fetched (the server had
      // rendered them into the page it sent): the page may reload itself from its saved copy.
      // A request the page gave up on itself (it moved on) is no sign of being offline.
      if (!request.signal.aborted && err.name !== 'AbortError') {
        tell(event.clientId, { type: 'missing' });
      }
      throw err;
    }
  }
  let timer;
  const impatience = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), PATIENCE_MS);
  });
  try {
    const first = await Promise.race([network, impatience]);
    if (first) return first;
  } catch (err) {
    // offline: the saved answer below
  } finally {
    clearTimeout(timer);
  }
  // Late network answers still refresh the saved copy for next time.
  event.waitUntil(network.catch(() => null));
  noteStale(event.clientId, saved);
  return saved;
}

async function cacheFirst(event) {
  const { request } = event;
  const cached = await caches.match(request, { cacheName: CACHE });
  if (cached) return cached;
  const response = await fetch(request);
  if (cacheable(response)) {
    const copy = response.clone();
    event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
  }
  return response;
}

async function networkFirst(event) {
  const { request } = event;
  try {
    const response = await fetch(request);
    if (cacheable(response)) {
      const copy = response.clone();
      event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
    }
    return response;
  } catch (err) {
    const cached = await caches.match(request, { cacheName: CACHE });
    if (cached) return cached;
    throw err;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (isRead(request, url)) {
    event.respondWith(read(event));
    return;
  }
  if (bypass(request, url)) return;

  if (request.mode === 'navigate') {
    event.respondWith(navigate(event));
    return;
  }
  const path = url.pathname;
  if (path.startsWith('/icons/')) {
    event.respondWith(cacheFirst(event));
    return;
  }
  if (path.startsWith('/b/')) {
    // A build's files under its own name never change: the copy in the cache is the file.
    event.respondWith(cacheFirst(event));
    return;
  }
  if (path.startsWith('/pkg/') || path === '/manifest.webmanifest' || path === '/favicon.svg') {
    event.respondWith(networkFirst(event));
  }
});
