// The outbox and the device's records, in Node against fake-indexeddb (`npm test` in frontend/,
// or `make frontend-test`). The browser side is covered by tests/e2e/test_offline.py.
import "fake-indexeddb/auto";
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import {
  clearAccount,
  currentAccount,
  openLenteraDb,
  outboxAdd,
  outboxList,
  paperGet,
  paperPut,
  resultsList,
  resultsMarkSeen,
  savedListForAccount,
  savedPut,
  setCurrentAccount,
} from "../src/db.js";
import { flushOutbox } from "../src/outbox.js";

const CONFIG = { apiPrefix: "/api/v1/", csrfUrl: "/api/v1/me/csrf-token" };

// Answers by URL: a function (request) => Response, or a Response factory.
let routes;
let calls;
globalThis.fetch = async (url, options = {}) => {
  calls.push({ url: String(url), method: options.method || "GET", options });
  const answer = routes[String(url)];
  if (!answer) throw new TypeError("Failed to fetch");
  return answer(options);
};
const json = (status, body) => () => new Response(JSON.stringify(body), { status });

async function wipe() {
  const db = await openLenteraDb();
  for (const name of db.objectStoreNames) await db.clear(name);
}

const completion = (event_id, lesson_id, completed_at, account = "a1") => ({
  event_id,
  account,
  kind: "completion",
  lesson_id,
  completed_at,
  title: `Lesson ${lesson_id}`,
  url: `/l/${lesson_id}/`,
});

beforeEach(async () => {
  await wipe();
  await setCurrentAccount("a1");
  calls = [];
  routes = { [CONFIG.csrfUrl]: json(200, { token: "tok" }) };
});

test("the outbox lists completions first, in the order they were made, then quizzes", async () => {
  await outboxAdd({ event_id: "q", kind: "quiz", quiz_id: 4, answered_at: "2026-01-01T08:00:00Z" });
  await outboxAdd(completion("c2", 2, "2026-01-01T10:00:00Z"));
  await outboxAdd(completion("c1", 1, "2026-01-01T09:00:00Z"));
  await outboxAdd(completion("other", 3, "2026-01-01T07:00:00Z", "b2"));
  assert.deepEqual((await outboxList("a1")).map((item) => item.event_id), ["c1", "c2", "q"]);
});

test("sent records become results, refusals keep the server's reason, neither is retried", async () => {
  await outboxAdd(completion("ok", 1, "2026-01-01T09:00:00Z"));
  await outboxAdd(completion("gone", 2, "2026-01-01T09:01:00Z"));
  await outboxAdd({ event_id: "quiz", kind: "quiz", quiz_id: 7, token: "p", answers: { 1: ["2"] }, answered_at: "2026-01-01T09:02:00Z", title: "Quiz" });
  routes["/api/v1/lessons/1/completion"] = json(201, { course_progress_percent: 50, course_completed: false, certificate_code: null });
  routes["/api/v1/lessons/2/completion"] = json(404, { code: "lesson_unavailable", detail: "This lesson is no longer published." });
  routes["/api/v1/quizzes/7/offline-submissions"] = json(201, { score: "75.00", passed: true, pass_band: "good", course_completed: true, certificate_code: "ABC", result_url: "/kuis/percobaan/9/hasil/" });
  const messages = [];
  const summary = await flushOutbox(CONFIG, (message) => messages.push(message));
  assert.deepEqual(summary, { sent: 2, refused: 1, kept: 0 });
  assert.deepEqual(await outboxList("a1"), []);
  const results = Object.fromEntries((await resultsList("a1")).map((r) => [r.event_id, r]));
  assert.equal(results.ok.ok, true);
  assert.equal(results.ok.progress, 50);
  assert.equal(results.gone.ok, false);
  assert.equal(results.gone.code, "lesson_unavailable");
  assert.equal(results.gone.detail, "This lesson is no longer published.");
  assert.equal(results.quiz.result_url, "/kuis/percobaan/9/hasil/");
  assert.equal(results.quiz.certificate_code, "ABC");
  assert.deepEqual(messages, [{ type: "outbox-flushed", sent: 2, refused: 1, kept: 0 }]);
  const posted = calls.filter((call) => call.method === "POST");
  assert.deepEqual(JSON.parse(posted[0].options.body), { event_id: "ok", completed_at: "2026-01-01T09:00:00Z" });
  assert.equal(posted[0].options.headers["X-CSRFToken"], "tok");
  assert.deepEqual(JSON.parse(posted[2].options.body), { event_id: "quiz", token: "p", answers: { 1: ["2"] }, answered_at: "2026-01-01T09:02:00Z" });
  // Marking seen
  await resultsMarkSeen(["ok"]);
  assert.deepEqual((await resultsList("a1", { unseenOnly: true })).map((r) => r.event_id).sort(), ["gone", "quiz"]);
});

test("a network error or a server error keeps the record and everything after it", async () => {
  await outboxAdd(completion("first", 1, "2026-01-01T09:00:00Z"));
  await outboxAdd(completion("second", 2, "2026-01-01T09:01:00Z"));
  await outboxAdd(completion("third", 3, "2026-01-01T09:02:00Z"));
  routes["/api/v1/lessons/1/completion"] = json(201, { course_progress_percent: 10 });
  routes["/api/v1/lessons/2/completion"] = json(503, { code: "error", detail: "Down" });
  routes["/api/v1/lessons/3/completion"] = json(201, {});
  assert.deepEqual(await flushOutbox(CONFIG), { sent: 1, refused: 0, kept: 2 });
  assert.deepEqual((await outboxList("a1")).map((item) => item.event_id), ["second", "third"]);
  delete routes["/api/v1/lessons/2/completion"]; // offline now
  assert.deepEqual(await flushOutbox(CONFIG), { sent: 0, refused: 0, kept: 2 });
  assert.equal((await resultsList("a1")).length, 1);
});

test("an ended session or a stale CSRF token is not a refusal", async () => {
  await outboxAdd(completion("c", 1, "2026-01-01T09:00:00Z"));
  routes[CONFIG.csrfUrl] = json(401, { code: "not_authenticated", detail: "Sign in." });
  assert.deepEqual(await flushOutbox(CONFIG), { sent: 0, refused: 0, kept: 1 });
  routes[CONFIG.csrfUrl] = json(200, { token: "tok" });
  routes["/api/v1/lessons/1/completion"] = json(403, { code: "csrf_failed", detail: "CSRF" });
  assert.deepEqual(await flushOutbox(CONFIG), { sent: 0, refused: 0, kept: 1 });
  assert.equal((await resultsList("a1")).length, 0);
});

test("two flushes at once send each record once", async () => {
  await outboxAdd(completion("c", 1, "2026-01-01T09:00:00Z"));
  routes["/api/v1/lessons/1/completion"] = json(201, {});
  const [first, second] = await Promise.all([flushOutbox(CONFIG), flushOutbox(CONFIG)]);
  assert.equal(first, second);
  assert.equal(calls.filter((call) => call.method === "POST").length, 1);
});

test("only the current account's records are sent", async () => {
  await outboxAdd(completion("mine", 1, "2026-01-01T09:00:00Z"));
  await outboxAdd(completion("theirs", 2, "2026-01-01T09:00:00Z", "b2"));
  routes["/api/v1/lessons/1/completion"] = json(201, {});
  routes["/api/v1/lessons/2/completion"] = json(201, {});
  assert.deepEqual(await flushOutbox(CONFIG), { sent: 1, refused: 0, kept: 0 });
  assert.deepEqual((await outboxList("b2")).map((item) => item.event_id), ["theirs"]);
  await setCurrentAccount(null);
  assert.deepEqual(await flushOutbox(CONFIG), { sent: 0, refused: 0, kept: 0 });
});

test("clearing an account removes its records only, and its outbox unless kept", async () => {
  for (const account of ["a1", "b2"]) {
    await savedPut({ account, pageId: 5, title: "Course", entries: [] });
    await outboxAdd(completion(`c-${account}`, 1, "2026-01-01T09:00:00Z", account));
    await paperPut(account, 7, { quiz_id: 7 });
  }
  await clearAccount("a1", { keepOutbox: true });
  assert.deepEqual(await savedListForAccount("a1"), []);
  assert.equal(await paperGet("a1", 7), undefined);
  assert.equal((await outboxList("a1")).length, 1);
  assert.equal(await currentAccount(), null);
  await clearAccount("a1");
  assert.equal((await outboxList("a1")).length, 0);
  assert.equal((await savedListForAccount("b2")).length, 1);
  assert.deepEqual(await paperGet("b2", 7), { quiz_id: 7 });
  assert.equal((await outboxList("b2")).length, 1);
});

test("after a quiz's answers are scored, a saved quiz gets its next paper and an unsaved one loses it", async () => {
  const quiz = (event_id, quiz_id) => ({ event_id, kind: "quiz", quiz_id, token: "used", answers: {}, answered_at: "2026-01-01T09:00:00Z" });
  await savedPut({ account: "a1", pageId: 10, title: "Kursus", entries: [], quizzes: [{ quiz_id: 7, timed: false, paper_url: "/api/v1/quizzes/7/paper" }] });
  await paperPut("a1", 7, { quiz_id: 7, token: "used" });
  await paperPut("a1", 8, { quiz_id: 8, token: "used" });
  await outboxAdd(quiz("q7", 7));
  await outboxAdd(quiz("q8", 8));
  routes["/api/v1/quizzes/7/offline-submissions"] = json(201, { score: "50.00", passed: false });
  routes["/api/v1/quizzes/8/offline-submissions"] = json(403, { code: "attempts_exhausted", detail: "No attempts left." });
  routes["/api/v1/quizzes/7/paper"] = json(200, { quiz_id: 7, token: "next", questions: [] });

  assert.deepEqual(await flushOutbox(CONFIG), { sent: 1, refused: 1, kept: 0 });

  assert.equal((await paperGet("a1", 7)).token, "next");
  assert.equal(await paperGet("a1", 8), undefined);
});

test("a saved quiz whose next paper the server refuses keeps no used paper", async () => {
  await savedPut({ account: "a1", pageId: 10, title: "Kursus", entries: [], quizzes: [{ quiz_id: 7, timed: false, paper_url: "/api/v1/quizzes/7/paper" }] });
  await paperPut("a1", 7, { quiz_id: 7, token: "used" });
  await outboxAdd({ event_id: "q7", kind: "quiz", quiz_id: 7, token: "used", answers: {}, answered_at: "2026-01-01T09:00:00Z" });
  routes["/api/v1/quizzes/7/offline-submissions"] = json(200, { score: "100.00", passed: true });
  routes["/api/v1/quizzes/7/paper"] = json(403, { code: "already_passed", detail: "Passed." });

  await flushOutbox(CONFIG);

  assert.equal(await paperGet("a1", 7), undefined);
});
