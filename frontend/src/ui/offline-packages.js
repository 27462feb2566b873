// The packages of a course saved for offline use (issue 18). Their files are served from the
// package origin, whose storage the site cannot write: a hidden frame of the package origin's
// save page ({origin}/paket/simpan/, package-save.js) stores them in that origin's caches, where
// its service worker serves them to the lesson's player frame. This module drives the frame
// (protocol: package-save.js); it checks each message's origin and source.
// It also gives a package lesson's page the state of its commits still in the outbox.
import { outboxList } from "../db.js";

const READY_MS = 20000;
const IDLE_MS = 60000;

function openFrame(origin) {
  if (typeof document === "undefined") return Promise.reject(new Error("package frame: no document"));
  return new Promise((resolve, reject) => {
    const frame = document.createElement("iframe");
    frame.hidden = true;
    frame.setAttribute("aria-hidden", "true");
    frame.setAttribute("tabindex", "-1");
    frame.title = "";
    frame.src = `${origin}/paket/simpan/`;
    const pending = new Map();
    let idle = null;
    const fail = (detail) => {
      for (const { reject: rejectOne } of pending.values()) rejectOne(new Error(detail));
      pending.clear();
    };
    const close = () => {
      window.removeEventListener("message", listen);
      fail("closed");
      frame.remove();
    };
    const timer = setTimeout(() => {
      close();
      reject(new Error("package frame: no answer"));
    }, READY_MS);
    let ready = false;
    function listen(event) {
      if (event.origin !== origin || event.source !== frame.contentWindow) return;
      const data = event.data || {};
      if (data.type === "lentera:cache-ready" && !ready) {
        ready = true;
        clearTimeout(timer);
        resolve(channel);
        return;
      }
      if (data.type === "lentera:cache-error" && data.id === null && !ready) {
        clearTimeout(timer);
        close();
        reject(new Error(`package frame: ${data.detail}`));
        return;
      }
      const waiting = pending.get(data.id);
      if (!waiting) return;
      // A long download keeps the frame: every message restarts the wait.
      clearTimeout(idle);
      idle = setTimeout(() => fail("package frame: no progress"), IDLE_MS);
      if (data.type === "lentera:cache-progress") waiting.onProgress(data);
      else if (data.type === "lentera:cache-done") {
        pending.delete(data.id);
        waiting.resolve(data);
      } else if (data.type === "lentera:cache-error") {
        pending.delete(data.id);
        waiting.reject(new Error(data.detail || "package frame: error"));
      }
    }
    const channel = {
      ask(message, onProgress = () => {}) {
        const id = crypto.randomUUID();
        return new Promise((resolveOne, rejectOne) => {
          pending.set(id, { resolve: resolveOne, reject: rejectOne, onProgress });
          frame.contentWindow.postMessage({ ...message, id }, origin);
        }).finally(() => {
          if (!pending.size) clearTimeout(idle);
        });
      },
      close,
    };
    window.addEventListener("message", listen);
    document.body.append(frame);
  });
}

function byOrigin(packages) {
  const groups = new Map();
  for (const item of packages || []) {
    if (!item?.origin || !item?.uuid) continue;
    if (!groups.has(item.origin)) groups.set(item.origin, []);
    groups.get(item.origin).push(item);
  }
  return groups;
}

/**
 * Store the files of a manifest's packages ([{uuid, origin, files: [{url, bytes}], bytes}]) on
 * the package origin. `onProgress(done, total)` counts files. Rejects when a package could not
 * be stored (the frame did not load, storage refused, a file failed).
 */
export async function cachePackages(packages, { onProgress = () => {} } = {}) {
  const total = (packages || []).reduce((sum, item) => sum + (item.files?.length || 0), 0);
  let before = 0;
  for (const [origin, items] of byOrigin(packages)) {
    const frame = await openFrame(origin);
    try {
      for (const item of items) {
        const count = item.files?.length || 0;
        await frame.ask({ type: "lentera:cache", uuid: item.uuid, kind: item.kind, files: item.files }, (progress) => {
          // The frame counts only what it fetches; files it already held count as done.
          onProgress(before + count - (progress.total - progress.done), total);
        });
        before += count;
        onProgress(before, total);
      }
    } finally {
      frame.close();
    }
  }
}

/** Delete these packages ([{uuid, origin}]) from the package origin's caches. */
export async function removePackages(packages) {
  for (const [origin, items] of byOrigin(packages)) {
    const frame = await openFrame(origin);
    try {
      for (const item of items) await frame.ask({ type: "lentera:cache-remove", uuid: item.uuid });
    } finally {
      frame.close();
    }
  }
}

/**
 * What a package lesson's runtime commits and H5P events still in the account's outbox say, for
 * the player to start from (the page, when saved for offline, had the state of that moment):
 * {cmi: {item: cmi}, item, h5pState}, the newest of each (by the device's time).
 */
export async function queuedRuntimeState(account, lessonId) {
  const records = (await outboxList(account))
    .filter((record) => record.kind === "package" && Number(record.lesson_id) === Number(lessonId) && record.body)
    .sort((a, b) => String(a.committed_at || "").localeCompare(String(b.committed_at || "")));
  const state = { cmi: {}, item: null, h5pState: null };
  for (const { body } of records) {
    if (typeof body.item === "string" && body.cmi && typeof body.cmi === "object") {
      state.cmi[body.item] = body.cmi;
      state.item = body.item;
    }
    if (typeof body.state === "string") state.h5pState = body.state;
  }
  return state;
}
