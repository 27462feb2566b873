// Small DOM helpers: every text from the server or the device goes in through textContent,
// never as HTML.

import { cookieToken } from "../outbox.js";

/** An element with attributes and children (strings become text nodes). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "className") element.className = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

/** The signed-in account of this page (base.html's meta), or null. */
export function pageAccount() {
  const meta = document.querySelector('meta[name="lentera-account"]');
  return meta?.content || null;
}

/** Whether the browser thinks it has a connection (false is reliable, true is a hope). */
export function online() {
  return navigator.onLine !== false;
}

/** Same-origin JSON, for the API (session cookie; never from a cache). */
export async function getJson(url) {
  const response = await fetch(url, {
    credentials: "same-origin",
    cache: "no-store",
    headers: { Accept: "application/json" },
  });
  const data = await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, data };
}

/** Whether a service worker controls this page: then a page the network fails to bring comes
 * from the device, so a form post that cannot reach the server would leave the learner on the
 * browser's error page; the script sends through the API instead and can fall back. */
export function controlled() {
  return Boolean(navigator.serviceWorker?.controller);
}

/** Django's CSRF token: the CSRF cookie (named by the page, `cookieToken`), else the form's
 * hidden field. */
export function csrfToken(form = null) {
  const token = cookieToken();
  if (token) return token;
  return form?.querySelector('input[name="csrfmiddlewaretoken"]')?.value || "";
}

// A connection that looks online but brings nothing ("lie-fi") is given up after this long.
export const SEND_TIMEOUT_MS = 15000;

/**
 * POST `body` (JSON, or FormData as is) and sort the answer: {state: "ok" | "refused" |
 * "unreachable", status, data}. "unreachable" is a network error, a timeout or a 5xx: the
 * server did not take it, and what was sent may be kept for later (the APIs are idempotent on
 * event_id). "refused" is any other non-2xx: the server said no and why.
 */
export async function post(url, body, { token = "", timeout = SEND_TIMEOUT_MS, json = true } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      signal: controller.signal,
      headers: {
        Accept: "application/json",
        "X-CSRFToken": token,
        ...(json ? { "Content-Type": "application/json" } : {}),
      },
      body: json ? JSON.stringify(body) : body,
    });
  } catch {
    return { state: "unreachable", status: 0, data: null };
  } finally {
    clearTimeout(timer);
  }
  const data = await response.json().catch(() => null);
  if (response.ok) return { state: "ok", status: response.status, data };
  return { state: response.status >= 500 ? "unreachable" : "refused", status: response.status, data };
}
