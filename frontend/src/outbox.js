/*
 * Sending the outbox: the completions and quiz answers queued on the device while offline.
 * Run by the service worker (on Background Sync's "lentera-outbox" event, and when a page asks
 * on load or on `online`), or by the page itself when no service worker controls it.
 *
 * The server is the source of truth and its APIs are idempotent on `event_id`, so an item sent
 * twice (the page and the service worker racing, or a lost answer) is counted once. An item
 * leaves the outbox only when the server answered: 2xx (recorded as a result) or a refusal
 * (4xx, recorded with the server's reason, never retried). A network error or 5xx keeps it.
 *
 * Kinds: "completion", "quiz", and "package" (a SCORM commit or an H5P xAPI event of a package
 * lesson, issue 18: built by `runtimeOutboxItem`, queued by ui/package-lesson.js). A package
 * record is sent as it was made (same event_id) to its endpoint under the API; a sent one leaves
 * a result only when it completed the lesson (a commit a minute would flood the results banner).
 */
import {
  currentAccount,
  outboxList,
  outboxRemove,
  paperDelete,
  paperPut,
  resultAdd,
  savedListForAccount,
} from "./db.js";

export const SYNC_TAG = "lentera-outbox";
export const DEFAULT_CONFIG = { apiPrefix: "/api/v1/", csrfUrl: "/api/v1/me/csrf-token" };

// 4xx answers that say nothing about the record itself: the session ended (401), the CSRF
// token went stale (403 csrf_failed) or the server asks to wait. The item stays queued.
const TRANSIENT_STATUS = new Set([401, 408, 425, 429]);
const TRANSIENT_CODES = new Set(["not_authenticated", "csrf_failed"]);

class Transient extends Error {}

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

// The page reads Django's CSRF cookie, named in base.html's <meta name="lentera-csrf-cookie">
// (production prefixes it "__Host-"); the service worker cannot read cookies and asks the API
// for the token.
export function cookieToken() {
  if (typeof document === "undefined") return null;
  const name =
    document.querySelector?.('meta[name="lentera-csrf-cookie"]')?.content || "csrftoken";
  for (const part of String(document.cookie || "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) {
      return decodeURIComponent(part.slice(at + 1).trim());
    }
  }
  return null;
}

async function fetchedToken(config) {
  const response = await fetch(config.csrfUrl, {
    credentials: "same-origin",
    cache: "no-store",
    headers: { Accept: "application/json" },
  });
  if (!response.ok) throw new Transient(`csrf token: ${response.status}`);
  const data = await readJson(response);
  if (!data || !data.token) throw new Transient("csrf token: no token");
  return data.token;
}

/**
 * The outbox record of a package lesson's runtime commit or xAPI event that could not be sent:
 * `endpoint` is the lesson's commitUrl or xapiUrl (under the API), `body` exactly the JSON the
 * page would have posted (its event_id and committed_at included), so a replay is the same event.
 */
export function runtimeOutboxItem({ account = null, lessonId, endpoint, body, title = "", url = "" }) {
  return {
    kind: "package",
    event_id: body.event_id,
    ...(account ? { account } : {}),
    lesson_id: Number(lessonId),
    endpoint,
    // Replayed later: the server dates a queued record by its committed_at (the device's
    // clock), a live commit by its own.
    body: { ...body, queued: true },
    committed_at: body.committed_at,
    title,
    url,
  };
}

function requestFor(item, config) {
  if (item.kind === "package") {
    // Only the API's own addresses: a record never makes the worker post elsewhere.
    const endpoint = String(item.endpoint || "");
    if (!endpoint.startsWith(config.apiPrefix) || !item.body || typeof item.body !== "object") return null;
    return { url: endpoint, body: item.body };
  }
  if (item.kind === "completion") {
    return {
      url: `${config.apiPrefix}lessons/${item.lesson_id}/completion`,
      body: { event_id: item.event_id, completed_at: item.completed_at },
    };
  }
  if (item.kind === "quiz") {
    return {
      url: `${config.apiPrefix}quizzes/${item.quiz_id}/offline-submissions`,
      body: {
        event_id: item.event_id,
        token: item.token,
        answers: item.answers,
        answered_at: item.answered_at,
      },
    };
  }
  return null;
}

function detailText(data) {
  if (!data) return "";
  if (typeof data.detail === "string") return data.detail;
  return "";
}

// The fields of a result the UI shows: progress and certificate for a completion, score and
// the result page for a quiz.
function successFields(item, data) {
  if (!data) return {};
  if (item.kind === "package") {
    return {
      lesson_completed: Boolean(data.lesson_completed),
      course_completed: data.course_completed,
      certificate_url: data.certificate_url || null,
    };
  }
  if (item.kind === "completion") {
    return {
      progress: data.course_progress_percent,
      course_completed: data.course_completed,
      certificate_code: data.certificate_code || null,
    };
  }
  return {
    score: data.score,
    passed: data.passed,
    pass_band: data.pass_band,
    course_completed: data.course_completed,
    certificate_code: data.certificate_code || null,
    result_url: data.result_url || null,
  };
}

async function sendOne(item, token, config) {
  const request = requestFor(item, config);
  if (!request) return { state: "refused", status: 0, data: null };
  let response;
  try {
    response = await fetch(request.url, {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": token,
      },
      body: JSON.stringify(request.body),
    });
  } catch {
    return { state: "kept", status: 0, data: null };
  }
  const data = await readJson(response);
  if (response.ok) return { state: "ok", status: response.status, data };
  const transient =
    response.status >= 500 ||
    TRANSIENT_STATUS.has(response.status) ||
    (data && TRANSIENT_CODES.has(data.code));
  return { state: transient ? "kept" : "refused", status: response.status, data };
}

/*
 * A quiz's paper binds one attempt (its token names the attempt's number and question order):
 * once answers made with it were scored or refused, it must not be used again. Fetch the next
 * one when the quiz belongs to a saved course or module (we are online: the server just
 * answered), else (or when the server gives none: a timed quiz, attempts used up) delete it,
 * so that the quiz page says a connection is needed.
 */
export async function renewPaper(account, quizId, config = DEFAULT_CONFIG) {
  const records = await savedListForAccount(account);
  const quiz = records
    .flatMap((record) => record.quizzes || [])
    .find((item) => String(item.quiz_id) === String(quizId) && !item.timed);
  if (quiz) {
    try {
      const response = await fetch(quiz.paper_url || `${config.apiPrefix}quizzes/${quizId}/paper`, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
      });
      const paper = response.ok ? await readJson(response) : null;
      if (paper && paper.token) {
        await paperPut(account, quizId, paper);
        return true;
      }
    } catch {
      // Offline again: no paper rather than a used one.
    }
  }
  await paperDelete(account, quizId);
  return false;
}

let inFlight = null;

async function flush(config, notify) {
  const summary = { sent: 0, refused: 0, kept: 0 };
  const account = await currentAccount();
  if (!account) return summary;
  const items = await outboxList(account);
  if (!items.length) return summary;
  let token = cookieToken();
  let fresh = false;
  for (const [index, item] of items.entries()) {
    let answer = { state: "kept", status: 0, data: null };
    try {
      if (!token) [token, fresh] = [await fetchedToken(config), true];
      answer = await sendOne(item, token, config);
      if (answer.data && answer.data.code === "csrf_failed" && !fresh) {
        // The cookie's token went stale (a new session): ask for the current one, once.
        [token, fresh] = [await fetchedToken(config), true];
        answer = await sendOne(item, token, config);
      }
    } catch {
      // No token: signed out, or offline. Keep everything.
    }
    const { state, status, data } = answer;
    if (state === "kept") {
      // Offline again or the server is struggling: keep this and everything after it, in order.
      summary.kept = items.length - index;
      break;
    }
    const quiet = item.kind === "package" && state === "ok" && !(data && data.lesson_completed);
    if (!quiet) await resultAdd({
      event_id: item.event_id,
      account,
      kind: item.kind,
      ok: state === "ok",
      status,
      code: state === "ok" ? null : (data && data.code) || null,
      detail: state === "ok" ? "" : detailText(data),
      title: item.title || "",
      url: item.url || "",
      lesson_id: item.lesson_id ?? null,
      quiz_id: item.quiz_id ?? null,
      ...(state === "ok" ? successFields(item, data) : {}),
    });
    await outboxRemove(item.event_id);
    if (item.kind === "quiz") await renewPaper(account, item.quiz_id, config).catch(() => false);
    summary[state === "ok" ? "sent" : "refused"] += 1;
  }
  if (notify && (summary.sent || summary.refused)) await notify({ type: "outbox-flushed", ...summary });
  return summary;
}

/*
 * Send the current account's outbox. One flush at a time per context (a second call while one
 * runs gets the same promise). `notify(message)` tells the pages ({type: "outbox-flushed",
 * sent, refused, kept}); resolves to that summary.
 */
export function flushOutbox(config = DEFAULT_CONFIG, notify = null) {
  if (!inFlight) {
    inFlight = flush({ ...DEFAULT_CONFIG, ...config }, notify).finally(() => {
      inFlight = null;
    });
  }
  return inFlight;
}
