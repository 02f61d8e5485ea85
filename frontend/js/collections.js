// Administration, collections (GET /api/collections, PUT /api/collections/{name}): each collection's
// display name (what the interface shows for it), whether searches leave it out unless it is chosen, the
// default classification for new documents and its grants, "user:ana" or "group:fiscalia-lima" with
// read, write and manage.
import { put } from "./api.js";
import { $, el } from "./dom.js";
import { t } from "./i18n.js";
import { collectionLabel, rememberCollection } from "./i18n-values.js";
import { errorText, frame, loadList, setStatus } from "./manage.js";

export const CLASSIFICATIONS = ["public", "reserved", "sealed"];
export const RIGHTS = ["read", "write", "manage"];
// The server's rules (api/models.py Grant, docsearch/accounts.py COLLECTION).
const PRINCIPAL = /^(user|group):[a-z0-9][a-z0-9._-]{1,63}$/;
const NAME = /^[\p{L}\p{N}_][\p{L}\p{N}_ .-]{0,99}$/u;
let collections = [];
let shown = false;
let rowSeq = 0;

export function show() {
  shown = true;
  build();
}

export function hide() { shown = false; }

export function rerender() {
  if (shown) build(false);
}

function build(load = true) {
  const view = $("#view-collections");
  if (!frame(view, "collections")) return;
  const form = el("form", { id: "collection-new", class: "panel-form inline-form", novalidate: true },
    el("p", { class: "field" }, el("label", { for: "collection-name" }, t("collections.new")),
      el("input", { id: "collection-name", type: "text", maxlength: 100, autocomplete: "off", spellcheck: "false",
        "aria-describedby": "collection-name-help" }),
      el("span", { id: "collection-name-help", class: "help" }, t("admin.collection.help"))),
    el("button", { type: "submit", id: "collection-add" }, t("collections.add")),
    el("p", { id: "collection-new-status", class: "status", role: "status", "aria-live": "polite" }));
  form.addEventListener("submit", addCollection);
  view.append(form,
    el("p", { id: "collections-status", class: "status", role: "status", "aria-live": "polite" }),
    el("ul", { id: "collections", class: "card-list" }));
  if (load) loadCollections(); else renderAll();
}

async function loadCollections() {
  const status = $("#collections-status");
  const body = await loadList("collections", status);
  if (body === null) return;
  collections = body;
  setStatus(status, collections.length ? "" : t("collections.none"));
  renderAll();
}

function renderAll() {
  const list = $("#collections");
  if (list) list.replaceChildren(...collections.map(card));
}

function addCollection(ev) {
  ev.preventDefault();
  const input = $("#collection-name");
  const status = $("#collection-new-status");
  const name = input.value.trim();
  if (!NAME.test(name)) {
    input.setAttribute("aria-invalid", "true");
    setStatus(status, `${t("collections.new")}: ${t("admin.collection.help")}`, "error");
    input.focus();
    return;
  }
  input.removeAttribute("aria-invalid");
  let existing = collections.find((c) => c.name === name);
  if (!existing) {
    existing = { name, default_classification: "reserved", grants: [], display_name: null, hidden: false, unsaved: true };
    collections.unshift(existing);
    $("#collections").prepend(card(existing));
    setStatus(status, t("collections.added", name));
  } else setStatus(status, "");
  input.value = "";
  $(`#collections li[data-name="${CSS.escape(name)}"] select`).focus();
}

function card(c) {
  const id = `col-${++rowSeq}`;
  const select = el("select", { id: `${id}-default`, class: "default-classification" },
    ...CLASSIFICATIONS.map((v) => el("option", { value: v, selected: v === (c.default_classification || "reserved") },
      t(`class.${v}`))));
  const grants = el("tbody");
  for (const g of c.grants || []) grants.appendChild(grantRow(id, g));
  const addGrant = el("button", { type: "button", class: "add-grant" }, t("collections.grant.add"));
  addGrant.addEventListener("click", () => {
    const tr = grantRow(id, { principal: "", rights: ["read"] });
    grants.appendChild(tr);
    tr.querySelector("input").focus();
  });
  const status = el("p", { class: "status", role: "status", "aria-live": "polite" });
  const display = el("input", { id: `${id}-display`, class: "display-name", type: "text", maxlength: 120,
    autocomplete: "off", value: c.display_name || "", placeholder: collectionLabel(c.name),
    "aria-describedby": `${id}-display-help` });
  const hidden = el("input", { id: `${id}-hidden`, class: "hidden-collection", type: "checkbox", checked: !!c.hidden,
    "aria-describedby": `${id}-hidden-help` });
  const form = el("form", { novalidate: true, "aria-labelledby": `${id}-title` },
    el("p", { class: "field" }, el("label", { for: `${id}-display` }, t("collections.display")), display,
      el("span", { id: `${id}-display-help`, class: "help" }, t("collections.display.help"))),
    el("p", { class: "field inline" }, hidden, el("label", { for: `${id}-hidden` }, t("collections.hidden")),
      el("span", { id: `${id}-hidden-help`, class: "help" }, t("collections.hidden.help"))),
    el("p", { class: "field inline" }, el("label", { for: `${id}-default` }, t("collections.default")), select),
    el("table", { class: "data-table grants" },
      el("caption", {}, t("collections.grants")),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("collections.principal")),
        ...RIGHTS.map((r) => el("th", { scope: "col", class: "right" }, t(`right.${r}`))), el("th", { scope: "col" },
          el("span", { class: "visually-hidden" }, t("users.actions"))))),
      grants),
    el("p", { class: "help", id: `${id}-principal-help` }, t("collections.principal.help")),
    el("p", { class: "actions" }, addGrant,
      el("button", { type: "submit", class: "primary save-collection" }, t("collections.save"))),
    status);
  form.addEventListener("submit", (ev) => { ev.preventDefault(); save(c, form, select, grants, status); });
  return el("li", { class: "card collection", "data-name": c.name },
    el("h3", { id: `${id}-title` }, title(c)), form);
}

// A card's heading: the display name with the name beside it, and what is particular about it.
function title(c) {
  const shown = collectionLabel(c.name);
  return el("span", { class: "collection-title" }, shown,
    shown !== c.name ? el("span", { class: "collection-name" }, ` (${c.name})`) : null,
    c.hidden ? el("span", { class: "badge hidden-badge" }, t("collections.hidden.badge")) : null,
    c.unsaved ? el("span", { class: "badge" }, t("collections.unsaved")) : null);
}

function grantRow(id, g) {
  const n = ++rowSeq;
  const principal = el("input", { type: "text", class: "principal", value: g.principal || "", autocomplete: "off",
    spellcheck: "false", placeholder: "user:ana", "aria-label": t("collections.principal"),
    "aria-describedby": `${id}-principal-help` });
  const tr = el("tr", { class: "grant" }, el("td", {}, principal));
  for (const r of RIGHTS) {
    const box = el("input", { type: "checkbox", id: `grant-${n}-${r}`, value: r, checked: (g.rights || []).includes(r) });
    tr.appendChild(el("td", { class: "right" }, box,
      el("label", { for: box.id, class: "visually-hidden" }, t(`right.${r}`))));
  }
  const remove = el("button", { type: "button", class: "link-button remove-grant" }, t("collections.grant.remove"));
  remove.addEventListener("click", () => {
    const next = tr.nextElementSibling || tr.previousElementSibling;
    const card = tr.closest("li.card");
    tr.remove();
    (next ? next.querySelector("input") : card.querySelector(".add-grant")).focus();
  });
  tr.appendChild(el("td", {}, remove));
  principal.addEventListener("input", () => {
    remove.setAttribute("aria-label", `${t("collections.grant.remove")} ${principal.value}`.trim());
  });
  remove.setAttribute("aria-label", `${t("collections.grant.remove")} ${g.principal || ""}`.trim());
  return tr;
}

async function save(c, form, select, body, status) {
  const grants = [];
  for (const tr of body.querySelectorAll("tr.grant")) {
    const input = tr.querySelector("input.principal");
    const principal = input.value.trim().toLowerCase();
    const rights = [...tr.querySelectorAll("input[type=checkbox]:checked")].map((b) => b.value);
    input.removeAttribute("aria-invalid");
    if (!principal && !rights.length) continue;
    if (!PRINCIPAL.test(principal) || !rights.length) {
      input.setAttribute("aria-invalid", "true");
      setStatus(status, PRINCIPAL.test(principal) ? t("collections.rights.none", principal) : t("collections.principal.bad"), "error");
      input.focus();
      return;
    }
    grants.push({ principal, rights });
  }
  setStatus(status, t("manage.saving"));
  const button = form.querySelector(".save-collection");
  button.disabled = true;
  try {
    const displayName = form.querySelector("input.display-name").value.trim();
    const hidden = form.querySelector("input.hidden-collection").checked;
    const saved = await put(`collections/${encodeURIComponent(c.name)}`,
      { default_classification: select.value, grants, display_name: displayName, hidden });
    Object.assign(c, { default_classification: select.value, grants, display_name: displayName || null, hidden },
      saved && saved.name ? saved : {});
    rememberCollection(c.name, c.display_name, c.hidden);
  } catch (err) {
    setStatus(status, errorText(err), "error");
    return;
  } finally {
    button.disabled = false;
  }
  delete c.unsaved;
  form.parentNode.querySelector("h3").replaceChildren(title(c));
  setStatus(status, t("collections.saved", collectionLabel(c.name)), "ok");
}
