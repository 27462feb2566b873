/*
 * The SCORM runtime of the package player: scorm-again's SCORM 1.2 `API` and SCORM 2004
 * `API_1484_11` in the player window (package origin), one SCO at a time in a nested frame.
 *
 * Supported
 * - SCORM 1.2: the whole cmi data model as scorm-again validates it; LMSCommit, LMSFinish and a
 *   commit every 60 s while the SCO changed something (and when the page is hidden) are sent to
 *   the lesson page as lentera:commit. Before launch the stored cmi of the item is loaded
 *   (api.loadFromJSON) and the LMS-provided elements are set: cmi.core.student_id/student_name,
 *   lesson_mode (normal|review|browse), credit (credit in normal mode, else no-credit), entry
 *   (as the server's config gives it; for data committed during this visit: ab-initio the first
 *   time, resume after exit "suspend" or when suspend_data or lesson_location exist, else ""),
 *   launch_data (adlcp:datafromlms),
 *   student_data.mastery_score, max_time_allowed, time_limit_action. cmi.core.lesson_status is
 *   set to passed/failed from the mastery score by scorm-again (mastery_override) in credit mode.
 * - SCORM 2004 (3rd and 4th edition): the same for cmi.learner_id/learner_name, mode, credit,
 *   entry (ab_initio / resume / ""), launch_data, scaled_passing_score, completion_threshold,
 *   max_time_allowed, time_limit_action; on Terminate scorm-again evaluates completion_status
 *   from progress_measure against completion_threshold and success_status from score.scaled
 *   against scaled_passing_score.
 * - Multi-SCO: every launchable item of the manifest is an item of the lesson's outline. After
 *   LMSFinish/Terminate the API is reset (api.reset) and the next item's stored cmi is loaded
 *   before it is launched. Picking an item in the outline (lentera:launch) ends the running SCO
 *   (its frame is emptied, which lets it call LMSFinish/Terminate on unload; if it does not, the
 *   player terminates it) and launches the item.
 * - SCORM 2004 navigation requests set by the SCO in adl.nav.request before Terminate:
 *   continue, previous, {target=ID}choice, {target=ID}jump, exit, exitAll, suspendAll, abandon,
 *   abandonAll. With the manifest's activity tree (config.structure, the organization and its
 *   items with their imsss:sequencing) scorm-again's sequencer (settings.sequencing) decides
 *   which activity is delivered: control modes, constrained choice, pre-condition, exit and
 *   post-condition rules, attempt limits, rollup rules and considerations, delivery controls,
 *   primary and other objectives (with mapInfo) and randomization controls, mapped by
 *   activitySequencing() to scorm-again's ActivitySettings; and it answers
 *   adl.nav.request_valid.*. When the
 *   sequencer delivers nothing for continue/previous/choice/jump (or there is no activity tree,
 *   or it fails to build) the player moves in outline order: continue = next item, previous =
 *   the one before, choice/jump = the named item. exit, exitAll, suspendAll, abandon, abandonAll
 *   end the SCO and launch nothing (the learner picks the next item in the outline). Every item
 *   change is reported to the lesson page as lentera:item.
 * - A SCORM 1.2 SCO that finishes itself with lesson_status completed or passed is followed by
 *   the next item in outline order, if any.
 *
 * Not supported
 * - The sequencer's state (activity attempt counts, global objectives, suspended activity) is
 *   not stored on the server: each visit starts a new sequencing session at the resume item
 *   (config.startItem), so limit conditions count attempts within one visit only and global
 *   objectives do not carry over between visits (each SCO's own cmi, incl. cmi.objectives, does).
 * - Picking an item in the outline is not checked against the sequencer's choice controls (the
 *   outline lets the learner go anywhere; the sequencer is told with a choice request).
 * - Navigation buttons drawn by the LMS (hideLMSUI) are not drawn: navigation is the outline
 *   plus what the SCO requests. Time limit actions are passed to the SCO, not enforced.
 * - Assets (scormType "asset") are shown without an API session; launching one sends one empty
 *   terminating commit (cmi {}), which the server records as the asset completed (a package
 *   of assets only would never complete otherwise).
 * - adl.data (shared data) lives for one visit only.
 */
import { Scorm12API, Scorm2004API } from "scorm-again";

export const AUTOCOMMIT_MS = 60000;

const defined = (object) => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined && value !== null));
const bool = (value) => (value === undefined || value === null ? undefined : value === true || value === "true");
const number = (value) => (value === undefined || value === null || value === "" ? undefined : Number(value));

function ruleConditions(conditions) {
  return (conditions || []).map((condition) =>
    defined({
      condition: condition.condition,
      operator: condition.operator,
      referencedObjective: condition.referencedObjective || undefined,
      parameters: condition.measureThreshold !== undefined && condition.measureThreshold !== null ? { threshold: Number(condition.measureThreshold) } : undefined,
    }),
  );
}

function objective(settings, isPrimary) {
  if (!settings || !settings.objectiveID) return undefined;
  return defined({
    objectiveID: String(settings.objectiveID),
    isPrimary,
    satisfiedByMeasure: bool(settings.satisfiedByMeasure),
    minNormalizedMeasure: number(settings.minNormalizedMeasure),
    mapInfo: Array.isArray(settings.mapInfo) ? settings.mapInfo : undefined,
  });
}

/**
 * scorm-again's ActivitySettings from one node's imsss:sequencing as the manifest parser keeps it
 * (the spec's names: controlMode, sequencingRules, limitConditions, rollupRules {..., rules},
 * objectives {primary, objectives}, deliveryControls, randomizationControls,
 * constrainedChoiceConsiderations, rollupConsiderations).
 */
export function activitySequencing(sequencing) {
  if (!sequencing || typeof sequencing !== "object") return {};
  const control = sequencing.controlMode || {};
  const rollup = sequencing.rollupRules || {};
  const choice = sequencing.constrainedChoiceConsiderations || {};
  const random = sequencing.randomizationControls || {};
  const controls = defined({
    choice: bool(control.choice),
    choiceExit: bool(control.choiceExit),
    flow: bool(control.flow),
    forwardOnly: bool(control.forwardOnly),
    useCurrentAttemptObjectiveInfo: bool(control.useCurrentAttemptObjectiveInfo),
    useCurrentAttemptProgressInfo: bool(control.useCurrentAttemptProgressInfo),
    preventActivation: bool(choice.preventActivation),
    constrainChoice: bool(choice.constrainChoice),
    rollupObjectiveSatisfied: bool(rollup.rollupObjectiveSatisfied),
    rollupProgressCompletion: bool(rollup.rollupProgressCompletion),
    objectiveMeasureWeight: number(rollup.objectiveMeasureWeight),
    selectionTiming: random.selectionTiming,
    selectCount: number(random.selectCount),
    randomizeChildren: bool(random.reorderChildren),
    randomizationTiming: random.randomizationTiming,
  });
  const rules = sequencing.sequencingRules || {};
  const ruleList = (list) =>
    Array.isArray(list) && list.length
      ? list.map((rule) => defined({ action: rule.action, conditionCombination: rule.conditionCombination, conditions: ruleConditions(rule.conditions) }))
      : undefined;
  const sequencingRules = defined({
    preConditionRules: ruleList(rules.preConditionRules),
    exitConditionRules: ruleList(rules.exitConditionRules),
    postConditionRules: ruleList(rules.postConditionRules),
  });
  const rollupRules = Array.isArray(rollup.rules) && rollup.rules.length
    ? {
        rules: rollup.rules.map((rule) =>
          defined({
            action: rule.action,
            conditionCombination: rule.conditionCombination,
            consideration: rule.childActivitySet,
            minimumCount: number(rule.minimumCount),
            minimumPercent: number(rule.minimumPercent),
            conditions: (rule.conditions || []).map((condition) => defined({ condition: condition.condition, operator: condition.operator })),
          }),
        ),
      }
    : undefined;
  const objectives = sequencing.objectives || {};
  const delivery = sequencing.deliveryControls || {};
  const limits = sequencing.limitConditions || {};
  return defined({
    sequencingControls: Object.keys(controls).length ? controls : undefined,
    sequencingRules: Object.keys(sequencingRules).length ? sequencingRules : undefined,
    rollupRules,
    rollupConsiderations: sequencing.rollupConsiderations && typeof sequencing.rollupConsiderations === "object" ? sequencing.rollupConsiderations : undefined,
    deliveryControls: Object.keys(delivery).length
      ? defined({ tracked: bool(delivery.tracked), completionSetByContent: bool(delivery.completionSetByContent), objectiveSetByContent: bool(delivery.objectiveSetByContent) })
      : undefined,
    primaryObjective: objective(objectives.primary, true),
    objectives: Array.isArray(objectives.objectives) ? objectives.objectives.map((item) => objective(item, false)).filter(Boolean) : undefined,
    attemptLimit: number(limits.attemptLimit),
    attemptAbsoluteDurationLimit: limits.attemptAbsoluteDurationLimit || undefined,
  });
}

/** scorm-again's activity tree from the runtime config's outline ("structure": one root node,
 * the organization, whose leaves are the items). */
export function activityTree(config) {
  const node = (item) => {
    const activity = {
      id: String(item.identifier),
      title: String(item.title || item.identifier),
      ...activitySequencing(item.sequencing),
    };
    const children = (item.children || []).map(node);
    if (children.length) activity.children = children;
    return activity;
  };
  const roots = (config.structure || []).map(node);
  if (!roots.length) return null;
  if (roots.length === 1 && roots[0].children) return roots[0];
  return { id: "__lentera_root__", title: String(config.title || ""), children: roots };
}

function clone(value) {
  return value && typeof value === "object" ? JSON.parse(JSON.stringify(value)) : {};
}

const isSet = (value) => value !== undefined && value !== null && value !== "";
const text = (value) => (isSet(value) ? String(value) : "");

/**
 * The JSON loaded into the API before a SCO of `item` starts: the stored cmi without the
 * elements that belong to one session, plus what the LMS provides (SCORM 1.2 RTE 3.4 and
 * SCORM 2004 RTE 4.2: learner, mode, credit, entry, launch data, thresholds, time limits).
 */
export function launchCmi({ is2004, item, stored, config }) {
  const cmi = clone(stored);
  const mode = ["normal", "review", "browse"].includes(config.mode) ? config.mode : "normal";
  const credit = mode === "normal" ? "credit" : "no-credit";
  const learner = config.learner || {};
  if (is2004) {
    // The server's config gives entry (it keeps the last exit to itself); a commit of this visit
    // (it has "exit") is judged here.
    const given = !("exit" in cmi) && ["ab_initio", "resume", ""].includes(cmi.entry) ? cmi.entry : null;
    const previousExit = cmi.exit || "";
    const fresh = !Object.keys(cmi).length || (!isSet(cmi.location) && !isSet(cmi.suspend_data) && (cmi.completion_status || "not attempted") === "not attempted");
    for (const key of ["exit", "entry", "session_time", "mode", "credit"]) delete cmi[key];
    const resume = previousExit === "suspend" || previousExit === "logout" || isSet(cmi.location) || isSet(cmi.suspend_data);
    cmi.entry = given ?? (resume ? "resume" : fresh ? "ab_initio" : "");
    cmi.mode = mode;
    cmi.credit = credit;
    cmi.learner_id = text(learner.id);
    cmi.learner_name = text(learner.name);
    cmi.launch_data = text(item.dataFromLms);
    if (isSet(item.scaledPassingScore)) cmi.scaled_passing_score = String(item.scaledPassingScore);
    if (isSet(item.completionThreshold)) cmi.completion_threshold = String(item.completionThreshold);
    if (isSet(item.maxTimeAllowed)) cmi.max_time_allowed = String(item.maxTimeAllowed);
    if (isSet(item.timeLimitAction)) cmi.time_limit_action = String(item.timeLimitAction);
    return cmi;
  }
  const core = cmi.core && typeof cmi.core === "object" ? cmi.core : {};
  const given = !("exit" in core) && ["ab-initio", "resume", ""].includes(core.entry) ? core.entry : null;
  const previousExit = core.exit || "";
  const fresh =
    !Object.keys(cmi).length ||
    (!isSet(core.lesson_location) && !isSet(cmi.suspend_data) && ["", "not attempted"].includes(core.lesson_status || ""));
  for (const key of ["exit", "entry", "session_time", "lesson_mode", "credit"]) delete core[key];
  const resume = previousExit === "suspend" || isSet(core.lesson_location) || isSet(cmi.suspend_data);
  core.entry = given ?? (resume ? "resume" : fresh ? "ab-initio" : "");
  core.lesson_mode = mode;
  core.credit = credit;
  core.student_id = text(learner.id);
  core.student_name = text(learner.name);
  cmi.core = core;
  cmi.launch_data = text(item.dataFromLms);
  const studentData = cmi.student_data && typeof cmi.student_data === "object" ? cmi.student_data : {};
  if (isSet(item.masteryScore)) studentData.mastery_score = String(item.masteryScore);
  if (isSet(item.maxTimeAllowed)) studentData.max_time_allowed = String(item.maxTimeAllowed);
  if (isSet(item.timeLimitAction)) studentData.time_limit_action = String(item.timeLimitAction);
  cmi.student_data = studentData;
  return cmi;
}

/** Load `json` into the API, element group by element group, so that one value scorm-again
 * refuses (a malformed manifest value) does not keep the others out. */
function loadInto(api, json) {
  try {
    api.loadFromJSON(json);
    return;
  } catch {
    // fall through: one by one
  }
  for (const [key, value] of Object.entries(json)) {
    try {
      api.loadFromJSON({ [key]: value });
    } catch {
      // scorm-again refused this element; the SCO sees its default.
    }
  }
}

const NAVIGATION = /^(?:\{target=(?<target>[^}]+)\})?(?<request>continue|previous|choice|jump|exit|exitAll|abandon|abandonAll|suspendAll|_none_)$/;

/**
 * The SCORM side of the player.
 *   kind       "scorm12" | "scorm2004"
 *   config     the runtime config (lentera:init)
 *   filesUrl   the package's files on this origin, ending in "/"
 *   win        the player window (gets API / API_1484_11)
 *   frame      the iframe the SCOs are shown in
 *   send(msg)  posts a message to the lesson page
 * Returns {launch(item), status(message), api(), current(), stop()}.
 */
export function createScormRuntime({
  kind,
  config,
  filesUrl,
  win,
  frame,
  send,
  uuid = () => crypto.randomUUID(),
  now = () => new Date().toISOString(),
  // Called as timers.x(...): browsers refuse window's timer functions with another `this`.
  timers = {
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (id) => clearInterval(id),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
  },
}) {
  const is2004 = kind === "scorm2004";
  const items = (config.items || []).filter((item) => item && item.identifier);
  const byId = new Map(items.map((item) => [String(item.identifier), item]));
  const stored = { ...(config.cmi || {}) };
  const statuses = {};
  const commits = config.enrolled !== false && config.mode !== "browse";
  let current = null; // identifier of the item on screen
  let sessionOpen = false; // the API has an Initialize'd, not yet terminated session of `current`
  let dirty = false;
  let leaving = false; // the player itself is ending the SCO (outline pick)
  let pendingRequest = "_none_";
  let delivered = null; // the activity scorm-again's sequencer delivered last

  const httpService = {
    processHttpRequest(_url, params, immediate) {
      const cmi = params && typeof params === "object" && params.cmi ? params.cmi : params;
      if (current) stored[current] = clone(cmi);
      dirty = false;
      if (commits && current) {
        send({
          type: "lentera:commit",
          item: current,
          cmi: clone(cmi),
          terminate: Boolean(immediate),
          eventId: uuid(),
          committedAt: now(),
        });
      }
      return { result: "true", errorCode: 0 };
    },
    updateSettings() {},
  };

  const settings = {
    // scorm-again commits only to a URL; this one is never fetched: the http service above
    // posts the commit to the lesson page, which sends it to Lentera's API.
    lmsCommitUrl: "lentera:commit",
    httpService,
    autocommit: false, // the player's own 60 s timer below commits what changed
    sendFullCommit: true,
    logLevel: 5,
    mastery_override: !is2004,
  };

  function makeApi() {
    if (is2004) {
      const tree = activityTree(config);
      if (tree) {
        try {
          return new Scorm2004API({
            ...settings,
            sequencing: {
              activityTree: tree,
              logLevel: "error",
              eventListeners: {
                onActivityDelivery: (activity) => {
                  delivered = activity?.id ?? null;
                },
              },
            },
          });
        } catch {
          // The tree could not be built: outline order only.
        }
      }
      return new Scorm2004API(settings);
    }
    return new Scorm12API(settings);
  }

  const prefix = is2004 ? "" : "LMS";
  function attach(made) {
    made.on(`${prefix}Initialize`, () => {
      sessionOpen = true;
      dirty = false;
    });
    made.on(`${prefix}SetValue.cmi.*`, () => {
      dirty = true;
    });
    if (is2004) {
      made.on("SetValue.adl.nav.request", (_element, value) => {
        pendingRequest = String(value || "_none_");
      });
    }
    made.on(is2004 ? "Terminate" : "LMSFinish", () => {
      sessionOpen = false;
      if (leaving) return;
      const request = pendingRequest;
      const before = delivered;
      // Let the SCO's Terminate/LMSFinish call return before the frame changes.
      timers.setTimeout(() => afterFinish(request, before), 0);
    });
    if (is2004) win.API_1484_11 = made;
    else win.API = made;
    return made;
  }
  let api = attach(makeApi());

  function itemAt(offset) {
    const index = items.findIndex((item) => String(item.identifier) === current);
    return index < 0 ? null : items[index + offset] || null;
  }

  function afterFinish(request, before) {
    pendingRequest = "_none_";
    if (!is2004) {
      const status = stored[current]?.core?.lesson_status;
      const next = itemAt(1);
      if (next && (status === "completed" || status === "passed")) open(next.identifier, { tellSequencer: false });
      return;
    }
    const parsed = NAVIGATION.exec(request);
    const name = parsed?.groups.request || "_none_";
    if (delivered && delivered !== before && byId.has(delivered) && delivered !== current) {
      open(delivered, { tellSequencer: false });
      return;
    }
    let target = null;
    if (name === "continue") target = itemAt(1);
    else if (name === "previous") target = itemAt(-1);
    else if (name === "choice" || name === "jump") target = byId.get(parsed.groups.target) || null;
    if (target) open(target.identifier, { tellSequencer: false });
  }

  function launchUrl(item) {
    return new URL(String(item.launch || ""), new URL(filesUrl, win.location.href)).href;
  }

  function prepare(item) {
    // A fresh API session for the item. scorm-again's SCORM 1.2 reset keeps the last SCO's
    // location, status and suspend data (it is meant for the same SCO again): a new API object
    // instead. The 2004 API keeps its sequencer across SCOs and its reset clears the cmi.
    if (is2004) api.reset(undefined, { preserveListeners: true });
    else api = attach(makeApi());
    dirty = false;
    pendingRequest = "_none_";
    const id = String(item.identifier);
    loadInto(api, launchCmi({ is2004, item, stored: stored[id], config }));
  }

  // Empty the frame so the running SCO unloads (and calls LMSFinish/Terminate itself); a SCO
  // that does not is terminated here, so its data is committed.
  function endCurrent() {
    return new Promise((resolve) => {
      if (!sessionOpen) {
        resolve();
        return;
      }
      leaving = true;
      const done = () => {
        if (sessionOpen) {
          try {
            if (is2004) api.Terminate("");
            else api.LMSFinish("");
          } catch {
            // already finished
          }
        }
        sessionOpen = false;
        leaving = false;
        resolve();
      };
      if (!frame || !frame.src || frame.src === "about:blank") {
        done();
        return;
      }
      frame.addEventListener("load", done, { once: true });
      frame.src = "about:blank";
    });
  }

  async function open(identifier, { tellSequencer = true } = {}) {
    const item = byId.get(String(identifier));
    if (!item) return false;
    await endCurrent();
    current = String(item.identifier);
    prepare(item);
    if (is2004 && tellSequencer && api.getSequencingService?.()) {
      try {
        api.processNavigationRequest("choice", current);
      } catch {
        // the sequencer refuses: the outline choice stands
      }
    }
    send({ type: "lentera:item", item: current });
    if (frame) frame.src = launchUrl(item);
    if (commits && item.scormType === "asset") {
      send({
        type: "lentera:commit",
        item: current,
        cmi: {},
        terminate: true,
        eventId: uuid(),
        committedAt: now(),
      });
    }
    return true;
  }

  // Commits what changed every minute, and when the page is hidden (closing the tab, switching
  // apps on a phone): the last chance before the browser may discard it.
  function commitIfChanged() {
    if (!sessionOpen || !dirty) return;
    try {
      if (is2004) api.Commit("");
      else api.LMSCommit("");
    } catch {
      // the API refused (terminated meanwhile)
    }
  }
  const interval = timers.setInterval(commitIfChanged, AUTOCOMMIT_MS);
  const onHidden = () => {
    if (win.document?.visibilityState === "hidden") commitIfChanged();
  };
  win.document?.addEventListener?.("visibilitychange", onHidden);
  win.addEventListener?.("pagehide", commitIfChanged);

  return {
    launch: (identifier) => open(identifier),
    start(identifier) {
      const first = byId.get(String(identifier || config.startItem || "")) || items[0];
      return first ? open(first.identifier) : Promise.resolve(false);
    },
    status(message) {
      if (message && message.item) statuses[String(message.item)] = message;
    },
    statuses: () => ({ ...statuses }),
    api: () => api,
    current: () => current,
    commitIfChanged,
    stop() {
      timers.clearInterval(interval);
      win.document?.removeEventListener?.("visibilitychange", onHidden);
      win.removeEventListener?.("pagehide", commitIfChanged);
    },
  };
}
