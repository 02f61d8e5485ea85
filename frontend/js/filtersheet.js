// Narrow screens (phones, small tablets): the filters are a sheet over the page's bottom instead of a column.
// "Filtros" in the results' sticky head opens it as a modal dialog (the rest of the page inert, Escape closes it);
// its sticky "Ver N resultados" closes it and brings the results into view with the focus on their heading.
// Wide screens: the column, always shown; none of this applies.
import { $ } from "./dom.js";
import { t } from "./i18n.js";
import "./i18n-search.js";

export const NARROW = window.matchMedia("(max-width: 820px)");
const OUTSIDE = ["header.site", "#search-form", ".results-area", ".skip-link"];

export function isSheet() { return NARROW.matches; }
export function isOpen() { return $("#facets").classList.contains("open"); }

export function init() {
  $("#open-filters").addEventListener("click", open);
  $("#close-filters").addEventListener("click", () => close(false));
  $("#show-results").addEventListener("click", () => close(true));
  $("#facets").addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && isOpen()) { ev.preventDefault(); close(false); }
  });
  NARROW.addEventListener("change", () => { if (!NARROW.matches && isOpen()) close(false); fit(); });
  fit();
}

function fit() {
  const aside = $("#facets");
  if (NARROW.matches) {
    aside.setAttribute("aria-modal", "true");
    aside.setAttribute("role", "dialog");
    aside.hidden = !isOpen();
  } else {
    aside.removeAttribute("aria-modal");
    aside.removeAttribute("role");
    aside.hidden = false;
  }
}

export function open() {
  const aside = $("#facets");
  aside.classList.add("open");
  aside.hidden = false;
  document.body.classList.add("sheet-open");
  for (const sel of OUTSIDE) for (const node of document.querySelectorAll(sel)) node.inert = true;
  $("#open-filters").setAttribute("aria-expanded", "true");
  $("#facets-heading").focus();
}

// toResults: the results in view and the focus on their heading; otherwise back to the button that opened it.
export function close(toResults) {
  const aside = $("#facets");
  aside.classList.remove("open");
  document.body.classList.remove("sheet-open");
  for (const sel of OUTSIDE) for (const node of document.querySelectorAll(sel)) node.inert = false;
  $("#open-filters").setAttribute("aria-expanded", "false");
  fit();
  if (toResults) {
    $("#results-heading").focus({ preventScroll: true });
    $(".results-area").scrollIntoView({ block: "start" });
  } else if (NARROW.matches) {
    $("#open-filters").focus();
  }
}

// The count on the sheet's button and on "Filtros": what closing it will show, how many filters are chosen.
export function update(total, chosen) {
  $("#show-results").textContent = t("facets.show", total);
  $("#open-filters").textContent = chosen ? t("facets.open.count", chosen) : t("facets.open");
}
