// Service worker: keeps the page's shell (HTML, JS, wasm, CSS) so the page opens with no network
// once it has been opened before.
//
// Navigations go to the network first and fall back to the cached shell. Hashed assets come from
// the cache first. A new build is cached whole (its assets before its HTML) and then announced to
// open tabs, which keep running the build they loaded until the admin reloads. API requests are
// never cached.

const SHELL_CACHE = "oauth2-admin-shell-v1";
const SHELL_KEY = new URL("./", self.registration.scope).href;

self.addEventListener("install", (event) => {
  event.waitUntil(fetch(SHELL_KEY, { cache: "no-store" }).then((response) => storeShell(response)).catch(() => {}));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.includes("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  } else {
    event.respondWith(cacheFirst(request));
  }
});

async function navigate(event) {
  try {
    const response = await fetch(event.request, { cache: "no-store" });
    if (response.ok && new URL(event.request.url).href === SHELL_KEY) {
      event.waitUntil(storeShell(response.clone()));
    }
    return response;
  } catch {
    return (await caches.match(SHELL_KEY)) ?? Response.error();
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreSearch: true });
  if (cached) return cached;
  return fetch(request);
}

/** Returns the same-origin asset URLs that an index.html loads. */
function assetsOf(html) {
  const urls = new Set();
  for (const match of html.matchAll(/(?:src|href|data-bindings|data-wasm)="([^"]+)"/g)) {
    const url = new URL(match[1], SHELL_KEY);
    if (url.origin === self.location.origin && url.href !== SHELL_KEY) urls.add(url.href);
  }
  return [...urls];
}

/**
 * Caches a new shell: every asset first, then the HTML, so an offline start never finds HTML
 * whose assets are missing. Assets of older builds are removed, and open tabs get a message.
 */
async function storeShell(response) {
  if (!response.ok) return;
  const html = await response.text();
  const cache = await caches.open(SHELL_CACHE);
  const previous = await cache.match(SHELL_KEY);
  if (previous && (await previous.text()) === html) return;

  const assets = assetsOf(html);
  await cache.addAll(assets);
  await cache.put(SHELL_KEY, new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } }));
  for (const request of await cache.keys()) {
    if (request.url !== SHELL_KEY && !assets.includes(request.url)) await cache.delete(request);
  }
  if (previous) {
    const wasm = assets.find((asset) => asset.endsWith(".wasm"));
    for (const client of await self.clients.matchAll({ type: "window" })) {
      client.postMessage({ type: "oauth2-admin-update", wasm });
    }
  }
}
