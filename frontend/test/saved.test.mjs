// Saving courses and modules for offline use (src/ui/saved.js), in Node against fake-indexeddb
// and an in-memory Cache Storage: what is fetched, what is shared, what removal deletes.
import "fake-indexeddb/auto";
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { openLenteraDb, paperGet, savedListForAccount } from "../src/db.js";
import { removeSaved, sizes, syncSaved, updateSavedInBackground } from "../src/ui/saved.js";

// Cache Storage as much as saved.js uses it, keyed by URL.
const stores = new Map();
globalThis.caches = {
  async open(name) {
    if (!stores.has(name)) stores.set(name, new Map());
    const entries = stores.get(name);
    return {
      async match(url) {
        return entries.get(String(url));
      },
      async put(url, response) {
        entries.set(String(url), response);
      },
      async delete(url) {
        return entries.delete(String(url));
      },
      async keys() {
        return [...entries.keys()].map((url) => ({ url: `http://localhost${url}` }));
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

// The page's address and language, for the manifest's address.
globalThis.location = { origin: "http://localhost" };
globalThis.document = { documentElement: { lang: "id" } };
globalThis.navigator ??= { onLine: true };

let fetched;
let served = {};
globalThis.fetch = async (url) => {
  fetched.push(String(url));
  if (served[String(url)]) return new Response(JSON.stringify(served[String(url)]), { status: 200 });
  if (String(url).startsWith("/api/v1/quizzes/")) {
    return new Response(JSON.stringify({ quiz_id: 40, token: "t", questions: [] }), { status: 200 });
  }
  return new Response(`body of ${url}`, { status: 200 });
};

const ACCOUNT = "a1";
const saved = () => stores.get(`lentera-saved-${ACCOUNT}`) || new Map();

const page = (url, hash, lesson_id = null) => ({ url, hash, bytes: 1000, kind: "page", lesson_id, title: url });
const QUIZ = { quiz_id: 40, title: "Kuis", timed: false, paper_url: "/api/v1/quizzes/40/paper" };
const TIMED = { quiz_id: 41, title: "Ujian", timed: true, paper_url: "/api/v1/quizzes/41/paper" };

function manifest(page_id, kind, entries, quizzes = [], version = "v1") {
  return { page_id, kind, course_id: 10, title: `${kind} ${page_id}`, url: `/${page_id}/`, version, videos: "exclude", total_bytes: 3000, video_bytes: 0, entries, quizzes };
}

const course = () =>
  manifest(10, "course", [page("/c/", "c1"), page("/c/m/", "m1"), page("/c/m/l1/", "l1", 33), page("/c/m/q/", "q1", 40)], [QUIZ, TIMED]);
const module = () => manifest(12, "module", [page("/c/m/", "m1"), page("/c/", "c1"), page("/c/m/l1/", "l1", 33), page("/c/m/q/", "q1", 40)], [QUIZ]);

beforeEach(async () => {
  stores.clear();
  fetched = [];
  served = {};
  const db = await openLenteraDb();
  for (const name of db.objectStoreNames) await db.clear(name);
});

test("saving stores every entry, the record with its hashes and the untimed quiz's paper only", async () => {
  const record = await syncSaved(ACCOUNT, course());
  assert.deepEqual([...saved().keys()].sort(), ["/c/", "/c/m/", "/c/m/l1/", "/c/m/q/"]);
  assert.equal(record.version, "v1");
  assert.deepEqual(record.entries.map((entry) => entry.hash), ["c1", "m1", "l1", "q1"]);
  assert.ok(await paperGet(ACCOUNT, 40));
  assert.equal(await paperGet(ACCOUNT, 41), undefined);
  assert.ok(!fetched.includes("/api/v1/quizzes/41/paper"), "a timed quiz's paper is never asked for");
});

test("a module saved after its course fetches nothing twice; removal keeps what the other uses", async () => {
  await syncSaved(ACCOUNT, course());
  fetched = [];
  await syncSaved(ACCOUNT, module());
  assert.deepEqual(fetched, ["/api/v1/quizzes/40/paper"], "the pages were already on the device");
  assert.equal((await savedListForAccount(ACCOUNT)).length, 2);

  await removeSaved(ACCOUNT, 10);
  assert.deepEqual([...saved().keys()].sort(), ["/c/", "/c/m/", "/c/m/l1/", "/c/m/q/"]);
  assert.ok(await paperGet(ACCOUNT, 40), "the module still has the quiz");

  await removeSaved(ACCOUNT, 12);
  assert.equal(saved().size, 0);
  assert.equal(await paperGet(ACCOUNT, 40), undefined);
  assert.deepEqual(await savedListForAccount(ACCOUNT), []);
});

test("an update fetches only the changed entries, past the saved copy, and drops what is gone", async () => {
  await syncSaved(ACCOUNT, course());
  fetched = [];
  const next = course();
  next.version = "v2";
  next.entries = [page("/c/", "c1"), page("/c/m/", "m1"), page("/c/m/l1/", "l1-b", 33), page("/c/m/l2/", "l2", 34)];
  next.quizzes = [];
  const record = await syncSaved(ACCOUNT, next);
  assert.deepEqual(fetched.sort(), ["/c/m/l1/?lentera-refresh=l1-b", "/c/m/l2/"]);
  assert.deepEqual([...saved().keys()].sort(), ["/c/", "/c/m/", "/c/m/l1/", "/c/m/l2/"]);
  assert.equal(await (await saved().get("/c/m/l1/")).text(), "body of /c/m/l1/?lentera-refresh=l1-b");
  assert.equal(record.version, "v2");
  assert.equal(await paperGet(ACCOUNT, 40), undefined, "the quiz left the course");
});

test("a failed download stores no record and leaves nothing new behind", async () => {
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url) => {
    if (String(url) === "/c/m/q/") throw new TypeError("Failed to fetch");
    return realFetch(url);
  };
  try {
    await assert.rejects(syncSaved(ACCOUNT, course()));
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.deepEqual(await savedListForAccount(ACCOUNT), []);
  assert.equal(saved().size, 0);
});

test("sizes: what each choice of videos downloads, from a manifest of either", () => {
  assert.deepEqual(sizes({ videos: "exclude", total_bytes: 3000, video_bytes: 7000 }), {
    include: 10000,
    exclude: 3000,
    videos: 7000,
  });
  assert.deepEqual(sizes({ videos: "include", total_bytes: 10000, video_bytes: 7000 }), {
    include: 10000,
    exclude: 3000,
    videos: 7000,
  });
});

test("a saved copy whose files the browser evicted is downloaded again though its version is the same", async () => {
  await syncSaved(ACCOUNT, course(), { manifestUrl: "/api/v1/pages/10/offline" });
  served["/api/v1/pages/10/offline?videos=exclude&lang=id"] = course();
  fetched = [];

  // Checked a moment ago, nothing missing: nothing is asked for.
  assert.deepEqual(await updateSavedInBackground(ACCOUNT), []);
  assert.deepEqual(fetched, []);

  // One file gone from the cache: the same version, fetched again at once.
  saved().delete("/c/m/l1/");
  assert.deepEqual(await updateSavedInBackground(ACCOUNT), [10]);
  assert.ok(fetched.includes("/c/m/l1/"));
  assert.ok(saved().has("/c/m/l1/"));

  // The whole cache gone (sign-out, another account): everything comes back.
  stores.clear();
  fetched = [];
  assert.deepEqual(await updateSavedInBackground(ACCOUNT), [10]);
  assert.deepEqual([...saved().keys()].sort(), ["/c/", "/c/m/", "/c/m/l1/", "/c/m/q/"]);
});
