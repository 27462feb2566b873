/*
 * package-sw.js, the package origin's service worker (issue 18), served at
 * {packageOrigin}/paket/sw.js with scope /paket/ by packages.offline_views, as built
 * (static/js/package-sw.js, nothing added; its ETag is the file's hash).
 *
 * Every package plays from an origin of its own (p-<uuid hex>.<package parent>, README
 * "Packages"), so each package's origin has its own worker and caches: one package's
 * scripts cannot reach another's. Packages play from their own origin, which the site's service worker
 * cannot serve: this one, registered by the save page ({packageOrigin}/paket/simpan/, which the
 * site frames to save a course), answers the package player for saved packages offline:
 * - /paket/<uuid>/putar/ (the player page, any query) and /paket/<uuid>/f/... (the package's
 *   files): from the package's cache "lentera-paket-<uuid>" when it holds them (byte ranges
 *   for media), else the network. A package's files never change (its uuid names them), so a
 *   saved copy is never stale. Nothing is added here: saving is the save page's work.
 * - /static/ (the player's script, h5p-standalone): hashed names from the cache first; unhashed
 *   ones (DEBUG) from the network first. What the player loads online is kept, so that a player
 *   page saved earlier finds its scripts offline.
 * Everything else (and every non-GET) goes to the network untouched.
 *
 * This origin is only ever framed by the site, so its storage and this worker are partitioned
 * by the site as top-level site (Chromium's storage partitioning of third-party frames): the
 * save page's frame and the lesson's player frame share the same partition, cache and worker.
 */
import { clientsClaim } from "workbox-core";
import { createPartialResponse } from "workbox-range-requests";

import { cachedPackageResponse, packageRoute, STATIC_CACHE } from "./package-cache.js";

self.skipWaiting();
clientsClaim();

async function fromCacheFirst(request, route) {
  const cached = await cachedPackageResponse(request, route).catch(() => undefined);
  if (cached) {
    if (request.headers.has("range")) return createPartialResponse(request, cached);
    // A stored player page that followed a redirect may not answer a navigation.
    return cached.redirected ? new Response(cached.body, cached) : cached;
  }
  return fetch(request);
}

async function staticFile(request, route) {
  if (route.hashed) {
    const cached = await cachedPackageResponse(request, route).catch(() => undefined);
    if (cached) return cached;
  }
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") {
      const copy = response.clone();
      caches.open(STATIC_CACHE).then((cache) => cache.put(request, copy)).catch(() => {});
    }
    return response;
  } catch (error) {
    const cached = await cachedPackageResponse(request, route).catch(() => undefined);
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const route = packageRoute(new URL(request.url), self.location.origin);
  if (!route) return;
  event.respondWith(route.kind === "static" ? staticFile(request, route) : fromCacheFirst(request, route));
});
