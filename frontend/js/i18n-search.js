// The strings of the search page's filters, year chart and phone filter sheet, Spanish first, English second.
// Merged into i18n.js's one table when this module loads (search.js imports it). Nothing here is HTML.
import { STRINGS } from "./i18n.js";

const n = (count, one, many) => `${count.toLocaleString()} ${count === 1 ? one : many}`;

export const SEARCH_STRINGS = {
  es: {
    "search.title": "Búsqueda de documentos",
    "facets.more": (count) => `Mostrar ${count} más`,
    "facets.moreall": "Mostrar más valores",
    "facets.fewer": "Mostrar menos",
    "facets.selected": (count) => `${count} elegido${count === 1 ? "" : "s"}`,
    "facets.open": "Filtros",
    "facets.open.count": (count) => `Filtros (${count})`,
    "facets.close": "Cerrar los filtros",
    "facets.show": (total) => (total === null ? "Ver los resultados" : `Ver ${n(total, "resultado", "resultados")}`),
    "facets.show.plain": "Ver los resultados",
    "year.none": "sin fecha",
    "year.none.count": (count) => `sin fecha (${count.toLocaleString()})`,
    "year.single": (year, count) => `Todos los documentos con fecha son de ${year} (${n(count, "documento", "documentos")}).`,
    "year.bar": (y, c) => `${y}: ${n(c, "documento", "documentos")}`,
    "year.help": "Flechas para moverse, Mayús+flechas o Mayús+clic para un intervalo, arrastrar con el ratón; Intro elige.",
    "year.pending": (a, b) => `Años ${a}–${b}: pulse Intro para filtrar.`,
    "sort.loaded": "últimos cargados",
    "filters.years": (a, b) => (a && b ? (a === b ? a : `${a}–${b}`) : a ? `desde ${a}` : `hasta ${b}`),
    "status.newest": (total) => `${n(total, "documento", "documentos")}; los últimos cargados primero`,
    "status.all": (total) => `${n(total, "documento", "documentos")} cargados`,
  },
  en: {
    "search.title": "Document search",
    "facets.more": (count) => `Show ${count} more`,
    "facets.moreall": "Show more values",
    "facets.fewer": "Show fewer",
    "facets.selected": (count) => `${count} chosen`,
    "facets.open": "Filters",
    "facets.open.count": (count) => `Filters (${count})`,
    "facets.close": "Close the filters",
    "facets.show": (total) => (total === null ? "Show the results" : `Show ${n(total, "result", "results")}`),
    "facets.show.plain": "Show the results",
    "year.none": "no date",
    "year.none.count": (count) => `no date (${count.toLocaleString()})`,
    "year.single": (year, count) => `Every dated document is from ${year} (${n(count, "document", "documents")}).`,
    "year.bar": (y, c) => `${y}: ${n(c, "document", "documents")}`,
    "year.help": "Arrow keys to move, Shift+arrows or Shift+click for a range, drag with the mouse; Enter chooses.",
    "year.pending": (a, b) => `Years ${a}–${b}: press Enter to filter.`,
    "sort.loaded": "latest loaded",
    "filters.years": (a, b) => (a && b ? (a === b ? a : `${a}–${b}`) : a ? `from ${a}` : `until ${b}`),
    "status.newest": (total) => `${n(total, "document", "documents")}; latest loaded first`,
    "status.all": (total) => `${n(total, "document", "documents")} loaded`,
  },
};

for (const code of Object.keys(SEARCH_STRINGS)) Object.assign(STRINGS[code], SEARCH_STRINGS[code]);
