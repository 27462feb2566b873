// Saving a course or module for offline use: its manifest's entries go into the account's
// Cache Storage ("lentera-saved-<account>"), its record (version, entry hashes) and its untimed
// quizzes' papers into IndexedDB. The same sync brings a saved copy up to date: only entries
// whose hash changed, or that are new, are fetched; entries no saved record names any more are
// deleted. Entries are shared between records (a module and its course), so removing one
// deletes only what no other saved record of the account uses.
import {
  paperDelete,
  paperPut,
  savedCacheName,
  savedDelete,
  savedGet,
  savedListForAccount,
  savedPut,
} from "../db.js";
import { getJson, online } from "./dom.js";
import { cachePackages, removePackages } from "./offline-packages.js";
import { language } from "./strings.js";

const PARALLEL = 4;
// A saved copy is checked against the server at most this often (on a page load online).
export const CHECK_EVERY_MS = 60 * 60 * 1000;

/** The manifest's address for a choice of videos ("include" or "exclude"), in the page's
 * language (page URLs in it are in that language). */
export function manifestAddress(base, videos) {
  const url = new URL(base, location.origin);
  url.searchParams.set("videos", videos === "include" ? "include" : "exclude");
  url.searchParams.set("lang", language().slice(0, 2) === "en" ? "en" : "id");
  return url.pathname + url.search;
}

export async function fetchManifest(base, videos) {
  const { ok, status, data } = await getJson(manifestAddress(base, videos));
  if (!ok || !data) throw new Error(`manifest: ${status}`);
  return data;
}

/** Download sizes for both choices, from a manifest of either: `video_bytes` is what
 * "include" adds. */
export function sizes(manifest) {
  const total = Number(manifest.total_bytes) || 0;
  const videos = Number(manifest.video_bytes) || 0;
  return manifest.videos === "include"
    ? { include: total, exclude: Math.max(0, total - videos), videos }
    : { include: total + videos, exclude: total, videos };
}

// Fetch one entry for the cache. The service worker answers the page's requests for saved
// files from the saved copy: a file saved before (its hash changed) is asked for with a query
// the saved copy does not have, so the new version comes from the server. A response that
// followed a redirect cannot answer a navigation from the service worker: store a plain copy.
async function download(url, { refresh = "" } = {}) {
  const address = refresh ? `${url}${url.includes("?") ? "&" : "?"}lentera-refresh=${encodeURIComponent(refresh)}` : url;
  // Marked as a download, not a visit: the server does not take it for the learner opening
  // the lesson ("continue learning" stays where the learner was).
  let response = await fetch(address, {
    credentials: "same-origin",
    cache: "no-cache",
    headers: { "X-Lentera-Purpose": "offline-save" },
  });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  if (response.redirected) {
    response = new Response(await response.blob(), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }
  return response;
}

// A few downloads at a time. On a failure the others stop taking new work, and this settles
// only when none is still writing (so that the caller's clean-up sees everything written).
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

// url -> hash of every entry the account's other saved records keep.
function entriesOfOthers(records, pageId) {
  const kept = new Map();
  for (const record of records) {
    if (String(record.pageId) === String(pageId)) continue;
    for (const entry of record.entries || []) kept.set(entry.url, entry.hash);
  }
  return kept;
}

function quizzesOfOthers(records, pageId) {
  return new Set(
    records
      .filter((record) => String(record.pageId) !== String(pageId))
      .flatMap((record) => (record.quizzes || []).map((quiz) => String(quiz.quiz_id))),
  );
}

/** Store the papers of the untimed quizzes (timed ones need a connection: skipped). */
export async function storePapers(account, quizzes) {
  for (const quiz of quizzes || []) {
    if (quiz.timed) continue;
    try {
      const { ok, data } = await getJson(quiz.paper_url);
      if (ok && data) await paperPut(account, quiz.quiz_id, data);
    } catch {
      // Offline again: the paper stored before (if any) stays.
    }
  }
}

/**
 * Bring the account's saved copy of `manifest` up to date (a first save is an update from
 * nothing). `onProgress(done, total)` follows the downloads. Returns the stored record.
 */
export async function syncSaved(account, manifest, { manifestUrl, onProgress = () => {} } = {}) {
  const cache = await caches.open(savedCacheName(account));
  const records = await savedListForAccount(account);
  const previous = records.find((record) => String(record.pageId) === String(manifest.page_id));
  const others = entriesOfOthers(records, manifest.page_id);
  const had = new Map((previous?.entries || []).map((entry) => [entry.url, entry.hash]));

  const todo = [];
  const stale = new Set();
  for (const entry of manifest.entries) {
    const known = had.get(entry.url) ?? others.get(entry.url);
    const cached = await cache.match(entry.url);
    if (known === entry.hash && cached) continue;
    if (cached) stale.add(entry.url);
    todo.push(entry);
  }
  let done = 0;
  onProgress(done, todo.length);
  const fetched = [];
  try {
    await inBatches(todo, async (entry) => {
      const response = await download(entry.url, { refresh: stale.has(entry.url) ? entry.hash : "" });
      await cache.put(entry.url, response);
      fetched.push(entry.url);
      done += 1;
      onProgress(done, todo.length);
    });
  } catch (error) {
    // Keep the device tidy: what this run added and nothing else needs goes again.
    for (const url of fetched) if (!had.has(url) && !others.has(url)) await cache.delete(url);
    throw error;
  }

  // Package lessons' files, on the package origin (issue 18). A browser that refuses that
  // origin's storage in a frame (a third-party one blocked with third-party cookies) still saves
  // the rest: the record says so, its package lessons need a connection, and the next check
  // tries again.
  let packagesMissing = false;
  if (manifest.packages?.length) {
    try {
      await cachePackages(manifest.packages, { onProgress });
    } catch {
      packagesMissing = true;
    }
  }

  const now = new Date().toISOString();
  const wanted = new Set(manifest.entries.map((entry) => entry.url));
  for (const url of had.keys()) {
    if (!wanted.has(url) && !others.has(url)) await cache.delete(url);
  }
  await storePapers(account, manifest.quizzes);
  await dropPackages(records, manifest.page_id, previous?.packages, manifest.packages);
  const otherQuizzes = quizzesOfOthers(records, manifest.page_id);
  const quizIds = new Set((manifest.quizzes || []).map((quiz) => String(quiz.quiz_id)));
  for (const quiz of previous?.quizzes || []) {
    const id = String(quiz.quiz_id);
    if (!quizIds.has(id) && !otherQuizzes.has(id)) await paperDelete(account, quiz.quiz_id);
  }
  return savedPut({
    account,
    pageId: manifest.page_id,
    courseId: manifest.course_id,
    kind: manifest.kind,
    title: manifest.title,
    url: manifest.url,
    manifestUrl: manifestUrl || previous?.manifestUrl || `/api/v1/pages/${manifest.page_id}/offline`,
    version: manifest.version,
    videos: manifest.videos,
    bytes: manifest.total_bytes,
    entries: manifest.entries.map(({ url, hash, bytes, kind, lesson_id, title }) => ({
      url,
      hash,
      bytes,
      kind,
      lesson_id: lesson_id ?? null,
      title: title || "",
    })),
    quizzes: manifest.quizzes || [],
    packages: (manifest.packages || []).map(({ uuid, origin, bytes, lesson_ids }) => ({ uuid, origin, bytes, lesson_ids })),
    packagesMissing,
    savedAt: previous?.savedAt && previous.version === manifest.version ? previous.savedAt : now,
    checkedAt: now,
  });
}

/** Remove a saved course or module: its record, its papers and every entry no other saved
 * record of the account uses. */
export async function removeSaved(account, pageId) {
  const records = await savedListForAccount(account);
  const record = records.find((item) => String(item.pageId) === String(pageId));
  if (!record) return;
  const others = entriesOfOthers(records, pageId);
  const cache = await caches.open(savedCacheName(account));
  for (const entry of record.entries || []) {
    if (!others.has(entry.url)) await cache.delete(entry.url);
  }
  const otherQuizzes = quizzesOfOthers(records, pageId);
  for (const quiz of record.quizzes || []) {
    if (!otherQuizzes.has(String(quiz.quiz_id))) await paperDelete(account, quiz.quiz_id);
  }
  await dropPackages(records, pageId, record.packages, []);
  await savedDelete(account, pageId);
}

// Delete from the package origin the packages a record had and no longer has (`kept`), unless
// another saved record uses them. A failure leaves them: they hold no personal data.
async function dropPackages(records, pageId, had, kept) {
  const used = new Set([
    ...(kept || []).map((item) => item.uuid),
    ...records
      .filter((record) => String(record.pageId) !== String(pageId))
      .flatMap((record) => (record.packages || []).map((item) => item.uuid)),
  ]);
  const gone = (had || []).filter((item) => !used.has(item.uuid));
  if (gone.length) await removePackages(gone).catch(() => {});
}

// A path with its query, the form saved entries are named by.
function pathOf(url) {
  const parsed = new URL(url, "http://device.invalid");
  return parsed.pathname + parsed.search;
}

/** How many of a saved record's entries its cache no longer holds: the browser may evict
 * Cache Storage under storage pressure, and sign-out or another account's sign-in deletes it,
 * while the record in IndexedDB stays. */
export async function missingEntries(account, record) {
  const entries = record.entries || [];
  const name = savedCacheName(account);
  if (!(await caches.has(name))) return entries.length;
  const cache = await caches.open(name);
  const held = new Set((await cache.keys()).map((request) => pathOf(request.url)));
  return entries.filter((entry) => !held.has(pathOf(entry.url))).length;
}

/**
 * On a page load online: check the account's saved copies not checked for an hour against
 * their manifests and fetch what changed, and any copy whose files are missing from the cache
 * at once (the version alone does not say the files are still there). Papers are fetched again
 * too (a paper's token names the next attempt). Returns the page ids that were updated.
 */
export async function updateSavedInBackground(account, { now = Date.now() } = {}) {
  const updated = [];
  if (!account || !online()) return updated;
  for (const record of await savedListForAccount(account)) {
    const incomplete = (await missingEntries(account, record)) > 0;
    const checked = Date.parse(record.checkedAt || record.savedAt || 0) || 0;
    if (!incomplete && now - checked < CHECK_EVERY_MS) continue;
    let result;
    try {
      result = await getJson(manifestAddress(record.manifestUrl, record.videos));
    } catch {
      return updated; // offline after all: try again on a later visit
    }
    if (!result.ok || !result.data) {
      // Unpublished or no longer open to this learner: keep the copy, look again later.
      if (result.status < 500) await savedPut({ ...record, checkedAt: new Date().toISOString() });
      continue;
    }
    if (result.data.version === record.version && !incomplete && !record.packagesMissing) {
      await storePapers(account, result.data.quizzes);
      await savedPut({ ...(await savedGet(account, record.pageId)), checkedAt: new Date().toISOString() });
      continue;
    }
    try {
      // A new version, or files gone from the cache: syncSaved fetches what the cache lacks.
      await syncSaved(account, result.data, { manifestUrl: record.manifestUrl });
      updated.push(record.pageId);
    } catch {
      // A download failed: the old copy stays whole enough to read; retried next visit.
    }
  }
  return updated;
}

/** What the device uses and may use for this site (navigator.storage.estimate), or null. */
export async function storageEstimate() {
  if (!navigator.storage?.estimate) return null;
  try {
    const { usage, quota } = await navigator.storage.estimate();
    return { usage: usage || 0, quota: quota || 0 };
  } catch {
    return null;
  }
}
