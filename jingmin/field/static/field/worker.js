// The field app's service worker: keeps the app shell (pages, scripts, styles, icons) so that
// the app opens without a network, and sends the queue when the browser says the network is back
// (background sync). It never keeps an answer of the API: personal data lives in IndexedDB only.
import { wipeCopy } from "./db.js";
import { sendAll } from "./outbox.js";

export const SYNC_TAG = "jingmin-field-outbox";
const PREFIX = "jingmin-field-shell-";

export function start(sw, config) {
  const name = PREFIX + config.version;
  const shell = new Set(config.shell);

  sw.addEventListener("install", (event) => {
    event.waitUntil(
      (async () => {
        const cache = await caches.open(name);
        await cache.addAll(config.shell.map((url) => new Request(url, { cache: "reload" })));
        await refreshPage(cache);
        await sw.skipWaiting();
      })(),
    );
  });

  sw.addEventListener("activate", (event) => {
    event.waitUntil(
      (async () => {
        // An upgrade replaces the old shell whole.
        for (const key of await caches.keys()) if (key.startsWith(PREFIX) && key !== name) await caches.delete(key);
        await sw.clients.claim();
      })(),
    );
  });

  async function refreshPage(cache) {
    try {
      const page = await fetch(config.start, { cache: "reload", credentials: "same-origin", redirect: "manual" });
      if (page.ok && page.type === "basic" && !page.redirected) await cache.put(config.start, page);
    } catch (e) {
      // Offline while installing: the page is kept the next time it is opened online.
    }
  }

  sw.addEventListener("fetch", (event) => {
    const request = event.request;
    const url = new URL(request.url);
    if (url.origin !== sw.location.origin || request.method !== "GET") return;
    if (request.mode === "navigate" && url.pathname === config.start) {
      event.respondWith(page(request));
    } else if (shell.has(url.pathname)) {
      event.respondWith(caches.match(url.pathname, { cacheName: name }).then((hit) => hit || fetch(request)));
    }
    // Anything else (the copy, the sync, other pages) goes to the network untouched.
  });

  async function page(request) {
    try {
      const response = await fetch(request);
      if (response.ok && response.type === "basic" && !response.redirected) {
        const cache = await caches.open(name);
        await cache.put(config.start, response.clone());
      }
      return response;
    } catch (e) {
      const cached = await caches.match(config.start, { cacheName: name });
      if (cached) return cached;
      throw e;
    }
  }

  sw.addEventListener("message", (event) => {
    if (event.data && event.data.type === "wipe") {
      event.waitUntil(
        (async () => {
          await wipeCopy();
          // Only the shell belongs in Cache Storage; anything else found there goes.
          for (const key of await caches.keys()) {
            if (!key.startsWith(PREFIX)) continue;
            if (key !== name) { await caches.delete(key); continue; }
            const cache = await caches.open(key);
            for (const req of await cache.keys()) {
              const path = new URL(req.url).pathname;
              if (!shell.has(path) && path !== config.start) await cache.delete(req);
            }
          }
          if (event.source) event.source.postMessage({ type: "wiped" });
        })(),
      );
    }
  });

  sw.addEventListener("sync", (event) => {
    if (event.tag === SYNC_TAG) event.waitUntil(sendAll({ syncUrl: config.sync }));
  });
}
