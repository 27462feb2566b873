// The "Save for offline" section of course and module pages (templates by H3; hidden until
// this script shows it, so browsers without service workers never see a button that cannot work).
import { savedGet } from "../db.js";
import { h, online } from "./dom.js";
import {
  fetchManifest,
  removeSaved,
  sizes,
  storageEstimate,
  syncSaved,
} from "./saved.js";
import { formatBytes, formatDate, t } from "./strings.js";

export async function showStorage(element) {
  const estimate = await storageEstimate();
  if (!estimate || !element) return;
  element.textContent = t("storage", {
    used: formatBytes(estimate.usage),
    quota: formatBytes(estimate.quota),
  });
}

function supported() {
  return "serviceWorker" in navigator && "caches" in window && "indexedDB" in window;
}

function setupSection(section, account) {
  const base = section.dataset.manifestUrl;
  const pageId = section.dataset.pageId;
  const button = section.querySelector("[data-offline-save-button]");
  const removeButton = section.querySelector("[data-offline-remove]");
  const sizeOutput = section.querySelector("[data-offline-size]");
  const state = section.querySelector("[data-offline-state]");
  const radios = [...section.querySelectorAll('input[name="videos"]')];
  if (!base || !pageId || !button || !state) return;

  let storage = section.querySelector("[data-offline-storage]");
  if (!storage) {
    storage = h("p", { className: "meta", "data-offline-storage": true });
    state.after(storage);
  }
  const manifests = new Map();
  const choice = () => radios.find((radio) => radio.checked)?.value || "exclude";
  let busy = false;

  async function manifestFor(videos) {
    if (!manifests.has(videos)) {
      const pending = fetchManifest(base, videos);
      manifests.set(videos, pending);
      pending.catch(() => manifests.delete(videos));
    }
    return manifests.get(videos);
  }

  async function showSize() {
    if (!sizeOutput) return;
    if (!online()) {
      sizeOutput.textContent = t("size_unknown");
      return;
    }
    const videos = choice();
    try {
      const bytes = sizes(await manifestFor(videos));
      if (videos !== choice()) return; // the learner changed the choice meanwhile
      sizeOutput.textContent =
        videos === "include" && bytes.videos
          ? t("size_videos", { size: formatBytes(bytes.include), videos: formatBytes(bytes.videos) })
          : t("size", { size: formatBytes(bytes[videos]) });
    } catch {
      sizeOutput.textContent = t("size_unknown");
    }
  }

  async function showSaved() {
    const record = await savedGet(account, pageId);
    if (record) {
      state.textContent = t("saved", { size: formatBytes(record.bytes), date: formatDate(record.savedAt) });
      if (record.packagesMissing) state.textContent += ` ${t("packages_not_saved")}`;
      // Saving again brings the copy up to date (or adds or drops the videos).
      button.textContent = t("save_again");
      if (removeButton) removeButton.hidden = false;
      const radio = radios.find((item) => item.value === record.videos);
      if (radio && !busy) radio.checked = true;
    } else if (removeButton) {
      removeButton.hidden = true;
    }
    await showStorage(storage);
    return record;
  }

  async function save(event) {
    event.preventDefault();
    if (busy) return;
    if (!online()) {
      state.textContent = t("save_needs_connection");
      return;
    }
    busy = true;
    button.disabled = true;
    const videos = choice();
    try {
      // Ask the browser to keep these files under storage pressure (granted or not, saving
      // goes on).
      navigator.storage?.persist?.().catch(() => {});
      manifests.delete(videos); // the latest version, not the one measured earlier
      const manifest = await manifestFor(videos);
      const address = section.dataset.manifestUrl;
      await syncSaved(account, manifest, {
        manifestUrl: address,
        onProgress: (done, total) => {
          state.textContent = t("saving", { done: String(done), total: String(total) });
        },
      });
      await showSaved();
      section.dataset.offlineSaved = "true";
    } catch {
      state.textContent = t("save_failed");
    } finally {
      busy = false;
      button.disabled = false;
    }
  }

  async function remove(event) {
    event.preventDefault();
    if (busy) return;
    busy = true;
    try {
      await removeSaved(account, pageId);
      delete section.dataset.offlineSaved;
      state.textContent = t("removed");
      if (removeButton) removeButton.hidden = true;
      await showStorage(storage);
      button.focus();
    } finally {
      busy = false;
    }
  }

  button.addEventListener("click", save);
  removeButton?.addEventListener("click", remove);
  for (const radio of radios) radio.addEventListener("change", showSize);
  section.hidden = false;
  showSaved()
    .then((record) => {
      if (record) section.dataset.offlineSaved = "true";
    })
    .catch(() => {});
  // The size needs the manifest, which the server builds for this page: asked for only once
  // the section is on screen, not on every visit to a course page.
  if ("IntersectionObserver" in window) {
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      showSize();
    });
    observer.observe(section);
  } else {
    showSize();
  }
}

export function initSaveSections(account) {
  if (!account || !supported()) return;
  for (const section of document.querySelectorAll("[data-offline-save]")) setupSection(section, account);
}

/** Say on this page's save section that its saved copy was just brought up to date. */
export function announceUpdated(pageIds) {
  const updated = new Set(pageIds.map(String));
  for (const section of document.querySelectorAll("[data-offline-save]")) {
    if (!updated.has(section.dataset.pageId)) continue;
    const state = section.querySelector("[data-offline-state]");
    if (state) state.textContent = t("updated");
  }
}
