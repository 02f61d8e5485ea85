// The user's own stars, tags and notes (GET /api/marks?starred=true, GET/PUT /api/marks/{document}), private to
// them: a star and "Añadir a carpeta" on each search result (decorateResult), and in the document view a panel
// with the star, the folder control, the tags, a note on the document and one on the page shown
// (annotationsPanel), the notes of the other pages linked.
import { get, put } from "./api.js";
import { el } from "./dom.js";
import { addToFolder } from "./folders.js";
import { t } from "./i18n.js";
import { errorText, setStatus } from "./manage.js";
import { docHash, parseRoute } from "./router.js";

// The ids of the user's starred documents, read once per results page (a page's results are drawn together).
const FRESH_MS = 3000;
let starred = null;
let starredAt = 0;

function starredIds() {
  if (!starred || Date.now() - starredAt > FRESH_MS) {
    starredAt = Date.now();
    starred = get("marks", { starred: "true", size: "500" })
      .then((marks) => new Set((marks || []).map((m) => m.document_id)))
      .catch(() => new Set());
  }
  return starred;
}

function starButton(docId, title) {
  const button = el("button", { type: "button", class: "star", "aria-pressed": "false", "data-id": docId });
  const draw = (on) => {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.setAttribute("aria-label", t(on ? "star.label.remove" : "star.label.add", title));
    button.title = t(on ? "star.remove" : "star.add");
    button.replaceChildren(el("span", { class: "star-icon", "aria-hidden": "true" }, on ? "★" : "☆"), " ",
      t(on ? "star.remove" : "star.add"));
  };
  draw(false);
  starredIds().then((ids) => draw(ids.has(docId)));
  button.addEventListener("click", async () => {
    const on = button.getAttribute("aria-pressed") !== "true";
    button.disabled = true;
    try {
      await put(`marks/${docId}`, { starred: on });
      draw(on);
      const ids = await starredIds();
      if (on) ids.add(docId); else ids.delete(docId);
    } catch (err) {
      button.title = errorText(err);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

// A search result's tools: its star and "Añadir a carpeta".
export function decorateResult(li, result) {
  const title = result.title || result.id;
  li.appendChild(el("div", { class: "result-tools" }, starButton(result.id, title), " ", addToFolder(result.id, title)));
}

// -- the document view's panel ---------------------------------------------------------------------------------
let panel = null;     // the panel drawn last, and how it draws the note of the page shown
let drawPanelPage = null;

// The note field follows the page shown (the document view changes pages without drawing its side again).
const followPage = () => { if (panel && panel.isConnected && drawPanelPage) drawPanelPage(); };
window.addEventListener("hashchange", followPage);
window.addEventListener("popstate", followPage);

export function annotationsPanel(doc) {
  const title = doc.title || doc.id;
  const status = el("p", { id: "marks-status", class: "status", role: "status", "aria-live": "polite" });
  const tags = el("input", { id: "marks-tags", type: "text", maxlength: 1100, autocomplete: "off" });
  const docNote = el("textarea", { id: "marks-note", rows: 3, maxlength: 4000 });
  const saveDoc = el("button", { type: "button", id: "marks-save" }, t("marks.save"));
  const pageLabel = el("label", { for: "marks-page-note" });
  const pageNote = el("textarea", { id: "marks-page-note", rows: 3, maxlength: 4000 });
  const savePage = el("button", { type: "button", id: "marks-page-save" }, t("marks.save"));
  const pages = el("ul", { id: "marks-pages", class: "doc-list" });
  const section = el("section", { id: "doc-marks", class: "side-section", "aria-labelledby": "marks-heading" },
    el("h3", { id: "marks-heading" }, t("marks.heading")),
    el("p", { class: "doc-tools" }, starButton(doc.id, title)),
    addToFolder(doc.id, title),
    el("p", { class: "field" }, el("label", { for: "marks-tags" }, t("marks.tags")), tags),
    el("p", { class: "field" }, el("label", { for: "marks-note" }, t("marks.note.doc")), docNote),
    el("p", { class: "actions" }, saveDoc),
    el("p", { class: "field" }, pageLabel, pageNote),
    el("p", { class: "actions" }, savePage),
    el("h4", { id: "marks-pages-heading" }, t("marks.pages")), pages,
    el("p", { class: "help" }, t("marks.private")),
    status);
  let marks = [];
  const page = () => parseRoute().page || 1;
  const drawPage = () => {
    pageLabel.textContent = t("marks.note.page", page());
    const mark = marks.find((m) => m.page === page());
    pageNote.value = mark ? mark.note : "";
  };
  const drawPages = () => {
    const noted = marks.filter((m) => m.page && m.note);
    pages.replaceChildren(...noted.map((m) => el("li", {},
      el("a", { href: docHash(doc.id, { page: m.page }) }, t("marks.page", m.page)), ": ", m.note)));
    pages.hidden = !noted.length;
  };
  const fill = () => {
    const whole = marks.find((m) => m.page === null) || { tags: [], note: "" };
    tags.value = whole.tags.join(", ");
    docNote.value = whole.note;
    drawPage();
    drawPages();
  };
  const keep = (mark) => {
    marks = marks.filter((m) => m.page !== mark.page).concat([mark]);
    drawPages();
    setStatus(status, t("marks.saved"), "ok");
  };
  saveDoc.addEventListener("click", async () => {
    try {
      keep(await put(`marks/${doc.id}`, { tags: tagsOf(tags.value), note: docNote.value }));
    } catch (err) { setStatus(status, errorText(err), "error"); }
  });
  savePage.addEventListener("click", async () => {
    try {
      keep(await put(`marks/${doc.id}`, { page: page(), note: pageNote.value }));
    } catch (err) { setStatus(status, errorText(err), "error"); }
  });
  panel = section;
  drawPanelPage = drawPage;
  drawPage();
  pages.hidden = true;
  get(`marks/${doc.id}`).then((found) => {
    marks = found || [];
    fill();
  }).catch((err) => setStatus(status, errorText(err), "error"));
  return section;
}

// "testigo clave, urgente" -> ["testigo clave", "urgente"] (a tag may hold spaces; commas part them).
function tagsOf(value) {
  return [...new Set(String(value || "").split(/[,;]/).map((x) => x.trim()).filter(Boolean))];
}
