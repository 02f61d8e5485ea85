// One entity across the archive (#/entity/<field>/<value>): where it appears (documents and their pages, first
// and last year, how it is written) and who and what appear with it — on the same pages first, then in the same
// documents — each a link to its own page. GET /api/entities/{field}/{value}; every count is of the documents
// the signed-in user may read. "Vigilar" (aria-pressed) watches the entity for new documents that name it:
// POST /api/watches {kind: "entity", field, value}, DELETE /api/watches/{id}; the value is the hash's.
import { get } from "./api.js";
import { $, el } from "./dom.js";
import { entityLabel, fieldLabel } from "./fields.js";
import { t } from "./i18n.js";
import { errorMessage, valueLabel } from "./i18n-values.js";
import { errorText } from "./manage.js";
import { docHash, entityHash, networkHash, searchHash } from "./router.js";
import * as w from "./watches.js";

let route = null;
let body = null;
let shown = false;
let loading = 0;
let watched = undefined;   // this entity's watch, null when none, undefined while unknown (or unreadable)
let watchError = "";       // why the last press failed
let pressing = false;

export function show(next) {
  shown = true;
  const same = route && body && route.field === next.field && route.value === next.value;
  route = next;
  if (same) {
    render();
    loadWatch();   // it may have changed meanwhile (#/saved)
    return;
  }
  body = null;
  watched = undefined;
  watchError = "";
  load();
  loadWatch();
}

export function hide() { shown = false; }

export function rerender() { if (shown) render(); }

async function load() {
  const mine = ++loading;
  const view = $("#view-entity");
  view.replaceChildren(el("h2", { id: "entity-heading", tabindex: "-1" }, route.value),
    el("p", { id: "entity-status", class: "status", role: "status", "aria-live": "polite" }, t("status.loading")));
  try {
    const found = await get(`entities/${encodeURIComponent(route.field)}/${encodeURIComponent(route.value)}`);
    if (mine !== loading) return;
    body = found;
    render();
  } catch (err) {
    if (mine !== loading) return;
    $("#entity-status").className = "status error";
    $("#entity-status").textContent = t("status.error", errorMessage(err));
  }
}

function render() {
  const view = $("#view-entity");
  if (!body) return;
  const naming = { q: "", page: 1, sort: "relevance", mode: "", filters: { [body.field]: [body.value] }, yearFrom: "", yearTo: "" };
  const years = body.first_year ? (body.first_year === body.last_year ? String(body.first_year)
    : `${body.first_year}–${body.last_year}`) : t("entity.undated");
  const parts = [
    el("p", { class: "entity-kind" }, fieldLabel(body.field)),
    el("h2", { id: "entity-heading", tabindex: "-1" }, body.value),
    el("p", { id: "entity-status", class: "status", role: "status", "aria-live": "polite" },
      body.documents ? t("entity.summary", body.documents, body.pages, years) : t("entity.none")),
  ];
  if (body.documents) {
    parts.push(el("p", { class: "entity-actions" }, el("a", { href: searchHash(naming), id: "entity-search" }, t("entity.search")),
      " · ", el("a", { href: networkHash(naming), id: "entity-network" }, t("entity.network"))));
  }
  if (body.variants.length > 1) {
    parts.push(el("p", { class: "entity-variants" }, `${t("entity.variants")} `, body.variants.join(" · ")));
  }
  // Persons, companies and criminal organisations are one identity across the archive, whatever the spelling.
  if (body.identity) {
    if ((body.spellings || []).length > 1) {
      parts.push(el("p", { class: "entity-variants", id: "entity-spellings" }, `${t("entity.spellings")} `,
        body.spellings.join(" · ")));
    }
    const numbers = [...body.identity.dni.map((n) => `DNI ${n}`), ...body.identity.ruc.map((n) => `RUC ${n}`)];
    parts.push(el("p", { class: "meta", id: "entity-identity" }, t("entity.identity", body.identity.id),
      numbers.length ? ` · ${numbers.join(" · ")}` : ""));
  }
  if (body.results.length) {
    const list = el("ol", { id: "entity-documents", class: "entity-documents" });
    for (const doc of body.results) {
      const pages = el("span", { class: "entity-pages" });
      doc.pages.slice(0, 10).forEach((p, i) => {
        if (i) pages.append(", ");
        pages.append(el("a", { href: docHash(doc.id, { page: p, q: `"${body.variants[0] || body.value}"` }) }, String(p)));
      });
      list.appendChild(el("li", { "data-id": doc.id },
        el("a", { class: "entity-doc", href: docHash(doc.id, { page: doc.pages[0] || 1 }) }, doc.title || doc.id.slice(0, 12)),
        el("span", { class: "meta" }, ` · ${[valueLabel("doc_type", doc.doc_type), doc.year].filter(Boolean).join(" · ")}`),
        doc.pages.length ? el("span", {}, ` · ${t("doc.entity.pages")} `, pages) : null));
    }
    parts.push(el("h3", {}, t("entity.documents")), list);
  }
  if (body.linked.length) {
    const groups = el("div", { id: "entity-linked", class: "entity-linked" });
    for (const group of body.linked) {
      const list = el("ul", { class: "chips", "data-field": group.field });
      for (const v of group.values) {
        list.appendChild(el("li", {}, el("a", { class: "chip", href: entityHash(group.field, v.value),
          "data-value": v.value, title: t("entity.link.title", v.pages, v.documents) },
        el("span", { class: "chip-text" }, v.value),
        el("span", { class: "count", "aria-hidden": "true" }, String(v.pages || v.documents)))));
      }
      groups.appendChild(el("div", { class: "entity-group" }, el("h4", {}, entityLabel(group.type)), list));
    }
    parts.push(el("h3", {}, t("entity.linked")), el("p", { class: "help" }, t("entity.linked.help")), groups);
  }
  parts.splice(3, 0, watchBox());
  view.replaceChildren(...parts);
}

// -- watching the entity ----------------------------------------------------------------------------------
async function loadWatch() {
  const mine = loading;
  try {
    const watches = await w.listWatches();
    if (mine !== loading) return;
    watched = w.entityWatch(watches, route.field, route.value);
  } catch (err) {
    if (mine !== loading) return;
    console.warn("watches unavailable:", err.message);
    watched = undefined;
  }
  fillWatch();
}

// The button, its note (a live region: kept in place, only its text changes) and a link to manage the watch.
function watchBox() {
  const button = el("button", { type: "button", id: "entity-watch-button", class: "watch-button", "aria-pressed": "false",
    "aria-describedby": "entity-watch-note" }, t("watch.entity.button"));
  button.addEventListener("click", toggleWatch);
  const box = el("p", { id: "entity-watch", class: "entity-watch" }, button,
    el("span", { id: "entity-watch-note", class: "status", role: "status", "aria-live": "polite" }),
    el("a", { href: "#/saved", id: "entity-watch-manage" }, t("watch.entity.manage")));
  fillWatch(box);
  return box;
}

function fillWatch(box = $("#entity-watch")) {
  if (!box) return;
  box.hidden = watched === undefined;
  const on = Boolean(watched);
  $("#entity-watch-button", box).setAttribute("aria-pressed", on ? "true" : "false");
  const note = $("#entity-watch-note", box);
  note.classList.toggle("error", Boolean(watchError));
  note.textContent = watchError || (on ? t("watch.entity.on", w.deliveryName(watched.delivery)) : t("watch.entity.off"));
  $("#entity-watch-manage", box).hidden = !on;
}

// Not disabled while it works (a disabled button drops the focus): a second press meanwhile does nothing.
async function toggleWatch() {
  if (pressing) return;
  pressing = true;
  const button = $("#entity-watch-button");
  button.setAttribute("aria-busy", "true");
  const mine = loading;
  watchError = "";
  try {
    if (watched) {
      await w.unwatch(watched.id);
      if (mine === loading) watched = null;
    } else {
      let made = await w.watch({ kind: "entity", field: route.field, value: route.value, delivery: w.DEFAULT_DELIVERY });
      if (made && made.active === false) made = await w.changeWatch(made.id, { active: true });
      if (mine === loading) watched = made;
    }
  } catch (err) {
    if (mine === loading) watchError = t("saved.error", errorText(err));
  } finally {
    pressing = false;
    button.removeAttribute("aria-busy");
  }
  if (mine === loading) fillWatch();
}
