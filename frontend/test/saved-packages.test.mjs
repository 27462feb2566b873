// Saving a course with package lessons (src/ui/saved.js with src/ui/offline-packages.js): the
// hidden frame of the package origin's save page is asked to store each package, answers are
// taken from that origin and frame only, a browser that refuses the frame's storage still saves
// the rest (marked), and removal deletes a package only when no other saved record uses it.
import "fake-indexeddb/auto";
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { openLenteraDb, outboxAdd } from "../src/db.js";
import { queuedRuntimeState } from "../src/ui/offline-packages.js";
import { removeSaved, syncSaved } from "../src/ui/saved.js";

const PACKAGE_ORIGIN = "http://paket.example";
const UUID = "0b6c3c38-5d2e-4bb0-9a59-2b3f4c5d6e7f";

const stores = new Map();
globalThis.caches = {
  async open(name) {
    if (!stores.has(name)) stores.set(name, new Map());
    const entries = stores.get(name);
    return {
      match: async (url) => entries.get(String(url)),
      put: async (url, response) => entries.set(String(url), response),
      delete: async (url) => entries.delete(String(url)),
      keys: async () => [...entries.keys()].map((url) => ({ url: `http://localhost${url}` })),
    };
  },
  has: async (name) => stores.has(name),
  delete: async (name) => stores.delete(name),
};
globalThis.location = { origin: "http://localhost" };
globalThis.navigator ??= { onLine: true };
globalThis.fetch = async (url) => new Response(`body of ${url}`, { status: 200 });

// The page's window and a fake save page behind the frame: `frameBehaviour` decides its answers.
const listeners = new Set();
globalThis.window = {
  addEventListener: (type, listener) => type === "message" && listeners.add(listener),
  removeEventListener: (type, listener) => listeners.delete(listener),
};
let asked;
let frameBehaviour;
let frames;
function deliver(source, data, origin = PACKAGE_ORIGIN) {
  setTimeout(() => {
    for (const listener of [...listeners]) listener({ origin, source, data });
  }, 0);
}
globalThis.document = {
  documentElement: { lang: "id" },
  body: {
    append(frame) {
      frames.push(frame);
      frameBehaviour.load(frame);
    },
  },
  createElement() {
    const frame = {
      hidden: false,
      setAttribute() {},
      remove() {
        frame.removed = true;
      },
      contentWindow: {
        postMessage(message, targetOrigin) {
          asked.push({ message, targetOrigin });
          frameBehaviour.answer(frame, message);
        },
      },
    };
    return frame;
  },
};

const working = {
  load(frame) {
    // A message from another origin, and one from another window, are ignored.
    deliver(frame.contentWindow, { type: "lentera:cache-ready" }, "http://evil.example");
    deliver({}, { type: "lentera:cache-ready" });
    deliver(frame.contentWindow, { type: "lentera:cache-ready" });
  },
  answer(frame, message) {
    if (message.type === "lentera:cache") {
      deliver(frame.contentWindow, { type: "lentera:cache-progress", id: message.id, uuid: message.uuid, done: 1, total: 2, bytes: 10 });
      deliver(frame.contentWindow, { type: "lentera:cache-done", id: message.id, uuid: message.uuid, bytes: 4000 });
    } else {
      deliver(frame.contentWindow, { type: "lentera:cache-done", id: message.id, uuid: message.uuid, bytes: 0, removed: true });
    }
  },
};
const refusing = {
  load(frame) {
    deliver(frame.contentWindow, { type: "lentera:cache-error", id: null, uuid: null, detail: "The user denied permission to use Service Worker." });
  },
  answer() {},
};

const ACCOUNT = "a1";
const page = (url, hash, lesson_id = null) => ({ url, hash, bytes: 1000, kind: "page", lesson_id, title: url });
const PACKAGE = {
  uuid: UUID,
  title: "Kata Sandi",
  kind: "scorm12",
  origin: PACKAGE_ORIGIN,
  lesson_ids: [33],
  version: "abc",
  files: [
    { url: `${PACKAGE_ORIGIN}/paket/${UUID}/putar/`, bytes: 3000 },
    { url: `${PACKAGE_ORIGIN}/paket/${UUID}/f/sco/index.html`, bytes: 1000 },
  ],
  bytes: 4000,
};
function manifest(page_id, entries, packages) {
  return { page_id, kind: "course", course_id: page_id, title: "Kursus", url: `/${page_id}/`, version: "v1", videos: "exclude", total_bytes: 6000, video_bytes: 0, entries, quizzes: [], packages };
}
const course = () => manifest(10, [page("/c/", "c1"), page("/c/m/l1/", "l1", 33)], [PACKAGE]);

beforeEach(async () => {
  stores.clear();
  listeners.clear();
  asked = [];
  frames = [];
  frameBehaviour = working;
  const db = await openLenteraDb();
  for (const name of db.objectStoreNames) await db.clear(name);
});

test("saving asks the package origin's save page to store each package, and counts its files", async () => {
  const progress = [];
  const record = await syncSaved(ACCOUNT, course(), { onProgress: (done, total) => progress.push([done, total]) });
  assert.deepEqual(
    asked.map(({ message, targetOrigin }) => [message.type, message.uuid, message.kind, message.files.length, targetOrigin]),
    [["lentera:cache", UUID, "scorm12", 2, PACKAGE_ORIGIN]],
  );
  assert.equal(frames.length, 1);
  assert.ok(frames[0].hidden && frames[0].removed, "the hidden frame goes once done");
  assert.equal(frames[0].src, `${PACKAGE_ORIGIN}/paket/simpan/`);
  assert.deepEqual(progress.at(-1), [2, 2]);
  assert.equal(record.packagesMissing, false);
  assert.deepEqual(record.packages, [{ uuid: UUID, origin: PACKAGE_ORIGIN, bytes: 4000, lesson_ids: [33] }]);
  assert.equal(record.bytes, 6000);
});

test("a browser that refuses the frame's storage saves the rest, marked", async () => {
  frameBehaviour = refusing;
  const record = await syncSaved(ACCOUNT, course());
  assert.equal(record.packagesMissing, true);
  assert.deepEqual([...stores.get(`lentera-saved-${ACCOUNT}`).keys()].sort(), ["/c/", "/c/m/l1/"]);
  assert.ok(frames[0].removed);
});

test("removal deletes a package from the package origin only when no other saved copy uses it", async () => {
  await syncSaved(ACCOUNT, course());
  await syncSaved(ACCOUNT, manifest(12, [page("/c/m/l1/", "l1", 33)], [PACKAGE]));
  asked = [];
  await removeSaved(ACCOUNT, 10);
  assert.deepEqual(asked, [], "the module still uses the package");
  await removeSaved(ACCOUNT, 12);
  assert.deepEqual(
    asked.map(({ message }) => [message.type, message.uuid]),
    [["lentera:cache-remove", UUID]],
  );
});

test("a package lesson starts from its commits still in the outbox, the newest of each item", async () => {
  const commit = (lesson_id, item, at, location) => ({
    kind: "package",
    account: ACCOUNT,
    event_id: crypto.randomUUID(),
    lesson_id,
    endpoint: `/api/v1/package-lessons/${lesson_id}/commits`,
    committed_at: at,
    body: { item, event_id: "x", committed_at: at, cmi: { core: { lesson_location: location } }, terminate: false },
  });
  await outboxAdd(commit(33, "SCO-1", "2026-12-04T10:00:02Z", "3"));
  await outboxAdd(commit(33, "SCO-1", "2026-12-04T10:00:01Z", "2"));
  await outboxAdd(commit(33, "SCO-2", "2026-12-04T10:00:03Z", "1"));
  await outboxAdd(commit(34, "SCO-1", "2026-12-04T10:00:09Z", "9"));
  await outboxAdd({ ...commit(33, "h5p", "2026-12-04T10:00:04Z", "0"), body: { event_id: "y", committed_at: "2026-12-04T10:00:04Z", statement: {}, state: "{\"answers\":[1]}" } });
  await outboxAdd({ kind: "completion", account: ACCOUNT, event_id: crypto.randomUUID(), lesson_id: 33, completed_at: "2026-12-04T10:00:05Z" });

  const state = await queuedRuntimeState(ACCOUNT, 33);
  assert.deepEqual(state.cmi, { "SCO-1": { core: { lesson_location: "3" } }, "SCO-2": { core: { lesson_location: "1" } } });
  assert.equal(state.item, "SCO-2");
  assert.equal(state.h5pState, '{"answers":[1]}');
  assert.deepEqual(await queuedRuntimeState("other", 33), { cmi: {}, item: null, h5pState: null });
});
