// The whole state lives in the URL's hash, so every view can be shared and the back button works:
//   #/search?q=lavado&laws=Decreto%20Legislativo%201106&year_from=2015&sort=date_desc&mode=lexical&page=2
//   #/doc/<sha256>?page=3&q=lavado
//   #/admin                          (loads)
//   #/admin/users, #/admin/collections, #/admin/audit?actor=&action=&since=&until=&q=
//   #/account                        (the user's API tokens)
//   #/saved                          (the user's saved searches and watches)
//   #/inbox                          (the notices of the user's watches)
//   #/folders, #/folders/<id>, #/folders?tag=<tag>   (case folders; the user's starred and tagged documents)
//   #/batch-search                   (a list searched line by line)
//   #/entity/<field>/<value>         (one entity across the archive: criminal_orgs/Los%20Topos…)
//   #/network?q=lavado&criminal_orgs=…&types=persons,criminal_orgs   (who appears with whom in a search's documents)

import { ENTITY_FACETS, FACETS } from "./fields.js";

export const SORTS = ["relevance", "date_desc", "date_asc"];
// Search modes of the API: by words and meaning together, by words alone, by meaning alone. Absent from the
// hash, the server's default is used (hybrid, unless its settings say otherwise; each answer names it: query.asked_mode).
export const MODES = ["hybrid", "lexical", "semantic"];
export const DEFAULT_MODE = "hybrid";
// The administration's views: #/admin/users, #/admin/collections, #/admin/audit?actor=ana&action=login
export const MANAGE_VIEWS = ["users", "collections", "audit"];

export function parseRoute(hash = location.hash) {
  const raw = hash.replace(/^#!?/, "");
  const cut = raw.indexOf("?");
  const path = cut < 0 ? raw : raw.slice(0, cut);
  const params = new URLSearchParams(cut < 0 ? "" : raw.slice(cut + 1));
  const doc = path.match(/^\/doc\/([0-9a-f]{64})$/);
  if (doc) {
    return { view: "doc", id: doc[1], page: positiveInt(params.get("page"), 1), q: params.get("q") || "",
      hit: params.get("hit") || "" };
  }
  const entity = path.match(/^\/entity\/([a-z_]+)\/(.+)$/);
  if (entity) {
    try {
      return { view: "entity", field: entity[1], value: decodeURIComponent(entity[2]) };
    } catch { /* a broken %-escape: the search page */ }
  }
  if (path === "/network") return { view: "network", search: searchState(params), types: networkTypes(params) };
  if (path === "/admin") return { view: "admin" };
  const manage = path.match(/^\/admin\/([a-z]+)$/);
  if (manage && MANAGE_VIEWS.includes(manage[1])) return { view: manage[1], params };
  if (path === "/account") return { view: "account" };
  if (path === "/saved") return { view: "saved" };
  if (path === "/inbox") return { view: "inbox" };
  const folder = path.match(/^\/folders(?:\/([0-9a-f]{24}))?$/);
  if (folder) return { view: "folders", id: folder[1] || "", tag: params.get("tag") || "" };
  if (path === "/batch-search") return { view: "batch" };
  return { view: "search", search: searchState(params) };
}

export function searchState(params) {
  const filters = {};
  for (const name of FACETS) {
    const values = params.getAll(name).filter(Boolean);
    if (values.length) filters[name] = [...new Set(values)];
  }
  const sort = params.get("sort");
  const mode = params.get("mode");
  return {
    q: params.get("q") || "",
    page: positiveInt(params.get("page"), 1),
    sort: SORTS.includes(sort) ? sort : "relevance",
    mode: MODES.includes(mode) ? mode : "",
    filters,
    yearFrom: yearOrEmpty(params.get("year_from")),
    yearTo: yearOrEmpty(params.get("year_to")),
  };
}

// The API takes the same names as the URL: one function builds both.
export function searchParams(state, { page = true, sort = true, mode = true } = {}) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const name of FACETS) for (const value of state.filters[name] || []) params.append(name, value);
  if (state.yearFrom) params.set("year_from", state.yearFrom);
  if (state.yearTo) params.set("year_to", state.yearTo);
  if (sort && state.sort && state.sort !== "relevance") params.set("sort", state.sort);
  if (mode && state.mode) params.set("mode", state.mode);
  if (page && state.page > 1) params.set("page", String(state.page));
  return params;
}

export function searchHash(state) {
  const qs = searchParams(state).toString();
  return "#/search" + (qs ? "?" + qs : "");
}

// The network of a search's documents: the search's own state (its page aside) and the entity facets drawn
// (`types`, comma-separated as the API takes them; none: the API's default).
export function networkTypes(params) {
  const asked = (params.get("types") || "").split(",").map((x) => x.trim());
  return ENTITY_FACETS.filter((name) => asked.includes(name));
}

export function networkHash(state, types = []) {
  const params = searchParams(state, { page: false });
  if (types.length) params.set("types", types.join(","));
  const qs = params.toString();
  return "#/network" + (qs ? "?" + qs : "");
}

export function entityHash(field, value) {
  return `#/entity/${field}/${encodeURIComponent(value)}`;
}

export function docHash(id, { page = 1, q = "", hit = "" } = {}) {
  const params = new URLSearchParams();
  if (page > 1) params.set("page", String(page));
  if (q) params.set("q", q);
  if (hit) params.set("hit", hit);
  const qs = params.toString();
  return `#/doc/${id}` + (qs ? "?" + qs : "");
}

export function hasFilters(state) {
  return Object.keys(state.filters).length > 0 || Boolean(state.yearFrom || state.yearTo);
}

function positiveInt(value, fallback) {
  const n = parseInt(value || "", 10);
  return Number.isFinite(n) && n >= 1 ? n : fallback;
}

function yearOrEmpty(value) {
  return /^\d{3,4}$/.test(value || "") ? value : "";
}

// -- navigation --------------------------------------------------------------
let renderer = () => {};
let rendered = null;

export function onRoute(fn) {
  renderer = fn;
  window.addEventListener("popstate", () => renderIfChanged());
  window.addEventListener("hashchange", () => renderIfChanged());
  // Internal links: history.pushState instead of a plain hash jump, so one handler renders.
  document.addEventListener("click", (ev) => {
    const link = ev.target.closest && ev.target.closest("a[href^='#/']");
    if (!link || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    navigate(link.getAttribute("href"));
  });
}

export function navigate(hash, { replace = false } = {}) {
  if (hash === location.hash && !replace) { renderIfChanged(true); return; }
  history[replace ? "replaceState" : "pushState"](null, "", hash);
  renderIfChanged(true);
}

export function renderIfChanged(force = false) {
  if (!force && rendered === location.href) return;
  rendered = location.href;
  renderer(parseRoute());
}
