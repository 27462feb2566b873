/*
 * The page-side UI of offline use (H2): save for offline, offline mark-done, offline untimed
 * quiz, the results banner and the saved list at /luring/. main.js calls initUi once with
 * { queue, flush, account, strings, swSupported, idbSupported } (see main.js and sync.js).
 * Every word shown comes from the strings' JSON (offline/strings.py, ui/strings.js), loaded first.
 */
import { FLUSHED_EVENT } from "../sync.js";
import { initCompletionForms, markWaiting } from "./complete.js";
import { initQuizForms } from "./quiz.js";
import { initResults, showResults } from "./results.js";
import { announceUpdated, initSaveSections } from "./save-section.js";
import { updateSavedInBackground } from "./saved.js";
import { initSavedList } from "./saved-list.js";
import { loadStrings } from "./strings.js";

function quietly(promise) {
  Promise.resolve(promise).catch(() => {});
}

export async function initUi({ queue, account, idbSupported = true } = {}) {
  // Without the strings or IndexedDB there is nothing to say or keep: the server-rendered page
  // (which works without JavaScript) stays as it is.
  if (!idbSupported || !(await loadStrings())) return;
  initSavedList(account);
  if (!account) return;
  initSaveSections(account);
  quietly(initCompletionForms(account, { queue }));
  quietly(initQuizForms(account, { queue }));
  quietly(markWaiting(account));
  initResults(account);
  document.addEventListener(FLUSHED_EVENT, () => {
    quietly(showResults(account));
    quietly(refreshWaiting(account));
  });
  quietly(updateSavedInBackground(account).then(announceUpdated));
}

// After a flush, badges of lessons no longer waiting go (they were sent or refused).
async function refreshWaiting(account) {
  for (const badge of document.querySelectorAll("[data-offline-waiting]")) {
    const link = badge.previousElementSibling;
    if (link?.matches("a[data-lesson-id]")) badge.remove();
  }
  await markWaiting(account);
}
