// docsearch front end: plain ES modules over the public HTTP API (no build step, no inline script or
// style: the API serves this page with a strict Content-Security-Policy).
import * as admin from "./admin.js";
import * as documentView from "./document.js";
import { $ } from "./dom.js";
import { loadFields } from "./fields.js";
import { lang, setLang, t, translateStatic } from "./i18n.js";
import { onRoute, renderIfChanged, searchHash, searchState } from "./router.js";
import * as search from "./search.js";

const VIEWS = { search: "#view-search", doc: "#view-doc", admin: "#view-admin" };
let currentView = null;

function render(route) {
  for (const [name, sel] of Object.entries(VIEWS)) $(sel).hidden = name !== route.view;
  for (const [sel, on] of [["#nav-search", route.view !== "admin"], ["#nav-admin", route.view === "admin"]]) {
    if (on) $(sel).setAttribute("aria-current", "page"); else $(sel).removeAttribute("aria-current");
  }
  $(".skip-link").hidden = route.view !== "search";
  const changed = currentView !== route.view;
  if (currentView === "admin" && route.view !== "admin") admin.hide();
  currentView = route.view;
  if (route.view === "doc") {
    document.title = "docsearch";
    documentView.show(route);
  } else if (route.view === "admin") {
    document.title = `${t("nav.admin")} — docsearch`;
    admin.show();
    if (changed) $("#admin-heading").focus();
  } else {
    document.title = route.search.q ? `${route.search.q} — docsearch` : "docsearch";
    search.show(route.search);
    if (changed && document.activeElement === document.body) $("#q").focus({ preventScroll: true });
  }
}

function switchLanguage() {
  setLang(lang() === "es" ? "en" : "es");
  translateStatic();
  $("#lang-switch").setAttribute("lang", lang() === "es" ? "en" : "es");
  search.rerender();
  if (currentView === "doc") documentView.rerender();
  admin.rerender();
  $("#lang-switch").focus();
}

async function start() {
  // The filters and labels come from the server's field registry; without them the search still works.
  try { await loadFields(); } catch (err) { console.warn("fields unavailable:", err.message); }
  translateStatic();
  $("#lang-switch").setAttribute("lang", lang() === "es" ? "en" : "es");
  $("#lang-switch").addEventListener("click", switchLanguage);
  // Skip link: move focus without touching the hash (the hash holds the route).
  $(".skip-link").addEventListener("click", (ev) => {
    ev.preventDefault();
    const target = document.getElementById(ev.currentTarget.dataset.skip);
    if (target) target.focus();
  });
  search.init();
  onRoute(render);
  // Links of the older page (/?q=...) still work: their query moves into the hash.
  if (!location.hash && location.search) {
    const state = searchState(new URLSearchParams(location.search));
    history.replaceState(null, "", location.pathname + searchHash(state));
  }
  if (!location.hash) history.replaceState(null, "", location.pathname + "#/search");
  renderIfChanged(true);
}

start();
