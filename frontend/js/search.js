// The search view: query box, results with snippets, sort, search mode and pagination, and the filters (a column
// beside the results on wide screens, a sheet on narrow ones: filtersheet.js; the year chart: yearchart.js).
// Reading and Tab order: the query, the results, then the options and the filters.
import { get } from "./api.js";
import { $, append, appendMarked, debounce, el } from "./dom.js";
import { lang, languageName, t } from "./i18n.js";
import "./i18n-search.js";
import { collectionHidden, errorMessage, noticeTexts, valueLabel } from "./i18n-values.js";
import { ENTITY_FACETS, FACETS, fieldLabel } from "./fields.js";
import * as sheet from "./filtersheet.js";
import { yearFacet } from "./yearchart.js";
import { renderAnswer, similarPassages } from "./meaning.js";
import { DEFAULT_MODE, docHash, entityHash, hasFilters, navigate, networkHash, searchHash, searchParams } from "./router.js";
import * as saveSearch from "./savesearch.js";

const PAGE_SIZE = 10;
const MAX_PAGES_SHOWN = 7;
const VALUES_SHOWN = 5;        // a facet's top values in sight; "Mostrar N más" shows the rest
const MORE_VALUES = 50;        // what "Mostrar más valores" asks of /api/facets when the answer's top list was full
const FACET_SIZE = 10;         // the API's top list per facet
let state = null;
let inflight = null;
let focusAfterRender = null;   // {facet, value} of the checkbox to refocus after the list is rebuilt (the sheet)
let focusResults = false;      // a filter applied: the focus (and the view) on the results' heading once they show
let lastBody = null;
const opened = new Map();      // facet -> open (true) or closed (false), as the reader left its group
const expanded = new Set();    // facets whose every value shows
let lastOpened = null;         // {hash, id}: the result opened last, and its search
const decorators = [];         // functions (li, result) adding to each result (working tools: a star, a folder…)

// A module decorating each result adds itself here: fn(li, result) is called for every result rendered.
export function decorateResults(fn) { decorators.push(fn); }

export function init() {
  sheet.init();
  $("#search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = $("#q").value.trim();
    navigate(searchHash({ ...(state || blank()), q, page: 1 }));
  });
  $("#sort").addEventListener("change", () => {
    navigate(searchHash({ ...state, sort: $("#sort").value, page: 1 }));
  });
  $("#mode").addEventListener("change", () => {
    navigate(searchHash({ ...(state || blank()), mode: $("#mode").value, page: 1 }));
  });
  $("#clear-filters").addEventListener("click", () => {
    applyFilters({ ...state, filters: {}, yearFrom: "", yearTo: "", page: 1 });
  });
  // The result opened is remembered in its search's history entry: back from the document, the focus is on it.
  $("#results").addEventListener("click", (ev) => {
    const link = ev.target.closest && ev.target.closest("a[href^='#/doc/']");
    const item = link && link.closest("li.result");
    if (!item) return;
    history.replaceState({ ...(history.state || {}), openedResult: item.dataset.id }, "");
    lastOpened = { hash: searchHash(state), id: item.dataset.id };   // for the document's own link back
  });
  saveSearch.init();
}

// A filter chosen: its search, then the focus and the view on the results (in the sheet, on the box ticked).
function applyFilters(next) {
  focusResults = !(sheet.isSheet() && sheet.isOpen());
  navigate(searchHash(next));
}

let shownQuery = "";  // the query the box was last given by the page

function blank() {
  return { q: "", page: 1, sort: "relevance", mode: "", filters: {}, yearFrom: "", yearTo: "" };
}

export function current() {
  return state || blank();
}

export async function show(next) {
  state = next;
  // What someone is typing is not replaced by the query of a page drawn meanwhile (the first one, drawn once the
  // fields are read, can come after the first keys).
  const box = $("#q");
  if (!(document.activeElement === box && box.value !== shownQuery)) box.value = state.q;
  shownQuery = state.q;
  syncSort();
  $("#mode").value = state.mode || DEFAULT_MODE;
  $("#clear-filters").disabled = !hasFilters(state);
  $("#network-link").setAttribute("href", networkHash(state));
  saveSearch.show(state);
  renderActiveFilters();
  const status = $("#status");
  const list = $("#results");
  status.className = "status";
  status.textContent = t("status.loading");
  list.setAttribute("aria-busy", "true");

  if (inflight) inflight.abort();
  const controller = new AbortController();
  inflight = controller;
  const params = searchParams(state);
  params.set("size", String(PAGE_SIZE));
  params.set("facets", "true");
  let body;
  try {
    body = await get("search", params, { signal: controller.signal });
  } catch (err) {
    if (err.name === "AbortError") return;
    list.removeAttribute("aria-busy");
    list.replaceChildren();
    $("#pager").replaceChildren();
    $("#query-info").replaceChildren();
    renderAnswer($("#answer"), null);
    $(".network-entry").hidden = true;
    saveSearch.unavailable();
    status.className = "status error";
    status.textContent = t("status.error", errorMessage(err));
    return;
  } finally {
    if (inflight === controller) inflight = null;
  }
  lastBody = body;
  saveSearch.answered(body.query);
  render(body);
}

// Re-render the last answer (after a language switch) without asking the API again.
export function rerender() {
  if (!state) return;
  syncSort();
  $("#clear-filters").disabled = !hasFilters(state);
  renderActiveFilters();
  saveSearch.rerender();
  if (lastBody) render(lastBody, { again: true });
}

// The sort box says the order in use: without a query, "relevance" lists the latest loaded first, and says so.
function syncSort() {
  $("#sort").value = state.sort;
  $("#sort option[value='relevance']").textContent = state.q ? t("sort.relevance") : t("sort.loaded");
}

function chosenCount() {
  return Object.values(state.filters).reduce((n, values) => n + values.length, 0)
    + (state.yearFrom || state.yearTo ? 1 : 0);
}

function render(body, { again = false } = {}) {
  const list = $("#results");
  const status = $("#status");
  list.removeAttribute("aria-busy");
  status.className = "status";
  renderQueryInfo(body.query);
  renderProfiles(body.facets || {});
  renderAnswer($("#answer"), body.answer, state.q);
  renderFacets(body.facets || {}, body.partial_facets || [], body.facets_missing || {});
  sheet.update(body.total, chosenCount());
  list.replaceChildren();
  $("#pager").replaceChildren();
  $(".network-entry").hidden = !body.total;
  if (!body.total) {
    status.className = "status empty";
    if (state.q) status.textContent = `${t("status.empty.q", state.q)} ${t("status.empty.hint")}`;
    else if (hasFilters(state)) status.textContent = t("status.empty.filters");
    else status.textContent = t("status.empty.corpus");
  } else {
    if (state.q || hasFilters(state)) status.textContent = t("status.total", body.total, body.took_ms);
    else status.textContent = state.sort === "relevance" ? t("status.newest", body.total) : t("status.all", body.total);
    const start = (state.page - 1) * PAGE_SIZE;
    body.results.forEach((result, i) => list.appendChild(resultItem(result, start + i + 1)));
    list.setAttribute("start", String(start + 1));
    renderPager(body.total);
  }
  if (again) return;
  if (focusResults) {
    // Nothing changes out of sight: the count, the chips and the first results, with the focus on their heading.
    focusResults = false;
    $("#results-heading").focus({ preventScroll: true });
    const area = $(".results-area").getBoundingClientRect();
    if (area.top < 0 || area.top > innerHeight / 2) $(".results-area").scrollIntoView({ block: "start" });
    return;
  }
  const back = lastOpened && lastOpened.hash === searchHash(state) ? lastOpened.id : null;
  const openedId = (history.state && history.state.openedResult) || back;
  lastOpened = null;
  if (openedId) {
    if (history.state && history.state.openedResult) history.replaceState({ ...history.state, openedResult: null }, "");
    const link = list.querySelector(`li.result[data-id="${CSS.escape(openedId)}"] .result-title a`);
    if (link) link.focus();
  }
}

function resultItem(r, rank) {
  const firstPage = r.pages && r.pages.length ? r.pages[0].page : 1;
  const li = el("li", { class: "result", "data-id": r.id, "data-rank": rank });
  li.appendChild(el("h3", { class: "result-title" },
    el("a", { href: docHash(r.id, { page: firstPage, q: state.q }) }, r.title || r.id)));
  const meta = [valueLabel("doc_type", r.doc_type), r.institution, r.year, valueLabel("collection", r.collection),
    r.page_count ? t("result.pages", r.page_count) : null,
    r.language ? languageName(r.language) : null]
    .filter((x) => x !== null && x !== undefined && x !== "");
  const metaLine = el("p", { class: "result-meta" });
  // Found by meaning or by the query translated, not by its own words: said in words, not by colour alone.
  if (r.matched === "semantic" || r.matched === "translation") {
    append(metaLine, el("span", { class: `found-by ${r.matched}`, title: t(`result.matched.${r.matched}.title`) },
      t(`result.matched.${r.matched}`)), " ");
  }
  meta.forEach((item, i) => append(metaLine, i ? " · " : "", el("span", {}, String(item))));
  li.appendChild(metaLine);
  const pages = (r.pages || []).filter((p) => p.snippet);
  if (!pages.length && state.q) li.appendChild(el("p", { class: "hit none" }, t("result.nosnippet")));
  for (const p of pages) {
    const hit = el("p", { class: "hit" });
    hit.appendChild(el("a", { class: "page-link", href: docHash(r.id, { page: p.page, q: state.q }) },
      t("result.page", p.page)));
    hit.appendChild(document.createTextNode(" "));
    const text = el("span", { class: "snippet" });
    appendMarked(text, p.snippet);
    hit.appendChild(text);
    li.appendChild(hit);
  }
  const best = Array.isArray(r.passages) ? r.passages.find((p) => p && Number.isInteger(p.page)) : null;
  if (best) append(li, similarPassages(r.id, best.page, best.start, `${r.title || r.id}, ${t("answer.page", best.page)}`));
  for (const decorate of decorators) {
    try { decorate(li, r); } catch (err) { console.warn("a result decorator failed:", err); }
  }
  return li;
}

// A query that is an entity's name ("Los Búhos del Malecón", quotes and accents aside) links to its profile.
const folded = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").replace(/["«»“”]/g, "")
  .replace(/\s+/g, " ").trim().toLowerCase();

function renderProfiles(facets) {
  if (!state.q) return;
  const wanted = folded(state.q);
  for (const name of ENTITY_FACETS) {
    const match = (facets[name] || []).find((v) => folded(v.value) === wanted);
    if (!match) continue;
    $("#query-info").appendChild(el("p", { class: "profile-link" }, `${t("search.profile")} `,
      el("a", { href: entityHash(name, match.value), "data-field": name }, match.value), ` (${fieldLabel(name)})`));
  }
}

function renderQueryInfo(query) {
  const box = $("#query-info");
  box.replaceChildren();
  if (!query) return;
  if (query.approximate) box.appendChild(el("p", { class: "warning" }, t("status.approximate")));
  // Newer fields of the API; absent means false / none.
  if (query.relaxed === true) {
    const all = Number.isInteger(query.all_words) && query.all_words >= 0 ? query.all_words : null;
    box.appendChild(el("p", { class: "relaxed" }, all === null ? t("status.relaxed") : t("status.relaxed.count", all)));
  }
  const expansions = (Array.isArray(query.expansions) ? query.expansions : [])
    .map((x) => ({ term: x && typeof x.term === "string" ? x.term : "",
      alternatives: (x && Array.isArray(x.alternatives) ? x.alternatives : []).filter((a) => typeof a === "string" && a) }))
    .filter((x) => x.term && x.alternatives.length);
  if (expansions.length) {
    const line = el("p", { class: "expansions" }, `${t("status.expansions")} `);
    expansions.forEach((x, i) => append(line, i ? "; " : "", el("span", { class: "term" }, x.term),
      ` → ${x.alternatives.join(", ")}`));
    box.appendChild(line);
  }
  const same = (a, b) => a.replace(/\s+/g, " ").trim().toLowerCase() === b.replace(/\s+/g, " ").trim().toLowerCase();
  if (query.interpreted && state.q && !same(query.interpreted, state.q)) {
    box.appendChild(el("p", { class: "interpreted" }, `${t("status.interpreted")} `, el("span", {}, query.interpreted)));
  }
  for (const warning of noticeTexts(query)) box.appendChild(el("p", { class: "warning" }, warning));
  // Newer still: the query also searched in the other language, and the mode the server used.
  const translated = query.translated;
  if (translated && typeof translated.text === "string" && translated.text.trim()) {
    box.appendChild(el("p", { class: "translated" }, `${t("status.translated", languageName(translated.target || ""))} `,
      el("span", { class: "translated-text", lang: translated.target || null }, t("quoted", translated.text))));
  }
  const asked = state.mode || query.asked_mode || DEFAULT_MODE;
  if (!state.mode && query.asked_mode) $("#mode").value = query.asked_mode;  // the server's default, as it says
  if (state.q && query.mode === "lexical" && asked !== "lexical") {
    // Phrases, identifiers, fields and operators ask for exactly those words; the server's warnings, when it
    // has any, say the other reasons (an index without vectors).
    box.appendChild(el("p", { class: "words-only" },
      (query.warnings || []).length ? t("status.wordsonly.short") : t("status.wordsonly")));
  }
}

function renderPager(total) {
  const nav = $("#pager");
  const pages = Math.ceil(total / PAGE_SIZE);
  if (pages <= 1) return;
  const current = Math.min(state.page, pages);
  const link = (n, text, cls) => el("a", { href: searchHash({ ...state, page: n }), class: cls,
    "aria-label": t("pager.page", n), "aria-current": n === current ? "page" : null }, text);
  const list = el("ul");
  if (current > 1) list.appendChild(el("li", {}, link(current - 1, t("pager.prev"), "prev")));
  let from = Math.max(1, current - Math.floor(MAX_PAGES_SHOWN / 2));
  const to = Math.min(pages, from + MAX_PAGES_SHOWN - 1);
  from = Math.max(1, to - MAX_PAGES_SHOWN + 1);
  if (from > 1) list.appendChild(el("li", {}, link(1, "1")), el("li", { class: "gap" }, "…"));
  for (let n = from; n <= to; n++) list.appendChild(el("li", {}, link(n, String(n))));
  if (to < pages) list.append(el("li", { class: "gap" }, "…"), el("li", {}, link(pages, String(pages))));
  if (current < pages) list.appendChild(el("li", {}, link(current + 1, t("pager.next"), "next")));
  nav.appendChild(list);
}

// -- active filters ------------------------------------------------------------
function renderActiveFilters() {
  const box = $("#active-filters");
  box.replaceChildren();
  if (!hasFilters(state)) return;
  const list = el("ul", { "aria-label": t("filters.active") });
  const chip = (label, onclick) => list.appendChild(el("li", {}, el("button", {
    type: "button", class: "chip removable", "aria-label": t("filters.remove", label), onclick,
  }, label, el("span", { "aria-hidden": "true" }, " ✕"))));
  for (const name of FACETS) {
    for (const value of state.filters[name] || []) {
      const shown = name === "year" && value === "none" ? t("year.none") : valueLabel(name, value);
      chip(`${fieldLabel(name)}: ${shown}`, () => toggle(name, value, false));
    }
  }
  if (state.yearFrom || state.yearTo) {
    chip(`${fieldLabel("year")}: ${t("filters.years", state.yearFrom, state.yearTo)}`,
      () => applyFilters({ ...state, yearFrom: "", yearTo: "", page: 1 }));
  }
  box.appendChild(list);
}

function toggle(name, value, on) {
  const filters = { ...state.filters };
  const values = new Set(filters[name] || []);
  if (on) values.add(value); else values.delete(value);
  if (values.size) filters[name] = [...values]; else delete filters[name];
  applyFilters({ ...state, filters, page: 1 });
}

// Years chosen on the chart or in the fields: "no year" goes (a range has none of those documents).
function chooseYears(from, to) {
  const filters = { ...state.filters };
  const years = (filters.year || []).filter((v) => v !== "none");
  if (years.length) filters.year = years; else delete filters.year;
  applyFilters({ ...state, filters, yearFrom: from, yearTo: to, page: 1 });
}

function chooseNoYear(on) {
  const filters = { ...state.filters };
  if (on) filters.year = ["none"]; else delete filters.year;
  applyFilters({ ...state, filters, yearFrom: on ? "" : state.yearFrom, yearTo: on ? "" : state.yearTo, page: 1 });
}

// -- facets ------------------------------------------------------------------
function renderFacets(facets, partial, missing) {
  const box = $("#facet-list");
  const focused = document.activeElement;
  const keepFilterBox = focused && focused.classList.contains("facet-filter") ? focused.dataset.facet : null;
  box.replaceChildren();
  for (const name of FACETS) {
    if (name === "year") {
      box.appendChild(yearFacet({ values: facets.year || [], missing: Number.isInteger(missing.year) ? missing.year : null,
        state, label: fieldLabel("year"), onRange: chooseYears, onNoYear: chooseNoYear }));
      continue;
    }
    const values = facets[name] || [];
    const selected = state.filters[name] || [];
    if (!values.length && !selected.length) continue;
    box.appendChild(facetGroup(name, values, partial.includes(name)));
  }
  if (focusAfterRender) {
    const { facet, value } = focusAfterRender;
    focusAfterRender = null;
    const target = [...box.querySelectorAll(`input[type=checkbox][data-facet="${facet}"]`)].find((i) => i.value === value);
    if (target) target.focus();
  } else if (keepFilterBox) {
    const input = box.querySelector(`input.facet-filter[data-facet="${keepFilterBox}"]`);
    if (input) input.focus();
  } else if (sheet.isOpen() && !$("#facets").contains(document.activeElement)) {
    $("#facets-heading").focus();   // what had the focus went with the old lists
  }
}

// A facet: its name, a button that opens or closes it (the entity facets start closed, the general ones open;
// one with a value chosen opens), its top values and "Mostrar N más" for the rest, never a scroll box.
function facetGroup(name, values, partial) {
  const id = `facet-${name}`;
  const selected = state.filters[name] || [];
  const open = opened.has(name) ? opened.get(name) : (!ENTITY_FACETS.includes(name) || selected.length > 0);
  const group = el("fieldset", { class: `facet${open ? "" : " closed"}`, id, "data-facet": name });
  const body = el("div", { class: "facet-body", id: `${id}-body`, hidden: !open });
  const toggleButton = el("button", { type: "button", class: "facet-toggle", "aria-expanded": open ? "true" : "false",
    "aria-controls": `${id}-body` }, el("span", { class: "facet-name" }, fieldLabel(name)),
  selected.length ? el("span", { class: "facet-chosen" }, ` (${t("facets.selected", selected.length)})`) : null);
  toggleButton.addEventListener("click", () => {
    const now = toggleButton.getAttribute("aria-expanded") !== "true";
    opened.set(name, now);
    toggleButton.setAttribute("aria-expanded", now ? "true" : "false");
    group.classList.toggle("closed", !now);
    body.hidden = !now;
  });
  group.appendChild(el("legend", {}, toggleButton));
  if (partial) body.appendChild(el("p", { class: "partial" }, t("facets.partial")));
  const list = el("ul", { class: "facet-values" });
  const more = el("p", { class: "facet-more" });
  if (ENTITY_FACETS.includes(name)) {
    const inputId = `${id}-filter`;
    const filter = el("input", { type: "search", id: inputId, class: "facet-filter", "data-facet": name,
      autocomplete: "off", placeholder: t("facets.filter.placeholder"), "aria-controls": `${id}-values` });
    body.appendChild(el("label", { for: inputId, class: "visually-hidden" }, t("facets.filter", fieldLabel(name))));
    body.appendChild(filter);
    filter.addEventListener("input", debounce(() => filterFacet(name, filter.value.trim(), list, more, values), 250));
  }
  list.id = `${id}-values`;
  fillValues(list, more, name, values);
  body.append(list, more);
  group.appendChild(body);
  return group;
}

// The values of a facet in its list; `more` gets the button that shows the rest (or fewer). all: every value
// shows (a prefix search's answer).
function fillValues(list, more, name, values, { emptyText = t("facets.none"), all = false, fetched = false } = {}) {
  const selected = state.filters[name] || [];
  const shown = new Set(values.map((v) => v.value));
  const every = [...values, ...selected.filter((v) => !shown.has(v)).map((v) => ({ value: v, count: null, selected: true }))];
  list.replaceChildren();
  more.replaceChildren();
  if (!every.length) { list.appendChild(el("li", { class: "none" }, emptyText)); return; }
  const open = all || expanded.has(name);
  let hidden = 0;
  every.forEach((v, i) => {
    const checked = selected.includes(v.value);
    if (!open && i >= VALUES_SHOWN && !checked) { hidden += 1; return; }
    const inputId = `f-${name}-${i}`;
    const box = el("input", { type: "checkbox", id: inputId, value: v.value, "data-facet": name, checked });
    box.addEventListener("change", () => {
      if (sheet.isSheet() && sheet.isOpen()) focusAfterRender = { facet: name, value: v.value };
      toggle(name, v.value, box.checked);
    });
    const label = el("label", { for: inputId }, el("span", { class: "facet-value", "data-value": v.value },
      valueLabel(name, v.value)),
    name === "collection" && collectionHidden(v.value)
      ? el("span", { class: "facet-note" }, ` (${t("collection.hidden")})`) : null);
    if (v.count !== null && v.count !== undefined) {
      label.appendChild(el("span", { class: "count", "aria-label": t("facets.count", v.count) },
        v.count.toLocaleString(lang())));
    }
    list.appendChild(el("li", {}, box, label));
  });
  if (all) return;
  const firstNew = () => list.querySelectorAll("input[type=checkbox]")[VALUES_SHOWN];
  if (hidden) {
    more.appendChild(el("button", { type: "button", class: "link-button", "aria-controls": list.id, onclick: () => {
      expanded.add(name);
      fillValues(list, more, name, values, { emptyText, fetched });
      const next = firstNew();
      if (next) next.focus();
    } }, t("facets.more", hidden)));
  } else if (open && values.length >= FACET_SIZE && !fetched) {
    // The answer held the top values only: ask for more of them.
    more.appendChild(el("button", { type: "button", class: "link-button", "aria-controls": list.id, onclick: async () => {
      const before = list.querySelectorAll("input[type=checkbox]").length;
      const params = searchParams(state, { page: false, sort: false, mode: false });
      params.set("size", String(MORE_VALUES));
      try {
        const answer = await get(`facets/${encodeURIComponent(name)}`, params);
        fillValues(list, more, name, answer.values || values, { emptyText, fetched: true });
      } catch {
        fillValues(list, more, name, values, { emptyText, fetched: true });
      }
      const next = list.querySelectorAll("input[type=checkbox]")[before];
      if (next) next.focus();
    } }, t("facets.moreall")));
  } else if (open && every.length > VALUES_SHOWN && expanded.has(name)) {
    more.appendChild(el("button", { type: "button", class: "link-button", "aria-controls": list.id, onclick: () => {
      expanded.delete(name);
      fillValues(list, more, name, values.slice(0, FACET_SIZE), { emptyText });
      more.querySelector("button")?.focus();
    } }, t("facets.fewer")));
  }
}

let facetRequest = null;
async function filterFacet(name, prefix, list, more, initial) {
  if (facetRequest) facetRequest.abort();
  if (!prefix) { fillValues(list, more, name, initial); return; }
  const controller = new AbortController();
  facetRequest = controller;
  const params = searchParams(state, { page: false, sort: false, mode: false });
  params.set("prefix", prefix);
  list.setAttribute("aria-busy", "true");
  try {
    const body = await get(`facets/${encodeURIComponent(name)}`, params, { signal: controller.signal });
    fillValues(list, more, name, body.values || [], { emptyText: t("facets.nomatch"), all: true });
  } catch (err) {
    if (err.name === "AbortError") return;
    // Until /api/facets answers, filter the values already shown.
    const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    const p = fold(prefix);
    fillValues(list, more, name, initial.filter((v) => fold(v.value).split(/\s+/).some((w) => w.startsWith(p))),
      { emptyText: t("facets.nomatch"), all: true });
  } finally {
    list.removeAttribute("aria-busy");
  }
}
