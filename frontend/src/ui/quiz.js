// An untimed quiz answered without a connection: the start form builds the questions from the
// paper stored when the course was saved (questions and options only, no answer key), and the
// answers are queued with the paper's token; the server scores them when the device is online.
// Timed quizzes need a connection (the page says so): nothing here touches them. Under a
// service worker the connection may only look online: the start goes through the API first,
// and a network error, a timeout or a 5xx opens the stored paper instead of an error page.
import { outboxAdd, outboxList, paperGet } from "../db.js";
import { controlled, csrfToken, h, online, post } from "./dom.js";
import { t } from "./strings.js";

let formCount = 0;

// Question text keeps its line breaks (the server's template uses linebreaksbr).
function multiline(text) {
  const parts = [];
  String(text || "")
    .split("\n")
    .forEach((line, index) => {
      if (index) parts.push(h("br"));
      parts.push(line);
    });
  return parts;
}

function questionItem(question, number, total, prefix) {
  const legend = h(
    "legend",
    {},
    h(
      "span",
      { className: "meta" },
      Number(question.points) === 1
        ? t("question_one_point", { number, total })
        : t("question", { number, total, points: question.points }),
    ),
    h("br"),
    ...multiline(question.text),
  );
  const fieldset = h("fieldset", { className: "field", "data-question-id": question.id }, legend);
  const name = `${prefix}${question.id}`;
  if (question.kind === "short_answer") {
    fieldset.append(
      h("label", { for: name }, t("your_answer")),
      h("input", {
        type: "text",
        id: name,
        name,
        maxlength: 500,
        autocomplete: "off",
        spellcheck: "false",
      }),
    );
  } else {
    if (question.kind === "multiple_choice") {
      fieldset.append(h("span", { className: "hint" }, t("choose_every")));
    }
    const type = question.kind === "multiple_choice" ? "checkbox" : "radio";
    (question.options || []).forEach((option, index) => {
      const id = `${name}-${index + 1}`;
      fieldset.append(
        h(
          "div",
          { className: "field--choice" },
          h("input", { type, id, name, value: option.id }),
          h("label", { for: id }, option.text),
        ),
      );
    });
  }
  return h("li", {}, fieldset);
}

function answersOf(form, paper, prefix) {
  const answers = {};
  for (const question of paper.questions || []) {
    const name = `${prefix}${question.id}`;
    if (question.kind === "short_answer") {
      answers[question.id] = (form.elements[name]?.value || "").trim();
    } else {
      answers[question.id] = [...form.querySelectorAll(`input[name="${CSS.escape(name)}"]:checked`)].map(
        (input) => input.value,
      );
    }
  }
  return answers;
}

function statusParagraph(text, extra = {}) {
  return h("p", { className: "callout callout--info", role: "status", ...extra }, text);
}

function showQueued(target) {
  const status = statusParagraph(t("quiz_queued"), { "data-offline-quiz-queued": true, tabindex: -1 });
  target.replaceWith(status);
  return status;
}

function buildForm(startElement, paper, account, queue) {
  formCount += 1;
  const prefix = `offline-q${formCount}-`;
  const questions = paper.questions || [];
  const list = h("ol", { className: "quiz-questions" });
  questions.forEach((question, index) => list.append(questionItem(question, index + 1, questions.length, prefix)));
  const form = h(
    "form",
    { className: "form section", "data-offline-quiz-form": true },
    list,
    h("p", { className: "hint" }, t("check_answers")),
    h("button", { type: "submit", className: "button" }, t("submit_answers")),
  );
  const intro = statusParagraph(t("quiz_offline_intro"), { tabindex: -1 });
  const wrapper = h("div", { "data-offline-quiz-answers": true }, intro, form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector("button[type=submit]");
    submit.disabled = true;
    try {
      await queue({
        kind: "quiz",
        event_id: crypto.randomUUID(),
        account,
        quiz_id: Number(startElement.dataset.quizId),
        token: paper.token,
        answers: answersOf(form, paper, prefix),
        answered_at: new Date().toISOString(),
        title: paper.title || document.getElementById("page-title")?.textContent.trim() || document.title,
        url: location.pathname,
      });
    } catch (error) {
      submit.disabled = false;
      throw error;
    }
    showQueued(wrapper).focus();
  });
  startElement.replaceWith(wrapper);
  intro.focus();
}

// The element carrying data-offline-quiz is the start form, the "continue your attempt" link's
// paragraph, or (a post-test waiting for lessons) the paragraph of a disabled start button with
// the lessons still to do in data-lessons-left.
async function openOffline(element, account, queue) {
  const paper = await paperGet(account, element.dataset.quizId);
  if (!paper) {
    // After the form or paragraph, not inside it (no paragraph in a paragraph).
    if (!element.nextElementSibling?.matches("[data-offline-no-paper]")) {
      element.after(statusParagraph(t("quiz_no_paper"), { "data-offline-no-paper": true }));
    }
    return;
  }
  buildForm(element, paper, account, queue);
}

/** The start API of the quiz (`POST /api/v1/quizzes/<id>/attempts`), next to its paper's. */
function startUrl(element) {
  const paper = element.dataset.paperUrl || `/api/v1/quizzes/${element.dataset.quizId}/paper`;
  return paper.replace(/paper$/, "attempts");
}

/**
 * Online under a service worker: start (or resume) the attempt through the API. The server
 * took it or refused it: the form posts as without JavaScript (it resumes the attempt just
 * started, or says why not). Unreachable: the stored paper, as offline.
 */
export async function startOnline(form, account, queue) {
  const answer = await post(startUrl(form), {}, { token: csrfToken(form) });
  if (answer.state === "unreachable") {
    await openOffline(form, account, queue);
    return "offline";
  }
  form.submit();
  return answer.state;
}

export async function initQuizForms(account, { queue = outboxAdd } = {}) {
  if (!account) return;
  const hooks = [...document.querySelectorAll("[data-offline-quiz]")].filter(
    (element) => element.dataset.timed !== "true",
  );
  if (!hooks.length) return;
  const items = await outboxList(account);
  const waiting = new Set(items.filter((item) => item.kind === "quiz").map((item) => String(item.quiz_id)));
  const queuedLessons = new Set(
    items.filter((item) => item.kind === "completion").map((item) => String(item.lesson_id)),
  );
  for (const element of hooks) {
    if (waiting.has(element.dataset.quizId)) {
      showQueued(element);
      continue;
    }
    if (element.matches("form")) {
      // Offline with the paper on the device: the button says what it will do now.
      const button = element.querySelector("button[type=submit], button:not([type])");
      if (button && !online() && (await paperGet(account, element.dataset.quizId))) {
        button.textContent = t("quiz_offline_start");
      }
      element.addEventListener("submit", (event) => {
        // Online without a service worker: the server starts the attempt as usual.
        if (online() && !controlled()) return;
        event.preventDefault();
        if (element.dataset.offlineStarting) return; // a second click while the first runs
        element.dataset.offlineStarting = "1";
        const start = online() ? startOnline(element, account, queue) : openOffline(element, account, queue);
        start.finally(() => delete element.dataset.offlineStarting);
      });
      continue;
    }
    const lessonsLeft = (element.dataset.lessonsLeft || "").split(/\s+/).filter(Boolean);
    const control = element.querySelector("a[href], button");
    if (!control) continue;
    if (lessonsLeft.length) {
      // The post-test waits for lessons: offline, lessons done on this device count (the
      // server checks again when the answers arrive).
      if (online() || !lessonsLeft.every((id) => queuedLessons.has(id))) continue;
      control.disabled = false;
      control.removeAttribute("aria-describedby");
    }
    control.addEventListener("click", (event) => {
      if (online()) return;
      event.preventDefault();
      openOffline(element, account, queue);
    });
  }
}
