// The header's menu on phones and narrow windows: "Menú" shows or hides the links used less (.nav-extra: loads,
// administration, API tokens, the language) and the signed-in user with "Cerrar sesión"; the links used most
// (search, saved searches, alerts) stay in sight. A disclosure button (aria-expanded); Escape closes it and gives
// the focus back, as does following a link. On wider screens the button is not shown and everything is in the header.
import { $ } from "./dom.js";

const NARROW = window.matchMedia("(max-width: 900px)");   // as app.css

function isOpen() {
  return $("#nav-menu").getAttribute("aria-expanded") === "true";
}

function setOpen(open) {
  const button = $("#nav-menu");
  if (!button) return;
  button.setAttribute("aria-expanded", String(open));
  $("header.site").classList.toggle("menu-open", open);
}

export function init() {
  const button = $("#nav-menu");
  if (!button) return;
  button.addEventListener("click", () => setOpen(!isOpen()));
  $("header.site").addEventListener("keydown", (ev) => {
    if (ev.key !== "Escape" || !isOpen() || !NARROW.matches) return;
    ev.preventDefault();
    setOpen(false);
    button.focus();
  });
  // A link followed closes it (the language button keeps it open: the focus stays on that button). The view it
  // opens takes the focus; the link of the page already shown goes nowhere, so the focus goes back to the button.
  $("#site-nav").addEventListener("click", (ev) => {
    const link = ev.target.closest("a");
    if (!link || !isOpen()) return;
    setOpen(false);
    if (link.getAttribute("href") === location.hash && link.classList.contains("nav-extra") && NARROW.matches) button.focus();
  });
  window.addEventListener("hashchange", () => setOpen(false));
  NARROW.addEventListener("change", () => setOpen(false));
}
