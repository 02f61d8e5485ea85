// The inbox of notices (#/inbox) and the header's "Avisos" link with its count of unread ones.
//   GET /api/notifications?size=&unread_only= -> {unread, items}; GET /api/notifications/unread -> {unread};
//   POST /api/notifications/read {ids} | {all: true} -> {unread}
// The count is asked again when the page loads, on every change of route and every minute; a change after the
// first is said in a live region. Snippets are the API's escaped text with <mark>: appendMarked, never HTML.
import { get, post } from "./api.js";
import { $, appendMarked, el } from "./dom.js";
import { formatDate, t } from "./i18n.js";
import { errorText, setStatus } from "./manage.js";
import { docHash } from "./router.js";

const REFRESH_MS = 60_000;
const PAGE_SIZE = 50;
let unread = null;       // the count shown, null until known
let countSeq = 0;        // answers of GET .../unread older than the last change are dropped
let items = [];
let shown = false;
let loading = 0;

// Signed in: the link shows, and its count is asked again every minute (and by app.js on every route).
export function init() {
  $("#nav-inbox").hidden = false;
  setInterval(refreshCount, REFRESH_MS);
}

// The header's count, asked again. A 401 (signed out meanwhile) hides the link; any other failure keeps it.
export async function refreshCount() {
  const mine = ++countSeq;
  try {
    const body = await get("notifications/unread", undefined, { signInOn401: false });
    if (mine === countSeq) setCount(body.unread);
  } catch (err) {
    if (err.status === 401) $("#nav-inbox").hidden = true;
  }
}

function setCount(count) {
  const value = Number.isInteger(count) && count > 0 ? count : 0;
  const before = unread;
  unread = value;
  renderBadge();
  if (before === null || before === value) return;
  $("#inbox-live").textContent = t("inbox.announce", value);
  if (shown && value > before) load();   // new notices while the inbox is open: shown at once
}

function renderBadge() {
  const link = $("#nav-inbox");
  const badge = $("#inbox-count");
  const count = unread || 0;
  link.dataset.count = String(count);
  link.setAttribute("aria-label", t("inbox.label", count));
  badge.textContent = count > 99 ? "99+" : String(count);
  badge.hidden = !count;
}

// -- the view ------------------------------------------------------------------------------------------
export function show() {
  shown = true;
  build();
  load();
}

export function hide() { shown = false; }

export function rerender() {
  if (unread !== null) renderBadge();
  if (!shown) return;
  build();
  renderItems();
}

function build() {
  const markAll = el("button", { type: "button", id: "inbox-mark-all" }, t("inbox.markall"));
  markAll.addEventListener("click", markAllRead);
  $("#view-inbox").replaceChildren(
    el("h2", { id: "inbox-heading", tabindex: "-1" }, t("inbox.heading")),
    el("p", { class: "help" }, t("inbox.intro"), " ", el("a", { href: "#/saved", id: "inbox-manage" }, t("inbox.manage"))),
    el("div", { class: "inbox-bar" },
      el("p", { id: "inbox-status", class: "status", role: "status", "aria-live": "polite" }),
      markAll),
    el("ol", { id: "inbox-list", class: "inbox-list", "aria-label": t("inbox.list") }));
}

async function load() {
  const mine = ++loading;
  const status = $("#inbox-status");
  setStatus(status, t("manage.loading"));
  let body;
  try {
    body = await get("notifications", { size: String(PAGE_SIZE), unread_only: "false" });
  } catch (err) {
    if (mine !== loading || !shown) return;
    setStatus(status, t("inbox.error", errorText(err)), "error");
    return;
  }
  if (mine !== loading || !shown) return;
  // Newest first, whatever order the answer came in.
  items = [...(body.items || [])].sort((a, b) => String(b.at).localeCompare(String(a.at)));
  ++countSeq;
  setCount(body.unread);
  renderItems();
}

function renderItems() {
  const list = $("#inbox-list");
  if (!list) return;
  const status = $("#inbox-status");
  $("#inbox-mark-all").disabled = !items.some((x) => !x.read);
  setStatus(status, items.length ? t("inbox.summary", items.length, items.filter((x) => !x.read).length)
    : t("inbox.empty"));
  status.classList.toggle("empty", !items.length);
  list.replaceChildren(...items.map(item));
}

function item(notice) {
  const page = Number.isInteger(notice.page) && notice.page > 0 ? notice.page : 1;
  const link = el("a", { class: "notice-title", href: docHash(notice.document_id, { page }) },
    notice.title || notice.document_id);
  // Opening one marks it read; the router follows the link meanwhile.
  link.addEventListener("click", () => markRead(notice));
  link.addEventListener("auxclick", (ev) => { if (ev.button === 1) markRead(notice); });
  const li = el("li", { class: `notice${notice.read ? "" : " unread"}`, "data-id": notice.id,
    "data-document": notice.document_id },
  el("p", { class: "notice-head" },
    notice.read ? null : el("strong", { class: "notice-new" }, t("inbox.new")),
    el("span", { class: "notice-link" }, link),
    notice.page ? el("span", { class: "notice-page" }, ` · ${t("inbox.page", notice.page)}`) : null),
  el("p", { class: "notice-meta" },
    el("span", { class: "notice-watch" }, t("inbox.watch", notice.watch_label || "")),
    " · ", el("time", { datetime: notice.at }, formatDate(notice.at))));
  if (notice.snippet) li.appendChild(appendMarked(el("p", { class: "notice-snippet snippet" }), notice.snippet));
  return li;
}

async function markRead(notice) {
  if (notice.read) return;
  notice.read = true;
  ++countSeq;
  try {
    const body = await post("notifications/read", { ids: [notice.id] });
    ++countSeq;
    setCount(body.unread);
  } catch (err) {
    notice.read = false;
    console.warn("could not mark the notice read:", err.message);
  }
  if (shown) renderItems();
}

async function markAllRead() {
  const status = $("#inbox-status");
  const button = $("#inbox-mark-all");
  button.disabled = true;
  ++countSeq;
  let body;
  try {
    body = await post("notifications/read", { all: true });
  } catch (err) {
    button.disabled = false;
    setStatus(status, errorText(err), "error");
    return;
  }
  ++countSeq;
  setCount(body.unread);
  for (const notice of items) notice.read = true;
  renderItems();
  setStatus(status, t("inbox.markedall"), "ok");
  $("#inbox-heading").focus();
}
