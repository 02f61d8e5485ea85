// The search page's "Guardar búsqueda": a button under the result count opens a small form (a name,
// prefilled from the query; "notify me of new documents" with a delivery). Saving is POST /api/saved-searches,
// then, when asked, POST /api/watches {kind: "search"}; the outcome is said in a live region.
import { $, el } from "./dom.js";
import { fieldLabel } from "./fields.js";
import { t } from "./i18n.js";
import { errorText, setStatus } from "./manage.js";
import { hasFilters } from "./router.js";
import * as w from "./watches.js";

let state = null;     // the search the form would save
let open = false;

export function init() {
  $("#save-search").addEventListener("click", () => (open ? close() : openForm()));
}

// A new search: the form of the previous one closes, its message goes; the button shows when there is
// something to save (words or filters).
export function show(next) {
  state = next;
  if (open) close(false);
  setStatus($("#save-search-status"), "");
  $("#save-search").hidden = !(state.q || hasFilters(state));
}

// The results could not be read: nothing to save.
export function unavailable() {
  if (open) close(false);
  $("#save-search").hidden = true;
}

export function rerender() {
  if (!open) return;
  const values = formValues();
  build(values);
}

function defaultName(s) {
  let name = s.q;
  if (!name) {
    name = Object.entries(s.filters).map(([key, values]) => `${fieldLabel(key)}: ${values.join(", ")}`).join(" · ");
    if (s.yearFrom || s.yearTo) name = [name, t("filters.years", s.yearFrom, s.yearTo)].filter(Boolean).join(" · ");
  }
  return name.slice(0, w.NAME_MAX);
}

function openForm() {
  open = true;
  build({ name: defaultName(state), notify: false, delivery: w.DEFAULT_DELIVERY });
  $("#save-search").setAttribute("aria-expanded", "true");
  const input = $("#save-name");
  input.focus();
  input.select();
}

function close(focus = true) {
  open = false;
  $("#save-search-box").replaceChildren();
  $("#save-search").setAttribute("aria-expanded", "false");
  if (focus) $("#save-search").focus();
}

function formValues() {
  return { name: $("#save-name").value, notify: $("#save-notify").checked, delivery: $("#save-delivery").value };
}

function build({ name, notify, delivery }) {
  const [deliveryLabel, select] = w.deliveryField("save-delivery", delivery, { disabled: !notify });
  const box = el("input", { type: "checkbox", id: "save-notify", checked: notify });
  box.addEventListener("change", () => { select.disabled = !box.checked; });
  const cancel = el("button", { type: "button", id: "save-cancel" }, t("manage.cancel"));
  cancel.addEventListener("click", () => close());
  const form = el("form", { id: "save-search-form", class: "panel-form save-search-form", novalidate: true,
    "aria-labelledby": "save-search-heading" },
  el("h3", { id: "save-search-heading" }, t("save.heading")),
  el("p", { class: "field" }, el("label", { for: "save-name" }, t("save.name")),
    el("input", { id: "save-name", type: "text", value: name, maxlength: w.NAME_MAX, autocomplete: "off", required: true,
      "aria-describedby": "save-form-status" })),
  el("p", { class: "watch-options" },
    el("span", { class: "check-field" }, box, el("label", { for: "save-notify" }, t("watch.notify"))),
    el("span", { class: "delivery-field" }, deliveryLabel, select)),
  el("p", { class: "actions" },
    el("button", { type: "submit", id: "save-submit", class: "primary" }, t("save.submit")), cancel),
  el("p", { id: "save-form-status", class: "status", role: "status", "aria-live": "polite" }));
  form.addEventListener("submit", submit);
  form.addEventListener("keydown", (ev) => { if (ev.key === "Escape") { ev.preventDefault(); close(); } });
  $("#save-search-box").replaceChildren(form);
}

async function submit(ev) {
  ev.preventDefault();
  const input = $("#save-name");
  const status = $("#save-form-status");
  const { name, notify, delivery } = formValues();
  const clean = name.trim();
  if (!clean) {
    input.setAttribute("aria-invalid", "true");
    setStatus(status, t("manage.required"), "error");
    input.focus();
    return;
  }
  input.removeAttribute("aria-invalid");
  const button = $("#save-submit");
  button.disabled = true;
  setStatus(status, t("save.saving"));
  const asked = state;
  let saved;
  try {
    saved = await w.saveSearch(w.savedBody(clean, asked));
  } catch (err) {
    button.disabled = false;
    setStatus(status, t("save.error", errorText(err)), "error");
    input.focus();
    return;
  }
  let message = t("save.saved", saved.name || clean);
  let kind = "ok";
  if (notify) {
    try {
      const made = await w.watch({ kind: "search", saved_search: saved.id, delivery });
      message = t("save.saved.watch", saved.name || clean, w.deliveryName(made.delivery || delivery));
    } catch (err) {
      message = t("save.watch.error", saved.name || clean, errorText(err));
      kind = "error";
    }
  }
  if (state !== asked) return;   // another search meanwhile: its page says nothing of this one
  close();
  const done = $("#save-search-status");
  setStatus(done, message, kind);
  done.append(" ", el("a", { href: "#/saved", id: "save-search-open" }, t("save.open")));
}
