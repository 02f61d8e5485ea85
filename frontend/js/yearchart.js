// The year facet: documents per year as labelled columns (the count above each, the year below), one tab stop
// (a toolbar with a roving tabindex: arrow keys move, Enter or Space chooses), a range by dragging, by Shift+click
// or by Shift+arrows; "sin fecha (N)" for the documents with no year; and the from/to fields. One year or none:
// no chart, the year said in words.
import { append, el } from "./dom.js";
import { t } from "./i18n.js";
import "./i18n-search.js";

const SPAN_DRAWN = 80;   // every year of a span this short is drawn, empty ones as gaps
let stopDrag = null;

// values: the year facet ([{value, count}]); missing: documents without a year (null: not counted);
// state: the search's (yearFrom, yearTo, filters.year); label: the facet's name;
// onRange(from, to): choose years (strings, "" for open); onNoYear(on): choose (or drop) "no year".
export function yearFacet({ values, missing, state, label, onRange, onNoYear }) {
  const years = values.map((v) => ({ year: parseInt(v.value, 10), count: v.count }))
    .filter((v) => Number.isInteger(v.year) && v.count > 0).sort((a, b) => a.year - b.year);
  const noYear = (state.filters.year || []).includes("none");
  if (!years.length && !missing && !noYear && !state.yearFrom && !state.yearTo) return document.createDocumentFragment();
  const group = el("fieldset", { class: "facet year-facet", id: "facet-year", "data-facet": "year" });
  group.appendChild(el("legend", {}, label));
  if (years.length > 1) {
    group.appendChild(chart(years, state, onRange));
  } else if (years.length === 1) {
    group.appendChild(el("p", { class: "year-single" }, t("year.single", years[0].year, years[0].count)));
  }
  if (missing || noYear) {
    group.appendChild(el("p", { class: "year-none" }, el("button", {
      type: "button", id: "year-none", class: "chip toggle", "aria-pressed": noYear ? "true" : "false",
      onclick: () => onNoYear(!noYear),
    }, t("year.none.count", missing || 0))));
  }
  if (years.length > 1 || state.yearFrom || state.yearTo) group.appendChild(rangeForm(years, state, onRange));
  return group;
}

function chart(years, state, onRange) {
  const max = Math.max(...years.map((v) => v.count));
  const counts = new Map(years.map((v) => [v.year, v.count]));
  const first = years[0].year;
  const last = years[years.length - 1].year;
  const span = last - first < SPAN_DRAWN ? Array.from({ length: last - first + 1 }, (_, i) => first + i)
    : years.map((v) => v.year);
  const ranged = Boolean(state.yearFrom || state.yearTo);
  const inRange = (y) => (!state.yearFrom || y >= +state.yearFrom) && (!state.yearTo || y <= +state.yearTo);
  const help = el("p", { class: "visually-hidden", id: "year-help" }, t("year.help"));
  const pendingNote = el("p", { class: "year-pending", id: "year-pending", "aria-live": "polite" });
  const bars = el("div", { class: "histogram", role: "toolbar", "aria-label": t("year.histogram"),
    "aria-describedby": "year-help" });
  const buttons = [];
  for (const year of span) {
    const count = counts.get(year) || 0;
    if (!count) { bars.appendChild(el("span", { class: "year-gap", "aria-hidden": "true" })); continue; }
    const bar = el("span", { class: "bar" });
    bar.style.height = `${Math.max(4, Math.round((count / max) * 100))}%`;  // CSSOM, allowed by the CSP
    const button = el("button", {
      type: "button", class: `year-col${ranged && !inRange(year) ? " out" : ""}`, tabindex: "-1",
      "data-year": year, "aria-label": t("year.bar", year, count), "aria-pressed": ranged && inRange(year) ? "true" : "false",
    }, el("span", { class: "year-count", "aria-hidden": "true" }, compact(count)),
    el("span", { class: "bar-track", "aria-hidden": "true" }, bar),
    el("span", { class: "year-label", "aria-hidden": "true" }, String(year)));
    buttons.push(button);
    bars.appendChild(button);
  }
  // The one tab stop: the end of the range chosen, or the latest year.
  const start = buttons.find((b) => state.yearTo && +b.dataset.year === +state.yearTo) || buttons[buttons.length - 1];
  start.tabIndex = 0;

  let anchor = ranged && state.yearFrom ? +state.yearFrom : null;  // Shift+click and Shift+arrows start here
  let pending = null;      // [from, to] shown, not yet chosen
  let drag = null;         // {from, to, moved} while the mouse button is down
  const yearOf = (b) => +b.dataset.year;
  const show = (range) => {
    pending = range;
    for (const b of buttons) {
      const y = yearOf(b);
      b.classList.toggle("pending", Boolean(range) && y >= Math.min(...range) && y <= Math.max(...range));
    }
    pendingNote.textContent = range && range[0] !== range[1]
      ? t("year.pending", Math.min(...range), Math.max(...range)) : "";
  };
  const choose = (a, b) => onRange(String(Math.min(a, b)), String(Math.max(a, b)));
  const move = (to) => {
    for (const b of buttons) b.tabIndex = b === to ? 0 : -1;
    to.focus();
    to.scrollIntoView({ block: "nearest", inline: "nearest" });
  };

  bars.addEventListener("keydown", (ev) => {
    const current = ev.target.closest(".year-col");
    if (!current) return;
    const i = buttons.indexOf(current);
    let next = null;
    if (ev.key === "ArrowLeft" || ev.key === "ArrowDown") next = buttons[Math.max(0, i - 1)];
    else if (ev.key === "ArrowRight" || ev.key === "ArrowUp") next = buttons[Math.min(buttons.length - 1, i + 1)];
    else if (ev.key === "Home") next = buttons[0];
    else if (ev.key === "End") next = buttons[buttons.length - 1];
    else if (ev.key === "Escape" && pending) { ev.preventDefault(); show(null); return; }
    else if (ev.key === "Enter" || ev.key === " ") {
      ev.preventDefault();
      if (pending) choose(pending[0], pending[1]); else choose(yearOf(current), yearOf(current));
      return;
    } else return;
    ev.preventDefault();
    if (ev.shiftKey) {
      const from = pending ? pending[0] : yearOf(current);
      show([from, yearOf(next)]);
    } else {
      show(null);
    }
    move(next);
  });
  bars.addEventListener("pointerdown", (ev) => {
    const b = ev.target.closest(".year-col");
    if (!b || ev.button !== 0 || ev.shiftKey) return;
    drag = { from: yearOf(b), to: yearOf(b) };
  });
  bars.addEventListener("pointerover", (ev) => {
    const b = ev.target.closest(".year-col");
    if (!drag || !b || yearOf(b) === drag.to) return;
    drag.to = yearOf(b);
    show([drag.from, drag.to]);
  });
  const release = () => {
    if (!drag) return;
    const { from, to } = drag;
    drag = null;
    if (from !== to) { show(null); choose(from, to); }   // its click lands on the chart, not on a column
  };
  // One chart at a time listens on the document (for a drag that ends off the columns).
  if (stopDrag) document.removeEventListener("pointerup", stopDrag);
  stopDrag = release;
  document.addEventListener("pointerup", release);
  bars.addEventListener("click", (ev) => {
    const b = ev.target.closest(".year-col");
    if (!b) return;
    const year = yearOf(b);
    if (ev.shiftKey && anchor !== null) { choose(anchor, year); return; }
    anchor = year;
    choose(year, year);
  });
  requestAnimationFrame(() => { bars.scrollLeft = bars.scrollWidth; });   // the latest years first in sight
  return append(el("div", { class: "year-chart" }, help), bars, pendingNote);
}

function rangeForm(years, state, onRange) {
  const form = el("form", { class: "year-range" });
  const from = el("input", { type: "number", id: "year-from", inputmode: "numeric", min: 1900, max: 2100,
    value: state.yearFrom || "", placeholder: years.length ? String(years[0].year) : "" });
  const to = el("input", { type: "number", id: "year-to", inputmode: "numeric", min: 1900, max: 2100,
    value: state.yearTo || "", placeholder: years.length ? String(years[years.length - 1].year) : "" });
  append(form, el("label", { for: "year-from" }, t("year.from")), from,
    el("label", { for: "year-to" }, t("year.to")), to,
    el("button", { type: "submit", id: "year-apply" }, t("year.apply")));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    let a = from.value.trim();
    let b = to.value.trim();
    if (a && b && +a > +b) [a, b] = [b, a];
    onRange(a, b);
  });
  return form;
}

// 1234 -> "1234", 12345 -> "12k": a column is about two rem wide.
function compact(count) {
  if (count < 10000) return String(count);
  if (count < 1e6) return `${Math.round(count / 1000)}k`;
  return `${Math.round(count / 1e6)}M`;
}
