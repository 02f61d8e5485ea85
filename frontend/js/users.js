// Administration, users (GET/POST /api/users, PATCH /api/users/{username}): the list, a new user with a role,
// groups and an e-mail address (where watch notifications go), a user's role, groups and address changed ("" removes
// it), disabled or enabled, their password reset.
import { patch, post } from "./api.js";
import { $, el } from "./dom.js";
import { t } from "./i18n.js";
import { ask, errorText, frame, listOf, loadList, setStatus, table } from "./manage.js";
import * as session from "./session.js";

export const ROLES = ["admin", "prosecutor", "judge", "analyst", "viewer"];
// The server's rules (api/routers/accounts.py), checked here first so that the message is in words.
export const NAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;
export const MIN_PASSWORD = 12;
export const EMAIL_MAX = 320;
let users = [];
let shown = false;

export function show() {
  shown = true;
  build();
}

export function hide() { shown = false; }

export function rerender() {
  if (shown) build(false);
}

function roleSelect(id, value, label) {
  return el("select", { id, name: "role", "aria-label": label || null },
    ...ROLES.map((r) => el("option", { value: r, selected: r === value }, session.roleName(r))));
}

function build(load = true) {
  const view = $("#view-users");
  if (!frame(view, "users")) return;
  const form = el("form", { id: "user-create", class: "panel-form", novalidate: true, "aria-labelledby": "user-create-heading" },
    el("h3", { id: "user-create-heading" }, t("users.new")),
    el("div", { class: "fields" },
      el("p", { class: "field" }, el("label", { for: "new-username" }, t("users.username")),
        el("input", { id: "new-username", type: "text", required: true, maxlength: 64, autocomplete: "off",
          autocapitalize: "none", spellcheck: "false", pattern: NAME.source.slice(1, -1),
          "aria-describedby": "new-username-help" }),
        el("span", { id: "new-username-help", class: "help" }, t("users.username.help"))),
      el("p", { class: "field" }, el("label", { for: "new-password" }, t("users.password")),
        el("input", { id: "new-password", type: "password", required: true, autocomplete: "new-password", maxlength: 1024,
          minlength: MIN_PASSWORD, "aria-describedby": "new-password-help" }),
        el("span", { id: "new-password-help", class: "help" }, t("users.password.help", MIN_PASSWORD))),
      el("p", { class: "field" }, el("label", { for: "new-email" }, t("users.email")),
        el("input", { id: "new-email", type: "email", maxlength: EMAIL_MAX, autocomplete: "off", autocapitalize: "none",
          spellcheck: "false", "aria-describedby": "new-email-help" }),
        el("span", { id: "new-email-help", class: "help" }, t("users.email.help"))),
      el("p", { class: "field" }, el("label", { for: "new-role" }, t("users.role")), roleSelect("new-role", "analyst")),
      el("p", { class: "field" }, el("label", { for: "new-groups" }, t("users.groups")),
        el("input", { id: "new-groups", type: "text", autocomplete: "off", spellcheck: "false", "aria-describedby": "groups-help" }),
        el("span", { id: "groups-help", class: "help" }, t("users.groups.help")))),
    el("p", { class: "actions" }, el("button", { type: "submit", id: "user-create-submit", class: "primary" }, t("users.create"))),
    el("p", { id: "user-create-status", class: "status", role: "status", "aria-live": "polite" }));
  form.addEventListener("submit", create);
  view.append(form,
    el("h3", { id: "users-list-heading" }, t("users.list")),
    el("p", { id: "users-status", class: "status", role: "status", "aria-live": "polite" }),
    table("users-table", t("users.list"),
      [t("users.username"), t("users.email"), t("users.role"), t("users.groups"), t("users.state"), t("users.actions")]));
  if (load) loadUsers(); else renderUsers();
}

async function loadUsers() {
  const status = $("#users-status");
  const body = await loadList("users", status);
  if (body === null) return;
  users = body;
  renderUsers();
}

function renderUsers() {
  const body = $("#users-table tbody");
  if (!body) return;
  body.replaceChildren(...users.map(row));
  if (!users.length) setStatus($("#users-status"), t("users.none"));
}

function row(u) {
  const name = u.username;
  const self = session.user() && session.user().username === name;
  const role = roleSelect(`role-${name}`, u.role, t("users.role.of", name));
  const groups = el("input", { type: "text", id: `groups-${name}`, value: (u.groups || []).join(", "),
    "aria-label": t("users.groups.of", name), autocomplete: "off", spellcheck: "false" });
  const email = el("input", { type: "email", id: `email-${name}`, class: "user-email", value: u.email || "",
    maxlength: EMAIL_MAX, "aria-label": t("users.email.of", name), autocomplete: "off", autocapitalize: "none",
    spellcheck: "false" });
  const status = el("span", { class: "status row-status", role: "status", "aria-live": "polite" });
  const save = el("button", { type: "button", class: "save", "aria-label": t("users.save.of", name) }, t("users.save"));
  save.addEventListener("click", () => {
    const list = listOf(groups.value.toLowerCase());
    const bad = list.find((g) => !NAME.test(g));
    groups.removeAttribute("aria-invalid");
    email.removeAttribute("aria-invalid");
    if (bad) {
      groups.setAttribute("aria-invalid", "true");
      setStatus(status, t("users.groups.bad", bad), "error");
      groups.focus();
      return;
    }
    const fields = { role: role.value, groups: list };
    const address = email.value.trim();
    if (address !== (u.email || "")) fields.email = address;     // "" removes it
    change(u, fields, status, t("users.saved", name), (err) => {
      // Roles and groups are chosen or checked here: a refused "invalid" change is the address.
      if ("email" in fields && err.code === "invalid") {
        email.setAttribute("aria-invalid", "true");
        email.focus();
      }
    }).then((ok) => { if (ok) email.value = u.email || ""; });
  });
  const toggle = el("button", { type: "button", class: "toggle-disabled", disabled: self || null,
    "aria-label": t(u.disabled ? "users.enable.of" : "users.disable.of", name) },
  t(u.disabled ? "users.enable" : "users.disable"));
  toggle.addEventListener("click", () => toggleDisabled(u, status));
  const reset = el("button", { type: "button", class: "reset-password", "aria-label": t("users.reset.of", name) },
    t("users.reset"));
  reset.addEventListener("click", () => resetPassword(u, status));
  return el("tr", { "data-username": name, class: u.disabled ? "disabled" : null },
    el("th", { scope: "row", class: "username" }, name),
    el("td", {}, email),
    el("td", {}, role),
    el("td", {}, groups),
    el("td", { class: "user-state" }, t(u.disabled ? "users.disabled" : "users.active")),
    el("td", {}, el("div", { class: "row-actions" }, save, toggle, reset, status)));
}

// PATCH the user; true once saved, else false with the reason on `status` (and given to `refused`).
async function change(u, fields, status, done, refused = null) {
  setStatus(status, t("manage.saving"));
  let updated;
  try {
    updated = await patch(`users/${encodeURIComponent(u.username)}`, fields);
  } catch (err) {
    setStatus(status, errorText(err), "error");
    if (refused) refused(err);
    return false;
  }
  Object.assign(u, fields, updated && updated.username ? updated : {});
  setStatus(status, done, "ok");
  return true;
}

async function toggleDisabled(u, status) {
  const disable = !u.disabled;
  if (disable) {
    const ok = await ask({ title: t("users.disable.title", u.username), message: t("users.disable.message"),
      confirm: t("users.disable"), danger: true });
    if (!ok) return;
  }
  if (!await change(u, { disabled: disable }, status, t(disable ? "users.disabled.done" : "users.enabled.done", u.username))) return;
  const message = status.textContent;
  const fresh = row(u);
  $(`#users-table tr[data-username="${CSS.escape(u.username)}"]`).replaceWith(fresh);
  setStatus(fresh.querySelector(".row-status"), message, "ok");
  fresh.querySelector(".toggle-disabled").focus();
}

async function resetPassword(u, status) {
  const password = await ask({ title: t("users.reset.title", u.username), message: t("users.reset.message"),
    field: { label: t("users.password.new"), type: "password", autocomplete: "new-password", minlength: MIN_PASSWORD,
      help: t("users.password.help", MIN_PASSWORD) }, confirm: t("users.reset") });
  if (!password) return;
  await change(u, { password }, status, t("users.reset.done", u.username));
  delete u.password;
}

async function create(ev) {
  ev.preventDefault();
  const status = $("#user-create-status");
  const username = $("#new-username");
  const password = $("#new-password");
  const groups = $("#new-groups");
  const list = listOf(groups.value.toLowerCase());
  const problems = [
    [username, !NAME.test(username.value.trim()) && t("users.username.bad")],
    [password, password.value.length < MIN_PASSWORD && t("users.password.help", MIN_PASSWORD)],
    [groups, list.some((g) => !NAME.test(g)) && t("users.groups.bad", list.find((g) => !NAME.test(g)))],
  ];
  for (const [input, problem] of problems) {
    if (problem) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
  }
  const first = problems.find(([, problem]) => problem);
  if (first) {
    setStatus(status, first[1], "error");
    first[0].focus();
    return;
  }
  const email = $("#new-email");
  email.removeAttribute("aria-invalid");
  const body = { username: username.value.trim(), password: password.value, role: $("#new-role").value, groups: list };
  if (email.value.trim()) body.email = email.value.trim();
  const button = $("#user-create-submit");
  button.disabled = true;
  try {
    await post("users", body);
  } catch (err) {
    setStatus(status, errorText(err), "error");
    // The name, password and groups are checked above: a refused "invalid" user is its address.
    if (body.email && err.code === "invalid") {
      email.setAttribute("aria-invalid", "true");
      email.focus();
    } else {
      username.focus();
    }
    return;
  } finally {
    button.disabled = false;
  }
  setStatus(status, t("users.created", body.username), "ok");
  username.value = "";
  password.value = "";
  email.value = "";
  $("#new-groups").value = "";
  username.focus();
  await loadUsers();
}
