/*
 * The H5P side of the package player: h5p-standalone (vendored under
 * /static/vendor/h5p-standalone/) renders the extracted .h5p from the package's files; the
 * learner's saved state is handed back to it (contentUserData), and the top-level content's
 * xAPI statements with the verbs completed, answered, passed and failed are posted to the
 * lesson page as lentera:xapi {statement, state, eventId, committedAt}. Its interacted and
 * progressed statements (a learner's step short of an answer: a choice made in a half-answered
 * quiz) are posted the same way as state saves, at most one per STATE_SAVE_INTERVAL_MS (the
 * latest waits, and is sent when the window is hidden): the server stores their state and
 * never completes the lesson on them. Statements of sub-content (with a context parent) and
 * other verbs (attempted...) are not sent. State is the content's getCurrentState() as JSON,
 * else what H5P last saved.
 */

export const H5P_VERBS = new Set(["completed", "answered", "passed", "failed"]);
export const STATE_VERBS = new Set(["interacted", "progressed"]);
export const STATE_SAVE_INTERVAL_MS = 2000;

/** The last part of an xAPI verb id ("http://adlnet.gov/expapi/verbs/answered" -> "answered"). */
export function verbOf(statement) {
  const id = String(statement?.verb?.id || "");
  return id.slice(id.lastIndexOf("/") + 1);
}

function topLevel(statement) {
  if (!statement || typeof statement !== "object") return false;
  const parents = statement.context?.contextActivities?.parent;
  return !(Array.isArray(parents) ? parents.length : parents);
}

/** Whether a statement is the top-level content's and one the server counts. */
export function countsForLesson(statement) {
  return topLevel(statement) && H5P_VERBS.has(verbOf(statement));
}

/** Whether a statement is the top-level content's step short of an answer: a state save. */
export function savesState(statement) {
  return topLevel(statement) && STATE_VERBS.has(verbOf(statement));
}

/** The content's current state as the string H5P stores, or null. */
export function currentState(win, element, contentId) {
  try {
    const frameWindow = element?.querySelector?.("iframe")?.contentWindow;
    const instances = frameWindow?.H5P?.instances || win.H5P?.instances || [];
    const instance = instances[0];
    if (instance && typeof instance.getCurrentState === "function") {
      const state = instance.getCurrentState();
      if (state !== undefined && state !== null) return typeof state === "string" ? state : JSON.stringify(state);
    }
  } catch {
    // the content's frame is gone or not ready
  }
  try {
    const data = win.H5PIntegration?.contents?.[`cid-${contentId}`]?.contentUserData;
    const state = Array.isArray(data) ? data[0]?.state : data?.[0]?.state;
    if (typeof state === "string" && state !== "RESET") return state;
  } catch {
    // nothing saved yet
  }
  return null;
}

/** A Storage kept in memory, for windows where the browser refuses localStorage. */
function memoryStorage() {
  const items = new Map();
  return {
    get length() {
      return items.size;
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => (items.has(String(key)) ? items.get(String(key)) : null),
    setItem: (key, value) => void items.set(String(key), String(value)),
    removeItem: (key) => void items.delete(String(key)),
    clear: () => items.clear(),
  };
}

/**
 * H5P's core reads localStorage without a guard (its offline request queue, the clipboard), and
 * the browser refuses storage to a frame of another site: the dev "loopback twin" (site on
 * 127.0.0.1, packages on localhost) is such a case, as is any deployment whose package origin is
 * not on the site's registrable domain. There, H5P gets storage that lives in memory for the
 * visit (the learner's state is saved through Lentera anyway). Returns whether it was needed.
 */
export function guardStorage(target) {
  let needed = false;
  for (const name of ["localStorage", "sessionStorage"]) {
    try {
      void target[name];
    } catch {
      needed = true;
      try {
        Object.defineProperty(target, name, { value: memoryStorage(), configurable: true });
      } catch {
        // cannot be replaced: H5P may fail in this browser
      }
    }
  }
  return needed;
}

function loadScript(doc, src) {
  return new Promise((resolve, reject) => {
    const script = doc.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`h5p-standalone did not load: ${src}`));
    doc.head.append(script);
  });
}

/**
 * Start h5p-standalone in `element`.
 *   h5p: {frameJs, frameCss, mainJs} (the player page's data; without mainJs, the
 *   main.bundle.js beside an unhashed frameJs)
 */
export async function startH5P({
  win,
  doc,
  element,
  config,
  filesUrl,
  h5p,
  siteOrigin,
  send,
  uuid = () => crypto.randomUUID(),
  now = () => new Date().toISOString(),
  clock = () => Date.now(),
  later = (fn, ms) => setTimeout(fn, ms),
  cancel = (timer) => clearTimeout(timer),
}) {
  // The player page names main.bundle.js ({% static %}: hashed in production); unhashed, it is
  // the file beside frame.bundle.js.
  const frameJs = String(h5p.frameJs || "");
  const mainJs = h5p.mainJs || (/\/frame\.bundle\.js$/.test(frameJs) ? frameJs.replace(/frame\.bundle\.js$/, "main.bundle.js") : "");
  if (!mainJs) throw new Error("package player: h5p.mainJs is missing");
  if (!win.H5PStandalone) await loadScript(doc, mainJs);
  const contentId = `lentera-${config.lesson}`;
  const state = config.h5p?.state;
  const options = {
    id: contentId,
    h5pJsonPath: String(filesUrl).replace(/\/+$/, ""),
    frameJs: h5p.frameJs,
    frameCss: h5p.frameCss,
    frame: false,
    fullScreen: true,
    saveFreq: 30,
    // A stable IRI for the lesson (it need not resolve): the same for every package version.
    xAPIObjectIRI: `${siteOrigin}/xapi/activities/package-lesson/${config.lesson}`,
    // H5P's core reads contentUserData[subContentId][dataType] (h5p-standalone passes it through
    // as given; its README's {dataType, previousState} form is not what the core reads).
    ...(state ? { contentUserData: [{ state }] } : {}),
  };
  if (guardStorage(win)) {
    // h5p-standalone renders into a same-origin frame of its own: guard it before its scripts run.
    const guardFrames = () => {
      for (const frame of element.querySelectorAll("iframe")) {
        if (frame.contentWindow) guardStorage(frame.contentWindow);
      }
    };
    new win.MutationObserver(guardFrames).observe(element, { childList: true, subtree: true });
  }
  const Player = win.H5PStandalone.H5P || win.H5PStandalone;
  await new Player(element, options);
  const commits = config.enrolled !== false && config.mode !== "browse";
  let lastSave = -Infinity;
  let pending = null; // {statement, timer}: the latest state save, waiting for its turn
  const post = (statement) => {
    lastSave = clock();
    send({
      type: "lentera:xapi",
      statement: JSON.parse(JSON.stringify(statement)),
      state: currentState(win, element, contentId),
      eventId: uuid(),
      committedAt: now(),
    });
  };
  const flush = () => {
    if (!pending) return;
    const { statement, timer } = pending;
    pending = null;
    cancel(timer);
    post(statement);
  };
  win.H5P.externalDispatcher.on("xAPI", (event) => {
    const statement = event?.data?.statement;
    if (!commits) return;
    if (countsForLesson(statement)) {
      // A result carries the state too: a waiting state save is not needed any more.
      if (pending) cancel(pending.timer);
      pending = null;
      post(statement);
      return;
    }
    if (!savesState(statement)) return;
    if (pending) {
      pending.statement = statement;
      return;
    }
    const wait = lastSave + STATE_SAVE_INTERVAL_MS - clock();
    if (wait <= 0) {
      post(statement);
      return;
    }
    pending = { statement, timer: later(flush, wait) };
  });
  win.addEventListener?.("pagehide", flush);
  win.document?.addEventListener?.("visibilitychange", () => {
    if (win.document.visibilityState === "hidden") flush();
  });
  send({ type: "lentera:item", item: "h5p" });
  return { status() {}, launch() {} };
}
