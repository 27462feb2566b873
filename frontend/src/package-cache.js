/*
 * The package origin's offline store (issue 18), shared by its service worker (package-sw.js)
 * and its save page (package-save.js, {packageOrigin}/paket/simpan/). Nothing here touches
 * `window` or `document`.
 *
 * Each saved package has its own cache, "lentera-paket-<uuid>": its player page
 * (/paket/<uuid>/putar/) and its files (/paket/<uuid>/f/...). A package's uuid names immutable
 * content (a new upload is a new uuid), so a cached file never goes stale; the cache is whole
 * when every URL of its list (kept in the cache under LIST_PATH) is in it. The player's own
 * static files (the runtime script, h5p-standalone) go to one shared cache, "lentera-paket-static".
 *
 * Package content is the organisation's, never a learner's: these caches hold no personal data
 * (the learner's progress lives on the site origin and is sent through the site's outbox).
 */

export const PACKAGE_CACHE_PREFIX = "lentera-paket-";
export const STATIC_CACHE = "lentera-paket-static";
export const LIST_PATH = "lentera-simpan.json";
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const PACKAGE_PATH = new RegExp(`^/paket/(${UUID})/(putar/|f/.+)$`, "i");
const UUID_ONLY = new RegExp(`^${UUID}$`, "i");
const HASHED_STATIC = /\.[0-9a-f]{12}\.[a-z0-9]+$/;
const PARALLEL = 4;

export const packageCacheName = (uuid) => `${PACKAGE_CACHE_PREFIX}${String(uuid).toLowerCase()}`;

/**
 * What the package service worker does with a GET to `url` (a URL object) from `origin`
 * (its own): {kind: "player"|"file", uuid} for a package's player page or files, {kind:
 * "static", hashed} for the origin's static files, null for anything else (the network).
 */
export function packageRoute(url, origin) {
  if (url.origin !== origin) return null;
  const match = PACKAGE_PATH.exec(url.pathname);
  if (match) {
    return { kind: match[2] === "putar/" ? "player" : "file", uuid: match[1].toLowerCase() };
  }
  if (url.pathname.startsWith("/static/")) return { kind: "static", hashed: HASHED_STATIC.test(url.pathname) };
  return null;
}

/** Whether `uuid` is a package uuid (the save page takes nothing else from its parent). */
export const isUuid = (uuid) => typeof uuid === "string" && UUID_ONLY.test(uuid);

/**
 * The URLs of a save request that belong to package `uuid` on `origin`: absolute or
 * root-relative, under /paket/<uuid>/ only (the site cannot make the save page fetch anything
 * else). Returns [{url, bytes}] with absolute URLs.
 */
export function packageFiles(files, uuid, origin) {
  const wanted = [];
  for (const file of files || []) {
    let url;
    try {
      url = new URL(typeof file === "string" ? file : file.url, origin);
    } catch {
      continue;
    }
    const route = packageRoute(url, origin);
    if (!route || route.kind === "static" || route.uuid !== String(uuid).toLowerCase()) continue;
    wanted.push({ url: url.href, bytes: Number(file.bytes) || 0 });
  }
  return wanted;
}

/** Static files of the player, same origin only. */
export function staticFiles(urls, origin) {
  const wanted = [];
  for (const address of urls || []) {
    try {
      const url = new URL(address, origin);
      if (packageRoute(url, origin)?.kind === "static") wanted.push(url.href);
    } catch {
      // not a URL: skipped
    }
  }
  return wanted;
}

async function inBatches(items, work) {
  const queue = [...items];
  let failure = null;
  const workers = Array.from({ length: Math.min(PARALLEL, queue.length) }, async () => {
    while (queue.length && !failure) {
      try {
        await work(queue.shift());
      } catch (error) {
        failure = failure || error;
      }
    }
  });
  await Promise.all(workers);
  if (failure) throw failure;
}

async function download(url, fetcher) {
  // No cookies: the package origin sets none, and the files are the same for everyone.
  const response = await fetcher(url, { credentials: "omit", cache: "no-cache" });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response;
}

/**
 * Store package `uuid`'s files (and the player's static files) for offline use. Files the cache
 * already holds are not fetched again. `onProgress({done, total, bytes})` follows the downloads.
 * Resolves to {bytes, fetched}. On a failure, the files fetched by this run are kept (they are
 * valid) but the list is not written: the package counts as saved only once whole.
 */
export async function savePackage(
  { uuid, files, statics = [] },
  { origin, fetcher = fetch, cacheStorage = caches, onProgress = () => {} } = {},
) {
  if (!isUuid(uuid)) throw new Error("not a package");
  const wanted = packageFiles(files, uuid, origin);
  if (!wanted.length) throw new Error("no files");
  const cache = await cacheStorage.open(packageCacheName(uuid));
  const todo = [];
  for (const file of wanted) if (!(await cache.match(file.url))) todo.push(file);
  const staticCache = await cacheStorage.open(STATIC_CACHE);
  const staticTodo = [];
  for (const url of staticFiles(statics, origin)) if (!(await staticCache.match(url))) staticTodo.push(url);

  const total = todo.length + staticTodo.length;
  const progress = { done: 0, total, bytes: 0 };
  onProgress({ ...progress });
  const step = (bytes) => {
    progress.done += 1;
    progress.bytes += bytes;
    onProgress({ ...progress });
  };
  await inBatches(todo, async (file) => {
    const response = await download(file.url, fetcher);
    await cache.put(file.url, response);
    step(file.bytes);
  });
  await inBatches(staticTodo, async (url) => {
    const response = await download(url, fetcher);
    await staticCache.put(url, response);
    step(0);
  });
  const bytes = wanted.reduce((sum, file) => sum + file.bytes, 0);
  await cache.put(
    new URL(`/paket/${uuid}/${LIST_PATH}`, origin).href,
    new Response(JSON.stringify({ uuid, files: wanted.map((file) => file.url), bytes }), {
      headers: { "Content-Type": "application/json" },
    }),
  );
  return { bytes, fetched: todo.length };
}

// "/static/js/package-player.0123456789ab.js" -> "/static/js/package-player.js".
const unhashed = (path) => path.replace(/\.[0-9a-f]{12}(\.[a-z0-9]+)$/, "$1");

/**
 * Keep only the current release's player static files (`statics`, every kind's): each release
 * names them anew (hashed), and the old ones would pile up. Resolves to how many went.
 */
export async function pruneStatic(statics, { origin, cacheStorage = caches } = {}) {
  if (!(await cacheStorage.has(STATIC_CACHE))) return 0;
  const current = new Set(staticFiles(statics, origin));
  if (!current.size) return 0;
  const cache = await cacheStorage.open(STATIC_CACHE);
  let removed = 0;
  for (const key of await cache.keys()) {
    if (!current.has(key.url) && (await cache.delete(key))) removed += 1;
  }
  return removed;
}

/** Delete package `uuid`'s cache. Resolves to whether there was one. */
export async function removePackage(uuid, { cacheStorage = caches } = {}) {
  if (!isUuid(uuid)) throw new Error("not a package");
  return cacheStorage.delete(packageCacheName(uuid));
}

/**
 * The cached answer for a GET the service worker routes to a package (see packageRoute), or
 * undefined. The player page is matched without its query (the item to launch).
 */
export async function cachedPackageResponse(request, route, { cacheStorage = caches } = {}) {
  if (route.kind === "static") {
    if (!(await cacheStorage.has(STATIC_CACHE))) return undefined;
    const cache = await cacheStorage.open(STATIC_CACHE);
    const found = await cache.match(request, { ignoreVary: true });
    if (found || !route.hashed) return found;
    // A player page saved before a release names the static files of its time, which a later
    // save replaced (pruneStatic): the current version of the same file serves it.
    const wanted = unhashed(new URL(request.url).pathname);
    for (const key of await cache.keys()) {
      if (unhashed(new URL(key.url).pathname) === wanted) return cache.match(key, { ignoreVary: true });
    }
    return undefined;
  }
  const name = packageCacheName(route.uuid);
  if (!(await cacheStorage.has(name))) return undefined;
  const cache = await cacheStorage.open(name);
  return cache.match(request, { ignoreVary: true, ignoreSearch: route.kind === "player" });
}
