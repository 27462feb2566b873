// The page script reads the CSRF cookie by the name the page gives (production: "__Host-csrftoken"),
// so a cookie tossed by a same-site package under Django's default name is never sent as the token.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { cookieToken } from "../src/outbox.js";

function page(cookie, name) {
  globalThis.document = {
    cookie,
    querySelector: (selector) =>
      selector === 'meta[name="lentera-csrf-cookie"]' && name ? { content: name } : null,
  };
}

afterEach(() => {
  delete globalThis.document;
});

test("the token comes from the cookie the page names, not a look-alike", () => {
  page("csrftoken=evil; __Host-csrftoken=good%3D; x__Host-csrftoken=no", "__Host-csrftoken");
  assert.equal(cookieToken(), "good=");
});

test("without the meta, Django's default name is read", () => {
  page("sessionid=s; csrftoken=tok", null);
  assert.equal(cookieToken(), "tok");
});

test("no cookie of that name gives null (the API is asked instead)", () => {
  page("csrftoken=evil", "__Host-csrftoken");
  assert.equal(cookieToken(), null);
});

test("the service worker has no document and reads no cookie", () => {
  delete globalThis.document;
  assert.equal(cookieToken(), null);
});
