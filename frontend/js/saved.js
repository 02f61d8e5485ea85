// The signed-in user's saved searches and watches (#/saved): each saved search can be run, renamed, deleted
// (after a confirmation) and watched with a delivery; below, the watched entities and collections with their
// delivery, pause/resume and delete, and a form to watch a collection (one of those the user can read:
// GET /api/facets/collection).
import { get } from "./api.js";
import { $, el } from "./dom.js";
import { fieldLabel } from "./fields.js";
import { formatDate, t } from "./i18n.js";
import { ask, errorText, setStatus } from "./manage.js";
import { entityHash, searchHash } from "./router.js";
import * as w from "./watches.js";

let saved = [];
let watches = [];
let collections = null;   // names, once read; [] when none could be read
let shown = false;
let loading = 0;
let renaming = null;      // id of the saved search whose name is being edited

export function show() {
  shown = true;
  renaming = null;
  build();
  load();
}

export function hide() { shown = false; renaming = null; }

export function rerender() {
  if (!shown) return;
  build();
  renderAll();
}

function build() {
  const form = el("form", { id: "watch-collection-form", class: "panel-form inline-form", novalidate: true },
    el("h4", { class: "form-title" }, t("watch.collection.heading")),
    el("p", { class: "field" }, el("label", { for: "watch-collection" }, t("watch.collection.field")),
      el("select", { id: "watch-collection" })),
    el("p", { class: "field" }, ...w.deliveryField("watch-collection-delivery", w.DEFAULT_DELIVERY)),
    el("button", { type: "submit", id: "watch-collection-submit" }, t("watch.collection.submit")),
    el("p", { id: "watch-collection-status", class: "status", role: "status", "aria-live": "polite" }));
  form.addEventListener("submit", watchCollection);
  $("#view-saved").replaceChildren(
    el("h2", { id: "saved-heading", tabindex: "-1" }, t("saved.heading")),
    el("p", { id: "saved-status", class: "status", role: "status", "aria-live": "polite" }),
    el("h3", { id: "saved-searches-heading", tabindex: "-1" }, t("saved.searches")),
    el("p", { id: "saved-none", class: "empty-note", hidden: true }, t("saved.none")),
    el("ul", { id: "saved-searches", class: "card-list", "aria-labelledby": "saved-searches-heading" }),
    el("h3", { id: "watches-heading", tabindex: "-1" }, t("watches.heading")),
    el("p", { id: "watches-none", class: "empty-note", hidden: true }, t("watches.none")),
    el("ul", { id: "watches", class: "card-list", "aria-labelledby": "watches-heading" }),
    form);
}

async function load() {
  const mine = ++loading;
  const status = $("#saved-status");
  setStatus(status, t("manage.loading"));
  try {
    const [s, ws] = await Promise.all([w.listSaved(), w.listWatches()]);
    if (mine !== loading || !shown) return;
    saved = s || [];
    watches = ws || [];
  } catch (err) {
    if (mine !== loading || !shown) return;
    setStatus(status, errorText(err), "error");
    return;
  }
  setStatus(status, "");
  renderAll();
  if (collections === null) loadCollections();
}

async function loadCollections() {
  try {
    const body = await get("facets/collection", { size: "100" });
    collections = (body.values || []).map((v) => v.value).filter(Boolean).sort((a, b) => a.localeCompare(b));
  } catch (err) {
    console.warn("collections unavailable:", err.message);
    collections = [];
  }
  if (shown) renderCollectionChoice();
}

function renderAll() {
  renderSaved();
  renderWatches();
  renderCollectionChoice();
}

// -- saved searches --------------------------------------------------------------------------------------
function renderSaved() {
  const list = $("#saved-searches");
  if (!list) return;
  $("#saved-none").hidden = saved.length > 0;
  list.replaceChildren(...saved.map(savedCard));
}

function summary(s) {
  const parts = [s.q ? t("saved.query", s.q) : t("saved.noquery")];
  for (const [name, values] of Object.entries(s.filters || {})) {
    if ((values || []).length) parts.push(`${fieldLabel(name)}: ${values.join(", ")}`);
  }
  if (s.year_from || s.year_to) parts.push(t("saved.years", s.year_from || "", s.year_to || ""));
  if (s.mode) parts.push(t(`mode.${s.mode}`));
  if (s.sort && s.sort !== "relevance") parts.push(`${t("sort.label")}: ${t(`sort.${s.sort}`)}`);
  return parts.join(" · ");
}

function savedCard(s) {
  const id = `saved-${s.id}`;
  const heading = renaming === s.id ? renameForm(s) : el("h4", { id: `${id}-name`, class: "saved-name" }, s.name);
  const rename = el("button", { type: "button", class: "saved-rename", "aria-label": t("saved.rename.label", s.name),
    "aria-expanded": renaming === s.id ? "true" : "false" }, t("saved.rename"));
  rename.addEventListener("click", () => startRename(s.id));
  const remove = el("button", { type: "button", class: "saved-delete danger-link", "aria-label": t("saved.delete.label", s.name) },
    t("saved.delete"));
  remove.addEventListener("click", () => deleteSearch(s));
  return el("li", { class: "card saved-search", "data-id": s.id },
    heading,
    el("p", { class: "saved-summary" }, summary(s),
      s.created_at ? el("span", { class: "meta" }, ` · ${t("saved.created", formatDate(s.created_at))}`) : null),
    el("p", { class: "row-actions" },
      el("a", { class: "button saved-run", href: w.savedHash(s), "aria-label": t("saved.run.label", s.name) }, t("saved.run")),
      rename, remove),
    searchWatchRow(s));
}

function renameForm(s) {
  const inputId = `rename-${s.id}`;
  const input = el("input", { id: inputId, type: "text", value: s.name, maxlength: w.NAME_MAX, autocomplete: "off",
    required: true, class: "rename-input" });
  const status = el("span", { class: "field-error", id: `${inputId}-error`, hidden: true });
  const cancel = el("button", { type: "button", class: "rename-cancel" }, t("manage.cancel"));
  const form = el("form", { class: "rename-form inline-form", novalidate: true },
    el("p", { class: "field" }, el("label", { for: inputId }, t("saved.rename.field")), input, status),
    el("button", { type: "submit", class: "primary rename-save" }, t("saved.rename.save")), cancel);
  cancel.addEventListener("click", () => stopRename(s.id));
  form.addEventListener("keydown", (ev) => { if (ev.key === "Escape") { ev.preventDefault(); stopRename(s.id); } });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const name = input.value.trim();
    if (!name) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", status.id);
      status.hidden = false;
      status.textContent = t("manage.required");
      input.focus();
      return;
    }
    try {
      const updated = await w.renameSaved(s.id, name);
      replaceSaved(updated || { ...s, name });
    } catch (err) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", status.id);
      status.hidden = false;
      status.textContent = t("saved.error", errorText(err));
      input.focus();
      return;
    }
    stopRename(s.id);
    setStatus($("#saved-status"), t("saved.renamed", name), "ok");
  });
  return form;
}

function startRename(id) {
  renaming = id;
  renderSaved();
  const input = $(`#rename-${CSS.escape(String(id))}`);
  input.focus();
  input.select();
}

function stopRename(id) {
  renaming = null;
  renderSaved();
  focusIn(`#saved-searches li[data-id="${CSS.escape(String(id))}"] .saved-rename`);
}

function replaceSaved(updated) {
  saved = saved.map((x) => (x.id === updated.id ? { ...x, ...updated } : x));
}

async function deleteSearch(s) {
  const ok = await ask({ title: t("saved.delete.title", s.name), message: t("saved.delete.message"),
    confirm: t("saved.delete"), danger: true });
  if (!ok) return;
  try {
    await w.deleteSaved(s.id);
  } catch (err) {
    setStatus($("#saved-status"), t("saved.error", errorText(err)), "error");
    return;
  }
  saved = saved.filter((x) => x.id !== s.id);
  if (s.watch) watches = watches.filter((x) => x.id !== s.watch.id);
  if (renaming === s.id) renaming = null;
  renderSaved();
  setStatus($("#saved-status"), t("saved.deleted", s.name), "ok");
  $("#saved-searches-heading").focus();
}

// The watch of a saved search: a checkbox (watched and active) and its delivery.
function searchWatchRow(s) {
  const current = s.watch || null;
  const on = Boolean(current && current.active !== false);
  const boxId = `watch-${s.id}`;
  const box = el("input", { type: "checkbox", id: boxId, class: "watch-toggle", checked: on });
  const [label, select] = w.deliveryField(`delivery-${s.id}`, current ? current.delivery : w.DEFAULT_DELIVERY, {
    ariaLabel: t("watch.delivery.of", s.name) });
  box.addEventListener("change", () => toggleSearchWatch(s, box, select));
  select.addEventListener("change", () => {
    if (s.watch) setDelivery(s.watch, select.value, s.name, select);
  });
  return el("p", { class: "watch-row" },
    el("span", { class: "check-field" }, box, el("label", { for: boxId }, t("watch.notify"))),
    el("span", { class: "delivery-field" }, label, select),
    current && current.active === false ? el("span", { class: "watch-state paused" }, t("watch.paused")) : null);
}

async function toggleSearchWatch(s, box, select) {
  const status = $("#saved-status");
  box.disabled = true;
  try {
    if (box.checked) {
      let made = s.watch && s.watch.active === false
        ? await w.changeWatch(s.watch.id, { active: true, delivery: select.value })
        : await w.watch({ kind: "search", saved_search: s.id, delivery: select.value });
      if (made && made.active === false) made = await w.changeWatch(made.id, { active: true });
      s.watch = made;
      watches = [...watches.filter((x) => x.id !== made.id), made];
      setStatus(status, t("watch.on", s.name, w.deliveryName(made.delivery)), "ok");
    } else if (s.watch) {
      await w.unwatch(s.watch.id);
      watches = watches.filter((x) => x.id !== s.watch.id);
      s.watch = null;
      setStatus(status, t("watch.off", s.name), "ok");
    }
  } catch (err) {
    box.checked = !box.checked;
    setStatus(status, t("saved.error", errorText(err)), "error");
  } finally {
    box.disabled = false;
  }
  replaceSaved(s);
  redrawSaved(s.id, ".watch-toggle");
}

// One saved search's card drawn again (the others keep what is being typed in them), focus on `focus` in it.
function redrawSaved(id, focus) {
  const s = saved.find((x) => x.id === id);
  const old = $(`#saved-searches li[data-id="${CSS.escape(String(id))}"]`);
  if (!s || !old) return;
  old.replaceWith(savedCard(s));
  focusIn(`#saved-searches li[data-id="${CSS.escape(String(id))}"] ${focus}`);
}

async function setDelivery(current, delivery, label, select) {
  const status = $("#saved-status");
  try {
    const updated = await w.changeWatch(current.id, { delivery });
    Object.assign(current, updated || { delivery });
    setStatus(status, t("watch.changed", label, w.deliveryName(current.delivery)), "ok");
  } catch (err) {
    select.value = current.delivery;
    setStatus(status, t("saved.error", errorText(err)), "error");
  }
}

// -- entity and collection watches -----------------------------------------------------------------------
function renderWatches() {
  const list = $("#watches");
  if (!list) return;
  const others = watches.filter((x) => x.kind === "entity" || x.kind === "collection");
  $("#watches-none").hidden = others.length > 0;
  list.replaceChildren(...others.map(watchCard));
}

function watchTarget(x) {
  const target = x.target || {};
  if (x.kind === "entity") {
    return { kind: fieldLabel(target.field || ""), href: target.field && target.value ? entityHash(target.field, target.value) : null,
      label: x.label || target.value || "" };
  }
  const name = target.collection || x.label || "";
  return { kind: t("watch.kind.collection"),
    href: name ? searchHash({ q: "", page: 1, sort: "relevance", mode: "", filters: { collection: [name] }, yearFrom: "", yearTo: "" }) : null,
    label: x.label || name };
}

function watchCard(x) {
  const { kind, href, label } = watchTarget(x);
  const active = x.active !== false;
  const [deliveryLabel, select] = w.deliveryField(`delivery-w-${x.id}`, x.delivery, { ariaLabel: t("watch.delivery.of", label) });
  select.addEventListener("change", () => setDelivery(x, select.value, label, select));
  const pause = el("button", { type: "button", class: "watch-pause",
    "aria-label": t(active ? "watch.pause.label" : "watch.resume.label", label) }, t(active ? "watch.pause" : "watch.resume"));
  pause.addEventListener("click", () => toggleActive(x, label));
  const remove = el("button", { type: "button", class: "watch-delete danger-link", "aria-label": t("watch.delete.label", label) },
    t("watch.delete"));
  remove.addEventListener("click", () => deleteWatch(x, label));
  return el("li", { class: `card watch${active ? "" : " paused"}`, "data-id": x.id, "data-kind": x.kind },
    el("p", { class: "watch-kind" }, kind),
    el("h4", { class: "watch-label" }, href ? el("a", { href }, label) : label),
    el("p", { class: "watch-controls" },
      el("span", { class: "delivery-field" }, deliveryLabel, select),
      el("span", { class: `watch-state${active ? "" : " paused"}` }, t("watch.state", t(active ? "watch.active" : "watch.paused"))),
      pause, remove));
}

async function toggleActive(x, label) {
  const status = $("#saved-status");
  const active = x.active === false;
  try {
    const updated = await w.changeWatch(x.id, { active });
    Object.assign(x, updated || { active });
  } catch (err) {
    setStatus(status, t("saved.error", errorText(err)), "error");
    return;
  }
  renderWatches();
  setStatus(status, t(x.active === false ? "watch.paused.done" : "watch.resumed.done", label), "ok");
  focusIn(`#watches li[data-id="${CSS.escape(String(x.id))}"] .watch-pause`);
}

async function deleteWatch(x, label) {
  const status = $("#saved-status");
  try {
    await w.unwatch(x.id);
  } catch (err) {
    setStatus(status, t("saved.error", errorText(err)), "error");
    return;
  }
  watches = watches.filter((y) => y.id !== x.id);
  renderWatches();
  setStatus(status, t("watch.off", label), "ok");
  $("#watches-heading").focus();
}

function renderCollectionChoice() {
  const select = $("#watch-collection");
  if (!select) return;
  const keep = select.value;
  const watched = new Set(watches.filter((x) => x.kind === "collection").map((x) => (x.target || {}).collection));
  const names = (collections || []).filter((name) => !watched.has(name));
  select.replaceChildren(...names.map((name) => el("option", { value: name, selected: name === keep }, name)));
  const none = collections !== null && !names.length;
  select.disabled = none;
  $("#watch-collection-submit").disabled = none;
  if (none) setStatus($("#watch-collection-status"), (collections || []).length ? "" : t("watch.collection.none"));
}

async function watchCollection(ev) {
  ev.preventDefault();
  const status = $("#watch-collection-status");
  const collection = $("#watch-collection").value;
  if (!collection) { setStatus(status, t("watch.collection.pick"), "error"); return; }
  const delivery = $("#watch-collection-delivery").value;
  let made;
  try {
    made = await w.watch({ kind: "collection", collection, delivery });
  } catch (err) {
    setStatus(status, t("saved.error", errorText(err)), "error");
    return;
  }
  watches = [...watches.filter((x) => x.id !== made.id), made];
  renderWatches();
  renderCollectionChoice();
  setStatus(status, t("watch.on", made.label || collection, w.deliveryName(made.delivery)), "ok");
}

function focusIn(selector) {
  const target = $(selector);
  if (target) target.focus();
}
