// What search by meaning adds to the results: the likely answer to a question (a passage above the results),
// and "more passages like this" (passages of other documents nearest one passage, any language).
// The answer's html comes escaped from the API with <mark> around the query's words: it goes through
// appendMarked like the snippets; every other text goes in as text.
import { get } from "./api.js";
import { append, appendMarked, el } from "./dom.js";
import { t } from "./i18n.js";
import { errorMessage } from "./i18n-values.js";
import { docHash } from "./router.js";

const SIMILAR_SIZE = 5;
let panels = 0;   // ids of the similar-passage panels, unique in the page

// The answer box (the <section id="answer"> of index.html): filled when the API gave an answer, hidden else.
export function renderAnswer(box, answer, q) {
  box.replaceChildren();
  if (!answer || !answer.id || typeof answer.html !== "string") { box.hidden = true; return; }
  const page = Number.isInteger(answer.page) && answer.page >= 1 ? answer.page : 1;
  const passage = el("blockquote", { class: "answer-text" });
  appendMarked(passage, answer.html);
  const title = answer.title || answer.id;
  append(box,
    el("h3", { id: "answer-heading" }, t("answer.heading")),
    passage,
    el("p", { class: "answer-source" },
      el("a", { id: "answer-link", href: docHash(answer.id, { page, q }) },
        el("cite", {}, title), `, ${t("answer.page", page)}`)),
    el("p", { class: "answer-hint" }, t("answer.hint")),
    similarPassages(answer.id, page, answer.start, `${title}, ${t("answer.page", page)}`));
  box.hidden = false;
}

// A button that lists, in a panel below it, the passages of other documents nearest the passage of document
// `id` at (page, start): GET /api/documents/{id}/passages/similar. `where` names the passage for the
// button's accessible name (several such buttons may share a page).
export function similarPassages(id, page, start, where) {
  if (!Number.isInteger(start) || start < 0) return null;
  const panelId = `similar-passages-${++panels}`;
  const button = el("button", { type: "button", class: "link-button more-passages", "aria-expanded": "false",
    "aria-controls": panelId, "aria-label": t("passages.more.label", where) }, t("passages.more"));
  const panel = el("div", { id: panelId, class: "similar-passages", hidden: true, "aria-live": "polite" });
  button.addEventListener("click", async () => {
    const open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", String(!open));
    panel.hidden = open;
    if (open || panel.dataset.loaded) return;
    panel.dataset.loaded = "1";
    panel.setAttribute("aria-busy", "true");
    panel.replaceChildren(el("p", { class: "status" }, t("passages.loading")));
    try {
      const body = await get(`documents/${id}/passages/similar`, { page, start, size: SIMILAR_SIZE });
      fillPanel(panel, (body && body.results) || []);
    } catch (err) {
      delete panel.dataset.loaded;
      panel.replaceChildren(el("p", { class: "status error" }, t("passages.error", errorMessage(err))));
    } finally {
      panel.removeAttribute("aria-busy");
    }
  });
  return el("div", { class: "passages-more" }, button, panel);
}

function fillPanel(panel, results) {
  const found = results.filter((r) => r && r.id && typeof r.text === "string");
  if (!found.length) { panel.replaceChildren(el("p", { class: "status" }, t("passages.none"))); return; }
  const list = el("ul", { class: "passage-list" });
  for (const r of found) {
    const page = Number.isInteger(r.page) && r.page >= 1 ? r.page : 1;
    list.appendChild(el("li", { "data-id": r.id, "data-page": page },
      el("a", { href: docHash(r.id, { page }) }, el("cite", {}, r.title || r.id), `, ${t("answer.page", page)}`),
      el("p", { class: "passage-text" }, r.text)));
  }
  panel.replaceChildren(el("p", { class: "status" }, t("passages.count", found.length)), list);
}
