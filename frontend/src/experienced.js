/*
 * xAPI "experienced" for a plain lesson. On the lesson page of an enrolled learner, while xAPI
 * is on, the article carries data-xapi-experienced (the API's address; xapi/templatetags). Once
 * the lesson has been visible for VISIBLE_MS in all (time in a hidden tab does not count), the
 * script posts there once, keepalive so leaving the page does not cancel it. The server keeps one
 * statement per enrollment and lesson whatever the number of posts, and the page's GET writes
 * nothing (issue 19). A failure is ignored: that reading is simply not told to the LRS.
 */
import { cookieToken } from "./outbox.js";

export const VISIBLE_MS = 10000;

function csrf(doc) {
  return cookieToken() || doc.querySelector('input[name="csrfmiddlewaretoken"]')?.value || "";
}

function post(url, token) {
  fetch(url, {
    method: "POST",
    credentials: "same-origin",
    cache: "no-store",
    keepalive: true,
    headers: { Accept: "application/json", "X-CSRFToken": token },
  }).catch(() => null);
}

/** Watch the page's visibility and post once it has been visible long enough; the address
 * watched, or null on pages without the attribute. */
export function watchExperienced({
  doc = document,
  send = post,
  visibleMs = VISIBLE_MS,
  clock = { now: () => Date.now(), setTimeout, clearTimeout },
} = {}) {
  const url = doc.querySelector("[data-xapi-experienced]")?.getAttribute("data-xapi-experienced");
  if (!url) return null;
  let left = visibleMs;
  let since = 0;
  let timer = null;
  function fire() {
    timer = null;
    doc.removeEventListener("visibilitychange", changed);
    send(url, csrf(doc));
  }
  function changed() {
    if (doc.visibilityState !== "hidden") {
      if (timer === null) {
        since = clock.now();
        timer = clock.setTimeout(fire, left);
      }
    } else if (timer !== null) {
      clock.clearTimeout(timer);
      timer = null;
      left = Math.max(0, left - (clock.now() - since));
    }
  }
  doc.addEventListener("visibilitychange", changed);
  changed();
  return url;
}
