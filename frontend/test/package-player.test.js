// The package player (frontend/src/player/): its handshake with the lesson page, and
// scorm-again's SCORM 1.2 and 2004 APIs as the player sets them up, in Node (no DOM: the
// player's window, parent and frame are small fakes).
import assert from "node:assert/strict";
import { test } from "node:test";

import { countsForLesson, guardStorage, savesState, startH5P, verbOf } from "../src/player/h5p.js";
import { createPlayer, readPlayerData } from "../src/player/player.js";
import { activitySequencing, activityTree, createScormRuntime, launchCmi } from "../src/player/scorm.js";

const SITE = "http://127.0.0.1:8000";
// scorm-again's sequencer logs each delivery with console.debug.
console.debug = () => {};
const FILES = "http://localhost:8000/paket/0f0e/f/";

function fakeWindow() {
  const listeners = {};
  const parent = { sent: [], postMessage(message, origin) { this.sent.push({ message, origin }); } };
  return {
    parent,
    listeners,
    location: { href: "http://localhost:8000/paket/0f0e/putar/" },
    document: { visibilityState: "visible", addEventListener() {}, removeEventListener() {} },
    addEventListener(type, fn) { (listeners[type] ||= []).push(fn); },
    removeEventListener(type, fn) { listeners[type] = (listeners[type] || []).filter((f) => f !== fn); },
    dispatch(type, event) { for (const fn of listeners[type] || []) fn(event); },
  };
}

function fakeFrame() {
  const listeners = {};
  return {
    src: "",
    addEventListener(type, fn) { (listeners[type] ||= []).push(fn); },
    // The browser loads about:blank after the old SCO unloaded.
    loaded() { const fns = listeners.load || []; listeners.load = []; for (const fn of fns) fn(); },
  };
}

const noTimers = { setInterval: () => 0, clearInterval() {}, setTimeout: (fn) => setTimeout(fn, 0) };
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function config(overrides = {}) {
  return {
    lesson: 7,
    kind: "scorm12",
    title: "Package",
    enrolled: true,
    mode: "normal",
    learner: { id: "u5", name: "Lestari, Dewi" },
    items: [
      { identifier: "sco1", title: "One", launch: "sco1/index.html?x=1", scormType: "sco", masteryScore: 80, dataFromLms: "hello", maxTimeAllowed: "00:30:00", timeLimitAction: "exit,message" },
      { identifier: "sco2", title: "Two", launch: "sco2/index.html", scormType: "sco" },
    ],
    startItem: "sco1",
    cmi: {},
    ...overrides,
  };
}

let counter = 0;
function runtime(kind, cfg) {
  const win = fakeWindow();
  const frame = fakeFrame();
  const messages = [];
  const rt = createScormRuntime({
    kind,
    config: cfg,
    filesUrl: FILES,
    win,
    frame,
    send: (message) => messages.push(message),
    uuid: () => `00000000-0000-4000-8000-${String(++counter).padStart(12, "0")}`,
    now: () => "2026-12-04T10:00:00.000Z",
    timers: noTimers,
  });
  return { win, frame, messages, rt };
}

/* Handshake */

test("the player says ready to its parent only, with the site origin as target", () => {
  const win = fakeWindow();
  createPlayer({ win, doc: null, data: { siteOrigin: SITE, kind: "scorm12", filesUrl: FILES }, start: () => ({}) });
  assert.deepEqual(win.parent.sent, [{ message: { type: "lentera:ready" }, origin: SITE }]);
});

test("init from another origin or another window is ignored; the right one starts the player once", async () => {
  const win = fakeWindow();
  const starts = [];
  const launched = [];
  const player = createPlayer({
    win,
    doc: null,
    data: { siteOrigin: SITE, kind: "scorm12", filesUrl: FILES },
    start: (cfg, item) => {
      starts.push([cfg.lesson, item]);
      return { launch: (id) => launched.push(id), status() {} };
    },
  });
  const init = { type: "lentera:init", config: { lesson: 7 }, item: "sco2" };
  win.dispatch("message", { origin: "http://evil.example", source: win.parent, data: init });
  win.dispatch("message", { origin: SITE, source: {}, data: init });
  win.dispatch("message", { origin: SITE, source: win.parent, data: { type: "lentera:launch", item: "sco1" } });
  assert.equal(player.started(), null);
  win.dispatch("message", { origin: SITE, source: win.parent, data: init });
  win.dispatch("message", { origin: SITE, source: win.parent, data: init });
  await player.started();
  assert.deepEqual(starts, [[7, "sco2"]]);
  win.dispatch("message", { origin: "http://evil.example", source: win.parent, data: { type: "lentera:launch", item: "x" } });
  win.dispatch("message", { origin: SITE, source: win.parent, data: { type: "lentera:launch", item: "sco1" } });
  await tick();
  assert.deepEqual(launched, ["sco1"]);
});

test("the player's data comes from its json_script, and without a site origin there is no player", () => {
  const doc = (text) => ({ getElementById: (id) => (id === "package-player" ? { textContent: text } : null) });
  assert.equal(readPlayerData(doc(JSON.stringify({ siteOrigin: SITE, kind: "h5p" }))).kind, "h5p");
  assert.equal(readPlayerData(doc(JSON.stringify({ kind: "h5p" }))), null);
  assert.equal(readPlayerData(doc("{not json")), null);
});

/* LMS-provided data */

test("SCORM 1.2: a first launch is ab-initio with the learner, mode, credit and manifest values", () => {
  const cmi = launchCmi({ is2004: false, item: config().items[0], stored: undefined, config: config() });
  assert.equal(cmi.core.entry, "ab-initio");
  assert.equal(cmi.core.student_id, "u5");
  assert.equal(cmi.core.student_name, "Lestari, Dewi");
  assert.equal(cmi.core.lesson_mode, "normal");
  assert.equal(cmi.core.credit, "credit");
  assert.equal(cmi.launch_data, "hello");
  assert.deepEqual(cmi.student_data, { mastery_score: "80", max_time_allowed: "00:30:00", time_limit_action: "exit,message" });
});

test("SCORM 1.2: stored suspend data resumes; last session's exit and time are not carried over", () => {
  const stored = { core: { lesson_location: "p4", lesson_status: "incomplete", exit: "suspend", session_time: "00:10:00", total_time: "00:10:00" }, suspend_data: "abc" };
  const cmi = launchCmi({ is2004: false, item: config().items[0], stored, config: config({ mode: "review" }) });
  assert.equal(cmi.core.entry, "resume");
  assert.equal(cmi.core.exit, undefined);
  assert.equal(cmi.core.session_time, undefined);
  assert.equal(cmi.core.total_time, "00:10:00");
  assert.equal(cmi.core.lesson_mode, "review");
  assert.equal(cmi.core.credit, "no-credit");
  assert.equal(stored.core.exit, "suspend", "the stored cmi is not changed");
  const finished = launchCmi({ is2004: false, item: config().items[0], stored: { core: { lesson_status: "completed", exit: "" } }, config: config() });
  assert.equal(finished.core.entry, "");
});

test("the entry the server's config gives (without the last exit) is kept", () => {
  const server12 = { core: { entry: "resume", lesson_status: "incomplete", credit: "credit", lesson_mode: "normal" } };
  assert.equal(launchCmi({ is2004: false, item: config().items[0], stored: server12, config: config() }).core.entry, "resume");
  const server2004 = { entry: "", completion_status: "completed", mode: "normal" };
  const cmi = launchCmi({ is2004: true, item: { identifier: "a" }, stored: server2004, config: config({ mode: "review" }) });
  assert.equal(cmi.entry, "");
  assert.equal(cmi.mode, "review");
  assert.equal(cmi.credit, "no-credit");
});

test("SCORM 2004: ab_initio, resume after suspend, thresholds and passing score", () => {
  const item = { identifier: "a", launch: "a.html", scaledPassingScore: 0.8, completionThreshold: 0.5, dataFromLms: "d", maxTimeAllowed: "PT1H", timeLimitAction: "continue,no message" };
  const first = launchCmi({ is2004: true, item, stored: {}, config: config({ kind: "scorm2004" }) });
  assert.equal(first.entry, "ab_initio");
  assert.equal(first.learner_id, "u5");
  assert.equal(first.mode, "normal");
  assert.equal(first.credit, "credit");
  assert.equal(first.scaled_passing_score, "0.8");
  assert.equal(first.completion_threshold, "0.5");
  assert.equal(first.max_time_allowed, "PT1H");
  const again = launchCmi({ is2004: true, item, stored: { exit: "suspend", location: "3", completion_status: "incomplete" }, config: config({ mode: "browse" }) });
  assert.equal(again.entry, "resume");
  assert.equal(again.mode, "browse");
  assert.equal(again.credit, "no-credit");
  assert.equal(again.exit, undefined);
});

/* scorm-again through the runtime */

test("SCORM 1.2 through scorm-again: resume, commit and finish are posted as lentera:commit", async () => {
  const cfg = config({ cmi: { sco1: { core: { lesson_location: "p2", lesson_status: "incomplete", exit: "suspend" }, suspend_data: "s1" } } });
  const { win, frame, messages, rt } = runtime("scorm12", cfg);
  await rt.start();
  assert.deepEqual(messages.shift(), { type: "lentera:item", item: "sco1" });
  assert.equal(frame.src, "http://localhost:8000/paket/0f0e/f/sco1/index.html?x=1");
  const api = win.API;
  assert.equal(api.LMSInitialize(""), "true");
  assert.equal(api.LMSGetValue("cmi.core.entry"), "resume");
  assert.equal(api.LMSGetValue("cmi.core.lesson_location"), "p2");
  assert.equal(api.LMSGetValue("cmi.suspend_data"), "s1");
  assert.equal(api.LMSGetValue("cmi.core.student_name"), "Lestari, Dewi");
  assert.equal(api.LMSGetValue("cmi.student_data.mastery_score"), "80");
  assert.equal(api.LMSGetValue("cmi.launch_data"), "hello");
  api.LMSSetValue("cmi.core.lesson_location", "p3");
  assert.equal(api.LMSCommit(""), "true");
  const commit = messages.shift();
  assert.equal(commit.type, "lentera:commit");
  assert.equal(commit.item, "sco1");
  assert.equal(commit.terminate, false);
  assert.match(commit.eventId, /^[0-9a-f-]{36}$/);
  assert.equal(commit.committedAt, "2026-12-04T10:00:00.000Z");
  assert.equal(commit.cmi.core.lesson_location, "p3");
  assert.equal(commit.cmi.cmi, undefined, "the cmi is unwrapped (scorm-again's nested form)");
  api.LMSSetValue("cmi.core.score.raw", "90");
  api.LMSSetValue("cmi.core.exit", "suspend");
  assert.equal(api.LMSFinish(""), "true");
  const last = messages.shift();
  assert.equal(last.terminate, true);
  assert.equal(last.cmi.core.lesson_status, "passed", "scorm-again applies the mastery score");
  assert.notEqual(last.eventId, commit.eventId);
  await tick();
  // Passed: the next SCO follows, with a fresh API session.
  assert.deepEqual(messages.shift(), { type: "lentera:item", item: "sco2" });
  assert.equal(frame.src, "http://localhost:8000/paket/0f0e/f/sco2/index.html");
  const next = win.API;
  assert.notEqual(next, api, "a new SCORM 1.2 API object for the next SCO");
  assert.equal(next.LMSInitialize(""), "true");
  assert.equal(next.LMSGetValue("cmi.core.entry"), "ab-initio");
  assert.equal(next.LMSGetValue("cmi.core.lesson_location"), "");
  assert.equal(next.LMSGetValue("cmi.suspend_data"), "");
  rt.stop();
});

test("every minute, and only when the SCO changed something, the runtime commits", async () => {
  let every = null;
  const win = fakeWindow();
  const messages = [];
  const rt = createScormRuntime({
    kind: "scorm12",
    config: config(),
    filesUrl: FILES,
    win,
    frame: fakeFrame(),
    send: (m) => messages.push(m),
    timers: { setInterval: (fn) => { every = fn; return 1; }, clearInterval() {}, setTimeout },
  });
  await rt.start();
  messages.length = 0;
  win.API.LMSInitialize("");
  every();
  assert.equal(messages.length, 0);
  win.API.LMSSetValue("cmi.suspend_data", "x");
  every();
  every();
  assert.equal(messages.length, 1);
  assert.equal(messages[0].cmi.suspend_data, "x");
  rt.stop();
});

test("browse mode (not enrolled) commits nothing", async () => {
  const { win, messages, rt } = runtime("scorm12", config({ enrolled: false, mode: "browse" }));
  await rt.start();
  win.API.LMSInitialize("");
  win.API.LMSSetValue("cmi.core.lesson_status", "completed");
  win.API.LMSCommit("");
  assert.deepEqual(messages.map((m) => m.type), ["lentera:item"]);
  rt.stop();
});

test("launching an asset sends one empty terminating commit, so a package of assets completes", async () => {
  const assets = config({
    items: [
      { identifier: "doc", title: "Doc", launch: "doc.html", scormType: "asset" },
      { identifier: "sco2", title: "Two", launch: "sco2/index.html", scormType: "sco" },
    ],
    startItem: "doc",
  });
  const { messages, rt } = runtime("scorm12", assets);
  await rt.start();
  const commits = messages.filter((m) => m.type === "lentera:commit");
  assert.equal(commits.length, 1);
  assert.deepEqual(
    { ...commits[0], eventId: undefined },
    { type: "lentera:commit", item: "doc", cmi: {}, terminate: true, eventId: undefined, committedAt: "2026-12-04T10:00:00.000Z" },
  );
  assert.match(commits[0].eventId, /^00000000-/);
  rt.stop();

  const browse = runtime("scorm12", { ...assets, enrolled: false, mode: "browse" });
  await browse.rt.start();
  assert.deepEqual(browse.messages.map((m) => m.type), ["lentera:item"]);
  browse.rt.stop();
});

const tree2004 = {
  kind: "scorm2004",
  items: [
    { identifier: "a", title: "A", launch: "a.html", scormType: "sco" },
    { identifier: "b", title: "B", launch: "b.html", scormType: "sco", completionThreshold: 0.5 },
    { identifier: "c", title: "C", launch: "c.html", scormType: "sco" },
  ],
  // As the manifest parser keeps it: one root node (the organization), spec-named sequencing.
  structure: [
    { identifier: "org", title: "Org", sequencing: { controlMode: { choice: true, flow: true } }, children: [
      { identifier: "m1", title: "M1", sequencing: { controlMode: { choice: true, flow: true } }, children: [
        { identifier: "a", title: "A", launch: "a.html", children: [] },
        { identifier: "b", title: "B", launch: "b.html", children: [] },
      ] },
      { identifier: "c", title: "C", launch: "c.html", children: [], sequencing: { limitConditions: { attemptLimit: 3 } } },
    ] },
  ],
  startItem: "a",
};

test("scorm-again's activity tree is built from the outline and the spec-named sequencing", () => {
  const tree = activityTree({ title: "T", ...tree2004 });
  assert.equal(tree.id, "org");
  assert.deepEqual(tree.sequencingControls, { choice: true, flow: true });
  assert.deepEqual(tree.children.map((node) => node.id), ["m1", "c"]);
  assert.deepEqual(tree.children[0].children.map((node) => node.id), ["a", "b"]);
  assert.equal(tree.children[1].attemptLimit, 3);
  assert.equal(activityTree({ structure: [] }), null);
  const mapped = activitySequencing({
    controlMode: { choice: "false", flow: true, forwardOnly: true },
    sequencingRules: { preConditionRules: [{ conditionCombination: "all", action: "disabled", conditions: [{ condition: "objectiveMeasureGreaterThan", operator: "not", referencedObjective: "o1", measureThreshold: "0.5" }] }] },
    rollupRules: { rollupObjectiveSatisfied: true, rules: [{ childActivitySet: "atLeastCount", minimumCount: "2", conditionCombination: "any", conditions: [{ condition: "satisfied", operator: "noOp" }], action: "satisfied" }] },
    objectives: { primary: { objectiveID: "o1", satisfiedByMeasure: "true", minNormalizedMeasure: "0.6", mapInfo: [{ targetObjectiveID: "g1", readSatisfiedStatus: true }] }, objectives: [] },
    deliveryControls: { tracked: false },
  });
  assert.deepEqual(mapped.sequencingControls, { choice: false, flow: true, forwardOnly: true, rollupObjectiveSatisfied: true });
  assert.deepEqual(mapped.sequencingRules.preConditionRules[0], {
    action: "disabled",
    conditionCombination: "all",
    conditions: [{ condition: "objectiveMeasureGreaterThan", operator: "not", referencedObjective: "o1", parameters: { threshold: 0.5 } }],
  });
  assert.deepEqual(mapped.rollupRules.rules[0], { action: "satisfied", conditionCombination: "any", consideration: "atLeastCount", minimumCount: 2, conditions: [{ condition: "satisfied", operator: "noOp" }] });
  assert.deepEqual(mapped.primaryObjective, { objectiveID: "o1", isPrimary: true, satisfiedByMeasure: true, minNormalizedMeasure: 0.6, mapInfo: [{ targetObjectiveID: "g1", readSatisfiedStatus: true }] });
  assert.deepEqual(mapped.deliveryControls, { tracked: false });
});

test("SCORM 2004: a skip pre-condition rule makes scorm-again's sequencer pass over an item on continue", async () => {
  const structure = structuredClone(tree2004.structure);
  structure[0].children[0].children[1].sequencing = { sequencingRules: { preConditionRules: [{ action: "skip", conditions: [{ condition: "always" }] }] } };
  const { win, rt } = runtime("scorm2004", config({ ...tree2004, structure }));
  await rt.start();
  const api = win.API_1484_11;
  api.Initialize("");
  api.SetValue("adl.nav.request", "continue");
  api.Terminate("");
  await tick();
  assert.equal(rt.current(), "c", "b is skipped by its rule, not by outline order");
  rt.stop();
});

test("SCORM 2004 through scorm-again: continue, previous and choice move between SCOs", async () => {
  const { win, frame, messages, rt } = runtime("scorm2004", config(tree2004));
  await rt.start();
  const api = win.API_1484_11;
  assert.equal(win.API, undefined);
  assert.equal(api.Initialize(""), "true");
  assert.equal(api.GetValue("cmi.entry"), "ab_initio");
  assert.equal(api.GetValue("cmi.learner_name"), "Lestari, Dewi");
  assert.equal(api.GetValue("adl.nav.request_valid.continue"), "true");
  api.SetValue("cmi.completion_status", "completed");
  api.SetValue("adl.nav.request", "continue");
  assert.equal(api.Terminate(""), "true");
  await tick();
  assert.equal(frame.src, "http://localhost:8000/paket/0f0e/f/b.html");
  assert.equal(rt.current(), "b");
  assert.equal(api.Initialize(""), "true");
  assert.equal(api.GetValue("cmi.completion_threshold"), "0.5");
  api.SetValue("cmi.progress_measure", "0.6");
  api.SetValue("adl.nav.request", "previous");
  api.Terminate("");
  await tick();
  assert.equal(rt.current(), "a");
  api.Initialize("");
  assert.equal(api.GetValue("cmi.completion_status"), "completed", "a's data from this visit");
  api.SetValue("adl.nav.request", "{target=c}choice");
  api.Terminate("");
  await tick();
  assert.equal(rt.current(), "c");
  api.Initialize("");
  api.SetValue("cmi.exit", "suspend");
  api.SetValue("adl.nav.request", "suspendAll");
  api.Terminate("");
  await tick();
  assert.equal(rt.current(), "c", "suspendAll launches nothing");
  const commits = messages.filter((m) => m.type === "lentera:commit");
  const b = commits.find((m) => m.item === "b" && m.terminate);
  assert.equal(b.cmi.completion_status, "completed", "progress 0.6 over threshold 0.5");
  assert.deepEqual(messages.filter((m) => m.type === "lentera:item").map((m) => m.item), ["a", "b", "a", "c"]);
  rt.stop();
});

test("SCORM 2004 without an activity tree moves in outline order; an outline pick ends the running SCO", async () => {
  const { win, frame, messages, rt } = runtime("scorm2004", config({ ...tree2004, structure: [] }));
  await rt.start("b");
  const api = win.API_1484_11;
  api.Initialize("");
  api.SetValue("cmi.location", "5");
  const picked = rt.launch("a");
  // The frame is emptied; this SCO does not terminate itself on unload, so the player does.
  assert.equal(frame.src, "about:blank");
  frame.loaded();
  await picked;
  assert.equal(rt.current(), "a");
  const last = messages.filter((m) => m.type === "lentera:commit").at(-1);
  assert.equal(last.item, "b");
  assert.equal(last.terminate, true);
  assert.equal(last.cmi.location, "5");
  api.Initialize("");
  api.SetValue("adl.nav.request", "continue");
  api.Terminate("");
  await tick();
  assert.equal(rt.current(), "b");
  api.Initialize("");
  assert.equal(api.GetValue("cmi.entry"), "resume", "b has a location from before");
  rt.stop();
});

/* H5P */

test("only the top-level content's completed/answered/passed/failed statements count", () => {
  const statement = (verb, parent) => ({
    verb: { id: `http://adlnet.gov/expapi/verbs/${verb}` },
    context: parent ? { contextActivities: { parent: [{ id: "x" }] } } : {},
  });
  assert.equal(verbOf(statement("answered")), "answered");
  assert.equal(countsForLesson(statement("answered")), true);
  assert.equal(countsForLesson(statement("completed")), true);
  assert.equal(countsForLesson(statement("answered", true)), false);
  assert.equal(countsForLesson(statement("interacted")), false);
  assert.equal(countsForLesson(null), false);
});

test("H5P: h5p-standalone gets the files, the saved state in the form H5P's core reads, and a stable IRI; top-level results are posted", async () => {
  const listeners = [];
  let made = null;
  const win = {
    localStorage: {},
    sessionStorage: {},
    H5PStandalone: {
      H5P: class {
        constructor(element, options) {
          made = { element, options };
          win.H5P = { externalDispatcher: { on: (name, fn) => listeners.push([name, fn]) } };
          return Promise.resolve(this);
        }
      },
    },
  };
  const element = { querySelector: () => ({ contentWindow: { H5P: { instances: [{ getCurrentState: () => ({ answers: { q0: "1" } }) }] } } }) };
  const messages = [];
  await startH5P({
    win,
    doc: null,
    element,
    config: { lesson: 9, enrolled: true, mode: "normal", h5p: { state: "{\"answers\":{}}" } },
    filesUrl: "http://localhost:8000/paket/u/f/",
    h5p: { frameJs: "/static/vendor/h5p-standalone/frame.bundle.js", frameCss: "/static/vendor/h5p-standalone/styles/h5p.css" },
    siteOrigin: SITE,
    send: (message) => messages.push(message),
    uuid: () => "11111111-1111-4111-8111-111111111111",
    now: () => "2026-12-04T10:00:00.000Z",
  });
  assert.equal(made.options.h5pJsonPath, "http://localhost:8000/paket/u/f");
  assert.deepEqual(made.options.contentUserData, [{ state: "{\"answers\":{}}" }]);
  assert.equal(made.options.xAPIObjectIRI, `${SITE}/xapi/activities/package-lesson/9`);
  assert.equal(made.options.frameJs, "/static/vendor/h5p-standalone/frame.bundle.js");
  const [[name, onXapi]] = listeners;
  assert.equal(name, "xAPI");
  const verb = (v) => ({ id: `http://adlnet.gov/expapi/verbs/${v}` });
  onXapi({ data: { statement: { verb: verb("attempted") } } });
  onXapi({ data: { statement: { verb: verb("answered"), context: { contextActivities: { parent: [{ id: "p" }] } } } } });
  onXapi({ data: { statement: { verb: verb("completed"), result: { score: { raw: 3, max: 3, scaled: 1 } } } } });
  assert.deepEqual(messages, [
    { type: "lentera:item", item: "h5p" },
    {
      type: "lentera:xapi",
      statement: { verb: verb("completed"), result: { score: { raw: 3, max: 3, scaled: 1 } } },
      state: "{\"answers\":{\"q0\":\"1\"}}",
      eventId: "11111111-1111-4111-8111-111111111111",
      committedAt: "2026-12-04T10:00:00.000Z",
    },
  ]);
});

test("top-level interacted and progressed statements are state saves; sub-content's are not", () => {
  const statement = (verb, parent) => ({
    verb: { id: `http://adlnet.gov/expapi/verbs/${verb}` },
    context: parent ? { contextActivities: { parent: [{ id: "x" }] } } : {},
  });
  assert.equal(savesState(statement("interacted")), true);
  assert.equal(savesState(statement("progressed")), true);
  assert.equal(savesState(statement("interacted", true)), false);
  assert.equal(savesState(statement("answered")), false);
  assert.equal(savesState(statement("attempted")), false);
});

test("H5P: a half-answered quiz's state is saved at once, then at most every 2 s with the latest state, and flushed when the page hides", async () => {
  const listeners = [];
  const winListeners = {};
  let clockMs = 10_000;
  const timers = [];
  let state = { answers: { q0: "1" } };
  const win = {
    localStorage: {},
    sessionStorage: {},
    addEventListener: (type, fn) => (winListeners[type] = fn),
    H5PStandalone: {
      H5P: class {
        constructor() {
          win.H5P = { externalDispatcher: { on: (name, fn) => listeners.push([name, fn]) } };
          return Promise.resolve(this);
        }
      },
    },
  };
  const element = { querySelector: () => ({ contentWindow: { H5P: { instances: [{ getCurrentState: () => state }] } } }) };
  const messages = [];
  let ids = 0;
  await startH5P({
    win,
    doc: null,
    element,
    config: { lesson: 9, enrolled: true, mode: "normal", h5p: { state: null } },
    filesUrl: "http://localhost:8000/paket/u/f/",
    h5p: { frameJs: "/static/vendor/h5p-standalone/frame.bundle.js", frameCss: "/x.css" },
    siteOrigin: SITE,
    send: (message) => messages.push(message),
    uuid: () => `id-${(ids += 1)}`,
    now: () => "2026-12-04T10:00:00.000Z",
    clock: () => clockMs,
    later: (fn, ms) => timers.push({ fn, ms }) - 1,
    cancel: (index) => timers[index] && (timers[index].cancelled = true),
  });
  const [[, onXapi]] = listeners;
  const verb = (v) => ({ id: `http://adlnet.gov/expapi/verbs/${v}` });
  const saves = () => messages.filter((m) => m.type === "lentera:xapi");
  onXapi({ data: { statement: { verb: verb("interacted") } } });
  assert.deepEqual(saves().map((m) => [m.statement.verb.id, m.state]), [
    ["http://adlnet.gov/expapi/verbs/interacted", "{\"answers\":{\"q0\":\"1\"}}"],
  ]);
  clockMs += 500;
  state = { answers: { q0: "1", q1: "0" } };
  onXapi({ data: { statement: { verb: verb("interacted") } } });
  onXapi({ data: { statement: { verb: verb("progressed") } } });
  assert.equal(saves().length, 1, "the second and third wait for their turn");
  assert.equal(timers.length, 1);
  assert.equal(timers[0].ms, 1500);
  winListeners.pagehide();
  assert.deepEqual(saves().map((m) => [verbOf(m.statement), m.state, m.eventId]), [
    ["interacted", "{\"answers\":{\"q0\":\"1\"}}", "id-1"],
    ["progressed", "{\"answers\":{\"q0\":\"1\",\"q1\":\"0\"}}", "id-2"],
  ]);
  timers[0].fn(); // the timer, already flushed, sends nothing more
  assert.equal(saves().length, 2);
  clockMs += 500;
  onXapi({ data: { statement: { verb: verb("interacted") } } });
  onXapi({ data: { statement: { verb: verb("completed"), result: { score: { raw: 2, max: 2 } } } } });
  assert.deepEqual(saves().map((m) => verbOf(m.statement)), ["interacted", "progressed", "completed"]);
  assert.equal(timers[1].cancelled, true, "a result replaces the waiting state save");
});

test("a window refused storage (a frame of another site) gets storage in memory", () => {
  const refused = {};
  for (const name of ["localStorage", "sessionStorage"]) {
    Object.defineProperty(refused, name, { configurable: true, get() { throw new Error("SecurityError"); } });
  }
  assert.equal(guardStorage(refused), true);
  refused.localStorage.setItem("k", 1);
  assert.equal(refused.localStorage.getItem("k"), "1");
  assert.equal(refused.localStorage.length, 1);
  assert.equal(refused.sessionStorage.getItem("x"), null);
  assert.equal(guardStorage({ localStorage: {}, sessionStorage: {} }), false);
});
