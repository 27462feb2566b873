// The lesson page's bridge to the package player (ui/package-lesson.js) and the outbox's
// "package" records, in Node: a small fake DOM, fake-indexeddb, and fetch answered by URL.
import "fake-indexeddb/auto";
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

/* A DOM just big enough for the bridge: elements with attributes, dataset, children, text, and
 * attribute selectors ("[data-x]", "[data-x=\"v\"]"). */
class FakeNode {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.attributes = new Map();
    this.dataset = {};
    this.children = [];
    this.text = "";
  }
  setAttribute(name, value) {
    this.attributes.set(name, String(value));
    if (name.startsWith("data-")) this.dataset[name.slice(5).replace(/-([a-z])/g, (_, c) => c.toUpperCase())] = String(value);
  }
  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }
  removeAttribute(name) {
    this.attributes.delete(name);
  }
  hasAttr(name) {
    if (this.attributes.has(name)) return true;
    if (!name.startsWith("data-")) return false;
    return this.dataset[name.slice(5).replace(/-([a-z])/g, (_, c) => c.toUpperCase())] !== undefined;
  }
  append(...nodes) {
    for (const node of nodes) this.children.push(typeof node === "string" ? Object.assign(new FakeNode("#text"), { text: node }) : node);
  }
  replaceChildren(...nodes) {
    this.children = [];
    this.append(...nodes);
  }
  get textContent() {
    return this.text + this.children.map((child) => child.textContent).join("");
  }
  set textContent(value) {
    this.children = [];
    this.text = String(value);
  }
  *walk() {
    for (const child of this.children) {
      yield child;
      yield* child.walk();
    }
  }
  matches(selector) {
    const match = /^\[([\w-]+)\]$/.exec(selector);
    return Boolean(match && this.hasAttr(match[1]));
  }
  querySelectorAll(selector) {
    return [...this.walk()].filter((node) => node.matches(selector));
  }
  querySelector(selector) {
    if (selector === "iframe") return [...this.walk()].find((node) => node.tagName === "IFRAME") || null;
    return this.querySelectorAll(selector)[0] || null;
  }
  closest(selector) {
    return this.matches(selector) ? this : this.parent?.closest(selector) || null;
  }
}

const body = new FakeNode("body");
const listeners = {};
globalThis.document = {
  cookie: "csrftoken=tok123",
  body,
  createElement: (tag) => new FakeNode(tag),
  createTextNode: (text) => Object.assign(new FakeNode("#text"), { text }),
  getElementById: (id) => [...body.walk()].find((node) => node.getAttribute("id") === id) || null,
  querySelectorAll: (selector) => body.querySelectorAll(selector),
  addEventListener: (type, fn) => ((listeners[type] ||= []).push(fn)),
  removeEventListener: (type, fn) => (listeners[type] = (listeners[type] || []).filter((f) => f !== fn)),
  dispatchEvent: (event) => (listeners[event.type] || []).forEach((fn) => fn(event)),
};
globalThis.Element = FakeNode;
globalThis.navigator = { onLine: true };

const { createBridge, readRuntimeConfig } = await import("../src/ui/package-lesson.js");
const { outboxList, outboxAdd, openLenteraDb, resultsList, setCurrentAccount } = await import("../src/db.js");
const { flushOutbox, runtimeOutboxItem } = await import("../src/outbox.js");
const { FLUSHED_EVENT } = await import("../src/sync.js");

const PKG = "http://localhost:8000";
const SITE = "http://127.0.0.1:8000";
const CONFIG = {
  lesson: 12,
  kind: "scorm2004",
  title: "Keselamatan kerja",
  packageOrigin: PKG,
  playerUrl: `${PKG}/paket/abc/putar/`,
  commitUrl: "/api/v1/package-lessons/12/commits",
  xapiUrl: "/api/v1/package-lessons/12/xapi",
  enrolled: true,
  mode: "normal",
  startItem: "a",
  cmi: { a: { location: "2" } },
  lessonCompleted: false,
  strings: {
    saved: "Kemajuan tersimpan.",
    queued: "Tersimpan di perangkat ini.",
    error: "Kemajuan tidak dapat disimpan.",
    lesson_completed: "Pelajaran selesai.",
    certificate: "Lihat sertifikat",
    statuses: { completed: "Selesai", incomplete: "Belum selesai", passed: "Lulus" },
  },
};

let routes;
let calls;
globalThis.fetch = async (url, options = {}) => {
  calls.push({ url: String(url), options, body: options.body ? JSON.parse(options.body) : null });
  const answer = routes[String(url)];
  if (!answer) throw new TypeError("Failed to fetch");
  return answer(options);
};
const json = (status, data) => () => new Response(JSON.stringify(data), { status });
const ok = (item, extra = {}) =>
  json(200, { item, completion_status: "completed", success_status: "passed", score: { raw: 9, min: 0, max: 10, scaled: 0.9 }, lesson_completed: false, course_completed: false, certificate_url: null, replayed: false, ...extra });

function page() {
  body.children = [];
  const wrapper = new FakeNode("div");
  wrapper.setAttribute("id", "package-player");
  const iframe = new FakeNode("iframe");
  const player = { sent: [], postMessage(message, origin) { this.sent.push({ message, origin }); } };
  iframe.contentWindow = player;
  wrapper.append(iframe);
  const outline = ["a", "b"].map((id) => {
    const button = new FakeNode("button");
    button.setAttribute("data-package-item", id);
    const label = new FakeNode("span");
    label.setAttribute("data-package-item-status", "");
    button.append(label);
    label.parent = button;
    return button;
  });
  body.append(wrapper, ...outline);
  return { wrapper, player, outline };
}

function fakeWin() {
  const handlers = {};
  return {
    location: { href: `${SITE}/kursus/k/modul/m/paket/`, pathname: "/kursus/k/modul/m/paket/" },
    addEventListener: (type, fn) => ((handlers[type] ||= []).push(fn)),
    removeEventListener() {},
    dispatch: (type, event) => (handlers[type] || []).forEach((fn) => fn(event)),
  };
}

const commit = (id, item = "a", cmi = { location: "3" }, terminate = false) => ({
  type: "lentera:commit",
  item,
  cmi,
  terminate,
  eventId: id,
  committedAt: `2026-12-04T10:00:0${id.slice(-1)}.000Z`,
});

async function wipe() {
  const db = await openLenteraDb();
  for (const name of db.objectStoreNames) await db.clear(name);
}

beforeEach(async () => {
  await wipe();
  await setCurrentAccount("a1");
  calls = [];
  routes = {};
  navigator.onLine = true;
});

function bridge(overrides = {}) {
  const { wrapper, player, outline } = page();
  const win = fakeWin();
  const queued = [];
  const b = createBridge({
    win,
    doc: document,
    wrapper,
    frame: wrapper.children[0],
    config: structuredClone(CONFIG),
    account: "a1",
    queue: async (record) => {
      queued.push(record);
      return outboxAdd(record);
    },
    ...overrides,
  });
  const fromPlayer = (data, origin = PKG, source = player) => win.dispatch("message", { origin, source, data });
  return { b, win, wrapper, player, outline, queued, fromPlayer };
}

test("the bridge answers the player's ready with init, and only from the package origin and the player's window", () => {
  const { wrapper, player, fromPlayer } = bridge();
  assert.equal(wrapper.dataset.packageState, "ready");
  // Sent once at start in case the player was ready first.
  assert.equal(player.sent.length, 1);
  assert.equal(player.sent[0].origin, PKG);
  fromPlayer({ type: "lentera:ready" }, "http://evil.example");
  fromPlayer({ type: "lentera:ready" }, PKG, {});
  assert.equal(player.sent.length, 1);
  fromPlayer({ type: "lentera:ready" });
  assert.equal(player.sent.length, 2);
  const { message } = player.sent[1];
  assert.equal(message.type, "lentera:init");
  assert.equal(message.item, "a");
  assert.equal(message.config.commitUrl, CONFIG.commitUrl);
  assert.deepEqual(message.config.cmi, { a: { location: "2" } });
  assert.equal(wrapper.dataset.packageState, "playing");
});

test("a commit is posted with CSRF and the contract's body; the answer updates the outline and goes back to the player", async () => {
  routes[CONFIG.commitUrl] = ok("a");
  const { b, wrapper, player, outline, fromPlayer } = bridge();
  fromPlayer({ type: "lentera:item", item: "a" });
  assert.equal(outline[0].getAttribute("aria-current"), "step");
  fromPlayer(commit("e1"));
  fromPlayer({ ...commit("e2"), cmi: "not an object" });
  await b.settled();
  assert.equal(calls.length, 1);
  assert.equal(calls[0].options.headers["X-CSRFToken"], "tok123");
  assert.deepEqual(calls[0].body, { item: "a", event_id: "e1", committed_at: "2026-12-04T10:00:01.000Z", cmi: { location: "3" }, terminate: false });
  assert.equal(wrapper.dataset.packageState, "saved");
  assert.equal(outline[0].dataset.completionStatus, "completed");
  assert.equal(outline[0].querySelector("[data-package-item-status]").textContent, "Lulus");
  const status = player.sent.at(-1).message;
  assert.deepEqual(status, { type: "lentera:status", item: "a", completionStatus: "completed", successStatus: "passed", score: { raw: 9, min: 0, max: 10, scaled: 0.9 }, lessonCompleted: false });
  // A re-init (the player reloaded) carries the newest cmi.
  fromPlayer({ type: "lentera:ready" });
  assert.deepEqual(player.sent.at(-1).message.config.cmi.a, { location: "3" });
});

test("the lesson completes: data-lesson-completed, the message and the certificate link", async () => {
  routes[CONFIG.xapiUrl] = ok("h5p", { lesson_completed: true, course_completed: true, certificate_url: "/sertifikat/ABC/" });
  const { b, wrapper, fromPlayer } = bridge();
  fromPlayer({ type: "lentera:xapi", statement: { verb: { id: "http://adlnet.gov/expapi/verbs/completed" } }, state: "{\"x\":1}", eventId: "x1", committedAt: "2026-12-04T10:00:00Z" });
  await b.settled();
  assert.deepEqual(calls[0].body, { event_id: "x1", committed_at: "2026-12-04T10:00:00Z", statement: { verb: { id: "http://adlnet.gov/expapi/verbs/completed" } }, state: "{\"x\":1}" });
  assert.equal(wrapper.dataset.lessonCompleted, "true");
  const status = wrapper.querySelector("[data-package-status]");
  assert.match(status.textContent, /^Pelajaran selesai\. Lihat sertifikat$/);
  assert.equal(status.children.at(-1).getAttribute("href"), "/sertifikat/ABC/");
});

test("a refusal shows the server's message in the page", async () => {
  routes[CONFIG.commitUrl] = json(400, { code: "invalid_cmi", detail: "cmi.location terlalu panjang." });
  const { b, wrapper, fromPlayer } = bridge();
  fromPlayer(commit("e1"));
  await b.settled();
  assert.equal(wrapper.dataset.packageState, "error");
  assert.equal(wrapper.querySelector("[data-package-error]").textContent, "cmi.location terlalu panjang.");
  assert.equal(wrapper.querySelector("[data-package-error]").getAttribute("role"), "alert");
});

test("not enrolled (browse): nothing is posted", async () => {
  const { b, fromPlayer } = bridge({ config: { ...structuredClone(CONFIG), enrolled: false, mode: "browse" } });
  fromPlayer(commit("e1"));
  await b.settled();
  assert.equal(calls.length, 0);
});

test("a network failure or 5xx queues the commit and every later one, in order, replayed with the same event_id", async () => {
  routes[CONFIG.commitUrl] = json(503, { detail: "down" });
  const { b, wrapper, queued, fromPlayer } = bridge();
  fromPlayer(commit("e1"));
  fromPlayer(commit("e2", "a", { location: "4" }));
  fromPlayer(commit("e3", "b", { location: "1" }, true));
  await b.settled();
  assert.equal(calls.length, 1, "after the first failure the rest go to the outbox without trying");
  assert.equal(wrapper.dataset.packageState, "queued");
  assert.deepEqual(queued.map((record) => record.event_id), ["e1", "e2", "e3"]);
  assert.deepEqual(queued[2], {
    kind: "package",
    event_id: "e3",
    account: "a1",
    lesson_id: 12,
    endpoint: CONFIG.commitUrl,
    // Queued: the server dates it by committed_at (the device's clock), not by its arrival.
    body: { item: "b", event_id: "e3", committed_at: "2026-12-04T10:00:03.000Z", cmi: { location: "1" }, terminate: true, queued: true },
    committed_at: "2026-12-04T10:00:03.000Z",
    title: "Keselamatan kerja",
    url: "/kursus/k/modul/m/paket/",
  });
  // Back online: the outbox sends them in order, as they were made.
  calls = [];
  routes[CONFIG.commitUrl] = ok("a");
  routes["/api/v1/me/csrf-token"] = json(200, { token: "tok" });
  const summary = await flushOutbox();
  assert.deepEqual(summary, { sent: 3, refused: 0, kept: 0 });
  assert.deepEqual(calls.filter((call) => call.url === CONFIG.commitUrl).map((call) => call.body.event_id), ["e1", "e2", "e3"]);
  assert.deepEqual(await outboxList("a1"), []);
  // Sent commits that did not complete the lesson leave no result for the banner.
  assert.deepEqual(await resultsList("a1"), []);
  // The flush tells the page: new commits go straight to the server again.
  document.dispatchEvent({ type: FLUSHED_EVENT, detail: summary });
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(wrapper.dataset.packageState, "saved");
  fromPlayer(commit("e4"));
  await b.settled();
  assert.equal(calls.at(-1).body.event_id, "e4");
});

test("a queued commit the server refuses when the outbox is sent shows the server's reason", async () => {
  navigator.onLine = false;
  const { b, wrapper, fromPlayer } = bridge();
  fromPlayer(commit("e1"));
  await b.settled();
  navigator.onLine = true;
  routes[CONFIG.commitUrl] = json(400, { code: "invalid_cmi", detail: "cmi.location terlalu panjang." });
  routes["/api/v1/me/csrf-token"] = json(200, { token: "tok" });
  const summary = await flushOutbox();
  assert.deepEqual(summary, { sent: 0, refused: 1, kept: 0 });
  document.dispatchEvent({ type: FLUSHED_EVENT, detail: summary });
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(wrapper.dataset.packageState, "error");
  assert.equal(wrapper.querySelector("[data-package-error]").textContent, "cmi.location terlalu panjang.");
});

test("offline: queued without trying; rate-limited: queued too", async () => {
  navigator.onLine = false;
  const first = bridge();
  first.fromPlayer(commit("e1"));
  await first.b.settled();
  assert.equal(calls.length, 0);
  assert.equal(first.queued.length, 1);
  navigator.onLine = true;
  routes[CONFIG.commitUrl] = json(429, { code: "rate_limited", detail: "Terlalu sering." });
  const second = bridge();
  second.fromPlayer(commit("e2"));
  await second.b.settled();
  assert.equal(second.wrapper.dataset.packageState, "queued");
  assert.equal(second.queued[0].event_id, "e2");
});

test("leaving the page sends what is unanswered with keepalive and keeps it in the outbox", async () => {
  const sent = [];
  let release;
  const { b, win, queued, fromPlayer } = bridge({
    send: () => new Promise((resolve) => { release = resolve; }),
    keepalive: (url, body, csrf) => sent.push({ url, body, csrf }),
  });
  fromPlayer(commit("e1", "a", { location: "9" }, true));
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(b.pending(), ["e1"]);
  win.dispatch("pagehide", {});
  assert.deepEqual(sent, [{ url: CONFIG.commitUrl, body: { item: "a", event_id: "e1", committed_at: "2026-12-04T10:00:01.000Z", cmi: { location: "9" }, terminate: true }, csrf: "tok123" }]);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(queued[0].event_id, "e1");
  release({ state: "ok", status: 200, data: {} });
});

test("outline items launch in the player", () => {
  const { player, outline } = bridge();
  let prevented = false;
  const target = outline[1].children[0];
  target.parent = outline[1];
  for (const fn of listeners.click || []) fn({ target, preventDefault: () => (prevented = true) });
  assert.equal(prevented, true);
  assert.deepEqual(player.sent.at(-1), { message: { type: "lentera:launch", item: "b" }, origin: PKG });
});

test("outbox package records go only to the API's own addresses", async () => {
  await outboxAdd({ ...runtimeOutboxItem({ account: "a1", lessonId: 1, endpoint: "https://evil.example/x", body: { event_id: "bad", committed_at: "2026-01-01T00:00:00Z" } }) });
  routes["/api/v1/me/csrf-token"] = json(200, { token: "tok" });
  const summary = await flushOutbox();
  assert.deepEqual(summary, { sent: 0, refused: 1, kept: 0 });
  assert.equal(calls.filter((call) => call.url.includes("evil")).length, 0);
});

test("the runtime config is read from its json_script", () => {
  const script = new FakeNode("script");
  script.setAttribute("id", "package-runtime");
  script.textContent = JSON.stringify({ lesson: 3 });
  body.children = [script];
  assert.deepEqual(readRuntimeConfig(document), { lesson: 3 });
});
