// Every string of the interface, in one table: Spanish first (the default), English second (those of sign-in
// and access control come from i18n-access.js).
// Values are plain strings or functions of their arguments; nothing here is HTML.

import { queryNames } from "./fields.js";
import { ACCESS_STRINGS } from "./i18n-access.js";

const plural = (n, one, many) => `${n.toLocaleString(lang())} ${n === 1 ? one : many}`;

export const STRINGS = {
  es: {
    "app.tagline": "Expedientes, jurisprudencia y material de capacitación",
    "nav.search": "Buscar",
    "nav.admin": "Cargar documentos",
    "nav.lang": "English",
    "nav.lang.label": "Switch the interface to English",
    "skip.results": "Ir a los resultados",
    "search.label": "Buscar en los documentos",
    "search.placeholder": "p. ej. lavado de activos, \"entrega vigilada\", DL 1106",
    "search.submit": "Buscar",
    "search.help.summary": "Cómo buscar",
    "search.help.words": "todas las palabras deben aparecer",
    "search.help.phrase": "frase exacta",
    "search.help.prefix": "palabras que empiezan así",
    "search.help.exclude": "sin esta palabra",
    "search.help.or": "una u otra",
    "search.help.field": () => `en un campo: ${queryNames().join(", ")}`,
    "search.help.citations": "Las citas legales se reconocen en cualquier grafía: DL 1106, art. 296 del CP.",
    "sort.label": "Ordenar",
    "sort.relevance": "relevancia",
    "sort.date_desc": "más recientes",
    "sort.date_asc": "más antiguos",
    "facets.heading": "Filtros",
    "facets.clear": "Limpiar todo",
    "facets.filter": (name) => `Filtrar ${name}`,
    "facets.filter.placeholder": "escriba para buscar…",
    "facets.none": "sin valores",
    "facets.nomatch": "ningún valor empieza así",
    "facets.partial": "recuento incompleto (se agotó el tiempo)",
    "facets.count": (n) => plural(n, "documento", "documentos"),
    "year.from": "Desde",
    "year.to": "Hasta",
    "year.apply": "Aplicar",
    "year.histogram": "Documentos por año",
    "year.bar": (y, n) => `${y}: ${plural(n, "documento", "documentos")}; filtrar por este año`,
    "filters.active": "Filtros activos",
    "filters.remove": (label) => `Quitar el filtro ${label}`,
    "filters.years": (a, b) => (a && b ? `${a}–${b}` : a ? `desde ${a}` : `hasta ${b}`),
    "status.loading": "Buscando…",
    "status.total": (n, ms) => `${plural(n, "documento", "documentos")} (${ms} ms)`,
    "status.newest": (n) => `${plural(n, "documento", "documentos")} cargados; los más recientes primero`,
    "status.empty.q": (q) => `Ningún documento coincide con «${q}».`,
    "status.empty.filters": "Ningún documento coincide con los filtros elegidos.",
    "status.empty.hint": "Pruebe con menos palabras, sin filtros o con prefijo*.",
    "status.empty.corpus": "Aún no hay documentos cargados.",
    "status.error": (msg) => `No se pudo buscar: ${msg}`,
    "status.interpreted": "Se buscó:",
    "status.approximate": "Resultados aproximados: se toleraron errores de escritura.",
    "status.relaxed": "Algunos resultados no contienen todas las palabras de la búsqueda.",
    "status.relaxed.count": (n) => (n === 0
      ? "Ningún documento contiene todas las palabras; se muestran los que contienen la mayoría."
      : `${plural(n, "documento contiene", "documentos contienen")} todas las palabras; se muestran también los que contienen la mayoría.`),
    "status.expansions": "También se buscó:",
    "results.heading": "Resultados",
    "result.page": (n) => `página ${n}`,
    "result.pages": (n) => plural(n, "página", "páginas"),
    "result.nosnippet": "Sin fragmento para esta búsqueda.",
    "pager.label": "Páginas de resultados",
    "pager.prev": "‹ Anterior",
    "pager.next": "Siguiente ›",
    "pager.page": (n) => `Página ${n} de resultados`,
    "doc.back": "‹ Volver a los resultados",
    "doc.loading": "Cargando el documento…",
    "doc.error": (msg) => `No se pudo abrir el documento: ${msg}`,
    "doc.meta": "Datos del documento",
    "doc.type": "Tipo",
    "doc.court": "Tribunal o despacho",
    "doc.year": "Año",
    "doc.collection": "Colección",
    "doc.language": "Idioma",
    "doc.topics": "Temas",
    "doc.pagecount": "Páginas",
    "doc.size": "Tamaño",
    "doc.files": "Archivo",
    "doc.ingested": "Cargado",
    "doc.pdf": "Abrir el PDF en esta página",
    "doc.page.of": (n, m) => `Página ${n} de ${m}`,
    "doc.page": "Página",
    "doc.page.ofshort": (m) => `de ${m}`,
    "doc.page.nav": "Páginas del documento",
    "doc.hit.nav": "Coincidencias de la búsqueda",
    "doc.page.prev": "Página anterior",
    "doc.page.next": "Página siguiente",
    "doc.page.go": "Ir a la página",
    "doc.page.loading": "Cargando la página…",
    "doc.page.error": (msg) => `No se pudo leer la página: ${msg}`,
    "doc.page.empty": "Esta página no tiene texto.",
    "doc.page.ocr": (c) => (c == null ? "Texto leído por OCR." : `Texto leído por OCR (confianza ${Math.round(c)}).`),
    "doc.hit.label": "Coincidencias:",
    "doc.hit.prev": "Coincidencia anterior",
    "doc.hit.next": "Coincidencia siguiente",
    "doc.hit.prev.short": "‹ Anterior",
    "doc.hit.next.short": "Siguiente ›",
    "doc.hit.where": (i, n) => `${i} de ${n} en esta página`,
    "doc.hit.announce": (i, n) => `Coincidencia ${i} de ${n} en esta página`,
    "doc.hit.none": "Sin coincidencias en esta página",
    "doc.hit.unplaced": (n) => `${plural(n, "coincidencia", "coincidencias")} en el texto, sin posición en la imagen`,
    "doc.hit.searching": "Buscando la coincidencia…",
    "doc.hit.nomore.next": "No hay más coincidencias después de esta.",
    "doc.hit.nomore.prev": "No hay coincidencias antes de esta.",
    "doc.query": (q) => `Resaltado: «${q}»`,
    "doc.view": "Vista de la página",
    "doc.view.text": "Texto",
    "doc.view.image": "Página original",
    "doc.image.alt": (n, m) => `Imagen de la página ${n} de ${m} tal como se ve en el PDF; su texto está en la vista Texto.`,
    "doc.image.loading": "Cargando la imagen de la página…",
    "doc.image.error": "No se pudo mostrar la imagen de esta página; su texto está en la vista Texto.",
    "doc.image.scanned": "Página escaneada: su texto se leyó por OCR y no tiene posición en la imagen, así que las coincidencias no se pueden señalar aquí. Véalas en la vista Texto.",
    "doc.image.unplaced": (placed, total) => `Se señalan ${placed} de ${total} coincidencias; las demás se ven en la vista Texto.`,
    "doc.entities": "Entidades del documento",
    "doc.entities.none": "No se encontraron entidades.",
    "doc.entity.filter": (label, value) => `Buscar documentos con ${label}: ${value}`,
    "doc.entity.pages": "págs.",
    "doc.entity.more": (n) => `y ${n} más`,
    "doc.citedby": "Citado por",
    "doc.citedby.label": (v) => `Documentos que citan ${v}`,
    "doc.citedby.none": "Ningún otro documento lo cita.",
    "doc.citedby.count": (docs, mentions) => `${plural(docs, "documento", "documentos")}, ${plural(mentions, "mención", "menciones")}`,
    "doc.similar": "Documentos similares",
    "doc.similar.none": "No se encontraron documentos similares.",
    "doc.unavailable": "No disponible por ahora.",
    "admin.heading": "Cargar documentos",
    "admin.drop": "Arrastre aquí archivos PDF o ZIP, o",
    "admin.choose": "elija archivos",
    "admin.files": "Archivos",
    "admin.selected": (n, size) => `${plural(n, "archivo elegido", "archivos elegidos")} (${size})`,
    "admin.nofiles": "Elija al menos un archivo PDF o ZIP.",
    "admin.collection": "Colección",
    "admin.collection.help": "Letras, números, espacios, punto y guion.",
    "admin.doctype": "Tipo de documento (opcional)",
    "admin.submit": "Subir y procesar",
    "admin.uploading": (pct) => `Subiendo… ${pct} %`,
    "admin.uploaded": (id) => `Carga ${id} recibida; procesando.`,
    "admin.upload.error": (msg) => `No se pudo subir: ${msg}`,
    "admin.batches": "Cargas recientes",
    "admin.batches.none": "Todavía no hay cargas.",
    "admin.batches.error": (msg) => `No se pudieron leer las cargas: ${msg}`,
    "admin.refresh": "Actualizar",
    "batch.title": (id) => `Carga ${id}`,
    "batch.state.queued": "en cola",
    "batch.state.running": "en proceso",
    "batch.state.done": "terminada",
    "batch.progress": (done, total) => `${done.toLocaleString(lang())} de ${plural(total, "archivo", "archivos")}`,
    "batch.counts": (c) => `indexados ${c.indexed || 0} · duplicados ${c.duplicate || 0} · fallidos ${c.failed || 0} · en proceso ${c.processing || 0} · en cola ${c.queued || 0}`,
    "batch.rate": (pps) => `${pps.toLocaleString(lang(), { maximumFractionDigits: 1 })} págs./s`,
    "batch.pages": (n, ocr) => `${plural(n, "página", "páginas")}${ocr ? ` (${ocr} por OCR)` : ""}`,
    "batch.eta": (s) => `quedan ≈ ${s}`,
    "batch.elapsed": (s) => `tiempo: ${s}`,
    "batch.created": (d) => `iniciada ${d}`,
    "batch.origin": (o) => ({ api: "web o API", cli: "línea de comandos", import: "importación" }[o] || o),
    "batch.failures.show": (n) => `Ver ${plural(n, "fallo", "fallos")}`,
    "batch.failures.hide": "Ocultar los fallos",
    "batch.failures.file": "Archivo",
    "batch.failures.reason": "Motivo",
    "batch.failures.message": "Detalle",
    "batch.failures.more": (n) => `…y ${n} más`,
    "batch.retry": "Reintentar los fallidos",
    "batch.retried": (n) => `${plural(n, "archivo", "archivos")} en cola otra vez.`,
    "batch.retry.error": (msg) => `No se pudo reintentar: ${msg}`,
    "batch.finished": (id, c) => `Carga ${id} terminada: ${c.indexed || 0} indexados, ${c.duplicate || 0} duplicados, ${c.failed || 0} fallidos.`,
    "error.network": "no hay conexión con el servidor",
    "error.notfound": "no existe (404)",
    "lang.es": "español",
    "lang.en": "inglés",
  },
  en: {
    "app.tagline": "Case files, jurisprudence and training material",
    "nav.search": "Search",
    "nav.admin": "Load documents",
    "nav.lang": "Español",
    "nav.lang.label": "Cambiar la interfaz a español",
    "skip.results": "Skip to results",
    "search.label": "Search the documents",
    "search.placeholder": "e.g. lavado de activos, \"entrega vigilada\", DL 1106",
    "search.submit": "Search",
    "search.help.summary": "How to search",
    "search.help.words": "every word must appear",
    "search.help.phrase": "exact phrase",
    "search.help.prefix": "words starting like this",
    "search.help.exclude": "without this word",
    "search.help.or": "either one",
    "search.help.field": () => `in one field: ${queryNames().join(", ")}`,
    "search.help.citations": "Legal citations are recognised in any spelling: DL 1106, art. 296 del CP.",
    "sort.label": "Sort by",
    "sort.relevance": "relevance",
    "sort.date_desc": "newest",
    "sort.date_asc": "oldest",
    "facets.heading": "Filters",
    "facets.clear": "Clear all",
    "facets.filter": (name) => `Filter ${name}`,
    "facets.filter.placeholder": "type to search…",
    "facets.none": "no values",
    "facets.nomatch": "no value starts like that",
    "facets.partial": "incomplete counts (time ran out)",
    "facets.count": (n) => plural(n, "document", "documents"),
    "year.from": "From",
    "year.to": "To",
    "year.apply": "Apply",
    "year.histogram": "Documents per year",
    "year.bar": (y, n) => `${y}: ${plural(n, "document", "documents")}; filter by this year`,
    "filters.active": "Active filters",
    "filters.remove": (label) => `Remove the filter ${label}`,
    "filters.years": (a, b) => (a && b ? `${a}–${b}` : a ? `from ${a}` : `until ${b}`),
    "status.loading": "Searching…",
    "status.total": (n, ms) => `${plural(n, "document", "documents")} (${ms} ms)`,
    "status.newest": (n) => `${plural(n, "document", "documents")} loaded; newest first`,
    "status.empty.q": (q) => `No document matches “${q}”.`,
    "status.empty.filters": "No document matches the chosen filters.",
    "status.empty.hint": "Try fewer words, no filters, or prefix*.",
    "status.empty.corpus": "No documents have been loaded yet.",
    "status.error": (msg) => `The search failed: ${msg}`,
    "status.interpreted": "Searched for:",
    "status.approximate": "Approximate results: spelling mistakes were tolerated.",
    "status.relaxed": "Some results do not contain every word of the search.",
    "status.relaxed.count": (n) => (n === 0
      ? "No document contains every word; those containing most of them are shown."
      : `${plural(n, "document contains", "documents contain")} every word; those containing most of them are shown too.`),
    "status.expansions": "Also searched for:",
    "results.heading": "Results",
    "result.page": (n) => `page ${n}`,
    "result.pages": (n) => plural(n, "page", "pages"),
    "result.nosnippet": "No snippet for this search.",
    "pager.label": "Result pages",
    "pager.prev": "‹ Previous",
    "pager.next": "Next ›",
    "pager.page": (n) => `Result page ${n}`,
    "doc.back": "‹ Back to the results",
    "doc.loading": "Loading the document…",
    "doc.error": (msg) => `The document could not be opened: ${msg}`,
    "doc.meta": "About the document",
    "doc.type": "Type",
    "doc.court": "Court or office",
    "doc.year": "Year",
    "doc.collection": "Collection",
    "doc.language": "Language",
    "doc.topics": "Topics",
    "doc.pagecount": "Pages",
    "doc.size": "Size",
    "doc.files": "File",
    "doc.ingested": "Loaded",
    "doc.pdf": "Open the PDF at this page",
    "doc.page.of": (n, m) => `Page ${n} of ${m}`,
    "doc.page": "Page",
    "doc.page.ofshort": (m) => `of ${m}`,
    "doc.page.nav": "Pages of the document",
    "doc.hit.nav": "Search hits",
    "doc.page.prev": "Previous page",
    "doc.page.next": "Next page",
    "doc.page.go": "Go to page",
    "doc.page.loading": "Loading the page…",
    "doc.page.error": (msg) => `The page could not be read: ${msg}`,
    "doc.page.empty": "This page has no text.",
    "doc.page.ocr": (c) => (c == null ? "Text read by OCR." : `Text read by OCR (confidence ${Math.round(c)}).`),
    "doc.hit.label": "Hits:",
    "doc.hit.prev": "Previous hit",
    "doc.hit.next": "Next hit",
    "doc.hit.prev.short": "‹ Previous",
    "doc.hit.next.short": "Next ›",
    "doc.hit.where": (i, n) => `${i} of ${n} on this page`,
    "doc.hit.announce": (i, n) => `Hit ${i} of ${n} on this page`,
    "doc.hit.none": "No hits on this page",
    "doc.hit.unplaced": (n) => `${plural(n, "hit", "hits")} in the text, with no position on the image`,
    "doc.hit.searching": "Looking for the hit…",
    "doc.hit.nomore.next": "No more hits after this one.",
    "doc.hit.nomore.prev": "No hits before this one.",
    "doc.query": (q) => `Highlighted: “${q}”`,
    "doc.view": "Page view",
    "doc.view.text": "Text",
    "doc.view.image": "Original page",
    "doc.image.alt": (n, m) => `Image of page ${n} of ${m} as it looks in the PDF; its text is in the Text view.`,
    "doc.image.loading": "Loading the page image…",
    "doc.image.error": "The image of this page could not be shown; its text is in the Text view.",
    "doc.image.scanned": "Scanned page: its text was read by OCR and has no position on the image, so the hits cannot be marked here. See them in the Text view.",
    "doc.image.unplaced": (placed, total) => `${placed} of ${total} hits are marked; the others are in the Text view.`,
    "doc.entities": "Entities in the document",
    "doc.entities.none": "No entities were found.",
    "doc.entity.filter": (label, value) => `Search documents with ${label}: ${value}`,
    "doc.entity.pages": "pp.",
    "doc.entity.more": (n) => `and ${n} more`,
    "doc.citedby": "Cited by",
    "doc.citedby.label": (v) => `Documents citing ${v}`,
    "doc.citedby.none": "No other document cites it.",
    "doc.citedby.count": (docs, mentions) => `${plural(docs, "document", "documents")}, ${plural(mentions, "mention", "mentions")}`,
    "doc.similar": "Similar documents",
    "doc.similar.none": "No similar documents were found.",
    "doc.unavailable": "Not available yet.",
    "admin.heading": "Load documents",
    "admin.drop": "Drop PDF or ZIP files here, or",
    "admin.choose": "choose files",
    "admin.files": "Files",
    "admin.selected": (n, size) => `${plural(n, "file chosen", "files chosen")} (${size})`,
    "admin.nofiles": "Choose at least one PDF or ZIP file.",
    "admin.collection": "Collection",
    "admin.collection.help": "Letters, digits, spaces, dot and hyphen.",
    "admin.doctype": "Document type (optional)",
    "admin.submit": "Upload and process",
    "admin.uploading": (pct) => `Uploading… ${pct} %`,
    "admin.uploaded": (id) => `Load ${id} received; processing.`,
    "admin.upload.error": (msg) => `The upload failed: ${msg}`,
    "admin.batches": "Recent loads",
    "admin.batches.none": "No loads yet.",
    "admin.batches.error": (msg) => `The loads could not be read: ${msg}`,
    "admin.refresh": "Refresh",
    "batch.title": (id) => `Load ${id}`,
    "batch.state.queued": "queued",
    "batch.state.running": "running",
    "batch.state.done": "done",
    "batch.progress": (done, total) => `${done.toLocaleString(lang())} of ${plural(total, "file", "files")}`,
    "batch.counts": (c) => `indexed ${c.indexed || 0} · duplicates ${c.duplicate || 0} · failed ${c.failed || 0} · processing ${c.processing || 0} · queued ${c.queued || 0}`,
    "batch.rate": (pps) => `${pps.toLocaleString(lang(), { maximumFractionDigits: 1 })} pages/s`,
    "batch.pages": (n, ocr) => `${plural(n, "page", "pages")}${ocr ? ` (${ocr} by OCR)` : ""}`,
    "batch.eta": (s) => `≈ ${s} left`,
    "batch.elapsed": (s) => `time: ${s}`,
    "batch.created": (d) => `started ${d}`,
    "batch.origin": (o) => ({ api: "web or API", cli: "command line", import: "server import" }[o] || o),
    "batch.failures.show": (n) => `Show ${plural(n, "failure", "failures")}`,
    "batch.failures.hide": "Hide the failures",
    "batch.failures.file": "File",
    "batch.failures.reason": "Reason",
    "batch.failures.message": "Detail",
    "batch.failures.more": (n) => `…and ${n} more`,
    "batch.retry": "Retry the failed files",
    "batch.retried": (n) => `${plural(n, "file", "files")} queued again.`,
    "batch.retry.error": (msg) => `The retry failed: ${msg}`,
    "batch.finished": (id, c) => `Load ${id} done: ${c.indexed || 0} indexed, ${c.duplicate || 0} duplicates, ${c.failed || 0} failed.`,
    "error.network": "the server cannot be reached",
    "error.notfound": "does not exist (404)",
    "lang.es": "Spanish",
    "lang.en": "English",
  },
};

// Sign-in and access control keep their strings in a table of their own (i18n-access.js), merged here.
for (const code of Object.keys(STRINGS)) Object.assign(STRINGS[code], ACCESS_STRINGS[code]);

const STORAGE_KEY = "docsearch.lang";
let current = "es";
try {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved && STRINGS[saved]) current = saved;
} catch (_) { /* storage may be disabled */ }

export function lang() { return current; }

export function setLang(code) {
  if (!STRINGS[code]) return;
  current = code;
  try { localStorage.setItem(STORAGE_KEY, code); } catch (_) { /* ignore */ }
}

export function t(key, ...args) {
  const value = STRINGS[current][key] ?? STRINGS.es[key];
  if (value === undefined) return key;
  return typeof value === "function" ? value(...args) : value;
}

// Static text in index.html: data-i18n sets textContent, data-i18n-attr="attr:key;attr:key" sets attributes.
export function translateStatic(root = document) {
  document.documentElement.lang = current;
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of node.dataset.i18nAttr.split(";")) {
      const [attr, key] = pair.split(":");
      node.setAttribute(attr.trim(), t(key.trim()));
    }
  }
}

export function languageName(code) {
  const key = `lang.${code}`;
  const name = t(key);
  return name === key ? code : name;
}

export function formatBytes(n) {
  if (n == null) return "";
  const units = ["B", "KB", "MB", "GB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i += 1; }
  return `${n.toLocaleString(current, { maximumFractionDigits: i ? 1 : 0 })} ${units[i]}`;
}

export function formatDuration(seconds) {
  if (seconds == null || !isFinite(seconds)) return "—";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

export function formatDate(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  return d.toLocaleString(current, { dateStyle: "medium", timeStyle: "short" });
}
