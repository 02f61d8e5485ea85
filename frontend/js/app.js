// docsearch front end: plain ES modules over the public HTTP API (no build step, no inline script or
// style: the API serves this page with a strict Content-Security-Policy). Nothing renders before the
// signed-in user is known (GET /api/auth/me); without a session the API's 401 leads to login.html.
import * as admin from "./admin.js";
import { decorateResult } from "./annotations.js";
import * as audit from "./audit.js";
import * as collections from "./collections.js";
import * as documentView from "./document.js";
import * as entityView from "./entity.js";
import * as folders from "./folders.js";
import * as batchSearch from "./batchsearch.js";
import * as inbox from "./inbox.js";
import * as menu from "./menu.js";
import { $ } from "./dom.js";
import { loadFields } from "./fields.js";
import { lang, setLang, t, translateStatic } from "./i18n.js";
import { errorMessage, loadCollectionLabels } from "./i18n-values.js";
import * as networkView from "./network.js";
import { onRoute, parseRoute, renderIfChanged, searchHash, searchState } from "./router.js";
import * as saved from "./saved.js";
import * as search from "./search.js";
import * as session from "./session.js";
import * as tokens from "./tokens.js";
import * as users from "./users.js";

// view -> [section, nav link marked current, module with show/hide/rerender (search and doc apart)]
const VIEWS = {
  search: ["#view-search", "#nav-search"],
  doc: ["#view-doc", "#nav-search"],
  entity: ["#view-entity", "#nav-search"],
  network: ["#view-network", "#nav-search"],
  admin: ["#view-admin", "#nav-admin", admin],
  users: ["#view-users", "#nav-manage", users],
  collections: ["#view-collections", "#nav-manage", collections],
  audit: ["#view-audit", "#nav-manage", audit],
  account: ["#view-account", "#nav-account", tokens],
  saved: ["#view-saved", "#nav-saved", saved],
  inbox: ["#view-inbox", "#nav-inbox", inbox],
  folders: ["#view-folders", "#nav-folders", folders],
  batch: ["#view-batch", "#nav-batch", batchSearch],
};
const TITLES = { admin: "nav.admin", users: "manage.users", collections: "manage.collections", audit: "manage.audit",
  account: "tokens.heading", saved: "saved.heading", inbox: "inbox.heading", folders: "folders.heading",
  batch: "batch.heading" };
let currentView = null;

function render(route) {
  const [, currentLink, module] = VIEWS[route.view];
  for (const [name, [sel]] of Object.entries(VIEWS)) $(sel).hidden = name !== route.view;
  for (const link of new Set(Object.values(VIEWS).map((v) => v[1]))) {
    if (link === currentLink) $(link).setAttribute("aria-current", "page"); else $(link).removeAttribute("aria-current");
  }
  $(".skip-link").hidden = route.view !== "search";
  const changed = currentView !== route.view;
  if (changed && currentView && VIEWS[currentView][2]) VIEWS[currentView][2].hide();
  if (changed && currentView === "entity") entityView.hide();
  if (changed && currentView === "network") networkView.hide();
  currentView = route.view;
  inbox.refreshCount();
  if (route.view === "doc") {
    document.title = "docsearch";
    documentView.show(route);
  } else if (route.view === "entity") {
    document.title = `${route.value} — docsearch`;
    entityView.show(route);
    if (changed) $("#entity-heading").focus();
  } else if (route.view === "network") {
    document.title = networkTitle(route);
    networkView.show(route);
    if (changed) $("#network-heading").focus();
  } else if (module) {
    document.title = `${t(TITLES[route.view])} — docsearch`;
    module.show(route);
    const heading = $(`${VIEWS[route.view][0]} h2`);
    if (changed && heading) heading.focus();
  } else {
    document.title = route.search.q ? `${route.search.q} — docsearch` : "docsearch";
    search.show(route.search);
    if (changed && document.activeElement === document.body) {
      $("#q").focus({ preventScroll: true });
      if (!started) skipFirstTab();
    }
  }
}

// The page opens with the focus in the search box, to type at once; the first Tab, before anything was typed or
// clicked, starts the page's Tab order at its top (the skip link, "Ir a los resultados") instead of leaving the
// box forward, so that the skip link is reachable forward too. Anything else done first keeps the usual order.
let started = false;
function skipFirstTab() {
  const box = $("#q");
  const done = () => {
    document.removeEventListener("keydown", onKey, true);
    document.removeEventListener("mousedown", done, true);
    box.removeEventListener("input", done);
  };
  const onKey = (ev) => {
    if (ev.key === "Tab" && !ev.shiftKey && !ev.altKey && !ev.ctrlKey && !ev.metaKey
        && document.activeElement === box && !$(".skip-link").hidden) {
      ev.preventDefault();
      $(".skip-link").focus();
    }
    done();
  };
  document.addEventListener("keydown", onKey, true);
  document.addEventListener("mousedown", done, true);
  box.addEventListener("input", done);
}

function networkTitle(route) {
  return `${t("network.heading")}${route.search.q ? `: ${route.search.q}` : ""} — docsearch`;
}

function switchLanguage() {
  setLang(lang() === "es" ? "en" : "es");
  translateStatic();
  $("#lang-switch").setAttribute("lang", lang() === "es" ? "en" : "es");
  session.renderHeader();
  search.rerender();
  if (currentView === "doc") documentView.rerender();
  if (currentView === "entity") entityView.rerender();
  if (currentView === "network") {
    networkView.rerender();
    document.title = networkTitle(parseRoute());
  }
  for (const [, , module] of Object.values(VIEWS)) if (module) module.rerender();
  if (TITLES[currentView]) document.title = `${t(TITLES[currentView])} — docsearch`;
  $("#lang-switch").focus();
}

async function start() {
  translateStatic();
  $("#lang-switch").setAttribute("lang", lang() === "es" ? "en" : "es");
  $("#lang-switch").addEventListener("click", switchLanguage);
  menu.init();
  // Who is signed in, first: a 401 goes to the sign-in page and nothing below runs.
  try {
    await session.load();
  } catch (err) {
    $("#status").className = "status error";
    $("#status").textContent = t("status.error", errorMessage(err));
    return;
  }
  session.init();
  session.renderHeader();
  // The filters and labels come from the server's field registry; without them the search still works.
  // The collections' display names likewise: without them, a collection shows its name.
  await Promise.all([
    loadFields().catch((err) => console.warn("fields unavailable:", err.message)),
    loadCollectionLabels().catch((err) => console.warn("collection names unavailable:", err.message)),
  ]);
  translateStatic();
  // Skip link: move focus without touching the hash (the hash holds the route).
  $(".skip-link").addEventListener("click", (ev) => {
    ev.preventDefault();
    const target = document.getElementById(ev.currentTarget.dataset.skip);
    if (target) target.focus();
  });
  search.init();
  search.decorateResults(decorateResult);   // a star and "Añadir a carpeta" on each result
  inbox.init();
  onRoute(render);
  // Links of the older page (/?q=...) still work: their query moves into the hash.
  if (!location.hash && location.search) {
    const state = searchState(new URLSearchParams(location.search));
    history.replaceState(null, "", location.pathname + searchHash(state));
  }
  if (!location.hash) history.replaceState(null, "", location.pathname + "#/search");
  renderIfChanged(true);
  started = true;
}

start();
