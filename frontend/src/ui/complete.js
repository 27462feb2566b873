// "Mark as done" without a connection: the completion is queued on the device with its
// event_id and the moment it happened, shown as waiting, and sent later (the server's
// completion API is idempotent on event_id). Online without a service worker, the form posts
// as usual: the server answers and shows its own message. Under a service worker the
// connection may only look online: the completion goes through the API, and a network error,
// a timeout or a 5xx queues it instead of leaving the learner on an error page.
import { outboxAdd, outboxList, resultAdd, savedCacheName } from "../db.js";
import { controlled, csrfToken, h, online, post } from "./dom.js";
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

function nextOf(form) {
  return form.querySelector('input[name="next"]')?.value || "";
}

/** Queue the completion on the device, show it waiting, and go on to the next lesson when it
 * is saved. */
async function queueCompletion(form, item, queue) {
  await queue(item);
  showQueued(form);
  for (const link of document.querySelectorAll(`a[data-lesson-id="${item.lesson_id}"]`)) {
    if (!link.nextElementSibling?.matches("[data-offline-waiting]")) link.after(" ", waitingBadge());
  }
  const next = nextOf(form);
  if (next && (await isSaved(item.account, next))) location.assign(next);
}

/**
 * Send the completion through the API (online under a service worker). Recorded: the result is
 * kept for the next page's banner (progress, certificate) and the learner goes where the form
 * post would have gone (the next lesson, else this page again with its server-rendered state).
 * Refused: the form posts as without JavaScript, so the server says why. Unreachable: queued.
 */
export async function sendCompletion(form, item, { queue = outboxAdd } = {}) {
  const answer = await post(
    form.dataset.completionUrl,
    { event_id: item.event_id, completed_at: item.completed_at },
    { token: csrfToken(form) },
  );
  if (answer.state === "ok") {
    const data = answer.data || {};
    await resultAdd({
      event_id: item.event_id,
      account: item.account,
      kind: "completion",
      ok: true,
      status: answer.status,
      title: item.title,
      url: item.url,
      lesson_id: item.lesson_id,
      progress: data.course_progress_percent,
      course_completed: data.course_completed,
      certificate_code: data.certificate_code || null,
    }).catch(() => null);
    const next = nextOf(form);
    if (next && !data.course_completed) location.assign(next);
    else location.reload();
    return "ok";
  }
  if (answer.state === "refused") {
    form.submit();
    return "refused";
  }
  await queueCompletion(form, item, queue);
  return "queued";
}

export function initCompletionForms(account, { queue = outboxAdd } = {}) {
  if (!account) return;
  for (const form of document.querySelectorAll("form[data-offline-complete]")) {
    form.addEventListener("submit", async (event) => {
      // Online without a service worker: the normal post (the server is the source of truth).
      if (online() && !controlled()) return;
      event.preventDefault();
      const button = form.querySelector("button[type=submit], button:not([type])");
      if (button?.disabled) return;
      if (button) button.disabled = true;
      const item = {
        kind: "completion",
        event_id: crypto.randomUUID(),
        account,
        lesson_id: Number(form.dataset.lessonId),
        completed_at: new Date().toISOString(),
        title: pageTitle(),
        url: location.pathname,
      };
      try {
        if (online() && form.dataset.completionUrl) await sendCompletion(form, item, { queue });
        else await queueCompletion(form, item, queue);
      } finally {
        if (button) button.disabled = false;
      }
    });
  }
}
