// The lesson page's "experienced" post: once, after the lesson was visible long enough in all,
// never for time spent in a hidden tab, and not at all on pages without the attribute.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { watchExperienced } from "../src/experienced.js";

const URL = "/api/v1/lessons/12/experienced";

function fakeClock() {
  const clock = { time: 0, timers: new Map(), next: 1 };
  clock.now = () => clock.time;
  clock.setTimeout = (callback, ms) => {
    clock.timers.set(clock.next, { callback, at: clock.time + ms });
    return clock.next++;
  };
  clock.clearTimeout = (id) => clock.timers.delete(id);
  clock.advance = (ms) => {
    clock.time += ms;
    for (const [id, timer] of [...clock.timers]) {
      if (timer.at <= clock.time) {
        clock.timers.delete(id);
        timer.callback();
      }
    }
  };
  return clock;
}

function fakePage({ url = URL, visible = true } = {}) {
  const listeners = new Set();
  const page = {
    visibilityState: visible ? "visible" : "hidden",
    querySelector: (selector) => {
      if (selector === "[data-xapi-experienced]" && url) return { getAttribute: () => url };
      if (selector === 'input[name="csrfmiddlewaretoken"]') return { value: "form-token" };
      return null;
    },
    addEventListener: (name, listener) => listeners.add(listener),
    removeEventListener: (name, listener) => listeners.delete(listener),
    show(state) {
      page.visibilityState = state;
      for (const listener of [...listeners]) listener();
    },
    listeners,
    cookie: "",
  };
  globalThis.document = page;
  return page;
}

afterEach(() => {
  delete globalThis.document;
});

test("posts once after the lesson was visible long enough, with the CSRF token", () => {
  const page = fakePage();
  const clock = fakeClock();
  const sent = [];
  const send = (url, token) => sent.push([url, token]);
  assert.equal(watchExperienced({ doc: page, send, visibleMs: 10000, clock }), URL);
  clock.advance(9999);
  assert.deepEqual(sent, []);
  clock.advance(1);
  assert.deepEqual(sent, [[URL, "form-token"]]);
  page.show("hidden");
  page.show("visible");
  clock.advance(60000);
  assert.equal(sent.length, 1);
  assert.equal(page.listeners.size, 0);
});

test("time in a hidden tab does not count", () => {
  const page = fakePage({ visible: false });
  const clock = fakeClock();
  const sent = [];
  watchExperienced({ doc: page, send: (url) => sent.push(url), visibleMs: 10000, clock });
  clock.advance(60000);
  assert.deepEqual(sent, []);
  page.show("visible");
  clock.advance(6000);
  page.show("hidden");
  clock.advance(60000);
  assert.deepEqual(sent, []);
  page.show("visible");
  clock.advance(3999);
  assert.deepEqual(sent, []);
  clock.advance(1);
  assert.deepEqual(sent, [URL]);
});

test("a page without the attribute (xAPI off, not enrolled, a quiz) posts nothing", () => {
  const page = fakePage({ url: null });
  const clock = fakeClock();
  const sent = [];
  assert.equal(watchExperienced({ doc: page, send: (url) => sent.push(url), clock }), null);
  clock.advance(60000);
  assert.deepEqual(sent, []);
  assert.equal(page.listeners.size, 0);
});
