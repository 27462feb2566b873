/*
 * package-save.js, the script of the package origin's save page ({packageOrigin}/paket/simpan/,
 * packages.offline_views), which the site frames, hidden, to save packages for offline use.
 *
 * Its server-rendered data (json_script "package-save"): {siteOrigin, uuid, worker, scope, statics};
 * uuid is the package whose own origin this is (null on a fixed origin shared by all packages):
 * this page stores and removes that package only.
 * It registers the package service worker (package-sw.js) and answers the site's messages,
 * from the site origin and the parent window only:
 *   site -> page  lentera:cache {id, uuid, kind, files: [{url, bytes}]}   save a package's files
 *                 (and the player's static files for that kind of package)
 *   site -> page  lentera:cache-remove {id, uuid}                   delete a package's cache
 *   page -> site  lentera:cache-ready {}                            registered, listening
 *   page -> site  lentera:cache-progress {id, uuid, done, total, bytes}
 *   page -> site  lentera:cache-done {id, uuid, bytes, removed?}
 *   page -> site  lentera:cache-error {id, uuid, detail}
 * The site frames this page only from its own pages, so (with Chromium's partitioning of
 * third-party storage by top-level site) it fills the same partition the lesson's player
 * frame is served from.
 */
import { pruneStatic, removePackage, savePackage } from "./package-cache.js";

function config() {
  const element = document.getElementById("package-save");
  try {
    return element ? JSON.parse(element.textContent) : null;
  } catch {
    return null;
  }
}

function start() {
  const settings = config();
  if (!settings || !settings.siteOrigin || window.parent === window) return;
  const tell = (message) => window.parent.postMessage(message, settings.siteOrigin);
  if (!("serviceWorker" in navigator) || !("caches" in window)) {
    tell({ type: "lentera:cache-error", id: null, uuid: null, detail: "unsupported" });
    return;
  }

  window.addEventListener("message", async (event) => {
    if (event.origin !== settings.siteOrigin || event.source !== window.parent) return;
    const data = event.data || {};
    const { id, uuid } = data;
    try {
      if (settings.uuid && uuid !== settings.uuid) throw new Error("not this origin's package");
      if (data.type === "lentera:cache") {
        const result = await savePackage(
          { uuid, files: data.files, statics: (settings.statics || {})[data.kind] || [] },
          {
            origin: location.origin,
            onProgress: (progress) => tell({ type: "lentera:cache-progress", id, uuid, ...progress }),
          },
        );
        // The previous releases' player files go (the worker serves old player pages the current ones).
        await pruneStatic(Object.values(settings.statics || {}).flat(), { origin: location.origin }).catch(() => 0);
        tell({ type: "lentera:cache-done", id, uuid, bytes: result.bytes });
      } else if (data.type === "lentera:cache-remove") {
        await removePackage(uuid);
        tell({ type: "lentera:cache-done", id, uuid, bytes: 0, removed: true });
      }
    } catch (error) {
      tell({ type: "lentera:cache-error", id, uuid, detail: String(error?.message || error) });
    }
  });

  // Ready once the worker is active: a learner who goes offline right after saving is served.
  navigator.serviceWorker
    .register(settings.worker, { scope: settings.scope })
    .then(() => navigator.serviceWorker.ready)
    .then(() => tell({ type: "lentera:cache-ready" }))
    .catch((error) => tell({ type: "lentera:cache-error", id: null, uuid: null, detail: String(error?.message || error) }));
}

start();
