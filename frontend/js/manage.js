// What the administration's views share: their tab bar, the admins-only notice, a modal dialog to confirm
// an action or ask for one value (a new password), loading a list, lists typed as "a, b c", and error messages
// in words.
import { get } from "./api.js";
import { $, el } from "./dom.js";
import { t } from "./i18n.js";
import { errorMessage } from "./i18n-values.js";
import { MANAGE_VIEWS } from "./router.js";
import * as session from "./session.js";

export function manageNav(current) {
  return el("nav", { class: "manage-nav", "aria-label": t("manage.nav") },
    el("ul", {}, ...MANAGE_VIEWS.map((name) => el("li", {},
      el("a", { href: `#/admin/${name}`, id: `tab-${name}`, "aria-current": name === current ? "page" : null },
        t(`manage.${name}`))))));
}

// The view's heading and tabs; false (and a notice in place of the view) for a user who is not an admin.
export function frame(view, name) {
  view.replaceChildren(
    el("h2", { id: `${name}-heading`, tabindex: "-1" }, t(`manage.${name}`)),
    manageNav(name));
  if (session.isAdmin()) return true;
  view.appendChild(el("p", { class: "status error", id: `${name}-forbidden` }, t("manage.forbidden")));
  return false;
}

// An API error in the interface's language when its code is known (forbidden, exists, ...), else the API's words.
export function errorText(err) {
  return errorMessage(err);
}

// "fiscalia-lima, jueces  otros" -> ["fiscalia-lima", "jueces", "otros"], without repeats.
export function listOf(value) {
  return [...new Set(String(value || "").split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean))];
}

// A status line's text and kind ("", "error" or "ok"), its other classes kept.
export function setStatus(node, text, kind = "") {
  node.classList.add("status");
  node.classList.remove("error", "ok");
  if (kind) node.classList.add(kind);
  node.textContent = text || "";
}

// A list the API answers at `path` (GET), with "loading" then an error or nothing on `status`; null when it
// could not be read (the status says why).
export async function loadList(path, status) {
  setStatus(status, t("manage.loading"));
  try {
    const body = await get(path);
    setStatus(status, "");
    return body;
  } catch (err) {
    setStatus(status, errorText(err), "error");
    return null;
  }
}

// A modal dialog (native <dialog>: focus moves in, Escape cancels, focus returns to the opener).
// With `field` ({label, type, autocomplete}) it resolves with the value typed, else with true; null when
// cancelled.
export function ask({ title, message = "", field = null, confirm, danger = false }) {
  const opener = document.activeElement;
  const input = field ? el("input", { id: "dialog-input", type: field.type || "text", required: true,
    autocomplete: field.autocomplete || "off", maxlength: 1024, minlength: field.minlength || null,
    "aria-describedby": field.help ? "dialog-help dialog-error" : "dialog-error" }) : null;
  const error = el("span", { class: "field-error", id: "dialog-error", hidden: true });
  const form = el("form", { method: "dialog", novalidate: true },
    el("h2", { id: "dialog-title" }, title),
    message ? el("p", { id: "dialog-message" }, message) : null,
    input ? el("p", { class: "field" }, el("label", { for: "dialog-input" }, field.label), input,
      field.help ? el("span", { class: "help", id: "dialog-help" }, field.help) : null, error) : null,
    el("p", { class: "actions" },
      el("button", { type: "submit", value: "ok", id: "dialog-confirm", class: danger ? "danger" : "primary" }, confirm),
      el("button", { type: "button", value: "cancel", id: "dialog-cancel" }, t("manage.cancel"))));
  const dialog = el("dialog", { class: "dialog", "aria-labelledby": "dialog-title",
    "aria-describedby": message ? "dialog-message" : null }, form);
  document.body.appendChild(dialog);
  return new Promise((resolve) => {
    let result = null;
    form.addEventListener("submit", (ev) => {
      const short = input && field.minlength && input.value.length < field.minlength;
      if (input && (!input.value || short)) {
        ev.preventDefault();
        error.hidden = false;
        error.textContent = short ? field.help || t("manage.required") : t("manage.required");
        input.setAttribute("aria-invalid", "true");
        input.focus();
        return;
      }
      result = input ? input.value : true;
    });
    $("#dialog-cancel", dialog).addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(result);
    });
    dialog.showModal();
    (input || $("#dialog-cancel", dialog)).focus();
  });
}

// A table with a header row and an empty body, in a box that scrolls sideways on a narrow screen.
export function table(id, caption, headers) {
  return el("div", { class: "table-scroll" }, el("table", { id, class: "data-table" },
    el("caption", { class: "visually-hidden" }, caption),
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody")));
}
