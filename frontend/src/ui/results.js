// What the server said about the records this device sent (completions, quiz answers), shown
// once on the next page in a status region: progress and certificate, score and result page,
// or the server's reason for a refusal.
import { resultsList, resultsMarkSeen } from "../db.js";
import { h } from "./dom.js";
import { formatPercent, t, value } from "./strings.js";

function certificateLink(code) {
  const placeholder = value("code_placeholder");
  const pattern = value("certificate_url");
  if (!pattern || !placeholder) return null;
  return h("a", { href: pattern.replace(placeholder, encodeURIComponent(code)) }, t("certificate", { code }));
}

function describe(result) {
  const item = h("li", { "data-offline-result": result.ok ? "ok" : "refused", "data-kind": result.kind });
  if (!result.ok) {
    item.append(t("refused", { title: result.title, detail: result.detail }));
    return item;
  }
  const parts = [];
  if (result.kind === "quiz") {
    parts.push(
      result.score === null || result.score === undefined
        ? t("completion_sent", { title: result.title })
        : t("quiz_scored", { title: result.title, score: formatPercent(result.score) }),
    );
    if (result.passed === true) parts.push(t("quiz_passed"));
    if (result.passed === false) parts.push(t("quiz_not_passed"));
  } else {
    parts.push(t("completion_sent", { title: result.title }));
    if (result.progress !== null && result.progress !== undefined) {
      parts.push(t("progress", { percent: formatPercent(result.progress) }));
    }
  }
  item.append(parts.join(" "));
  if (result.kind === "quiz" && result.result_url) {
    item.append(" ", h("a", { href: result.result_url }, t("see_result")));
  }
  if (result.certificate_code) {
    const link = certificateLink(result.certificate_code);
    if (link) item.append(" ", link);
  }
  return item;
}

function region() {
  let element = document.querySelector("[data-offline-results]");
  if (!element) {
    // Present (and empty) from the start, so that screen readers announce what is added.
    element = h("div", { role: "status", "data-offline-results": true });
    const main = document.getElementById("main") || document.querySelector("main") || document.body;
    main.prepend(element);
  }
  return element;
}

/** Show the account's unseen results and mark them seen. */
export async function showResults(account) {
  if (!account) return [];
  const target = region();
  const unseen = await resultsList(account, { unseenOnly: true });
  if (!unseen.length) return unseen;
  // Oldest first, in the order the learner did things.
  const items = [...unseen].reverse().map(describe);
  let list = target.querySelector("ul");
  if (!list) {
    list = h("ul", {});
    target.append(
      h(
        "div",
        { className: "callout callout--info section" },
        h("p", { className: "callout__title" }, t("results_title")),
        list,
      ),
    );
  }
  list.append(...items);
  await resultsMarkSeen(unseen.map((result) => result.event_id));
  return unseen;
}

export function initResults(account) {
  if (!account) return;
  region();
  showResults(account).catch(() => {});
}
