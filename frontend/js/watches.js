// Saved searches and watches over the public API, and the pieces of interface their views share.
//   GET/POST /api/saved-searches, PATCH/DELETE /api/saved-searches/{id}
//   GET/POST /api/watches (kind "search" | "entity" | "collection"; watching the same thing again answers the
//   same watch), PATCH/DELETE /api/watches/{id}
// A saved search keeps the API's names (year_from, mode null); the router's state keeps the hash's (yearFrom, "").
import { del, get, patch, post } from "./api.js";
import { el } from "./dom.js";
import { t } from "./i18n.js";
import { searchHash } from "./router.js";

export const DELIVERIES = ["immediate", "daily"];
export const DEFAULT_DELIVERY = "immediate";
export const NAME_MAX = 200;

export const listSaved = () => get("saved-searches");
export const saveSearch = (body) => post("saved-searches", body);
export const renameSaved = (id, name) => patch(`saved-searches/${encodeURIComponent(id)}`, { name });
export const deleteSaved = (id) => del(`saved-searches/${encodeURIComponent(id)}`);

export const listWatches = () => get("watches");
export const watch = (body) => post("watches", body);
export const changeWatch = (id, body) => patch(`watches/${encodeURIComponent(id)}`, body);
export const unwatch = (id) => del(`watches/${encodeURIComponent(id)}`);

// The body of POST /api/saved-searches for a search page's state.
export function savedBody(name, state) {
  const year = (value) => (value ? parseInt(value, 10) : null);
  return { name, q: state.q || "", filters: state.filters || {}, mode: state.mode || null,
    sort: state.sort || "relevance", year_from: year(state.yearFrom), year_to: year(state.yearTo) };
}

// A saved search as the router's state (its first page), and the hash that runs it.
export function savedState(saved) {
  const year = (value) => (Number.isInteger(value) ? String(value) : "");
  return { q: saved.q || "", page: 1, sort: saved.sort || "relevance", mode: saved.mode || "",
    filters: saved.filters || {}, yearFrom: year(saved.year_from), yearTo: year(saved.year_to) };
}

export const savedHash = (saved) => searchHash(savedState(saved));

// The entity watch of field/value among `watches` (the value as the entity page's hash carries it), or null.
export function entityWatch(watches, field, value) {
  return (watches || []).find((w) => w.kind === "entity" && w.target && w.target.field === field
    && w.target.value === value) || null;
}

export function deliveryName(delivery) {
  const key = `watch.delivery.${delivery}`;
  const name = t(key);
  return name === key ? delivery : name;
}

// A labelled <select> of the deliveries: [label, select]; `onchange` gets the value chosen.
export function deliveryField(id, value, { onchange, label = t("watch.delivery"), ariaLabel = null, disabled = false } = {}) {
  const select = el("select", { id, class: "delivery", "aria-label": ariaLabel, disabled },
    ...DELIVERIES.map((d) => el("option", { value: d, selected: d === (value || DEFAULT_DELIVERY) }, deliveryName(d))));
  if (onchange) select.addEventListener("change", () => onchange(select.value));
  return [el("label", { for: id }, label), select];
}
