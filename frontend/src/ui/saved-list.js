// /luring/ ("Saved for offline"): the page the service worker keeps for when a page was never
// saved. Its main content is the same for everyone (no personal data); this script fills the
// list from the device: the current account's saved courses and modules with their lessons,
// their size, the storage used and a remove button each.
import { savedListForAccount } from "../db.js";
import { markWaiting } from "./complete.js";
import { h, online } from "./dom.js";
import { showStorage } from "./save-section.js";
import { removeSaved } from "./saved.js";
import { formatBytes, formatDate, t } from "./strings.js";

function showStatus(element) {
  element.textContent = online() ? t("online_now") : t("offline_now");
}

function lessonLinks(record) {
  const seen = new Set();
  const list = h("ul", {});
  for (const entry of record.entries || []) {
    if (entry.kind !== "page" || !entry.lesson_id || seen.has(entry.lesson_id)) continue;
    seen.add(entry.lesson_id);
    list.append(h("li", {}, h("a", { href: entry.url, "data-lesson-id": entry.lesson_id }, entry.title || entry.url)));
  }
  return list;
}

async function render(container, account) {
  container.replaceChildren();
  if (!account) {
    container.append(h("p", {}, t("signed_out")));
    return;
  }
  const records = await savedListForAccount(account);
  if (!records.length) {
    container.append(h("p", {}, t("nothing_saved")));
  }
  for (const record of records) {
    const headingId = `saved-${record.pageId}`;
    const remove = h("button", { type: "button", className: "button button--secondary", "data-offline-remove": record.pageId }, t("remove"));
    const section = h(
      "section",
      { className: "section", "aria-labelledby": headingId, "data-offline-saved": record.pageId },
      h("h2", { id: headingId }, h("a", { href: record.url }, record.title)),
      h("p", { className: "meta" }, t("saved_item", { size: formatBytes(record.bytes), date: formatDate(record.savedAt) })),
      h("h3", {}, t("lessons")),
      lessonLinks(record),
      h("p", { className: "actions" }, remove),
    );
    remove.addEventListener("click", async () => {
      remove.disabled = true;
      await removeSaved(account, record.pageId);
      await render(container, account);
      container.querySelector("button, a")?.focus();
    });
    container.append(section);
  }
  const storage = h("p", { className: "meta", "data-offline-storage": true });
  container.append(storage);
  await showStorage(storage);
  await markWaiting(account);
}

export function initSavedList(account) {
  const status = document.querySelector("[data-offline-status]");
  if (status) {
    showStatus(status);
    window.addEventListener("online", () => showStatus(status));
    window.addEventListener("offline", () => showStatus(status));
  }
  const container = document.querySelector("[data-offline-saved-list]");
  if (!container) return;
  render(container, account).catch(() => {});
}
