/*
 * The page's side of sending: `queue(item)` for the UI modules and `flush()`.
 *
 * queue(item)  store a completion or quiz submission in the outbox (contract: outbox record;
 *              event_id, account and createdAt are filled when absent) and arrange for it to be
 *              sent: Background Sync where the browser has it (Chromium: the service worker sends
 *              it when the connection returns, even with the page closed), else right away when
 *              online and on the next `online` event or visit. Resolves to the stored item.
 * flush()      send the current account's outbox: through the service worker when one controls
 *              the page, else from the page. Resolves to {sent, refused, kept}.
 *
 * Every flush this page makes or the service worker reports is announced as the DOM event
 * "lentera:outbox-flushed" on document (detail: {sent, refused, kept}).
 */
import { outboxAdd } from "./db.js";
import { flushOutbox, SYNC_TAG } from "./outbox.js";

export const FLUSHED_EVENT = "lentera:outbox-flushed";

export const swSupported = "serviceWorker" in navigator;
export const idbSupported = typeof indexedDB !== "undefined";

export function announceFlushed(summary) {
  document.dispatchEvent(new CustomEvent(FLUSHED_EVENT, { detail: summary }));
}

// How long a page waits for the service worker to answer a flush before sending by itself.
const WORKER_FLUSH_MS = 20000;

export function flush() {
  if (!idbSupported) return Promise.resolve({ sent: 0, refused: 0, kept: 0 });
  const worker = swSupported ? navigator.serviceWorker.controller : null;
  if (!worker) return flushOutbox(undefined, announceFlushed);
  // Under a service worker, it sends: one sender for Background Sync, this page and the other
  // tabs, so a record is not posted by two at once. It announces the outcome to every page.
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const fallback = setTimeout(() => resolve(flushOutbox(undefined, announceFlushed)), WORKER_FLUSH_MS);
    channel.port1.onmessage = (event) => {
      clearTimeout(fallback);
      resolve(event.data);
    };
    worker.postMessage({ type: "flush" }, [channel.port2]);
  });
}

// The service worker's registration for "/", or null (none yet, or unsupported).
export async function registration() {
  if (!swSupported) return null;
  try {
    return (await navigator.serviceWorker.getRegistration("/")) || null;
  } catch {
    return null;
  }
}

async function requestSync() {
  const reg = await registration();
  if (reg && reg.active && "sync" in reg) {
    try {
      await reg.sync.register(SYNC_TAG);
      return true;
    } catch {
      // Background Sync refused (permission, or an old engine): the page sends it instead.
    }
  }
  if (navigator.onLine) flush();
  return false;
}

export async function queue(item) {
  const stored = await outboxAdd({ ...item, event_id: item.event_id || crypto.randomUUID() });
  await requestSync();
  return stored;
}
