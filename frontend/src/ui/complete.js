// "Mark as done" without a connection: the completion is queued on the device with its
// event_id and the moment it happened, shown as waiting, and sent later (the server's
// completion API is idempotent on event_id). Online, the form posts as usual: the server
// answers and shows its own message.
import { outboxAdd, outboxList, savedCacheName } from "../db.js";
import { h, online } from "./dom.js";
import { t } from "./strings.js";

function waitingBadge() {
  return h("span", { className: "badge", "data-offline-waiting": true }, t("waiting"));
}

function pageTitle() {
  return (document.getElementById("page-title") || document.querySelector("main h1"))?.textContent.trim() || document.title;
}

/** Replace a mark-done form by the waiting status. */
function showQueued(form) {
  const status = h(
    "p",
    { className: "section status", role: "status", "data-offline-queued": true },
    waitingBadge(),
    " ",
    t("completion_queued"),
  );
  form.replaceWith(status);
  return status;
}

/** The outline's lessons (and this page's form) that wait on the device get their badge. */
export async function markWaiting(account) {
  const items = await outboxList(account);
  const waiting = new Set(
    items.filter((item) => item.kind === "completion").map((item) => String(item.lesson_id)),
  );
  for (const link of document.querySelectorAll("a[data-lesson-id]")) {
    if (!waiting.has(link.dataset.lessonId)) continue;
    const next = link.nextElementSibling;
    if (next?.matches("[data-offline-waiting]")) continue;
    link.after(" ", waitingBadge());
  }
  for (const form of document.querySelectorAll("form[data-offline-complete]")) {
    if (waiting.has(form.dataset.lessonId)) showQueued(form);
  }
  return waiting;
}

async function isSaved(account, url) {
  try {
    return Boolean(await caches.match(url, { cacheName: savedCacheName(account) }));
  } catch {
    return false;
  }
}

export function initCompletionForms(account, { queue = outboxAdd } = {}) {
  if (!account) return;
  for (const form of document.querySelectorAll("form[data-offline-complete]")) {
    form.addEventListener("submit", async (event) => {
      if (online()) return; // the normal post: the server is the source of truth
      event.preventDefault();
      const lessonId = Number(form.dataset.lessonId);
      const next = form.querySelector('input[name="next"]')?.value || "";
      await queue({
        kind: "completion",
        event_id: crypto.randomUUID(),
        account,
        lesson_id: lessonId,
        completed_at: new Date().toISOString(),
        title: pageTitle(),
        url: location.pathname,
      });
      showQueued(form);
      for (const link of document.querySelectorAll(`a[data-lesson-id="${lessonId}"]`)) {
        if (!link.nextElementSibling?.matches("[data-offline-waiting]")) link.after(" ", waitingBadge());
      }
      if (next && (await isSaved(account, next))) location.assign(next);
    });
  }
}
