/*
 * sw.js, Lentera's service worker (served at /sw.js by offline.views, which prepends
 * `self.LENTERA = {version, precache, offlinePages, apiPrefix, csrfUrl};`).
 *
 * Rules (docs: README "Offline and the front-end build"):
 * - never touched: /admin/, /django-admin/, /api/ (answers with personal data), and every
 *   request that is not a GET (Workbox routes match GET only);
 * - precached at install: the hashed static files the server lists and the offline pages;
 * - /static/: cache first (the names carry a content hash; an unhashed name, as under
 *   `runserver` without collectstatic, is served from the cache and refreshed behind);
 * - page navigations: network first. Offline, the current account's saved copy, else the
 *   offline page in the URL's language. A saved page fetched online is refreshed in the saved
 *   cache only when the server says it belongs to the current account (X-Lentera-Account);
 *   an answer for another account first deletes every other account's saved pages, results
 *   and papers (their unsent records stay for their own return);
 * - the interface's words (both languages' versioned strings JSON): precached, cache first;
 *   an older version a saved page names is answered with the current one of its language;
 * - other GETs (images, documents, videos of saved courses): the current account's saved copy
 *   first (with byte ranges for video), else the network. Nothing is added to a cache here.
 * - Background Sync "lentera-outbox" and the message {type: "flush"} send the outbox;
 *   {type: "clear-account", account} deletes that account's saved pages and records.
 */
import { clientsClaim } from "workbox-core";
import { ExpirationPlugin } from "workbox-expiration";
import { addPlugins, cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from "workbox-precaching";
import { createPartialResponse } from "workbox-range-requests";
import { registerRoute } from "workbox-routing";
import { CacheFirst, StaleWhileRevalidate } from "workbox-strategies";

import { clearAccount, clearOtherAccounts, currentAccount, savedCacheName, setCurrentAccount } from "./db.js";
import { DEFAULT_CONFIG, flushOutbox, SYNC_TAG } from "./outbox.js";

const CONFIG = {
  ...DEFAULT_CONFIG,
  version: "dev",
  precache: [],
  offlinePages: { id: "/luring/", en: "/en/luring/" },
  strings: [],
  ...(self.LENTERA || {}),
};

const NEVER = /^\/(admin|django-admin|api)\//;
// Never answered from a saved copy (sign-in, sign-out, allauth's pages), under either language.
const ACCOUNTS = /^\/(en\/)?accounts\//;
// The admin's own static files (Wagtail's, Django's): the admin is never offline.
const ADMIN_STATIC = /^\/static\/(wagtail[a-z_]*|admin|django[a-z_]*|ninja)\//;
const HASHED_STATIC = /\.[0-9a-f]{12}\.[a-z0-9]+$/;
const ANONYMOUS = "anonymous";

const sameOrigin = (url) => url.origin === self.location.origin;
// Requests made by admin pages (which this worker also controls, its scope being "/").
const fromAdmin = (request) => NEVER.test(new URL(request.referrer || "/", self.location.href).pathname);

/* Install and activate */

self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();

// Navigations first, before the precache's route: the offline page itself, when online, comes
// from the network like any page (its precached copy is the signed-out rendering).
registerRoute(
  ({ request, url }) => request.mode === "navigate" && sameOrigin(url) && !NEVER.test(url.pathname),
  (options) => navigate(options),
);
// The admin's and the API's pages go straight to the network, but through the worker: with
// navigation preload on, a navigation the worker left alone would be requested twice.
registerRoute(
  ({ request, url }) => request.mode === "navigate" && sameOrigin(url),
  ({ event }) => fromNetwork(event),
);

// Precache the offline pages without cookies: they must be the signed-out rendering, with no
// personal data, whoever was signed in when the worker installed.
const offlinePaths = new Set(Object.values(CONFIG.offlinePages));
addPlugins([
  {
    requestWillFetch: async ({ request }) =>
      offlinePaths.has(new URL(request.url).pathname) ? new Request(request, { credentials: "omit" }) : request,
  },
]);
precacheAndRoute([
  // A hashed static URL is its own revision; an unhashed one (DEBUG) follows the version.
  ...CONFIG.precache.map((url) => ({ url, revision: HASHED_STATIC.test(url) ? null : CONFIG.version })),
  ...Object.values(CONFIG.offlinePages).map((url) => ({ url, revision: CONFIG.version })),
  // The words of the offline page and saved pages; the `?v=` hash makes each its own revision.
  ...CONFIG.strings.map((url) => ({ url, revision: null })),
]);

// A page saved before the words changed names an older `?v=`: the precache (which answers the
// current addresses itself, cache first) has the same language's current words.
const stringsByPath = new Map(CONFIG.strings.map((url) => [new URL(url, self.location.href).pathname, url]));
registerRoute(
  ({ url }) => sameOrigin(url) && stringsByPath.has(url.pathname),
  async ({ request, url }) => {
    try {
      const response = await fetch(request);
      if (response.ok) return response;
    } catch {
      // Offline: the precached words below.
    }
    return (await matchPrecache(stringsByPath.get(url.pathname))) || Response.error();
  },
);

self.addEventListener("activate", (event) => {
  // Navigation preload starts the page's request while the worker boots.
  if (self.registration.navigationPreload) {
    event.waitUntil(self.registration.navigationPreload.enable());
  }
});

/* Saved pages of the current account */

async function savedMatch(account, request) {
  if (!account) return undefined;
  const cacheName = savedCacheName(account);
  if (!(await caches.has(cacheName))) return undefined;
  const cache = await caches.open(cacheName);
  return (
    (await cache.match(request, { ignoreVary: true })) ||
    // A saved page asked for with a query (?next=...) is still that page.
    (request.mode === "navigate" ? cache.match(request, { ignoreVary: true, ignoreSearch: true }) : undefined)
  );
}

async function offlinePage(url) {
  const lang = url.pathname === "/en" || url.pathname.startsWith("/en/") ? "en" : "id";
  const page = CONFIG.offlinePages[lang] || CONFIG.offlinePages.id;
  return (await matchPrecache(page)) || Response.error();
}

/* Navigations: network first */

async function fromNetwork(event) {
  const preloaded = event.preloadResponse ? await event.preloadResponse.catch(() => undefined) : undefined;
  return preloaded || fetch(event.request);
}

async function navigate({ event, url }) {
  const request = event.request;
  let account = await currentAccount();
  let response;
  try {
    response = await fromNetwork(event);
  } catch {
    response = undefined;
  }
  if (response && response.status < 500) {
    const owner = response.headers.get("X-Lentera-Account");
    if (owner && owner !== account && owner !== ANONYMOUS) {
      // Every other account's saved pages, results and papers go (not only the previous
      // account's); their unsent outboxes wait for their own return.
      await clearOtherAccounts(owner);
      await setCurrentAccount(owner);
      account = owner;
    }
    if (owner && owner === account && response.ok && !ACCOUNTS.test(url.pathname)) {
      // Refresh a saved page (only one already saved: nothing new is stored by browsing).
      const saved = await savedMatch(account, request);
      if (saved) {
        const cache = await caches.open(savedCacheName(account));
        event.waitUntil(cache.put(saved.url || request.url, response.clone()));
      }
    }
    return response;
  }
  // Offline (or the server is down): this account's saved copy, else the offline page.
  if (!ACCOUNTS.test(url.pathname)) {
    const saved = await savedMatch(account, request);
    // A response that followed a redirect may not answer a navigation: hand over a plain copy.
    if (saved) return saved.redirected ? new Response(saved.body, saved) : saved;
  }
  return response || offlinePage(url);
}



/* Static files: cache first */

const staticExpiration = new ExpirationPlugin({ maxEntries: 120, maxAgeSeconds: 60 * 24 * 60 * 60 });
const hashedStatic = new CacheFirst({ cacheName: "lentera-static", plugins: [staticExpiration] });
const unhashedStatic = new StaleWhileRevalidate({ cacheName: "lentera-static", plugins: [staticExpiration] });

registerRoute(
  ({ request, url }) =>
    sameOrigin(url) && url.pathname.startsWith("/static/") && !ADMIN_STATIC.test(url.pathname) && !fromAdmin(request),
  (options) => (HASHED_STATIC.test(options.url.pathname) ? hashedStatic : unhashedStatic).handle(options),
);

/* Files of saved courses: the saved copy first */

async function savedFirst({ request }) {
  const saved = await savedMatch(await currentAccount(), request);
  if (saved) {
    // Video and audio ask for byte ranges; answer them from the whole saved file.
    return request.headers.has("range") ? createPartialResponse(request, saved) : saved;
  }
  return fetch(request);
}

registerRoute(
  ({ request, url }) =>
    request.mode !== "navigate" &&
    sameOrigin(url) &&
    !NEVER.test(url.pathname) &&
    !ACCOUNTS.test(url.pathname) &&
    !url.pathname.startsWith("/static/") &&
    url.pathname !== "/sw.js" &&
    !fromAdmin(request),
  savedFirst,
);

/* Sending the outbox */

async function notifyClients(message) {
  const clients = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of clients) client.postMessage(message);
}

self.addEventListener("sync", (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(
    flushOutbox(CONFIG, notifyClients).then((summary) => {
      // Rejecting asks the browser to try again later (it backs off, then gives up).
      if (summary.kept) throw new Error(`${summary.kept} records kept for a later sync`);
    }),
  );
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "flush") {
    // The page waits for the summary on the port it sent, if any.
    const reply = (summary) => event.ports[0]?.postMessage(summary);
    event.waitUntil(
      flushOutbox(CONFIG, notifyClients).then(reply, () => reply({ sent: 0, refused: 0, kept: 0, failed: true })),
    );
  } else if (data.type === "clear-account" && data.account) {
    event.waitUntil(clearAccount(data.account));
  }
});
