// The package origin's offline store (src/package-cache.js): which requests its service worker
// answers, what the save page stores, and that it takes nothing outside the package it names.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import {
  cachedPackageResponse,
  LIST_PATH,
  packageCacheName,
  packageFiles,
  packageRoute,
  pruneStatic,
  removePackage,
  savePackage,
  STATIC_CACHE,
} from "../src/package-cache.js";

const ORIGIN = "http://127.0.0.1:8000";
const UUID = "0b6c3c38-5d2e-4bb0-9a59-2b3f4c5d6e7f";
const OTHER = "9f3a1b2c-1111-4222-8333-444455556666";

// Cache Storage as much as package-cache.js uses it, keyed by absolute URL.
const stores = new Map();
const cacheStorage = {
  async open(name) {
    if (!stores.has(name)) stores.set(name, new Map());
    const entries = stores.get(name);
    return {
      async match(request, options = {}) {
        const url = new URL(typeof request === "string" ? request : request.url);
        if (options.ignoreSearch) url.search = "";
        for (const [key, value] of entries) {
          const stored = new URL(key);
          if (options.ignoreSearch) stored.search = "";
          if (stored.href === url.href) return value;
        }
        return undefined;
      },
      async put(request, response) {
        entries.set(typeof request === "string" ? request : request.url, response);
      },
      async keys() {
        return [...entries.keys()].map((url) => ({ url }));
      },
      async delete(request) {
        return entries.delete(typeof request === "string" ? request : request.url);
      },
    };
  },
  async has(name) {
    return stores.has(name);
  },
  async delete(name) {
    return stores.delete(name);
  },
};

let fetched = [];
async function fetcher(url, options) {
  fetched.push({ url, options });
  if (url.endsWith("/missing.js")) return new Response("", { status: 404 });
  return new Response(`body of ${url}`, { status: 200 });
}

beforeEach(() => {
  stores.clear();
  fetched = [];
});

test("the worker routes a package's player page and files, and the origin's static files only", () => {
  const route = (address) => packageRoute(new URL(address), ORIGIN);
  assert.deepEqual(route(`${ORIGIN}/paket/${UUID}/putar/`), { kind: "player", uuid: UUID });
  assert.deepEqual(route(`${ORIGIN}/paket/${UUID}/putar/?item=sco2`), { kind: "player", uuid: UUID });
  assert.deepEqual(route(`${ORIGIN}/paket/${UUID.toUpperCase()}/f/sco1/index.html`), { kind: "file", uuid: UUID });
  assert.deepEqual(route(`${ORIGIN}/static/js/package-player.js`), { kind: "static", hashed: false });
  assert.deepEqual(route(`${ORIGIN}/static/js/package-player.0123456789ab.js`), { kind: "static", hashed: true });
  // Not the worker's: the save page, the worker itself, another origin, a malformed uuid.
  assert.equal(route(`${ORIGIN}/paket/simpan/`), null);
  assert.equal(route(`${ORIGIN}/paket/sw.js`), null);
  assert.equal(route(`http://localhost:8000/paket/${UUID}/f/index.html`), null);
  assert.equal(route(`${ORIGIN}/paket/not-a-uuid/f/index.html`), null);
  assert.equal(route(`${ORIGIN}/paket/${UUID}/f/`), null);
});

test("a save request keeps only the named package's URLs on this origin", () => {
  const files = packageFiles(
    [
      { url: `${ORIGIN}/paket/${UUID}/putar/`, bytes: 3000 },
      { url: `/paket/${UUID}/f/index.html`, bytes: 120 },
      { url: `${ORIGIN}/paket/${OTHER}/f/index.html`, bytes: 5 },
      { url: "http://evil.example/paket/x", bytes: 5 },
      { url: `${ORIGIN}/static/js/lentera.js`, bytes: 5 },
      { url: `${ORIGIN}/accounts/logout/`, bytes: 5 },
    ],
    UUID,
    ORIGIN,
  );
  assert.deepEqual(files, [
    { url: `${ORIGIN}/paket/${UUID}/putar/`, bytes: 3000 },
    { url: `${ORIGIN}/paket/${UUID}/f/index.html`, bytes: 120 },
  ]);
});

test("saving stores the files and the player's static files once, and reports progress", async () => {
  const progress = [];
  const files = [
    { url: `${ORIGIN}/paket/${UUID}/putar/`, bytes: 3000 },
    { url: `${ORIGIN}/paket/${UUID}/f/index.html`, bytes: 120 },
    { url: `${ORIGIN}/paket/${UUID}/f/media/a b.png`, bytes: 880 },
  ];
  const statics = ["/static/js/package-player.js", "http://evil.example/x.js"];
  const result = await savePackage(
    { uuid: UUID, files, statics },
    { origin: ORIGIN, fetcher, cacheStorage, onProgress: (item) => progress.push(item) },
  );
  assert.deepEqual(result, { bytes: 4000, fetched: 3 });
  assert.equal(fetched.length, 4);
  assert.ok(fetched.every(({ options }) => options.credentials === "omit"));
  assert.deepEqual(progress.at(0), { done: 0, total: 4, bytes: 0 });
  assert.deepEqual(progress.at(-1), { done: 4, total: 4, bytes: 4000 });
  const cache = stores.get(packageCacheName(UUID));
  assert.ok(cache.has(`${ORIGIN}/paket/${UUID}/${LIST_PATH}`));
  assert.ok(stores.get(STATIC_CACHE).has(`${ORIGIN}/static/js/package-player.js`));

  // The worker answers the player page whatever its query, and a file by its exact URL.
  const player = await cachedPackageResponse(
    { url: `${ORIGIN}/paket/${UUID}/putar/?item=sco1` },
    { kind: "player", uuid: UUID },
    { cacheStorage },
  );
  assert.equal(await player.text(), `body of ${ORIGIN}/paket/${UUID}/putar/`);
  const missing = await cachedPackageResponse(
    { url: `${ORIGIN}/paket/${OTHER}/f/index.html` },
    { kind: "file", uuid: OTHER },
    { cacheStorage },
  );
  assert.equal(missing, undefined);

  // Saving again fetches nothing: the uuid's files never change.
  fetched = [];
  assert.deepEqual(
    await savePackage({ uuid: UUID, files, statics }, { origin: ORIGIN, fetcher, cacheStorage }),
    { bytes: 4000, fetched: 0 },
  );
  assert.equal(fetched.length, 0);

  assert.equal(await removePackage(UUID, { cacheStorage }), true);
  assert.equal(stores.has(packageCacheName(UUID)), false);
  assert.ok(stores.has(STATIC_CACHE), "the player's static files stay for the other packages");
});

test("a failed download leaves the package unsaved, and a bad uuid is refused", async () => {
  await assert.rejects(
    savePackage(
      { uuid: UUID, files: [{ url: `${ORIGIN}/paket/${UUID}/f/missing.js`, bytes: 1 }] },
      { origin: ORIGIN, fetcher, cacheStorage },
    ),
    /404/,
  );
  assert.equal(stores.get(packageCacheName(UUID)).has(`${ORIGIN}/paket/${UUID}/${LIST_PATH}`), false);
  await assert.rejects(savePackage({ uuid: "../x", files: [] }, { origin: ORIGIN, fetcher, cacheStorage }));
  await assert.rejects(removePackage("*", { cacheStorage }));
});

test("a new release's player files replace the old ones, which still serve old player pages", async () => {
  const old = `${ORIGIN}/static/js/package-player.0123456789ab.js`;
  const current = `${ORIGIN}/static/js/package-player.ba9876543210.js`;
  const files = [{ url: `${ORIGIN}/paket/${UUID}/putar/`, bytes: 3000 }];
  await savePackage({ uuid: UUID, files, statics: [old] }, { origin: ORIGIN, fetcher, cacheStorage });
  await savePackage({ uuid: OTHER, files: [{ url: `${ORIGIN}/paket/${OTHER}/putar/`, bytes: 1 }], statics: [current] }, {
    origin: ORIGIN,
    fetcher,
    cacheStorage,
  });
  assert.equal(await pruneStatic([current, "/static/css/package-player.css"], { origin: ORIGIN, cacheStorage }), 1);
  assert.deepEqual([...stores.get(STATIC_CACHE).keys()], [current]);

  // The first package's saved player page still names the old file: it gets the current one.
  const route = packageRoute(new URL(old), ORIGIN);
  const response = await cachedPackageResponse({ url: old }, route, { cacheStorage });
  assert.equal(await response.text(), `body of ${current}`);
  // Unhashed names (DEBUG) and other files are not guessed.
  const other = `${ORIGIN}/static/js/other.0123456789ab.js`;
  assert.equal(await cachedPackageResponse({ url: other }, packageRoute(new URL(other), ORIGIN), { cacheStorage }), undefined);
});
