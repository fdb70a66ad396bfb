/*
 * Settle service worker: keeps the app shell available offline.
 *
 * - install:  pre-caches the shell, one asset at a time (a missing asset is
 *             logged, never fails the install).
 * - activate: deletes older "settle-shell-*" caches, claims open pages.
 * - fetch:    GET, same origin only. Never touches /api/… (server functions)
 *             or /events (Server-Sent Events).
 *               pages (navigations)       network first, offline: cached "/"
 *               /pkg/…, manifest, favicon network first, then cache
 *               /icons/…                  cache first, then network
 *             Everything else goes to the network as if there were no worker.
 *
 * Versioning: /pkg/ files keep their names between builds, so they are fetched
 * network first (the server answers a revalidation with 304 from its ETag, so
 * this costs a round trip, not a download): an online page never mixes an old
 * wasm with a new server. The cache still changes with the build: Register the worker as `/sw.js?v=<build id>`:
 * a new URL makes the browser install the new worker, whose cache is named
 * after that build id (and the old cache is deleted on activate). Without
 * `v` the cache is plain CACHE_BASE; bump it by hand when the shell changes.
 *
 * Messages from the page: {type: "clear"} deletes the caches (call it on log
 * out: the cached "/" may hold a signed-in page); {type: "skip-waiting"}
 * activates a waiting worker at once.
 */

const CACHE_BASE = 'settle-shell-v1';
const CACHE_PREFIX = 'settle-shell-';
const BUILD = new URL(self.location.href).searchParams.get('v');
const CACHE = BUILD ? `${CACHE_BASE}-${BUILD.replace(/[^A-Za-z0-9._-]/g, '')}` : CACHE_BASE;

const SHELL = [
  '/',
  '/pkg/settle.js',
  '/pkg/settle.wasm',
  '/pkg/settle.css',
  '/manifest.webmanifest',
  '/favicon.svg',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/icons/maskable-512.png',
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await Promise.all(
        SHELL.map((url) =>
          cache.add(new Request(url, { cache: 'reload' })).catch((err) => {
            console.warn(`[sw] not pre-cached: ${url}`, err);
          }),
        ),
      );
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
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
  }
});

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

async function navigate(event) {
  const { request } = event;
  const url = new URL(request.url);
  try {
    const response = (await event.preloadResponse) || (await fetch(request));
    if (url.pathname === '/' && !url.search && cacheable(response)) {
      const copy = response.clone();
      event.waitUntil(caches.open(CACHE).then((cache) => cache.put('/', copy)));
    }
    return response;
  } catch (err) {
    const cached = await caches.match('/', { cacheName: CACHE });
    if (cached) return plain(cached);
    throw err;
  }
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
  if (path.startsWith('/pkg/') || path === '/manifest.webmanifest' || path === '/favicon.svg') {
    event.respondWith(networkFirst(event));
  }
});
