/*
 * lentera.js, the page script (loaded with `defer` on every page; the site works without it).
 *
 * - registers the service worker /sw.js (scope "/") after the page has loaded;
 * - keeps IndexedDB's meta "account" equal to the page's <meta name="lentera-account"> (absent:
 *   signed out), and clears every other account's saved pages, results and papers when a
 *   different account signs in (their unsent records stay until they sign in again);
 * - sends the outbox on load and on `online`, and asks for Background Sync when something is
 *   queued (`queue(item)`), so a completion made offline reaches the server;
 * - on sign-out (form[data-sign-out]) sends what it can, asks before dropping unsent records
 *   (of every account: the server's Clear-Site-Data empties the whole of IndexedDB), then
 *   clears this account's saved pages and records from the device;
 * - starts the UI modules (ui/index.js, H2's) with
 *   { queue, flush, account, swSupported, idbSupported } (queue/flush: see sync.js);
 * - on a package lesson (#package-player), the bridge to the package player (ui/package-lesson.js);
 * - on a plain lesson with xAPI on, tells the server once the lesson was read (experienced.js).
 */
import {
  clearAccount,
  clearOtherAccounts,
  currentAccount,
  outboxCountAll,
  setCurrentAccount,
  setMeta,
} from "./db.js";
import {
  announceFlushed,
  flush,
  idbSupported,
  queue,
  registration,
  swSupported,
} from "./sync.js";
import { initUi } from "./ui/index.js";
import { unsentQuestion } from "./sign-out.js";
import { loadStrings } from "./ui/strings.js";
import { initPackageLesson } from "./ui/package-lesson.js";
import { watchExperienced } from "./experienced.js";

// Sign-out waits this long at most for the outbox to be sent.
const SIGN_OUT_FLUSH_MS = 8000;

function pageAccount() {
  const meta = document.querySelector('meta[name="lentera-account"]');
  return meta && meta.content ? meta.content : null;
}

/* The account on this device */

async function syncAccount() {
  const account = pageAccount();
  const previous = await currentAccount();
  // The offline page the service worker keeps is rendered signed out (it must hold no personal
  // data), so it says nothing about who is signed in: leave the device's account alone there.
  if (!account && document.querySelector("[data-offline-saved-list]")) return previous;
  if (account && previous !== account) {
    // Another person signed in on this device: no other account's saved pages, results or
    // papers may be served to them (not only the previous account's: one that signed out
    // without this script left its records too). Unsent records stay for their account.
    await clearOtherAccounts(account);
  }
  if (account !== previous) await setCurrentAccount(account);
  await setMeta("lang", document.documentElement.lang || "id");
  return account;
}

/* Sign-out */

function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms))]);
}

async function tellWorker(message) {
  const reg = await registration();
  if (reg && reg.active) reg.active.postMessage(message);
}

async function confirmUnsent(account) {
  const counts = await outboxCountAll();
  if (!counts.total) return true;
  await loadStrings();
  return window.confirm(unsentQuestion(account, counts));
}

async function beforeSignOut() {
  const account = (await currentAccount()) || pageAccount();
  if (!account) return true;
  if (navigator.onLine) await withTimeout(flush().catch(() => null), SIGN_OUT_FLUSH_MS);
  if (!(await confirmUnsent(account))) return false;
  await clearAccount(account);
  await tellWorker({ type: "clear-account", account });
  return true;
}

function interceptSignOut() {
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("form[data-sign-out]")) return;
    if (form.dataset.signOutCleared) return;
    event.preventDefault();
    if (form.dataset.signOutBusy) return; // a second click while the first is being handled
    form.dataset.signOutBusy = "1";
    beforeSignOut()
      .catch(() => true) // clearing failed: sign out anyway (the server's Clear-Site-Data follows)
      .then((proceed) => {
        delete form.dataset.signOutBusy;
        if (!proceed) return;
        form.dataset.signOutCleared = "1";
        form.submit();
      });
  });
}

/* The service worker */

function registerWorker() {
  if (!swSupported) return;
  // After `load`, so that registering and precaching never compete with the page itself.
  const register = () =>
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => null);
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
  navigator.serviceWorker.addEventListener("message", (event) => {
    const data = event.data || {};
    if (data.type === "outbox-flushed") announceFlushed(data);
  });
}

async function start() {
  // First: the package player may already be waiting for its init message.
  initPackageLesson({ queue: idbSupported ? queue : null, account: pageAccount() });
  registerWorker();
  interceptSignOut();
  watchExperienced();
  let account = pageAccount();
  if (idbSupported) {
    try {
      account = await syncAccount();
    } catch {
      // Private mode or storage disabled: the site works as without offline support.
    }
  }
  window.addEventListener("online", () => flush());
  if (account && navigator.onLine) flush();
  initUi({ queue, flush, account, swSupported, idbSupported });
}

start();
