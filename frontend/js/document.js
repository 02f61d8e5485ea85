// The document view: metadata, entity chips, one page with the query's hits (as text, as the page looks
// with boxes over the hits, or both side by side), hit and page navigation, the PDF at this page, similar
// documents and "cited by". How the page is shown lives in the hash too: #/doc/<id>?page=3&q=x&view=image
//
// For reading all day: the page's text is reflowed (the PDF's hard line breaks joined into paragraphs; the
// "Líneas originales" toggle shows them as they were), the title stays in sight above the text, the hit
// counter counts across the whole document (GET .../hits) and its buttons walk from page to page replacing
// the history entry, and a polite live region reads the sentence of each hit reached.
import { get } from "./api.js";
import "./i18n-document.js";
import { $, $$, append, appendHighlighted, appendMarked, el, tidyMarks, queryTerms } from "./dom.js";
import { formatBytes, formatDate, languageName, t } from "./i18n.js";
import { ENTITY_TYPES, TYPE_TO_FACET, entityLabel } from "./fields.js";
import { docHash, entityHash, navigate, searchHash } from "./router.js";
import * as search from "./search.js";
import { accessSection, classificationOf } from "./docaccess.js";
import { collectionLabel, errorMessage, valueLabel } from "./i18n-values.js";
import { annotationsPanel } from "./annotations.js";

const CHIPS_SHOWN = 10;
const SCAN_CHUNK = 4;
const VIEWS = ["text", "image", "both"];
const LINES_KEY = "docsearch.lines";     // localStorage: "original" when the reader wants the PDF's lines
const SENTENCE_CHARS = 280;               // the most of a hit's sentence read out after a step

let doc = null;                // the document shown (GET /api/documents/{id})
let route = null;              // {id, page, q, hit}
let mode = "text";             // "text" | "image": the view=image parameter of the hash
const pages = new Map();       // `${id}|${q}|${n}` -> page body (with .hitCount)
const boxCache = new Map();    // `${id}|${q}|${n}` -> GET .../boxes body
let targets = [];              // one entry per hit: the elements that show it (a <mark>, or a hit's boxes)
let markIndex = -1;
let unplaced = 0;              // hits of the text that the image view cannot show (a scanned page)
let pageRequest = 0;
let hitInfo = null;            // {key, pages: Map(page -> hits)} from GET .../hits, corrected by the pages read
let hitRequest = 0;
let pendingAnnounce = false;   // a hit step moved to another page: read its hit's sentence once shown
let pageLoad = Promise.resolve();   // the page being drawn: a hit step waits for it
let reflow = readReflow();

function readReflow() {
  try { return localStorage.getItem(LINES_KEY) !== "original"; } catch (_) { return true; }
}

// The view parameter is read from the hash here (the router's route has the rest of the state).
function viewOf(hash) {
  const cut = hash.indexOf("?");
  const view = new URLSearchParams(cut < 0 ? "" : hash.slice(cut + 1)).get("view");
  return VIEWS.includes(view) ? view : "text";
}

// A link within this document, keeping the page view.
function docLink(options, view = mode) {
  const hash = docHash(doc.id, options);
  return view !== "text" ? `${hash}${hash.includes("?") ? "&" : "?"}view=${view}` : hash;
}

// The tab names the document while it is shown (the router names the other views when the reader leaves).
function setTitle() {
  if (doc && location.hash.startsWith(`#/doc/${doc.id}`)) document.title = t("doc.title", doc.title || doc.id);
}

export async function show(next) {
  const sameDoc = doc && doc.id === next.id;
  const sameView = sameDoc && route && route.q === next.q && $("#doc-text");
  route = next;
  mode = viewOf(location.hash);
  if (!sameDoc) {
    doc = null;
    const view = $("#view-doc");
    view.replaceChildren(el("p", { class: "status", role: "status", "aria-live": "polite", id: "doc-status" },
      t("doc.loading")));
    let body;
    try {
      body = await get(`documents/${next.id}`);
    } catch (err) {
      if (route !== next) return;
      view.replaceChildren(backLink(), el("p", { class: "status error", role: "alert", id: "doc-status" },
        t("doc.error", errorMessage(err))));
      return;
    }
    if (route !== next) return;   // another navigation happened meanwhile
    doc = body;
  }
  setTitle();
  if (!sameView) {
    renderShell();
    $("#doc-title").focus({ preventScroll: true });
    loadSimilar();
    loadHits();
  }
  pageLoad = showPage(next.page, next.hit);
  await pageLoad;
}

// Re-render in another language, keeping the page and hit shown.
export function rerender() {
  if (!doc || !route) return;
  const keep = markIndex;
  const page = currentPage();
  setTitle();
  renderShell();
  pageLoad = showPage(page, "", false);
  pageLoad.then(() => { if (keep >= 0 && targets.length) selectTarget(Math.min(keep, targets.length - 1), false); });
  loadSimilar();
}

function backLink() {
  return el("nav", { class: "doc-back" }, el("a", { href: searchHash(search.current()), id: "doc-back" }, t("doc.back")));
}

function renderShell() {
  const view = $("#view-doc");
  const count = doc.page_count || (doc.pages || []).length || 1;

  const pageForm = el("form", { class: "page-jump" },
    el("label", { for: "page-input" }, t("doc.page")),
    el("input", { id: "page-input", type: "number", min: 1, max: count, inputmode: "numeric" }),
    el("span", { id: "page-of", class: "page-of" }, t("doc.page.ofshort", count)),
    el("button", { type: "submit", class: "visually-hidden" }, t("doc.page.go")));
  pageForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const n = parseInt($("#page-input").value, 10);
    if (n >= 1 && n <= count) navigate(docLink({ page: n, q: route.q }));
  });

  // What stays in sight above the text: the title, and the hit counter with its buttons.
  const bar = el("div", { class: "doc-bar" },
    el("h2", { id: "doc-title", tabindex: "-1" }, doc.title || doc.id),
    el("div", { class: "hit-nav", role: "group", "aria-label": t("doc.hit.nav"), hidden: !route.q },
      el("button", { type: "button", id: "hit-prev", "aria-label": t("doc.hit.prev"), onclick: () => moveHit(-1) },
        ...arrowLabel(t("doc.hit.prev.short"))),
      el("p", { class: "hit-counter" },
        el("span", { id: "hit-count", class: "hit-count" }, t("doc.hit.counting")),
        el("span", { id: "hit-where", class: "hit-where" })),
      el("button", { type: "button", id: "hit-next", "aria-label": t("doc.hit.next"), onclick: () => moveHit(1) },
        ...arrowLabel(t("doc.hit.next.short")))));

  const lines = el("button", { type: "button", id: "lines-toggle", class: "lines-toggle", "aria-pressed": String(!reflow),
    title: t("doc.lines.title") }, t("doc.lines"));
  lines.addEventListener("click", () => {
    reflow = !reflow;
    try { localStorage.setItem(LINES_KEY, reflow ? "reflow" : "original"); } catch (_) { /* storage may be disabled */ }
    lines.setAttribute("aria-pressed", String(!reflow));
    redrawText();
  });

  const tools = el("div", { class: "doc-toolbar" },
    el("div", { class: "page-nav", role: "group", "aria-label": t("doc.page.nav") },
      el("a", { id: "page-prev", class: "button", "aria-label": t("doc.page.prev"), title: t("doc.page.prev") }, "‹"),
      pageForm,
      el("a", { id: "page-next", class: "button", "aria-label": t("doc.page.next"), title: t("doc.page.next") }, "›")),
    el("div", { class: "view-switch", role: "group", "aria-label": t("doc.view") },
      ...VIEWS.map((view) => el("button", { type: "button", id: `view-${view}`, "data-view": view,
        onclick: () => { if (view !== mode) navigate(docLink({ page: currentPage(), q: route.q }, view)); } },
      t(`doc.view.${view}`)))),
    lines,
    el("a", { id: "open-pdf", class: "button pdf", target: "_blank", rel: "noopener" }, t("doc.pdf")));

  const main = el("div", { class: "doc-main" },
    bar,
    metaLine(),
    tools,
    // Its room is kept whether it says something or not: the text never moves down as it changes.
    el("p", { id: "doc-status", class: "status doc-status", role: "status", "aria-live": "polite" }),
    el("p", { id: "hit-live", class: "visually-hidden", role: "status", "aria-live": "polite", "aria-atomic": "true" }),
    route.q ? el("p", { class: "doc-query" }, t("doc.query", route.q)) : null,
    el("div", { id: "doc-panes", class: "doc-panes" },
      el("div", { id: "doc-text", class: "page-text", tabindex: "0", role: "region", "aria-label": "" }),
      el("figure", { id: "page-image", class: "page-image", tabindex: "0", role: "region", "aria-label": "", hidden: true })));

  const side = el("aside", { class: "doc-side" },
    metaSection(),
    annotationsPanel(doc),
    accessSection(doc, deleted),
    entitySection(),
    custodySection(),
    el("section", { id: "similar", class: "side-section", "aria-labelledby": "similar-heading" },
      el("h3", { id: "similar-heading" }, t("doc.similar")),
      el("p", { class: "status" }, t("doc.loading"))));

  view.replaceChildren(backLink(), el("div", { id: "doc-layout", class: "doc-layout" }, main, side));
}

// "‹ Anterior": the word apart from the arrow, so that a phone shows the arrow alone (the button's name stays).
function arrowLabel(label) {
  return label.split(/([‹›])/).filter((part) => part.trim())
    .map((part) => (/^[‹›]$/.test(part) ? el("span", { class: "hit-arrow" }, part) : el("span", { class: "hit-word" }, part.trim())));
}

// Deleted by an admin (docaccess.js): say so where the document was, with the way back.
function deleted(gone) {
  pages.clear();
  boxCache.clear();
  doc = null;
  $("#view-doc").replaceChildren(backLink(),
    el("p", { id: "doc-status", class: "status", role: "status", tabindex: "-1" }, t("access.deleted", gone.title || gone.id)));
  $("#doc-status").focus();
}

function metaLine() {
  const parts = [valueLabel("doc_type", doc.doc_type), doc.institution, doc.year, collectionLabel(doc.collection)].filter((x) => x !== null && x !== undefined && x !== "");
  const line = el("p", { class: "result-meta" });
  parts.forEach((p, i) => append(line, i ? " · " : "", el("span", {}, String(p))));
  return line;
}

// The names the file was loaded under, never where the server keeps it.
function fileNames() {
  const names = (doc.source_names && doc.source_names.length ? doc.source_names : doc.source_paths || [])
    .map(baseName).filter(Boolean);
  return [...new Set(names)];
}

function baseName(path) {
  return String(path).split(/[\\/]/).pop();
}

function metaSection() {
  const rows = [
    ["doc.type", valueLabel("doc_type", doc.doc_type)],
    ["doc.court", doc.institution],
    ["doc.year", doc.year],
    ["doc.collection", collectionLabel(doc.collection)],
    ["doc.language", doc.language ? languageName(doc.language) : null],
    ["doc.topics", (doc.topics || []).map((topic) => valueLabel("topics", topic)).join(", ")],
    ["doc.pagecount", doc.page_count],
    ["doc.size", doc.file_size ? formatBytes(doc.file_size) : null],
    ["doc.files", fileNames().join(", ")],
    ["doc.ingested", doc.ingested_at ? formatDate(doc.ingested_at) : null],
  ].filter(([, v]) => v !== null && v !== undefined && v !== "");
  const dl = el("dl", { class: "meta-list" });
  for (const [key, value] of rows) dl.append(el("dt", {}, t(key)), el("dd", {}, String(value)));
  dl.append(el("dt", {}, t("doc.classification")),
    el("dd", { id: "doc-classification" }, t(`class.${classificationOf(doc)}`)));
  return el("section", { class: "side-section", "aria-labelledby": "meta-heading" },
    el("h3", { id: "meta-heading" }, t("doc.meta")), dl);
}

// The chain of custody (docs/custody.md): the original's sha256, and every load of it the reader may see.
function custodySection() {
  const custody = doc.custody;
  if (!custody) return null;
  const loads = el("ol", { class: "custody-loads" });
  for (const load of custody.loads || []) {
    const who = load.uploader || t("custody.tooling");
    const parts = [load.loaded_at ? formatDate(load.loaded_at) : null, who, collectionLabel(load.collection), load.name ? baseName(load.name) : null,
      load.origin ? t(`custody.origin.${load.origin}`) : null, load.status ? t(`custody.status.${load.status}`) : null]
      .filter((x) => x);
    loads.append(el("li", {}, parts.join(" · ")));
  }
  const dl = el("dl", { class: "meta-list" },
    el("dt", {}, "SHA-256"), el("dd", { class: "hash", id: "custody-sha256" }, custody.sha256),
    custody.size ? el("dt", {}, t("doc.size")) : null, custody.size ? el("dd", {}, formatBytes(custody.size)) : null);
  return el("section", { id: "custody", class: "side-section", "aria-labelledby": "custody-heading" },
    el("h3", { id: "custody-heading" }, t("custody.heading")), dl,
    el("p", { class: "custody-note" }, t("custody.loads", (custody.loads || []).length)), loads);
}

// -- entities ------------------------------------------------------------------
function entitySection() {
  const section = el("section", { id: "entities", class: "side-section", "aria-labelledby": "entities-heading" },
    el("h3", { id: "entities-heading" }, t("doc.entities")));
  const summary = doc.entity_summary || [];
  if (!summary.length) { section.appendChild(el("p", { class: "status" }, t("doc.entities.none"))); return section; }
  const byType = new Map();
  for (const e of summary) {
    if (!byType.has(e.type)) byType.set(e.type, []);
    byType.get(e.type).push(e);
  }
  const types = [...byType.keys()].sort((a, b) => rank(a) - rank(b));
  for (const type of types) {
    const items = byType.get(type).sort((a, b) => (b.count || 0) - (a.count || 0));
    const label = entityLabel(type);
    const list = el("ul", { class: "chips", "data-type": type });
    items.forEach((e, i) => list.appendChild(entityChip(e, label, i >= CHIPS_SHOWN)));
    const group = el("div", { class: "entity-group" }, el("h4", {}, label), list);
    if (items.length > CHIPS_SHOWN) {
      const more = el("button", { type: "button", class: "link-button more" }, t("doc.entity.more", items.length - CHIPS_SHOWN));
      more.addEventListener("click", () => {
        for (const li of list.querySelectorAll("li[hidden]")) li.hidden = false;
        more.remove();
        list.querySelectorAll("li")[CHIPS_SHOWN].querySelector("a").focus();
      });
      group.appendChild(more);
    }
    section.appendChild(group);
  }
  return section;
}

function rank(type) {
  const i = ENTITY_TYPES.indexOf(type);
  return i < 0 ? ENTITY_TYPES.length : i;
}

function entityChip(e, typeLabel, hidden) {
  const facet = TYPE_TO_FACET[e.type];
  const base = search.current();
  let href;
  if (facet) {
    const filters = { ...base.filters, [facet]: [...new Set([...(base.filters[facet] || []), e.canonical])] };
    href = searchHash({ ...base, filters, page: 1 });
  } else {
    const surface = (e.surfaces && e.surfaces[0]) || e.canonical;
    href = searchHash({ q: `"${surface.replace(/"/g, "")}"`, page: 1, sort: "relevance", filters: {}, yearFrom: "", yearTo: "" });
  }
  const li = el("li", { class: "entity", hidden });
  const title = (e.surfaces || []).filter((s) => s !== e.canonical).join(" · ");
  li.appendChild(el("a", { class: "chip", href, "data-type": e.type, "data-value": e.canonical, title: title || null,
    "aria-label": `${t("doc.entity.filter", typeLabel, e.canonical)} (${e.count || 0})` },
  el("span", { class: "chip-text" }, e.canonical),
  e.count ? el("span", { class: "count", "aria-hidden": "true" }, String(e.count)) : null));
  if (e.pages && e.pages.length) {
    const where = el("span", { class: "entity-pages" }, `${t("doc.entity.pages")} `);
    e.pages.slice(0, 8).forEach((p, i) => append(where, i ? ", " : "",
      el("a", { href: docLink({ page: p, q: route.q }) }, String(p))));
    if (e.pages.length > 8) append(where, " …");
    li.appendChild(where);
  }
  if (facet) {
    li.appendChild(el("a", { class: "entity-profile", href: entityHash(facet, e.canonical),
      "aria-label": t("doc.entity.page.label", typeLabel, e.canonical) }, t("doc.entity.page")));
  }
  if (e.type === "law" || e.type === "case") li.appendChild(citedBy(e.canonical));
  return li;
}

function citedBy(canonical) {
  const box = el("div", { class: "cited-by" });
  const button = el("button", { type: "button", class: "link-button", "aria-expanded": "false",
    "aria-label": t("doc.citedby.label", canonical) }, t("doc.citedby"));
  const out = el("div", { class: "cited-list", hidden: true, "aria-live": "polite" });
  button.addEventListener("click", async () => {
    const open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", String(!open));
    out.hidden = open;
    if (open || out.dataset.loaded) return;
    out.dataset.loaded = "1";
    out.replaceChildren(el("p", { class: "status" }, t("doc.loading")));
    try {
      const body = await get(`citations/${encodeURIComponent(canonical)}`);
      const others = (body.results || []).filter((r) => r.id !== doc.id);
      if (!others.length) { out.replaceChildren(el("p", { class: "status" }, t("doc.citedby.none"))); return; }
      const list = el("ul", { class: "doc-list" });
      for (const r of others) {
        const page = r.pages && r.pages.length ? r.pages[0] : 1;
        list.appendChild(el("li", {},
          el("a", { href: docHash(r.id, { page: typeof page === "object" ? page.page : page }) }, r.title || r.id),
          el("span", { class: "result-meta" }, ` ${[r.doc_type, r.institution, r.year].filter(Boolean).join(" · ")}`
            + (r.count ? ` (${r.count}×)` : ""))));
      }
      out.replaceChildren(el("p", { class: "status" }, t("doc.citedby.count", body.total ?? others.length, body.mentions ?? 0)), list);
    } catch (err) {
      delete out.dataset.loaded;
      out.replaceChildren(el("p", { class: "status error" }, err.status === 404 ? t("doc.unavailable") : errorMessage(err)));
    }
  });
  return append(box, button, out);
}

// -- similar -------------------------------------------------------------------
async function loadSimilar() {
  const id = doc.id;
  const section = $("#similar");
  let body;
  try {
    body = await get(`documents/${id}/similar`, { size: 5 });
  } catch (err) {
    if (!doc || doc.id !== id) return;
    section.replaceChildren(section.firstChild, el("p", { class: "status" },
      err.status === 404 ? t("doc.unavailable") : errorMessage(err)));
    return;
  }
  if (!doc || doc.id !== id) return;
  const results = (body.results || []).filter((r) => r.id !== id);
  if (!results.length) { section.replaceChildren(section.firstChild, el("p", { class: "status" }, t("doc.similar.none"))); return; }
  const list = el("ul", { class: "doc-list" });
  for (const r of results) {
    list.appendChild(el("li", {}, el("a", { href: docHash(r.id) }, r.title || r.id),
      el("span", { class: "result-meta" }, ` ${[r.doc_type, r.institution, r.year].filter(Boolean).join(" · ")}`)));
  }
  section.replaceChildren(section.firstChild, list);
}

// -- pages and hits ------------------------------------------------------------------
function pageCount() {
  return doc.page_count || (doc.pages || []).length || 1;
}

async function fetchPage(n) {
  const key = `${doc.id}|${route.q}|${n}`;
  if (pages.has(key)) return pages.get(key);
  const body = await get(`documents/${doc.id}/pages/${n}`, route.q ? { q: route.q } : null);
  body.hitCount = route.q ? renderText(document.createElement("div"), body) : 0;
  pages.set(key, body);
  if (pages.size > 500) pages.delete(pages.keys().next().value);
  return body;
}

// Where the query's hits are in the whole document (GET .../hits): the counter and the walk across pages.
async function loadHits() {
  const key = `${doc.id}|${route.q}`;
  if (!route.q) { hitInfo = null; return; }
  if (hitInfo && hitInfo.key === key) { updateHitWhere(); return; }
  hitInfo = null;
  const ticket = ++hitRequest;
  let body;
  try {
    body = await get(`documents/${doc.id}/hits`, { q: route.q });
  } catch (err) {
    if (ticket === hitRequest) updateHitWhere();   // the page's own count, and a walk page by page
    return;
  }
  if (ticket !== hitRequest || !doc || `${doc.id}|${route.q}` !== key) return;
  hitInfo = { key, pages: new Map((body.pages || []).map((row) => [row.page, row.hits])) };
  // The pages already read count as the page view marked them.
  for (const [k, page] of pages) {
    const [id, q, n] = k.split("|");
    if (id === doc.id && q === route.q) correctHits(parseInt(n, 10), page.hitCount || 0, false);
  }
  updateHitWhere();
}

// A page read: its hits as marked here win over the count of the API (they should agree).
function correctHits(n, count, redraw = true) {
  if (!hitInfo || !route.q) return;
  if (count > 0) hitInfo.pages.set(n, count);
  else hitInfo.pages.delete(n);
  hitInfo.pages = new Map([...hitInfo.pages].sort((a, b) => a[0] - b[0]));
  if (redraw) updateHitWhere();
}

async function showPage(n, hit, scroll = true) {
  const count = pageCount();
  n = Math.min(Math.max(1, n), count);
  const ticket = ++pageRequest;
  const status = $("#doc-status");
  const text = $("#doc-text");
  const figure = $("#page-image");
  applyMode();
  text.setAttribute("aria-busy", "true");
  status.className = "status doc-status";
  status.textContent = t("doc.page.loading");
  if (text.dataset.page !== String(n)) {
    // Another page coming: the hit selected on this one is no longer where the reader is.
    targets.forEach((group) => group.forEach((node) => node.classList.remove("current")));
    targets = [];
    markIndex = -1;
  }
  updateNav(n);
  let body;
  try {
    body = await fetchPage(n);
  } catch (err) {
    if (ticket !== pageRequest) return;
    text.removeAttribute("aria-busy");
    text.replaceChildren();
    figure.replaceChildren();
    status.className = "status doc-status error";
    status.textContent = t("doc.page.error", errorMessage(err));
    return;
  }
  if (ticket !== pageRequest) return;
  text.removeAttribute("aria-busy");
  text.setAttribute("aria-label", t("doc.page.of", n, count));
  text.dataset.page = String(n);
  drawText(text, body);
  if (route.q) correctHits(n, body.hitCount || 0, false);
  const notes = [];
  if (!(body.text || "").trim()) notes.push(t("doc.page.empty"));
  if (body.ocr) notes.push(t("doc.page.ocr", body.ocr_confidence));
  markIndex = -1;
  unplaced = 0;
  const marks = $$("mark", text);
  if (mode === "text") {
    status.textContent = notes.join(" ");
    targets = marks.map((m) => [m]);
  } else {
    targets = mode === "both" ? marks.map((m) => [m]) : [];
    status.textContent = t("doc.image.loading");
    const placed = await showImage(n, body, ticket, notes);
    if (placed === null) return;
    // Side by side, a hit is its mark in the text and its boxes on the image, when both count the same.
    if (mode === "both") {
      if (placed.length === marks.length) placed.forEach((boxes, i) => targets[i].push(...boxes));
    } else targets = placed;
  }
  if (targets.length) selectTarget(hit === "last" ? targets.length - 1 : 0, scroll);
  else updateHitWhere();
  if (pendingAnnounce) {
    pendingAnnounce = false;
    announceHit();
  }
}

// The page's text as the reader asked for it: paragraphs (the default) or the PDF's own lines.
function drawText(text, body) {
  text.replaceChildren();
  text.classList.toggle("reflowed", reflow);
  renderText(text, body);
  if (reflow) reflowText(text);
}

// The lines toggle: the same page drawn again, the same hit selected, where it was on the screen.
function redrawText() {
  const text = $("#doc-text");
  const n = currentPage();
  const body = pages.get(`${doc.id}|${route.q}|${n}`);
  if (!body) return;
  const keep = markIndex;
  drawText(text, body);
  const marks = $$("mark", text);
  targets = targets.map((group, i) => [...(marks[i] ? [marks[i]] : []), ...group.filter((node) => node.nodeName !== "MARK")]);
  if (mode === "image") targets = targets.map((group) => group.filter((node) => node.nodeName !== "MARK"));
  if (keep >= 0 && targets[keep] && targets[keep].length) selectTarget(keep, mode !== "image");
}

// Which view shows: the toggle's pressed state and the visible containers.
function applyMode() {
  for (const view of VIEWS) {
    const button = $(`#view-${view}`);
    if (button) button.setAttribute("aria-pressed", String(view === mode));
  }
  $("#doc-text").hidden = mode === "image";
  $("#page-image").hidden = mode === "text";
  $("#lines-toggle").hidden = mode === "image";
  $("#doc-panes").classList.toggle("both", mode === "both");
  $("#doc-layout").classList.toggle("both", mode === "both");
}

// The page as it looks (GET .../image) with a box over every hit (GET .../boxes): returns the hits' boxes,
// one list of elements per hit, or null when another page was asked for meanwhile.
async function showImage(n, body, ticket, notes) {
  const figure = $("#page-image");
  const status = $("#doc-status");
  figure.setAttribute("aria-label", t("doc.page.of", n, pageCount()));
  figure.dataset.page = String(n);
  let boxes;
  try {
    boxes = await fetchBoxes(n);
  } catch (err) {
    if (ticket !== pageRequest) return null;
    figure.replaceChildren();
    status.className = "status doc-status error";
    status.textContent = err.status === 422 ? errorMessage(err) : t("doc.image.error");
    return [];
  }
  if (ticket !== pageRequest) return null;
  const dpr = window.devicePixelRatio || 1;
  const width = Math.min(2000, Math.max(1000, Math.ceil((figure.clientWidth || 900) * dpr / 200) * 200));
  const img = el("img", { src: `api/documents/${doc.id}/pages/${n}/image?width=${width}`, alt: t("doc.image.alt", n, pageCount()),
    width: Math.round(boxes.width) || null, height: Math.round(boxes.height) || null, decoding: "async" });
  const layer = el("div", { class: "hit-layer", "aria-hidden": "true" });
  const byHit = new Map();
  for (const b of boxes.boxes || []) {
    const box = el("span", { class: "hit-box", "data-hit": b.hit });
    // Positions through the CSSOM, which the CSP allows (a style="" attribute it would refuse).
    box.style.left = `${b.x * 100}%`;
    box.style.top = `${b.y * 100}%`;
    box.style.width = `${b.w * 100}%`;
    box.style.height = `${b.h * 100}%`;
    layer.appendChild(box);
    if (!byHit.has(b.hit)) byHit.set(b.hit, []);
    byHit.get(b.hit).push(box);
  }
  const canvas = el("div", { class: "page-canvas" }, img, layer);
  img.addEventListener("error", () => {
    if (ticket !== pageRequest) return;
    canvas.hidden = true;
    status.className = "status doc-status error";
    status.textContent = t("doc.image.error");
  });
  figure.replaceChildren(canvas);
  const placed = [...byHit.keys()].sort((a, b) => a - b).map((k) => byHit.get(k));
  if (route.q && boxes.text_layer === false) {
    notes.push(t("doc.image.scanned"));
    if (mode === "image") unplaced = body.hitCount || 0;
  }
  else if (route.q && placed.length < (body.hitCount || 0)) notes.push(t("doc.image.unplaced", placed.length, body.hitCount));
  status.className = "status doc-status";
  status.textContent = notes.join(" ");
  return placed;
}

async function fetchBoxes(n) {
  const key = `${doc.id}|${route.q}|${n}`;
  if (boxCache.has(key)) return boxCache.get(key);
  const body = await get(`documents/${doc.id}/pages/${n}/boxes`, route.q ? { q: route.q } : null);
  boxCache.set(key, body);
  if (boxCache.size > 200) boxCache.delete(boxCache.keys().next().value);
  return body;
}

function currentPage() {
  return parseInt($("#doc-text").dataset.page || String(route.page), 10);
}

// The page's text with the query's hits marked: the API's html (only <mark> kept), or, without it,
// the plain text with the query's words marked here. Returns the number of hits.
function renderText(container, body) {
  if (!route.q) { container.appendChild(document.createTextNode(body.text || "")); return 0; }
  if (typeof body.html === "string") appendMarked(container, body.html);
  else appendHighlighted(container, body.text || "", queryTerms(route.q));
  return tidyMarks(container);
}

// -- reflow -----------------------------------------------------------------------------------------
// A line that starts an item of a list or a numbered part ("1.", "a)", "–", "Artículo 5", "PRIMERO").
const ITEM = /^(?:[-–—•·▪*]\s|\(?\d{1,3}[.)º°]\s|\(?\d{1,3}\.\d|\(?[a-zñ][.)]\s|[IVXLCDM]{1,6}[.)-]\s|art[íi]culo\s+\d|art\.\s*\d|(?:primer[oa]|segund[oa]|tercer[oa]|cuart[oa]|quint[oa]|sext[oa]|s[ée]ptim[oa]|octav[oa]|noven[oa]|d[ée]cim[oa])\s*[.:–-])/i;

function isHeading(line) {
  const letters = line.match(/\p{L}/gu) || [];
  if (letters.length < 3 || line.length > 90) return false;
  return letters.filter((c) => c === c.toUpperCase() && c !== c.toLowerCase()).length >= 0.8 * letters.length;
}

// For each line break of a page's text: "break" (a paragraph ends), "hyphen" (a word cut at the line's end,
// joined again) or a join with a space (the PDF's lines are only where the page's width ran out).
function lineBreaks(plain) {
  const lines = plain.split("\n");
  const lengths = lines.map((l) => l.trim().length).filter((n) => n > 0).sort((a, b) => a - b);
  const typical = lengths.length ? lengths[Math.floor(lengths.length * 0.8)] : 0;
  const kinds = new Map();
  let at = 0;
  for (let i = 0; i < lines.length - 1; i++) {
    at += lines[i].length;
    const cur = lines[i].trim();
    const next = lines[i + 1].trim();
    if (!cur || !next || isHeading(cur) || isHeading(next) || ITEM.test(next)
        || (/[.!?:;»"”)]$/.test(cur) && (cur.length < Math.max(24, typical * 0.8)
          || (cur.length < typical * 0.93 && /^[\p{Lu}\d¿¡«"“(]/u.test(next))))
        // A short line before a capital: a title's or a heading's last line, or a paragraph's.
        || (cur.length < typical * 0.6 && /^[\p{Lu}¿¡«"“]/u.test(next))) kinds.set(at, "break");
    else if (/\p{Ll}-$/u.test(cur) && /^\p{Ll}/u.test(next)) kinds.set(at, "hyphen");
    at += 1;
  }
  return kinds;
}

// The page's text (text nodes and <mark>s, as renderText drew it) rebuilt as paragraphs: the lines of one
// paragraph joined by spaces, paragraphs apart by an empty line (document.css: white-space: pre-line). Only
// line breaks change, in text nodes: no element is added, a mark stays whole (its hit counted as before).
function reflowText(container) {
  const kinds = lineBreaks(container.textContent);
  let offset = 0;
  let started = false;    // some text is out already: a break before the first words is dropped
  for (const node of [...container.childNodes]) {
    const value = node.textContent;
    if (node.nodeType !== Node.TEXT_NODE) {
      node.textContent = value.replace(/\s*\n\s*/g, " ");
      if (value.trim()) started = true;
      offset += value.length;
      continue;
    }
    let out = "";
    for (let i = 0; i < value.length; i++) {
      const ch = value[i];
      if (ch !== "\n") {
        out += ch;
        if (ch.trim()) started = true;
        continue;
      }
      const kind = kinds.get(offset + i);
      if (kind === "break") {
        out = out.replace(/[ \t]+$/, "");
        if (started && !out.endsWith("\n\n")) out += out.endsWith("\n") ? "\n" : "\n\n";
      } else if (kind === "hyphen" && out.endsWith("-")) out = out.slice(0, -1);
      else out += " ";
    }
    node.textContent = out.replace(/\n\n[ \t]+/g, "\n\n");
    offset += value.length;
  }
  container.normalize();
  const last = container.lastChild;
  if (last && last.nodeType === Node.TEXT_NODE) last.textContent = last.textContent.replace(/\s+$/, "");
}

function updateNav(n) {
  const count = pageCount();
  const prev = $("#page-prev");
  const next = $("#page-next");
  setLink(prev, n > 1 ? docLink({ page: n - 1, q: route.q }) : null);
  setLink(next, n < count ? docLink({ page: n + 1, q: route.q }) : null);
  $("#page-input").value = String(n);
  $("#open-pdf").setAttribute("href", `api/documents/${doc.id}/file#page=${n}`);
}

function setLink(link, href) {
  if (href) { link.setAttribute("href", href); link.removeAttribute("aria-disabled"); }
  else { link.removeAttribute("href"); link.setAttribute("aria-disabled", "true"); }
}

function selectTarget(i, scroll = true) {
  targets.forEach((group) => group.forEach((node) => node.classList.remove("current")));
  markIndex = i;
  targets[i].forEach((node) => node.classList.add("current"));
  if (scroll && targets[i][0]) {
    targets[i][0].scrollIntoView({ block: "center", behavior: "auto" });
    const box = targets[i].find((node) => node.classList.contains("hit-box"));
    const figure = $("#page-image");
    // Side by side, the image scrolls on its own: its box to the middle of it.
    if (box && mode === "both" && figure.scrollHeight > figure.clientHeight) {
      const top = box.getBoundingClientRect().top - figure.getBoundingClientRect().top;
      figure.scrollTop += top - figure.clientHeight / 2;
    }
  }
  updateHitWhere();
}

// The page's hits before this one's, over the document: [index of the current hit, total, pages].
function documentPosition() {
  if (!hitInfo) return null;
  const n = currentPage();
  const list = [...hitInfo.pages.keys()];
  let before = 0;
  let total = 0;
  for (const [page, hits] of hitInfo.pages) {
    if (page < n) before += hits;
    total += hits;
  }
  return { index: markIndex >= 0 && hitInfo.pages.has(n) ? before + markIndex + 1 : 0, total, pages: list };
}

function updateHitWhere() {
  const where = $("#hit-where");
  const counter = $("#hit-count");
  if (!where) return;
  if (targets.length) where.textContent = t("doc.hit.where", markIndex + 1, targets.length);
  else where.textContent = unplaced ? t("doc.hit.unplaced", unplaced) : t("doc.hit.none");
  const at = documentPosition();
  if (!at) counter.textContent = route.q ? t("doc.hit.counting") : "";
  else if (!at.total) counter.textContent = t("doc.hit.none.doc");
  else if (at.index) counter.textContent = t("doc.hit.count", Math.min(at.index, at.total), at.total, at.pages);
  else counter.textContent = t("doc.hit.total", at.total, at.pages);
}

async function moveHit(step) {
  await pageLoad;
  if (!doc || !route.q) return;
  const target = markIndex + step;
  if (target >= 0 && target < targets.length) {
    selectTarget(target);
    announceHit();
    return;
  }
  const status = $("#doc-status");
  const here = currentPage();
  let found = null;
  if (hitInfo) {
    const list = [...hitInfo.pages.keys()].filter((p) => (step > 0 ? p > here : p < here));
    if (list.length) found = step > 0 ? list[0] : list[list.length - 1];
  } else {
    status.textContent = t("doc.hit.searching");
    found = await scan(here + step, step);
  }
  if (found === null) {
    status.textContent = step > 0 ? t("doc.hit.nomore.next") : t("doc.hit.nomore.prev");
    return;
  }
  status.textContent = "";
  pendingAnnounce = true;
  // A step replaces the history entry: Back leaves the document, not one hit page at a time.
  navigate(docLink({ page: found, q: route.q, hit: step > 0 ? "first" : "last" }), { replace: true });
}

// The next page in one direction whose text holds a hit, fetching a few pages at a time (without the
// API's list of pages).
async function scan(start, step) {
  const id = doc.id;
  const count = pageCount();
  for (let n = start; n >= 1 && n <= count; n += step * SCAN_CHUNK) {
    const batch = [];
    for (let k = 0; k < SCAN_CHUNK; k++) {
      const p = n + k * step;
      if (p >= 1 && p <= count) batch.push(p);
    }
    const bodies = await Promise.all(batch.map((p) => fetchPage(p).catch(() => null)));
    if (!doc || doc.id !== id) return null;
    for (let k = 0; k < batch.length; k++) if (bodies[k] && bodies[k].hitCount > 0) return batch[k];
  }
  return null;
}

// The sentence holding the current hit, read out by the polite live region: where the reader is, in words.
function announceHit() {
  const live = $("#hit-live");
  const mark = $$("mark", $("#doc-text"))[markIndex];
  if (!live || markIndex < 0) return;
  const at = documentPosition();
  const index = at && at.index ? at.index : markIndex + 1;
  const total = at && at.total ? at.total : targets.length;
  const sentence = mark ? sentenceOf(mark) : "";
  live.textContent = sentence ? t("doc.hit.sentence", index, total, currentPage(), sentence)
    : t("doc.hit.announce", markIndex + 1, targets.length);
}

function sentenceOf(mark) {
  const box = $("#doc-text");
  const range = document.createRange();
  range.setStart(box, 0);
  range.setEndBefore(mark);
  const start = range.toString().length;
  const raw = box.textContent;
  const end = start + mark.textContent.length;
  // From the end of the sentence before (or of the paragraph) to the end of this one, at most so long.
  const stop = (at) => (/[.!?]/.test(raw[at - 1]) && /\s/.test(raw[at] || " ")) || raw.slice(at - 2, at) === "\n\n";
  let from = start;
  while (from > 0 && !stop(from) && start - from < SENTENCE_CHARS) from--;
  let to = end;
  while (to < raw.length && !(to > end && (/[.!?]/.test(raw[to - 1]) || raw.slice(to, to + 2) === "\n\n"))
         && to - end < SENTENCE_CHARS) to++;
  let sentence = raw.slice(from, to).replace(/\s+/g, " ").trim();
  if (from > 0 && !stop(from)) sentence = `…${sentence}`;
  if (to < raw.length && !/[.!?]/.test(raw[to - 1]) && raw.slice(to, to + 2) !== "\n\n") sentence = `${sentence}…`;
  return sentence;
}
