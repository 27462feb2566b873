/*
 * The package player's handshake with the lesson page (contract of issue 18, "postMessage
 * protocol"). The player page (package origin) renders json_script "package-player":
 * {siteOrigin, kind, filesUrl, h5p: {frameJs, frameCss, mainJs}}. Only messages from that
 * origin AND from the parent window are read; every message goes to the parent with that
 * origin as targetOrigin, so nothing leaves for another site.
 *
 *   player -> parent  {type: "lentera:ready"}
 *   parent -> player  {type: "lentera:init", config: <runtime config>, item: identifier|null}
 *   player -> parent  {type: "lentera:commit", item, cmi, terminate, eventId, committedAt}  (SCORM)
 *   player -> parent  {type: "lentera:xapi", statement, state, eventId, committedAt}      (H5P)
 *   player -> parent  {type: "lentera:item", item}
 *   parent -> player  {type: "lentera:launch", item}
 *   parent -> player  {type: "lentera:status", item, completionStatus, successStatus, score, lessonCompleted}
 */
import { startH5P } from "./h5p.js";
import { createScormRuntime } from "./scorm.js";

export function readPlayerData(doc) {
  const element = doc.getElementById("package-player");
  if (!element) return null;
  try {
    const data = JSON.parse(element.textContent);
    return data && typeof data === "object" && data.siteOrigin ? data : null;
  } catch {
    return null;
  }
}

function contentRoot(doc) {
  return doc.querySelector("[data-package-root]") || doc.body;
}

/** The SCO frame inside the player page. */
function scoFrame(doc, title) {
  const frame = doc.createElement("iframe");
  frame.className = "package-player__frame";
  frame.title = title || "";
  frame.setAttribute("allow", "fullscreen; autoplay");
  contentRoot(doc).append(frame);
  return frame;
}

/**
 * Wire the player: post ready, wait for init, start the runtime for `data.kind`.
 * `start(config, item)` can be replaced (tests). Returns {stop(), runtime()}.
 */
export function createPlayer({ win, doc, data, start = null }) {
  const parent = win.parent;
  const siteOrigin = String(data.siteOrigin);
  let runtime = null;
  let starting = null;

  const send = (message) => {
    try {
      parent.postMessage(message, siteOrigin);
    } catch {
      // no parent (opened on its own): nothing to tell
    }
  };

  const defaultStart = async (config, item) => {
    const kind = data.kind || config.kind;
    if (kind === "h5p") {
      const element = doc.createElement("div");
      element.className = "package-player__h5p";
      contentRoot(doc).append(element);
      return startH5P({ win, doc, element, config, filesUrl: data.filesUrl, h5p: data.h5p || {}, siteOrigin, send });
    }
    const frame = scoFrame(doc, config.title);
    const scorm = createScormRuntime({ kind, config, filesUrl: data.filesUrl, win, frame, send });
    await scorm.start(item);
    return scorm;
  };

  function onMessage(event) {
    if (event.origin !== siteOrigin || event.source !== parent) return;
    const message = event.data;
    if (!message || typeof message !== "object" || typeof message.type !== "string") return;
    if (message.type === "lentera:init") {
      if (starting || !message.config || typeof message.config !== "object") return;
      starting = Promise.resolve((start || defaultStart)(message.config, message.item || null)).then((made) => {
        runtime = made;
        return made;
      });
      starting.catch((error) => console.error("lentera package player:", error));
    } else if (message.type === "lentera:launch" && message.item) {
      if (starting) starting.then((made) => made?.launch?.(String(message.item)));
    } else if (message.type === "lentera:status") {
      if (starting) starting.then((made) => made?.status?.(message));
    }
  }

  win.addEventListener("message", onMessage);
  send({ type: "lentera:ready" });
  return {
    stop: () => win.removeEventListener("message", onMessage),
    runtime: () => runtime,
    started: () => starting,
  };
}

export function startPlayer(win = window, doc = document) {
  const data = readPlayerData(doc);
  if (!data) return null;
  return createPlayer({ win, doc, data });
}
