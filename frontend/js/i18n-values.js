// What the server says in its own words, said in the page's language: the values of the fields and facets
// (document types, topics, languages: VALUES), the collections' display names (GET /api/collections/labels),
// the API's errors by their code (ERRORS: {"error": {"code", "message"}}) and a search's warnings by theirs
// (NOTICES: query.notices). The server's English message shows only for a code this table does not know.
// tests/test_messages_by_code.py keeps VALUES in step with the server's types and topics, ERRORS with the
// API's codes (api/errors.py) and NOTICES with the search's (docsearch/search/notices.py). Nothing here is HTML.
import { get } from "./api.js";
import { lang, STRINGS, t } from "./i18n.js";

// field -> server value -> its label, per language.
export const VALUES = {
  es: {
    doc_type: {
      "sentencia": "sentencia",
      "auto": "auto",
      "acusación": "acusación",
      "requerimiento": "requerimiento",
      "informe policial": "informe policial",
      "casación": "casación",
      "recurso de nulidad": "recurso de nulidad",
      "acuerdo plenario": "acuerdo plenario",
      "material de capacitación": "material de capacitación",
      "otro": "otro",
    },
    topics: {
      "lavado de activos": "lavado de activos",
      "tráfico ilícito de drogas": "tráfico ilícito de drogas",
      "crimen organizado": "crimen organizado",
      "extinción de dominio": "extinción de dominio",
      "técnicas especiales de investigación": "técnicas especiales de investigación",
      "inteligencia en puertos y aeropuertos": "inteligencia en puertos y aeropuertos",
      "insumos químicos": "insumos químicos",
      "cooperación judicial internacional": "cooperación judicial internacional",
      "derechos humanos y enfoque de género": "derechos humanos y enfoque de género",
      "análisis financiero": "análisis financiero",
      "corrupción de funcionarios": "corrupción de funcionarios",
      "minería ilegal": "minería ilegal",
      "trata de personas": "trata de personas",
      "ciberdelincuencia": "ciberdelincuencia",
      "procedimiento penal": "procedimiento penal",
      "colaboración eficaz": "colaboración eficaz",
      "terrorismo": "terrorismo",
      "delitos aduaneros": "delitos aduaneros",
    },
    language: { es: "español", en: "inglés" },
  },
  en: {
    doc_type: {
      "sentencia": "judgment",
      "auto": "court order",
      "acusación": "indictment",
      "requerimiento": "prosecutor's request",
      "informe policial": "police report",
      "casación": "cassation ruling",
      "recurso de nulidad": "appeal for annulment",
      "acuerdo plenario": "plenary agreement",
      "material de capacitación": "training material",
      "otro": "other",
    },
    topics: {
      "lavado de activos": "money laundering",
      "tráfico ilícito de drogas": "illicit drug trafficking",
      "crimen organizado": "organised crime",
      "extinción de dominio": "asset forfeiture",
      "técnicas especiales de investigación": "special investigative techniques",
      "inteligencia en puertos y aeropuertos": "intelligence at ports and airports",
      "insumos químicos": "chemical precursors",
      "cooperación judicial internacional": "international judicial cooperation",
      "derechos humanos y enfoque de género": "human rights and gender perspective",
      "análisis financiero": "financial analysis",
      "corrupción de funcionarios": "corruption of public officials",
      "minería ilegal": "illegal mining",
      "trata de personas": "human trafficking",
      "ciberdelincuencia": "cybercrime",
      "procedimiento penal": "criminal procedure",
      "colaboración eficaz": "effective collaboration (plea agreements)",
      "terrorismo": "terrorism",
      "delitos aduaneros": "customs offences",
    },
    language: { es: "Spanish", en: "English" },
  },
};

const at = (d, position) => (d && Number.isInteger(d.position) ? position(d.position) : "");

// error.code -> its message (a function takes the error's detail: {code, message, detail} of the body).
export const ERRORS = {
  es: {
    bad_request: "La petición no se puede atender tal como se envió.",
    invalid_request: "Algún dato de la petición no es válido.",
    invalid: "Algún valor no es válido.",
    invalid_query: (d) => `No se pudo leer la búsqueda${at(d && d.detail, (p) => ` (cerca del carácter ${p})`)}: `
      + "revise las comillas, los paréntesis y los campos.",
    query_too_complex: "El buscador no pudo ejecutar esta búsqueda: simplifíquela.",
    unauthorized: "Inicie sesión de nuevo.",
    invalid_credentials: "Usuario o contraseña incorrectos.",
    locked: "Demasiados intentos fallidos: espere unos minutos antes de volver a intentarlo.",
    forbidden: "No tiene permiso para hacer esto.",
    csrf_failed: "La sesión cambió (¿se inició sesión en otra pestaña?): recargue la página.",
    bad_origin: "Cambio rechazado: no se envió desde esta página.",
    not_found: "Ya no existe (quizá lo eliminó otra persona).",
    method_not_allowed: "Esta dirección no admite esa operación.",
    exists: "Ya existe uno con ese nombre.",
    weak_password: "La contraseña es demasiado corta o demasiado común.",
    limit: "Se alcanzó el límite permitido.",
    too_large: "Supera el tamaño máximo permitido.",
    too_many_files: "Demasiados archivos en una sola carga.",
    no_files: "La carga no contiene ningún archivo.",
    unreadable_file: "No se pudo leer un archivo de la carga.",
    invalid_types: "Los tipos de documento de la carga no se pudieron leer.",
    unknown_doc_type: "Un tipo de documento no es ninguno de los conocidos.",
    unknown_file: "Se dio el tipo de un archivo que no está en la carga.",
    unsupported_media_type: "El servidor no acepta este tipo de contenido aquí.",
    quota_exceeded: "Se agotó por ahora su cuota de carga.",
    bad_path: "No se puede importar desde esa ruta del servidor.",
    outside_import_root: "La ruta está fuera de la carpeta de importación.",
    import_disabled: "La importación desde carpetas del servidor está desactivada.",
    already_running: "Esa exportación ya se está preparando.",
    original_missing: "Falta el archivo original de un documento.",
    original_modified: "El archivo original de un documento ya no coincide con su huella.",
    engine_unavailable: "El buscador no está disponible en este momento; vuelva a intentarlo en unos segundos.",
    broker_unavailable: "La cola de carga no está disponible en este momento; vuelva a intentarlo en unos segundos.",
    internal_error: "Falló el servidor en esta petición; el error quedó registrado.",
    http_error: "El servidor respondió con un error.",
  },
  en: {
    bad_request: "The request cannot be served as sent.",
    invalid_request: "Some value of the request is not valid.",
    invalid: "Some value is not valid.",
    invalid_query: (d) => `The query could not be read${at(d && d.detail, (p) => ` (near character ${p})`)}: `
      + "check its quotes, brackets and fields.",
    query_too_complex: "The search engine could not run this query: simplify it.",
    unauthorized: "Sign in again.",
    invalid_credentials: "Wrong user name or password.",
    locked: "Too many failed attempts: wait a few minutes before trying again.",
    forbidden: "You are not allowed to do this.",
    csrf_failed: "The session changed (signed in from another tab?): reload the page.",
    bad_origin: "Change refused: it was not sent from this page.",
    not_found: "It no longer exists (someone may have removed it).",
    method_not_allowed: "This address does not take that operation.",
    exists: "One with that name already exists.",
    weak_password: "The password is too short or too common.",
    limit: "The limit was reached.",
    too_large: "It is over the size allowed.",
    too_many_files: "Too many files in one load.",
    no_files: "The load holds no file.",
    unreadable_file: "A file of the load could not be read.",
    invalid_types: "The load's document types could not be read.",
    unknown_doc_type: "A document type is not one of the known types.",
    unknown_file: "A type was given for a file that is not in the load.",
    unsupported_media_type: "The server does not take this kind of content here.",
    quota_exceeded: "Your upload quota is used up for now.",
    bad_path: "That server path cannot be imported from.",
    outside_import_root: "The path is outside the import folder.",
    import_disabled: "Importing from server folders is disabled.",
    already_running: "That export is already being made.",
    original_missing: "A document's original file is missing.",
    original_modified: "A document's original file no longer matches its fingerprint.",
    engine_unavailable: "The search engine is not available right now; try again in a few seconds.",
    broker_unavailable: "The upload queue is not available right now; try again in a few seconds.",
    internal_error: "The server failed on this request; the error was logged.",
    http_error: "The server answered with an error.",
  },
};

// A search's warning code -> its text (functions of its params: position, word, operator, field, fields).
export const NOTICES = {
  es: {
    unclosed_quote: (p) => `Comillas sin cerrar en el carácter ${p.position}: se leyó una frase hasta el final.`,
    empty_field: (p) => `«${p.word}:» en el carácter ${p.position} no tiene valor tras los dos puntos; se leyó la palabra «${p.word}».`,
    unmatched_bracket: (p) => `Se ignoró un «)» sin abrir en el carácter ${p.position}.`,
    or_nothing_after: (p) => `Se ignoró «OR» en el carácter ${p.position}: no tiene nada después.`,
    or_nothing_before: (p) => `Se ignoró «OR» en el carácter ${p.position}: no tiene nada antes.`,
    and_nothing_before: (p) => `Se ignoró «AND» en el carácter ${p.position}: no tiene nada antes.`,
    and_nothing_after: (p) => `Se ignoró «AND» en el carácter ${p.position}: no tiene nada después.`,
    exclude_nothing: (p) => `Se ignoró «${p.operator}» en el carácter ${p.position}: no tiene nada después que excluir.`,
    bracket_unclosed: (p) => `El paréntesis abierto en el carácter ${p.position} no se cerró; se cerró al final.`,
    brackets_empty: (p) => `Los paréntesis del carácter ${p.position} no contienen nada que buscar.`,
    phrase_empty: (p) => `Se ignoró la frase del carácter ${p.position}: no tiene palabras.`,
    unknown_field: (p) => `«${p.field}» no es un campo (${p.fields}); «${p.field}:» se leyó como palabras.`,
    typos_allowed: "Ningún documento tiene estas palabras exactas; se muestran documentos con palabras parecidas (con errores de escritura).",
    typos_time_limit: "La búsqueda de palabras parecidas se detuvo en su límite de tiempo; puede haber más documentos que las tengan.",
    meaning_unavailable: "La búsqueda por significado no está disponible en este índice hasta que se reconstruya; se muestran los documentos por sus palabras.",
  },
  en: {
    unclosed_quote: (p) => `Unclosed quote at character ${p.position}: read as a phrase to the end.`,
    empty_field: (p) => `'${p.word}:' at character ${p.position} has no value after the colon; read as the word '${p.word}'.`,
    unmatched_bracket: (p) => `Unmatched ')' at character ${p.position} was ignored.`,
    or_nothing_after: (p) => `'OR' at character ${p.position} has nothing after it and was ignored.`,
    or_nothing_before: (p) => `'OR' at character ${p.position} has nothing before it and was ignored.`,
    and_nothing_before: (p) => `'AND' at character ${p.position} has nothing before it and was ignored.`,
    and_nothing_after: (p) => `'AND' at character ${p.position} has nothing after it and was ignored.`,
    exclude_nothing: (p) => `'${p.operator}' at character ${p.position} has nothing after it to exclude and was ignored.`,
    bracket_unclosed: (p) => `Bracket opened at character ${p.position} was not closed; closed at the end.`,
    brackets_empty: (p) => `The brackets at character ${p.position} hold nothing to search for.`,
    phrase_empty: (p) => `The phrase at character ${p.position} has no words and was ignored.`,
    unknown_field: (p) => `'${p.field}' is not a field (${p.fields}); '${p.field}:' was read as words.`,
    typos_allowed: "No document has these exact words; showing documents with similar words (typos allowed).",
    typos_time_limit: "The search for similar words was stopped at its time limit; more documents may have them.",
    meaning_unavailable: "Search by meaning is not available on this index until it is rebuilt; showing documents by their words.",
  },
};

// The strings of this module's own (the collection without a display name of its own, a hidden one's mark).
const OWN = {
  es: { "collection.default": "General", "collection.hidden": "no se incluye por defecto" },
  en: { "collection.default": "General", "collection.hidden": "not searched by default" },
};

// manage.js's errorText() (and any other reader of "error.code.<code>") finds them in the one table.
for (const code of Object.keys(ERRORS)) {
  for (const [key, text] of Object.entries(ERRORS[code])) {
    STRINGS[code][`error.code.${key}`] = typeof text === "function" ? (d) => text(d) : text;
  }
  Object.assign(STRINGS[code], OWN[code]);
}

const table = (tables) => tables[lang()] || tables.es;

// A value of a field as the page's language says it; the value itself when the table does not know it.
export function valueLabel(field, value) {
  if (value === null || value === undefined || value === "") return value;
  if (field === "collection") return collectionLabel(value);
  const known = (table(VALUES)[field] || {})[value];
  return known === undefined ? String(value) : known;
}

// An API error (api.js's ApiError: code, message, detail) in the page's language: by its code, the server's
// English message for a code unknown here.
export function errorMessage(err) {
  if (!err) return "";
  const text = table(ERRORS)[err.code];
  if (text === undefined) return err.message || String(err);
  const said = typeof text === "function" ? text(err.detail || {}) : text;
  // A code that only says "something in the request" keeps the server's words on what (in English).
  return GENERIC.has(err.code) && err.message ? `${said} (${err.message})` : said;
}

// Codes whose message is the only place that says which value is wrong and why.
const GENERIC = new Set(["bad_request", "invalid_request", "invalid"]);

// A search's warnings (query.notices, else query.warnings) in the page's language.
export function noticeTexts(query) {
  const notices = Array.isArray(query.notices) ? query.notices : null;
  if (!notices) return (query.warnings || []).filter((w) => typeof w === "string");
  return notices.map((n) => {
    const text = n && table(NOTICES)[n.code];
    if (text === undefined) return n && typeof n.message === "string" ? n.message : "";
    try {
      return typeof text === "function" ? text(n.params || {}) : text;
    } catch {
      return n.message;
    }
  }).filter(Boolean);
}

// -- collections ------------------------------------------------------------------------------------------------
const collections = new Map();   // name -> {display_name, hidden}

// The collections' display names, read once (GET /api/collections/labels); without them, names show as they are.
export async function loadCollectionLabels() {
  const list = await get("collections/labels");
  collections.clear();
  for (const c of list || []) collections.set(c.name, { display_name: c.display_name || null, hidden: !!c.hidden });
}

// A collection as the interface names it: its display name, "General" for "default", else its name.
export function collectionLabel(name) {
  if (name === null || name === undefined || name === "") return name;
  const known = collections.get(name);
  if (known && known.display_name) return known.display_name;
  return name === "default" ? t("collection.default") : String(name);
}

// Whether a search leaves this collection out unless chosen.
export function collectionHidden(name) {
  const known = collections.get(name);
  return !!(known && known.hidden);
}

// After an administrator changed one (collections.js): the new name shows everywhere at once.
export function rememberCollection(name, displayName, hidden) {
  collections.set(name, { display_name: displayName || null, hidden: !!hidden });
}
