// A document's access, in its side bar: its classification for everyone who sees it; the control to change
// it (public, reserved, or sealed with its readers) for users with manage on one of its collections
// (PUT /api/documents/{id}/classification); deletion for admins (DELETE /api/documents/{id}), confirmed.
import { del, put } from "./api.js";
import { el } from "./dom.js";
import { t } from "./i18n.js";
import { CLASSIFICATIONS } from "./collections.js";
import { ask, errorText, listOf, setStatus } from "./manage.js";
import * as session from "./session.js";

function collectionsOf(doc) {
  return [...new Set([doc.collections || [], doc.collection].flat().filter(Boolean))];
}

export function classificationOf(doc) {
  return CLASSIFICATIONS.includes(doc.classification) ? doc.classification : "reserved";
}

// The section, or null when the user may neither see a control nor delete (the label alone is in the metadata).
export function accessSection(doc, onDeleted) {
  const manage = session.isAdmin() || collectionsOf(doc).some((c) => session.can("manage", c));
  if (!manage) return null;
  const section = el("section", { id: "doc-access", class: "side-section", "aria-labelledby": "doc-access-heading" },
    el("h3", { id: "doc-access-heading" }, t("access.heading")));
  section.appendChild(classificationForm(doc));
  if (session.isAdmin()) section.appendChild(deleteButton(doc, onDeleted));
  return section;
}

function classificationForm(doc) {
  const current = classificationOf(doc);
  const readers = el("input", { id: "access-readers", type: "text", value: (doc.readers || []).join(", "),
    autocomplete: "off", spellcheck: "false", "aria-describedby": "access-readers-help" });
  const readersField = el("p", { class: "field", id: "access-readers-field" },
    el("label", { for: "access-readers" }, t("access.readers")), readers,
    el("span", { id: "access-readers-help", class: "help" }, t("access.readers.help")));
  const radios = CLASSIFICATIONS.map((value) => el("li", {},
    el("input", { type: "radio", name: "classification", id: `access-${value}`, value, checked: value === current,
      "aria-describedby": `access-${value}-help` }),
    el("label", { for: `access-${value}` }, t(`class.${value}`)),
    el("span", { id: `access-${value}-help`, class: "help" }, t(`class.${value}.help`))));
  const status = el("p", { id: "access-status", class: "status", role: "status", "aria-live": "polite" });
  const form = el("form", { id: "access-form", novalidate: true },
    el("fieldset", {}, el("legend", {}, t("access.classification")), el("ul", { class: "radio-list" }, ...radios)),
    readersField,
    el("p", { class: "actions" }, el("button", { type: "submit", id: "access-save", class: "primary" }, t("access.save"))),
    status);
  const sync = () => {
    const sealed = form.elements.classification.value === "sealed";
    readersField.hidden = !sealed;
  };
  form.addEventListener("change", sync);
  sync();
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const classification = form.elements.classification.value;
    const names = classification === "sealed" ? listOf(readers.value) : [];
    if (classification === "sealed" && !names.length) {
      readers.setAttribute("aria-invalid", "true");
      setStatus(status, t("access.readers.none"), "error");
      readers.focus();
      return;
    }
    readers.removeAttribute("aria-invalid");
    const button = form.querySelector("#access-save");
    button.disabled = true;
    setStatus(status, t("manage.saving"));
    try {
      await put(`documents/${doc.id}/classification`, { classification, readers: names });
    } catch (err) {
      setStatus(status, errorText(err), "error");
      return;
    } finally {
      button.disabled = false;
    }
    doc.classification = classification;
    doc.readers = names;
    const label = document.getElementById("doc-classification");
    if (label) label.textContent = t(`class.${classification}`);
    setStatus(status, t("access.saved", t(`class.${classification}`)), "ok");
  });
  return form;
}

function deleteButton(doc, onDeleted) {
  const status = el("p", { class: "status", role: "status", "aria-live": "polite" });
  const button = el("button", { type: "button", id: "doc-delete", class: "danger" }, t("access.delete"));
  button.addEventListener("click", async () => {
    const ok = await ask({ title: t("access.delete.title"), message: t("access.delete.message", doc.title || doc.id),
      confirm: t("access.delete"), danger: true });
    if (!ok) return;
    button.disabled = true;
    try {
      await del(`documents/${doc.id}`);
    } catch (err) {
      button.disabled = false;
      setStatus(status, errorText(err), "error");
      return;
    }
    onDeleted(doc);
  });
  return el("div", { class: "danger-zone" }, button, status);
}
