/*
 * Lentera's storage on the device: the IndexedDB database "lentera" (version 1, through `idb`)
 * and the per-account Cache Storage of saved pages. Used by the page script (lentera.js, and
 * H2's ui/*.js) and by the service worker (sw.js), so nothing here touches `window` or `document`.
 *
 * Stores (docs: /tmp/lentera/offline-contract.md, "Device storage"):
 *   meta     key-value: "account" (current account key, absent when signed out), "lang"
 *   saved    keyPath "key" = `${account}:${pageId}`, index "account"
 *   outbox   keyPath "event_id", index "account"  (queued completions, quiz submissions and package
 *                                                  lessons' runtime commits)
 *   results  keyPath "event_id", index "account"  (what the server said about each sent item)
 *   papers   keyPath "key" = `${account}:${quizId}` (quiz papers without answer keys)
 *
 * Exports:
 *   openLenteraDb()                    the idb database (one shared promise per context)
 *   getMeta(key) / setMeta(key, value) / deleteMeta(key)
 *   currentAccount()                   meta "account" or null (signed out)
 *   setCurrentAccount(account|null)
 *   savedKey(account, pageId), savedCacheName(account)  ("lentera-saved-<account>")
 *   savedGet(account, pageId), savedPut(record), savedDelete(account, pageId),
 *   savedListForAccount(account)       records sorted by title
 *   outboxAdd(item)                    fills account (current) and createdAt when absent; returns the item
 *   outboxList(account)                completions and package commits by their time, then quizzes
 *   outboxCount(account), outboxRemove(eventId)
 *   outboxCountAll()                   {total, byAccount: {account: count}} of every account
 *   resultAdd(result)                  fills at and seen:false when absent
 *   resultsList(account, {unseenOnly}) newest first
 *   resultsMarkSeen(eventIds)
 *   paperKey(account, quizId), paperGet(account, quizId), paperPut(account, quizId, paper),
 *   paperDelete(account, quizId)
 *   clearAccount(account, {keepOutbox}) removes the account's records from every store (but the
 *                                      outbox with keepOutbox) and its saved cache; clears meta
 *                                      "account" when it is that account
 *   clearOtherAccounts(owner)          removes every other account's saved, results and papers
 *                                      records and saved caches (owner null: every account's);
 *                                      outboxes stay (they wait for their account to sign in)
 */
import { openDB } from "idb";

export const DB_NAME = "lentera";
export const DB_VERSION = 1;
export const SAVED_CACHE_PREFIX = "lentera-saved-";

let dbPromise = null;

export function openLenteraDb() {
  if (!dbPromise) {
    dbPromise = openDB(DB_NAME, DB_VERSION, {
      upgrade(db) {
        db.createObjectStore("meta");
        for (const [name, keyPath] of [
          ["saved", "key"],
          ["outbox", "event_id"],
          ["results", "event_id"],
        ]) {
          const store = db.createObjectStore(name, { keyPath });
          store.createIndex("account", "account");
        }
        db.createObjectStore("papers", { keyPath: "key" });
      },
      // Another tab (or the service worker) opening a newer version: let it upgrade.
      blocking() {
        dbPromise?.then((db) => db.close());
        dbPromise = null;
      },
      // The browser closed the connection (storage cleared by sign-out's Clear-Site-Data):
      // open a new one next time.
      terminated() {
        dbPromise = null;
      },
    });
  }
  return dbPromise;
}

/* meta */

export async function getMeta(key) {
  return (await openLenteraDb()).get("meta", key);
}

export async function setMeta(key, value) {
  return (await openLenteraDb()).put("meta", value, key);
}

export async function deleteMeta(key) {
  return (await openLenteraDb()).delete("meta", key);
}

export async function currentAccount() {
  return (await getMeta("account")) || null;
}

export async function setCurrentAccount(account) {
  return account ? setMeta("account", account) : deleteMeta("account");
}

/* saved courses and modules */

export const savedKey = (account, pageId) => `${account}:${pageId}`;
export const savedCacheName = (account) => `${SAVED_CACHE_PREFIX}${account}`;

export async function savedGet(account, pageId) {
  return (await openLenteraDb()).get("saved", savedKey(account, pageId));
}

export async function savedPut(record) {
  const full = { ...record, key: savedKey(record.account, record.pageId) };
  await (await openLenteraDb()).put("saved", full);
  return full;
}

export async function savedDelete(account, pageId) {
  return (await openLenteraDb()).delete("saved", savedKey(account, pageId));
}

export async function savedListForAccount(account) {
  const records = await (await openLenteraDb()).getAllFromIndex("saved", "account", account);
  return records.sort((a, b) => (a.title || "").localeCompare(b.title || ""));
}

/* outbox */

export async function outboxAdd(item) {
  const full = {
    ...item,
    account: item.account || (await currentAccount()),
    createdAt: item.createdAt || new Date().toISOString(),
  };
  if (!full.account) throw new Error("outboxAdd: no signed-in account on this device");
  await (await openLenteraDb()).put("outbox", full);
  return full;
}

// Completions and package lessons' runtime commits before quizzes (a quiz may need its lessons
// done first), each in the order the learner did them.
export async function outboxList(account) {
  const items = await (await openLenteraDb()).getAllFromIndex("outbox", "account", account);
  const rank = (item) => (item.kind === "quiz" ? 1 : 0);
  const when = (item) => item.completed_at || item.committed_at || item.answered_at || item.createdAt || "";
  return items.sort((a, b) => rank(a) - rank(b) || when(a).localeCompare(when(b)));
}

export async function outboxCount(account) {
  return (await openLenteraDb()).countFromIndex("outbox", "account", account);
}

// Every account's unsent records: sign-out's Clear-Site-Data empties the whole of IndexedDB, so
// the records other accounts left on this device go too.
export async function outboxCountAll() {
  const items = await (await openLenteraDb()).getAll("outbox");
  const byAccount = {};
  for (const item of items) byAccount[item.account] = (byAccount[item.account] || 0) + 1;
  return { total: items.length, byAccount };
}

export async function outboxRemove(eventId) {
  return (await openLenteraDb()).delete("outbox", eventId);
}

/* results */

export async function resultAdd(result) {
  const full = { seen: false, at: new Date().toISOString(), ...result };
  await (await openLenteraDb()).put("results", full);
  return full;
}

export async function resultsList(account, { unseenOnly = false } = {}) {
  const items = await (await openLenteraDb()).getAllFromIndex("results", "account", account);
  return items
    .filter((result) => !unseenOnly || !result.seen)
    .sort((a, b) => (b.at || "").localeCompare(a.at || ""));
}

export async function resultsMarkSeen(eventIds) {
  const db = await openLenteraDb();
  const tx = db.transaction("results", "readwrite");
  for (const eventId of eventIds) {
    const result = await tx.store.get(eventId);
    if (result && !result.seen) await tx.store.put({ ...result, seen: true });
  }
  await tx.done;
}

/* quiz papers */

export const paperKey = (account, quizId) => `${account}:${quizId}`;

export async function paperGet(account, quizId) {
  const record = await (await openLenteraDb()).get("papers", paperKey(account, quizId));
  return record ? record.paper : undefined;
}

export async function paperPut(account, quizId, paper) {
  const key = paperKey(account, quizId);
  return (await openLenteraDb()).put("papers", { key, account, quizId, paper, storedAt: Date.now() });
}

export async function paperDelete(account, quizId) {
  return (await openLenteraDb()).delete("papers", paperKey(account, quizId));
}

/* the whole account */

export async function clearAccount(account, { keepOutbox = false } = {}) {
  if (!account) return;
  const db = await openLenteraDb();
  const tx = db.transaction(["saved", "outbox", "results", "papers", "meta"], "readwrite");
  for (const name of keepOutbox ? ["saved", "results"] : ["saved", "outbox", "results"]) {
    const store = tx.objectStore(name);
    for (const key of await store.index("account").getAllKeys(account)) await store.delete(key);
  }
  // Papers are keyed "<account>:<quizId>": delete that key range.
  await tx.objectStore("papers").delete(IDBKeyRange.bound(`${account}:`, `${account}:\uffff`));
  const meta = tx.objectStore("meta");
  if ((await meta.get("account")) === account) await meta.delete("account");
  await tx.done;
  if (typeof caches !== "undefined") await caches.delete(savedCacheName(account));
}

/* Another account on the device */

export async function clearOtherAccounts(owner) {
  const db = await openLenteraDb();
  const tx = db.transaction(["saved", "results", "papers"], "readwrite");
  for (const name of ["saved", "results", "papers"]) {
    const store = tx.objectStore(name);
    // Papers have no account index on older records: read the account from the key too.
    for (const record of await store.getAll()) {
      const account = record.account ?? String(record.key || "").split(":")[0];
      if (account !== owner) await store.delete(store.keyPath === "event_id" ? record.event_id : record.key);
    }
  }
  await tx.done;
  if (typeof caches !== "undefined") {
    const keep = owner ? savedCacheName(owner) : null;
    const names = await caches.keys();
    await Promise.all(
      names.filter((name) => name.startsWith(SAVED_CACHE_PREFIX) && name !== keep).map((name) => caches.delete(name)),
    );
  }
}
