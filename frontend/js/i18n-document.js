// The strings of the document view's reading tools (the hit counter across the document, the sentence read
// after each step, the reflowed text and its toggle, text and image side by side), Spanish first, English second.
// Merged into i18n.js's one table when this module loads (document.js imports it). Nothing here is HTML.
import { STRINGS } from "./i18n.js";

const SHOWN_PAGES = 8;

// "págs. 2, 7, 8" / "pp. 2, 7, 8": the pages holding hits, the first few of them.
function pageList(pages, one, many, more) {
  const shown = pages.slice(0, SHOWN_PAGES).join(", ");
  const rest = pages.length > SHOWN_PAGES ? ` ${more(pages.length - SHOWN_PAGES)}` : "";
  return `${pages.length === 1 ? one : many} ${shown}${rest}`;
}

export const DOCUMENT_STRINGS = {
  es: {
    "doc.hit.count": (i, n, pages) => `Coincidencia ${i} de ${n} · ${pageList(pages, "pág.", "págs.", (k) => `y ${k} más`)}`,
    "doc.hit.total": (n, pages) => `${n} coincidencia${n === 1 ? "" : "s"} · ${pageList(pages, "pág.", "págs.", (k) => `y ${k} más`)}`,
    "doc.hit.counting": "Contando las coincidencias…",
    "doc.hit.none.doc": "Sin coincidencias en el documento",
    "doc.hit.sentence": (i, n, page, sentence) => `Coincidencia ${i} de ${n}, página ${page}: ${sentence}`,
    "doc.lines": "Líneas originales",
    "doc.lines.title": "Mostrar el texto con los saltos de línea del PDF, en lugar de párrafos",
    "doc.view.both": "Texto e imagen",
    "doc.title": (title) => `${title} — docsearch`,
  },
  en: {
    "doc.hit.count": (i, n, pages) => `Hit ${i} of ${n} · ${pageList(pages, "p.", "pp.", (k) => `and ${k} more`)}`,
    "doc.hit.total": (n, pages) => `${n} hit${n === 1 ? "" : "s"} · ${pageList(pages, "p.", "pp.", (k) => `and ${k} more`)}`,
    "doc.hit.counting": "Counting the hits…",
    "doc.hit.none.doc": "No hits in the document",
    "doc.hit.sentence": (i, n, page, sentence) => `Hit ${i} of ${n}, page ${page}: ${sentence}`,
    "doc.lines": "Original lines",
    "doc.lines.title": "Show the text with the PDF's line breaks instead of paragraphs",
    "doc.view.both": "Text and image",
    "doc.title": (title) => `${title} — docsearch`,
  },
};

for (const code of Object.keys(DOCUMENT_STRINGS)) Object.assign(STRINGS[code], DOCUMENT_STRINGS[code]);
