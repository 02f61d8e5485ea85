// The search page's "Guardar búsqueda": a button under the result count opens a small form (a name,
// prefilled from the query; "notify me of new documents" with a delivery). Saving is POST /api/saved-searches,
// then, when asked, POST /api/watches {kind: "search"}; the outcome is said in a live region. Watches match new
// documents by words (the percolator), so a search by meaning that gets a watch is told so.
import { $, el } from "./dom.js";
import { fieldLabel } from "./fields.js";
import { t } from "./i18n.js";
import { errorText, setStatus } from "./manage.js";
import { DEFAULT_MODE, hasFilters } from "./router.js";
import * as w from "./watches.js";

const BY_MEANING = new Set(["semantic", "hybrid"]);
let state = null;     // the search the form would save
let usedMode = "";    // the mode the server searched in, once its answer came (query.mode)
let open = false;

export function init() {
  $("#save-search").addEventListener("click", () => (open ? close() : openForm()));
}

// A new search: the form of the previous one closes, its message goes; the button shows when there is
// something to save (words or filters).
export function show(next) {
  state = next;
  usedMode = "";
  if (open) close(false);
  setStatus($("#save-search-status"), "");
  $("#save-search").hidden = !(state.q || hasFilters(state));
}

// The results could not be read: nothing to save.
export function unavailable() {
  if (open) close(false);
  $("#save-search").hidden = true;
}

// The search's answer came: the mode the server used (words alone for a phrase or an identifier, say).
export function answered(query) {
  usedMode = query && typeof query.mode === "string" ? query.mode : "";
  if (open) showModeNote();
}

// The mode of the search: the server's once it answered, else the one asked for (the select shows the default).
function modeInUse() {
  return usedMode || (state && state.mode) || ($("#mode") && $("#mode").value) || DEFAULT_MODE;
}

// With the box ticked, a search by words (and meaning) with words in it: a note that watches match words only.
function showModeNote() {
  const note = $("#save-mode-note");
  const box = $("#save-notify");
  if (!note || !box) return;
  const says = box.checked && Boolean(state && state.q) && BY_MEANING.has(modeInUse());
  note.textContent = says ? t("save.mode.note") : "";
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
  const box = el("input", { type: "checkbox", id: "save-notify", checked: notify, "aria-describedby": "save-mode-note" });
  box.addEventListener("change", () => { select.disabled = !box.checked; showModeNote(); });
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
  el("p", { id: "save-mode-note", class: "save-mode-note", "aria-live": "polite" }),
  el("p", { class: "actions" },
    el("button", { type: "submit", id: "save-submit", class: "primary" }, t("save.submit")), cancel),
  el("p", { id: "save-form-status", class: "status", role: "status", "aria-live": "polite" }));
  form.addEventListener("submit", submit);
  form.addEventListener("keydown", (ev) => { if (ev.key === "Escape") { ev.preventDefault(); close(); } });
  $("#save-search-box").replaceChildren(form);
  showModeNote();
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
