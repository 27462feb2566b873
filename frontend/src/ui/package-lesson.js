/*
 * The lesson page's side of a package lesson (issue 18): the bridge between the package player
 * (an iframe on the package origin) and Lentera's API. Runs only where the page has the wrapper
 * #package-player and json_script "package-runtime" (the runtime config).
 *
 * - Messages are read only from the package origin AND the player iframe's window; messages go
 *   to that window with the package origin as targetOrigin (see player/player.js for the list).
 * - lentera:ready -> lentera:init {config, item}; init is also sent at start when the frame has
 *   already left about:blank (the player was ready before this script ran; it starts only once).
 * - lentera:commit / lentera:xapi -> POST commitUrl / xapiUrl (same JSON body, CSRF header), one
 *   at a time in the order they came. Answered: the outline's item status, the wrapper's
 *   data-package-state="saved", data-lesson-completed="true" and the completion message (with
 *   the certificate link) when the server says so, and lentera:status back to the player.
 *   Refused (4xx): the server's message is shown (data-package-state="error"). Offline, network
 *   error, timeout, 5xx, 429 or a stale session: queued in the outbox (kind "package", the same
 *   event_id; data-package-state="queued"), and everything after it too until a flush empties
 *   it, so the server gets them in order.
 * - pagehide: what is not answered yet is sent again with fetch keepalive and put in the outbox
 *   (the API is idempotent on event_id, so whichever arrives first counts once).
 * - Outline items ([data-package-item="<identifier>"]): a click launches the item in the player
 *   (lentera:launch); the item the player shows gets aria-current="step".
 * Every word shown comes from the config's "strings" (in the page's language) or the server's
 * answer.
 */
import { resultsList } from "../db.js";
import { runtimeOutboxItem } from "../outbox.js";
import { queuedRuntimeState } from "./offline-packages.js";
import { FLUSHED_EVENT } from "../sync.js";
import { csrfToken, h, online, post } from "./dom.js";

// 4xx answers that say nothing about the commit itself: wait and send it again later.
const TRANSIENT_STATUS = new Set([401, 408, 425, 429]);
const TRANSIENT_CODES = new Set(["not_authenticated", "csrf_failed", "rate_limited"]);

export function readRuntimeConfig(doc = document) {
  const element = doc.getElementById("package-runtime");
  if (!element) return null;
  try {
    const config = JSON.parse(element.textContent);
    return config && typeof config === "object" ? config : null;
  } catch {
    return null;
  }
}

/** A message shown in the wrapper's status region ([data-package-status], made when absent). */
function region(wrapper, selector, role) {
  let element = wrapper.querySelector(selector);
  if (!element) {
    element = h("div", { role, [selector.slice(1, -1)]: true });
    wrapper.append(element);
  }
  return element;
}

/**
 * The bridge. `queue(record)` stores an outbox record (sync.js's queue; null without IndexedDB),
 * `send(url, body, options)` posts (dom.js's post), `token()` gives the CSRF token.
 */
export function createBridge({
  win = window,
  doc = document,
  wrapper,
  frame,
  config,
  account = null,
  queue = null,
  // Resolves to the state of this lesson's commits still in the outbox (H6: offline-packages.js),
  // which the player starts from: a saved page's config predates what was done offline.
  restore = null,
  send = post,
  token = () => csrfToken(),
  keepalive = (url, body, csrf) =>
    fetch(url, {
      method: "POST",
      keepalive: true,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    }).catch(() => null),
}) {
  const packageOrigin = new URL(config.packageOrigin || config.playerUrl, win.location.href).origin;
  const strings = config.strings || {};
  const statuses = strings.statuses || {};
  const cmiCache = { ...(config.cmi || {}) };
  const pending = new Map(); // event_id -> {endpoint, body}
  let chain = Promise.resolve();
  let queuedMode = false;
  const queuedIds = new Set(); // event_ids this page put in the outbox
  let current = config.startItem || null;

  const setState = (state) => {
    wrapper.dataset.packageState = state;
  };
  const toPlayer = (message) => {
    try {
      frame.contentWindow?.postMessage(message, packageOrigin);
    } catch {
      // the frame is gone
    }
  };
  const sendInit = () =>
    toPlayer({ type: "lentera:init", config: { ...config, cmi: { ...cmiCache } }, item: current });
  const restored = restore
    ? Promise.resolve()
        .then(restore)
        .then((state) => {
          for (const [item, cmi] of Object.entries(state?.cmi || {})) cmiCache[item] = cmi;
          if (state?.item) current = state.item;
          if (typeof state?.h5pState === "string" && config.h5p) config.h5p = { ...config.h5p, state: state.h5pState };
        })
        .catch(() => {})
    : null;
  const init = () => (restored ? restored.then(sendInit) : sendInit());

  // Unchanged words are not written again: a screen reader would announce every commit.
  function say(text) {
    const element = region(wrapper, "[data-package-status]", "status");
    if (element.textContent !== (text || "")) element.textContent = text || "";
  }
  function showError(text) {
    if (!text && !wrapper.querySelector("[data-package-error]")) return;
    region(wrapper, "[data-package-error]", "alert").textContent = text || "";
  }

  function items(identifier = null) {
    const all = [...doc.querySelectorAll("[data-package-item]")];
    return identifier === null ? all : all.filter((element) => element.dataset.packageItem === String(identifier));
  }

  function markCurrent(identifier) {
    current = identifier ? String(identifier) : null;
    for (const element of items()) {
      if (element.dataset.packageItem === current) element.setAttribute("aria-current", "step");
      else element.removeAttribute("aria-current");
    }
  }

  function markItem(answer) {
    for (const element of items(answer.item)) {
      element.dataset.completionStatus = answer.completion_status || "";
      element.dataset.successStatus = answer.success_status || "";
      const label = element.querySelector("[data-package-item-status]");
      if (!label) continue;
      const success = ["passed", "failed"].includes(answer.success_status) ? answer.success_status : null;
      label.textContent = statuses[success || answer.completion_status] || "";
    }
  }

  function completed(answer) {
    wrapper.dataset.lessonCompleted = "true";
    const status = region(wrapper, "[data-package-status]", "status");
    status.replaceChildren(strings.lesson_completed || "");
    if (answer.certificate_url && strings.certificate) {
      status.append(" ", h("a", { href: answer.certificate_url }, strings.certificate));
    }
  }

  function answered(answer) {
    setState("saved");
    showError("");
    if (answer.item) markItem(answer);
    if (answer.lesson_completed) completed(answer);
    else say(strings.saved);
    toPlayer({
      type: "lentera:status",
      item: answer.item,
      completionStatus: answer.completion_status,
      successStatus: answer.success_status,
      score: answer.score ?? null,
      lessonCompleted: Boolean(answer.lesson_completed),
    });
  }

  async function toOutbox(endpoint, body) {
    if (!queue) {
      setState("error");
      showError(strings.error);
      return "error";
    }
    try {
      await queue(
        runtimeOutboxItem({
          account,
          lessonId: config.lesson,
          endpoint,
          body,
          title: config.title || "",
          url: win.location.pathname,
        }),
      );
    } catch {
      setState("error");
      showError(strings.error);
      return "error";
    }
    pending.delete(body.event_id);
    queuedIds.add(body.event_id);
    queuedMode = true;
    setState("queued");
    say(strings.queued);
    return "queued";
  }

  async function deliver(endpoint, body) {
    if (queuedMode || !online()) return toOutbox(endpoint, body);
    const answer = await send(endpoint, body, { token: token() });
    if (answer.state === "ok") {
      pending.delete(body.event_id);
      answered(answer.data || {});
      return "saved";
    }
    const code = answer.data?.code;
    if (answer.state === "unreachable" || TRANSIENT_STATUS.has(answer.status) || TRANSIENT_CODES.has(code)) {
      return toOutbox(endpoint, body);
    }
    pending.delete(body.event_id);
    setState("error");
    showError(answer.data?.detail || strings.error);
    return "error";
  }

  function submit(endpoint, body) {
    if (config.enrolled === false || !endpoint) return Promise.resolve("skipped");
    pending.set(body.event_id, { endpoint, body });
    const result = chain.then(() => deliver(endpoint, body));
    chain = result.catch(() => null);
    return result;
  }

  function onMessage(event) {
    if (event.origin !== packageOrigin || !frame.contentWindow || event.source !== frame.contentWindow) return;
    const message = event.data;
    if (!message || typeof message !== "object") return;
    const id = typeof message.eventId === "string" ? message.eventId : "";
    const at = typeof message.committedAt === "string" ? message.committedAt : "";
    switch (message.type) {
      case "lentera:ready":
        init();
        setState("playing");
        break;
      case "lentera:item":
        markCurrent(message.item);
        if (wrapper.dataset.packageState === "ready") setState("playing");
        break;
      case "lentera:commit":
        if (!id || !at || typeof message.item !== "string" || !message.cmi || typeof message.cmi !== "object") return;
        cmiCache[message.item] = message.cmi;
        submit(config.commitUrl, {
          item: message.item,
          event_id: id,
          committed_at: at,
          cmi: message.cmi,
          terminate: Boolean(message.terminate),
        });
        break;
      case "lentera:xapi":
        if (!id || !at || !message.statement || typeof message.statement !== "object") return;
        submit(config.xapiUrl, {
          event_id: id,
          committed_at: at,
          statement: message.statement,
          state: typeof message.state === "string" ? message.state : null,
        });
        break;
      default:
    }
  }

  function onClick(event) {
    const target = event.target instanceof Element ? event.target.closest("[data-package-item]") : null;
    if (!target) return;
    event.preventDefault();
    toPlayer({ type: "lentera:launch", item: target.dataset.packageItem });
  }

  // Leaving the page: what the server has not answered is sent once more (keepalive outlives
  // the page) and kept in the outbox; the API counts an event_id once.
  function onPageHide() {
    const csrf = token();
    for (const { endpoint, body } of pending.values()) {
      keepalive(endpoint, body, csrf);
      if (queue) {
        queue(
          runtimeOutboxItem({ account, lessonId: config.lesson, endpoint, body, title: config.title || "", url: win.location.pathname }),
        ).catch(() => null);
      }
    }
    pending.clear();
  }

  // The outbox was sent (by this page or the service worker): new commits go straight to the
  // server again; what the server said about this lesson's queued records is shown.
  async function onFlushed(event) {
    if (!event.detail || event.detail.kept || !queuedMode) return;
    queuedMode = false;
    const mine = new Set(queuedIds);
    queuedIds.clear();
    let refused = null;
    try {
      refused = (await resultsList(account)).find((result) => mine.has(result.event_id) && !result.ok) || null;
    } catch {
      // no results to read: nothing to add
    }
    if (refused) {
      setState("error");
      showError(refused.detail || strings.error);
    } else if (wrapper.dataset.packageState === "queued") {
      setState("saved");
      say(strings.saved);
    }
  }

  win.addEventListener("message", onMessage);
  win.addEventListener("pagehide", onPageHide);
  doc.addEventListener("click", onClick);
  doc.addEventListener(FLUSHED_EVENT, onFlushed);
  setState("ready");
  if (config.lessonCompleted) wrapper.dataset.lessonCompleted = "true";
  markCurrent(current);
  // The player may have said ready before this (deferred) script listened: a frame whose
  // location cannot be read has left about:blank for the package origin, so it is listening.
  try {
    void frame.contentWindow.location.href;
  } catch {
    init();
  }
  return {
    submit,
    pending: () => [...pending.keys()],
    settled: () => chain,
    stop() {
      win.removeEventListener("message", onMessage);
      win.removeEventListener("pagehide", onPageHide);
      doc.removeEventListener("click", onClick);
      doc.removeEventListener(FLUSHED_EVENT, onFlushed);
    },
  };
}

/** Queue a package lesson's runtime commit or xAPI event in the outbox (H6: the same record
 * kind the service worker replays). `queue` is sync.js's queue. */
export function queueRuntimeCommit(queue, { account = null, lessonId, endpoint, body, title = "", url = "" }) {
  return queue(runtimeOutboxItem({ account, lessonId, endpoint, body, title, url }));
}

export function initPackageLesson({ queue = null, account = null, win = window, doc = document } = {}) {
  const wrapper = doc.getElementById("package-player");
  if (!wrapper) return null;
  const config = readRuntimeConfig(doc);
  const frame = wrapper.querySelector("iframe");
  if (!config || !frame) return null;
  const restore = queue && account ? () => queuedRuntimeState(account, config.lesson) : null;
  return createBridge({ win, doc, wrapper, frame, config, account, queue, restore });
}
