// Several accounts on one device, and the interface's words (src/db.js, src/sign-out.js,
// src/ui/strings.js), in Node against fake-indexeddb and an in-memory Cache Storage.
import "fake-indexeddb/auto";
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import {
  clearOtherAccounts,
  openLenteraDb,
  outboxAdd,
  outboxCountAll,
  outboxList,
  paperGet,
  paperPut,
  resultAdd,
  resultsList,
  savedListForAccount,
  savedPut,
} from "../src/db.js";
import { unsentQuestion } from "../src/sign-out.js";
import { hasStrings, loadStrings, t, value } from "../src/ui/strings.js";

const cacheNames = new Set();
globalThis.caches = {
  async keys() {
    return [...cacheNames];
  },
  async delete(name) {
    return cacheNames.delete(name);
  },
};

const STRINGS_URL = "/luring/teks.json?v=0123456789ab";
let stringsFetches = 0;
globalThis.document = {
  querySelector: (selector) => (selector === 'meta[name="lentera-strings"]' ? { content: STRINGS_URL } : null),
};
globalThis.fetch = async (url) => {
  assert.equal(String(url), STRINGS_URL);
  stringsFetches += 1;
  return new Response(
    JSON.stringify({
      sign_out_unsent: "%(count)s belum terkirim. Tetap keluar?",
      sign_out_unsent_others: "%(count)s belum terkirim, %(others)s milik akun lain. Tetap keluar?",
      progress: "Kemajuan: %(percent)s (%%)",
      code_placeholder: "__code__",
    }),
    { status: 200 },
  );
};

async function wipe() {
  const db = await openLenteraDb();
  for (const name of db.objectStoreNames) await db.clear(name);
  cacheNames.clear();
}

const completion = (event_id, account) => ({
  event_id,
  account,
  kind: "completion",
  lesson_id: 1,
  completed_at: "2026-01-01T09:00:00Z",
});

async function fill(account) {
  await savedPut({ account, pageId: 10, title: "Kursus", entries: [], quizzes: [] });
  await resultAdd({ event_id: `r-${account}`, account, kind: "completion", ok: true });
  await paperPut(account, 40, { quiz_id: 40, token: "t", questions: [] });
  await outboxAdd(completion(`o-${account}`, account));
  cacheNames.add(`lentera-saved-${account}`);
}

beforeEach(wipe);

test("a new account on the device clears every other account's records but keeps their outboxes", async () => {
  for (const account of ["a1", "b2", "c3"]) await fill(account);
  cacheNames.add("lentera-static");

  await clearOtherAccounts("c3");

  for (const gone of ["a1", "b2"]) {
    assert.deepEqual(await savedListForAccount(gone), []);
    assert.deepEqual(await resultsList(gone), []);
    assert.equal(await paperGet(gone, 40), undefined);
    assert.equal((await outboxList(gone)).length, 1, `${gone}'s unsent record stays`);
  }
  assert.equal((await savedListForAccount("c3")).length, 1);
  assert.equal((await resultsList("c3")).length, 1);
  assert.ok(await paperGet("c3", 40));
  assert.deepEqual([...cacheNames].sort(), ["lentera-saved-c3", "lentera-static"]);
});

test("the sign-out counts every account's unsent records and says when others' are among them", async () => {
  await outboxAdd(completion("mine", "a1"));
  await outboxAdd(completion("theirs-1", "b2"));
  await outboxAdd(completion("theirs-2", "c3"));
  await loadStrings();

  const counts = await outboxCountAll();

  assert.deepEqual(counts, { total: 3, byAccount: { a1: 1, b2: 1, c3: 1 } });
  assert.equal(unsentQuestion("a1", counts), "3 belum terkirim, 2 milik akun lain. Tetap keluar?");
  assert.equal(unsentQuestion("b2", { total: 1, byAccount: { b2: 1 } }), "1 belum terkirim. Tetap keluar?");
  assert.equal(unsentQuestion("a1", { total: 0, byAccount: {} }), null);
});

test("the words are fetched once from the page's versioned address", async () => {
  assert.equal(await loadStrings(), true);
  await loadStrings();

  assert.equal(stringsFetches, 1);
  assert.ok(hasStrings());
  assert.equal(t("progress", { percent: "50 %" }), "Kemajuan: 50 % (%)");
  assert.equal(t("missing"), "");
  assert.equal(value("code_placeholder"), "__code__");
});
