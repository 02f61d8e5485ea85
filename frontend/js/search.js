// The search view: query box, facet sidebar, results with snippets, sort, search mode and pagination.
import { get } from "./api.js";
import { $, append, appendMarked, debounce, el } from "./dom.js";
import { lang, languageName, t } from "./i18n.js";
import { ENTITY_FACETS, FACETS, fieldLabel } from "./fields.js";
import { renderAnswer, similarPassages } from "./meaning.js";
import { DEFAULT_MODE, docHash, entityHash, hasFilters, navigate, networkHash, searchHash, searchParams } from "./router.js";
import * as saveSearch from "./savesearch.js";

const PAGE_SIZE = 10;
const MAX_PAGES_SHOWN = 7;
let state = null;
let inflight = null;
let focusAfterRender = null;   // {facet, value} of the checkbox to refocus after the list is rebuilt
let lastBody = null;

export function init() {
  // Narrow screens: the filters fold away above the results; wide screens always show them.
  const wide = window.matchMedia("(min-width: 821px)");
  const panel = $("#facets-panel");
  const fit = () => { panel.open = wide.matches; panel.classList.toggle("wide", wide.matches); };
  wide.addEventListener("change", fit);
  fit();
  $("#facets-summary").addEventListener("click", (ev) => { if (wide.matches) ev.preventDefault(); });
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
    navigate(searchHash({ ...state, filters: {}, yearFrom: "", yearTo: "", page: 1 }));
    $("#q").focus();
  });
  saveSearch.init();
}

function blank() {
  return { q: "", page: 1, sort: "relevance", mode: "", filters: {}, yearFrom: "", yearTo: "" };
}

export function current() {
  return state || blank();
}

export async function show(next) {
  state = next;
  $("#q").value = state.q;
  $("#sort").value = state.sort;
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
    status.textContent = t("status.error", err.message);
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
  $("#clear-filters").disabled = !hasFilters(state);
  renderActiveFilters();
  saveSearch.rerender();
  if (lastBody) render(lastBody);
}

function render(body) {
  const list = $("#results");
  const status = $("#status");
  list.removeAttribute("aria-busy");
  status.className = "status";
  renderQueryInfo(body.query);
  renderProfiles(body.facets || {});
  renderAnswer($("#answer"), body.answer, state.q);
  renderFacets(body.facets || {}, body.partial_facets || []);
  list.replaceChildren();
  $("#pager").replaceChildren();
  $(".network-entry").hidden = !body.total;
  if (!body.total) {
    status.className = "status empty";
    if (state.q) status.textContent = `${t("status.empty.q", state.q)} ${t("status.empty.hint")}`;
    else if (hasFilters(state)) status.textContent = t("status.empty.filters");
    else status.textContent = t("status.empty.corpus");
    return;
  }
  status.textContent = state.q || hasFilters(state) ? t("status.total", body.total, body.took_ms)
    : t("status.newest", body.total);
  const start = (state.page - 1) * PAGE_SIZE;
  body.results.forEach((result, i) => list.appendChild(resultItem(result, start + i + 1)));
  list.setAttribute("start", String(start + 1));
  renderPager(body.total);
}

function resultItem(r, rank) {
  const firstPage = r.pages && r.pages.length ? r.pages[0].page : 1;
  const li = el("li", { class: "result", "data-id": r.id, "data-rank": rank });
  li.appendChild(el("h3", { class: "result-title" },
    el("a", { href: docHash(r.id, { page: firstPage, q: state.q }) }, r.title || r.id)));
  const meta = [r.doc_type, r.institution, r.year, r.collection,
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
  for (const warning of query.warnings || []) box.appendChild(el("p", { class: "warning" }, warning));
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
  for (const name of FACETS) {
    for (const value of state.filters[name] || []) {
      const label = `${fieldLabel(name)}: ${value}`;
      list.appendChild(el("li", {}, el("button", {
        type: "button", class: "chip removable", "aria-label": t("filters.remove", label),
        onclick: () => toggle(name, value, false),
      }, label, el("span", { "aria-hidden": "true" }, " ✕"))));
    }
  }
  if (state.yearFrom || state.yearTo) {
    const label = `${fieldLabel("year")}: ${t("filters.years", state.yearFrom, state.yearTo)}`;
    list.appendChild(el("li", {}, el("button", {
      type: "button", class: "chip removable", "aria-label": t("filters.remove", label),
      onclick: () => navigate(searchHash({ ...state, yearFrom: "", yearTo: "", page: 1 })),
    }, label, el("span", { "aria-hidden": "true" }, " ✕"))));
  }
  box.appendChild(list);
}

function toggle(name, value, on) {
  const filters = { ...state.filters };
  const values = new Set(filters[name] || []);
  if (on) values.add(value); else values.delete(value);
  if (values.size) filters[name] = [...values]; else delete filters[name];
  navigate(searchHash({ ...state, filters, page: 1 }));
}

// -- facets ------------------------------------------------------------------
function renderFacets(facets, partial) {
  const box = $("#facet-list");
  const focused = document.activeElement;
  const keepFilterBox = focused && focused.classList.contains("facet-filter") ? focused.dataset.facet : null;
  box.replaceChildren();
  for (const name of FACETS) {
    if (name === "year") { box.appendChild(yearFacet(facets.year || [])); continue; }
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
  }
}

function facetGroup(name, values, partial) {
  const id = `facet-${name}`;
  const group = el("fieldset", { class: "facet", id, "data-facet": name });
  group.appendChild(el("legend", {}, fieldLabel(name)));
  if (partial) group.appendChild(el("p", { class: "partial" }, t("facets.partial")));
  const list = el("ul", { class: "facet-values" });
  if (ENTITY_FACETS.includes(name)) {
    const inputId = `${id}-filter`;
    const filter = el("input", { type: "search", id: inputId, class: "facet-filter", "data-facet": name,
      autocomplete: "off", placeholder: t("facets.filter.placeholder"), "aria-controls": `${id}-values` });
    group.appendChild(el("label", { for: inputId, class: "visually-hidden" }, t("facets.filter", fieldLabel(name))));
    group.appendChild(filter);
    filter.addEventListener("input", debounce(() => filterFacet(name, filter.value.trim(), list, values), 250));
  }
  list.id = `${id}-values`;
  fillValues(list, name, values);
  group.appendChild(list);
  return group;
}

function fillValues(list, name, values, emptyText = t("facets.none")) {
  const selected = state.filters[name] || [];
  const shown = new Set(values.map((v) => v.value));
  const all = [...values, ...selected.filter((v) => !shown.has(v)).map((v) => ({ value: v, count: null, selected: true }))];
  list.replaceChildren();
  if (!all.length) { list.appendChild(el("li", { class: "none" }, emptyText)); return; }
  all.forEach((v, i) => {
    const inputId = `f-${name}-${i}`;
    const checked = selected.includes(v.value);
    const box = el("input", { type: "checkbox", id: inputId, value: v.value, "data-facet": name, checked });
    box.addEventListener("change", () => { focusAfterRender = { facet: name, value: v.value }; toggle(name, v.value, box.checked); });
    const label = el("label", { for: inputId }, el("span", { class: "facet-value" }, v.value));
    if (v.count !== null && v.count !== undefined) {
      label.appendChild(el("span", { class: "count", "aria-label": t("facets.count", v.count) },
        v.count.toLocaleString(lang())));
    }
    list.appendChild(el("li", {}, box, label));
  });
}

let facetRequest = null;
async function filterFacet(name, prefix, list, initial) {
  if (facetRequest) facetRequest.abort();
  if (!prefix) { fillValues(list, name, initial); return; }
  const controller = new AbortController();
  facetRequest = controller;
  const params = searchParams(state, { page: false, sort: false, mode: false });
  params.set("prefix", prefix);
  list.setAttribute("aria-busy", "true");
  try {
    const body = await get(`facets/${encodeURIComponent(name)}`, params, { signal: controller.signal });
    fillValues(list, name, body.values || [], t("facets.nomatch"));
  } catch (err) {
    if (err.name === "AbortError") return;
    // Until /api/facets answers, filter the values already shown.
    const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    const p = fold(prefix);
    fillValues(list, name, initial.filter((v) => fold(v.value).split(/\s+/).some((w) => w.startsWith(p))),
      t("facets.nomatch"));
  } finally {
    list.removeAttribute("aria-busy");
  }
}

function yearFacet(values) {
  const group = el("fieldset", { class: "facet year-facet", id: "facet-year", "data-facet": "year" });
  group.appendChild(el("legend", {}, fieldLabel("year")));
  const years = values.map((v) => ({ year: parseInt(v.value, 10), count: v.count })).filter((v) => v.year)
    .sort((a, b) => a.year - b.year);
  if (years.length) {
    const max = Math.max(...years.map((v) => v.count));
    const chart = el("div", { class: "histogram", role: "group", "aria-label": t("year.histogram") });
    const counts = new Map(years.map((v) => [v.year, v.count]));
    const first = years[0].year;
    const last = years[years.length - 1].year;
    // Every year of the span, empty ones too (as gaps), when the span is short enough to draw.
    const span = last - first <= 80 ? Array.from({ length: last - first + 1 }, (_, i) => first + i) : years.map((v) => v.year);
    for (const year of span) {
      const count = counts.get(year) || 0;
      if (!count) { chart.appendChild(el("span", { class: "year-bar empty", "aria-hidden": "true" })); continue; }
      const bar = el("span", { class: "bar" });
      bar.style.height = `${Math.max(6, Math.round((count / max) * 100))}%`;  // CSSOM, allowed by the CSP
      const inRange = (!state.yearFrom || year >= +state.yearFrom) && (!state.yearTo || year <= +state.yearTo);
      chart.appendChild(el("button", {
        type: "button", class: `year-bar${inRange ? "" : " out"}`, title: `${year}: ${count}`,
        "aria-label": t("year.bar", year, count),
        onclick: () => navigate(searchHash({ ...state, yearFrom: String(year), yearTo: String(year), page: 1 })),
      }, bar));
    }
    group.appendChild(chart);
    group.appendChild(el("p", { class: "histogram-axis", "aria-hidden": "true" },
      el("span", {}, String(years[0].year)), el("span", {}, String(years[years.length - 1].year))));
  }
  const form = el("form", { class: "year-range" });
  const from = el("input", { type: "number", id: "year-from", inputmode: "numeric", min: 1900, max: 2100,
    value: state.yearFrom || "", placeholder: years.length ? String(years[0].year) : "" });
  const to = el("input", { type: "number", id: "year-to", inputmode: "numeric", min: 1900, max: 2100,
    value: state.yearTo || "", placeholder: years.length ? String(years[years.length - 1].year) : "" });
  append(form, el("label", { for: "year-from" }, t("year.from")), from,
    el("label", { for: "year-to" }, t("year.to")), to,
    el("button", { type: "submit", id: "year-apply" }, t("year.apply")));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    let a = from.value.trim();
    let b = to.value.trim();
    if (a && b && +a > +b) [a, b] = [b, a];
    navigate(searchHash({ ...state, yearFrom: a, yearTo: b, page: 1 }));
  });
  group.appendChild(form);
  return group;
}
