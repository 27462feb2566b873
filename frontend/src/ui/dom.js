// Small DOM helpers: every text from the server or the device goes in through textContent,
// never as HTML.

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
