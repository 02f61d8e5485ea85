// Administration, audit (GET /api/audit): who did what and when, newest first, searched by actor, action,
// date range and text, paged with the `after` cursor the API returns ("Load more"). The search lives in
// the hash (#/admin/audit?actor=ana&since=2024-05-01), so it can be shared and the back button works.
import { get } from "./api.js";
import { $, el } from "./dom.js";
import { lang, t } from "./i18n.js";
import { errorText, frame, setStatus, table } from "./manage.js";
import { docHash, navigate } from "./router.js";

const PAGE = 50;
const FILTERS = ["actor", "action", "since", "until", "q"];
// The actions the trail records (docsearch/audit.py Action); the API refuses any other.
const ACTIONS = ["login", "login_failed", "logout", "search", "view_document", "view_page", "download", "upload", "retry",
  "reprocess", "grant", "classify", "delete", "user_create", "user_change", "token_create", "token_delete",
  "entity_merge", "entity_split", "backup_create", "backup_restore", "custody_verify", "export",
  "saved_search_create", "saved_search_change", "saved_search_delete", "watch_create", "watch_change", "watch_delete",
  "notify", "folder_create", "folder_change", "folder_share", "folder_delete", "folder_add", "folder_remove",
  "folder_export", "annotate", "batch_search"];
let filters = {};
let events = [];
let after = null;
let shown = false;
let request = 0;

export function show(route) {
  shown = true;
  filters = {};
  for (const name of FILTERS) {
    const value = (route.params && route.params.get(name)) || "";
    if (value) filters[name] = value;
  }
  build();
  if ($("#audit-form")) load(false);
}

export function hide() { shown = false; request += 1; }

export function rerender() {
  if (!shown) return;
  build();
  renderEvents();
}

function input(name, attrs = {}) {
  return el("p", { class: "field" }, el("label", { for: `audit-${name}` }, t(`audit.${name}`)),
    el("input", { id: `audit-${name}`, name, value: filters[name] || "", autocomplete: "off", spellcheck: "false",
      type: "text", ...attrs }));
}

function build() {
  const view = $("#view-audit");
  if (!frame(view, "audit")) return;
  const form = el("form", { id: "audit-form", class: "panel-form", role: "search", "aria-label": t("audit.search") },
    el("div", { class: "fields" },
      input("actor", { maxlength: 64 }),
      el("p", { class: "field" }, el("label", { for: "audit-action" }, t("audit.action")),
        el("select", { id: "audit-action", name: "action" },
          el("option", { value: "" }, t("audit.action.any")),
          ...ACTIONS.map((a) => el("option", { value: a, selected: a === filters.action }, actionName(a))))),
      input("since", { type: "date" }),
      input("until", { type: "date" }),
      input("q", { type: "search", maxlength: 500 })),
    el("p", { class: "actions" },
      el("button", { type: "submit", class: "primary", id: "audit-submit" }, t("audit.submit")),
      el("button", { type: "button", id: "audit-clear", class: "link-button", onclick: clear }, t("facets.clear"))));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const params = new URLSearchParams();
    for (const name of FILTERS) {
      const value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    }
    const qs = params.toString();
    navigate(`#/admin/audit${qs ? "?" + qs : ""}`);
  });
  const more = el("button", { type: "button", id: "audit-more", hidden: true }, t("audit.more"));
  more.addEventListener("click", () => load(true));
  const list = table("audit-table", t("audit.results"), [t("audit.when"), t("audit.actor"), t("audit.action"),
    t("audit.target"), t("audit.detail"), t("audit.ip")]);
  view.append(form,
    el("p", { id: "audit-status", class: "status", role: "status", "aria-live": "polite" }),
    list, el("p", { class: "actions" }, more));
}

// To the second: the trail's order matters.
function formatWhen(iso) {
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString(lang(), { dateStyle: "medium", timeStyle: "medium" });
}

function actionName(action) {
  const key = `audit.action.${action}`;
  const name = t(key);
  return name === key ? action : name;
}

function clear() {
  navigate("#/admin/audit");
  $("#audit-actor").focus();
}

// A day typed in the form, as the instant it starts (since) or ends (until) in the user's time zone.
function dayBound(value, end) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || "");
  if (!m) return value;
  const day = new Date(+m[1], +m[2] - 1, +m[3] + (end ? 1 : 0));
  if (end) day.setMilliseconds(-1);
  return day.toISOString();
}

async function load(more) {
  const ticket = ++request;
  const status = $("#audit-status");
  const params = new URLSearchParams({ size: String(PAGE) });
  for (const [name, value] of Object.entries(filters)) {
    params.set(name, name === "since" ? dayBound(value, false) : name === "until" ? dayBound(value, true) : value);
  }
  if (more && after) params.set("after", after);
  setStatus(status, t("manage.loading"));
  $("#audit-more").disabled = true;
  let body;
  try {
    body = await get("audit", params);
  } catch (err) {
    if (ticket !== request) return;
    setStatus(status, errorText(err), "error");
    $("#audit-more").disabled = false;
    return;
  }
  if (ticket !== request) return;
  const page = body.records;
  const firstNew = more ? events.length : 0;
  events = more ? events.concat(page) : page;
  after = body.next !== null && page.length ? String(body.next) : null;
  renderEvents();
  setStatus(status, events.length ? t("audit.count", events.length, Boolean(after)) : t("audit.none"));
  const rows = $$rows();
  if (more && rows[firstNew]) rows[firstNew].querySelector("th").focus();
}

function $$rows() {
  return [...document.querySelectorAll("#audit-table tbody tr")];
}

// What a record acted on: a document as a short link to it, another long id shortened (in full in its
// title), then the collection when it says more.
function targetCell(e) {
  const cell = el("td", { class: "target" });
  const target = e.target || "";
  if (/^[0-9a-f]{64}$/.test(target)) {
    cell.appendChild(el("a", { href: docHash(target), title: target }, `${target.slice(0, 12)}…`));
  } else if (/^[0-9a-f]{24,}$/.test(target)) {
    cell.appendChild(el("span", { title: target }, `${target.slice(0, 12)}…`));
  } else if (target) cell.appendChild(document.createTextNode(target));
  if (e.collection && e.collection !== target) cell.append(target ? " · " : "", e.collection);
  return cell;
}

// A record's details as one line of text: "role: judge · groups: fiscalia-lima"; empty values left out;
// a grant as "group:fiscalia-lima (read, write)".
function text(value, nested = false) {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map((v) => text(v, true)).filter(Boolean).join(", ");
  if (typeof value === "object") {
    if (typeof value.principal === "string" && Array.isArray(value.rights)) {
      return `${value.principal} (${value.rights.join(", ")})`;
    }
    const parts = Object.entries(value).map(([k, v]) => [k, text(v, true)]).filter(([, v]) => v)
      .map(([k, v]) => `${k}: ${v}`);
    return nested ? (parts.length ? `(${parts.join(", ")})` : "") : parts.join(" · ");
  }
  return String(value);
}

function renderEvents() {
  const body = $("#audit-table tbody");
  if (!body) return;
  body.replaceChildren(...events.map((e) => {
    const when = e.at || "";
    const target = targetCell(e);
    const detail = [e.query ? `«${e.query}»` : "", text(e.details)].filter(Boolean).join(" · ");
    return el("tr", { "data-seq": e.seq, "data-action": e.action, class: e.action === "login_failed" ? "failed" : null },
      el("th", { scope: "row", tabindex: "-1" }, el("time", { datetime: when }, formatWhen(when))),
      el("td", { class: "actor" }, e.actor || "—"),
      el("td", { class: "action" }, actionName(e.action), " ", el("code", {}, e.action || "")),
      target,
      el("td", { class: "detail" }, detail),
      el("td", {}, e.ip || ""));
  }));
  const more = $("#audit-more");
  more.hidden = !after;
  more.disabled = false;
}
