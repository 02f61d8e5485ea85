// The signed-in user's API tokens (#/account): create one (its value is shown once, to copy), list them,
// revoke one. POST/GET /api/auth/tokens, DELETE /api/auth/tokens/{id}.
import { del, post } from "./api.js";
import { $, el } from "./dom.js";
import { formatDate, t } from "./i18n.js";
import { ask, errorText, loadList, setStatus, table } from "./manage.js";
import * as session from "./session.js";

let tokens = [];
let shown = false;

export function show() {
  shown = true;
  build();
  loadTokens();
}

export function hide() {
  shown = false;
  const fresh = $("#token-new");
  if (fresh) fresh.remove();   // the token's value leaves the page with the view
}

export function rerender() {
  if (!shown) return;
  build();
  renderTokens();
}

function build() {
  const view = $("#view-account");
  const me = session.user() || {};
  const form = el("form", { id: "token-create", class: "panel-form inline-form", novalidate: true },
    el("p", { class: "field" }, el("label", { for: "token-name" }, t("tokens.name")),
      el("input", { id: "token-name", type: "text", maxlength: 100, autocomplete: "off", "aria-describedby": "token-name-help" }),
      el("span", { id: "token-name-help", class: "help" }, t("tokens.name.help"))),
    el("button", { type: "submit", id: "token-create-submit", class: "primary" }, t("tokens.create")),
    el("p", { id: "token-create-status", class: "status", role: "status", "aria-live": "polite" }));
  form.addEventListener("submit", create);
  const list = table("tokens-table", t("tokens.list"),
    [t("tokens.name"), t("tokens.created"), t("tokens.used"), t("users.actions")]);
  view.replaceChildren(
    el("h2", { id: "account-heading", tabindex: "-1" }, t("tokens.heading")),
    el("p", { class: "account-who" }, t("tokens.who", me.username || "", session.roleName(me.role || ""),
      (me.groups || []).join(", "))),
    el("p", { class: "help" }, t("tokens.intro")),
    form,
    el("h3", {}, t("tokens.list")),
    el("p", { id: "tokens-status", class: "status", role: "status", "aria-live": "polite" }),
    list);
}

async function loadTokens() {
  const status = $("#tokens-status");
  const body = await loadList("auth/tokens", status);
  if (body === null) return;
  tokens = body;
  setStatus(status, tokens.length ? "" : t("tokens.none"));
  renderTokens();
}

function renderTokens() {
  const body = $("#tokens-table tbody");
  if (!body) return;
  body.replaceChildren(...tokens.map((tok) => {
    const revoke = el("button", { type: "button", class: "revoke danger-link",
      "aria-label": t("tokens.revoke.of", tok.name || tok.id) }, t("tokens.revoke"));
    revoke.addEventListener("click", () => revokeToken(tok));
    return el("tr", { "data-id": tok.id },
      el("th", { scope: "row" }, tok.name || tok.id),
      el("td", {}, formatDate(tok.created_at) || "—"),
      el("td", {}, formatDate(tok.last_used_at || tok.used_at) || t("tokens.never")),
      el("td", {}, revoke));
  }));
}

async function create(ev) {
  ev.preventDefault();
  const input = $("#token-name");
  const status = $("#token-create-status");
  const name = input.value.trim();
  if (!name) {
    input.setAttribute("aria-invalid", "true");
    setStatus(status, t("manage.required"), "error");
    input.focus();
    return;
  }
  input.removeAttribute("aria-invalid");
  let body;
  try {
    body = await post("auth/tokens", { name });
  } catch (err) {
    setStatus(status, errorText(err), "error");
    return;
  }
  input.value = "";
  setStatus(status, "");
  showOnce(body);
  await loadTokens();
}

// The new token's value, once: a read-only field to copy from, with a copy button.
function showOnce(body) {
  const old = $("#token-new");
  if (old) old.remove();
  const value = el("input", { id: "token-value", type: "text", readonly: true, value: body.token, spellcheck: "false",
    autocomplete: "off", "aria-describedby": "token-once" });
  const copied = el("span", { class: "status", role: "status", "aria-live": "polite" });
  const copy = el("button", { type: "button", id: "token-copy" }, t("tokens.copy"));
  copy.addEventListener("click", async () => {
    value.select();
    try { await navigator.clipboard.writeText(body.token); copied.textContent = t("tokens.copied"); }
    catch (_) { copied.textContent = t("tokens.copy.manual"); }
  });
  const box = el("div", { id: "token-new", class: "token-new", role: "region", "aria-labelledby": "token-new-heading" },
    el("h3", { id: "token-new-heading", tabindex: "-1" }, t("tokens.new", body.name || "")),
    el("p", { id: "token-once", class: "warning" }, t("tokens.once")),
    el("p", { class: "field" }, el("label", { for: "token-value" }, t("tokens.value")), el("span", { class: "copy-row" }, value, copy)),
    copied);
  $("#token-create").after(box);
  value.focus();
  value.select();
}

async function revokeToken(tok) {
  const ok = await ask({ title: t("tokens.revoke.title", tok.name || tok.id), message: t("tokens.revoke.message"),
    confirm: t("tokens.revoke"), danger: true });
  if (!ok) return;
  const status = $("#tokens-status");
  try {
    await del(`auth/tokens/${encodeURIComponent(tok.id)}`);
  } catch (err) {
    setStatus(status, errorText(err), "error");
    return;
  }
  await loadTokens();
  setStatus(status, t("tokens.revoked", tok.name || tok.id), "ok");
  $("#token-name").focus();
}
