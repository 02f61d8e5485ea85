// The strings of the upload page (#/admin): files refused before sending, the document type of each file, a load
// waiting for a worker, a retry under way, and the reason of each failed file with what to do next. Spanish first,
// English second. Merged into i18n.js's one table when this module loads (admin.js imports it). Nothing here is
// HTML.
import { lang, STRINGS } from "./i18n.js";

const n = (count, one, many) => `${count.toLocaleString(lang())} ${count === 1 ? one : many}`;

// The document types the server knows (nlp/data/doc_types.json's labels; tests/test_upload_feedback.py keeps them
// equal): the values sent, whatever the language shown.
export const DOC_TYPES = ["sentencia", "auto", "acusación", "requerimiento", "informe policial", "casación",
  "recurso de nulidad", "acuerdo plenario", "material de capacitación", "otro"];

// What the server takes: PDF files and ZIP archives of them (it reads the bytes; a .docx is a ZIP that holds no
// PDF and fails there a minute later, so the browser refuses it by its name first).
export const ACCEPTED = [".pdf", ".zip"];

export const UPLOAD_STRINGS = {
  es: {
    "upload.doctype.default": "Tipo de documento por defecto (opcional)",
    "upload.doctype.help": "Se propone para cada archivo de la lista; cámbielo en los que sean de otro tipo.",
    "upload.doctype.none": "Detectar automáticamente",
    "upload.doctype.inherit": (type) => (type ? `Por defecto (${type})` : "Por defecto (detectar)"),
    "upload.doctype.label": (name) => `Tipo de documento de ${name}`,
    "upload.files.caption": "Archivos que se enviarán",
    "upload.files.name": "Archivo",
    "upload.files.size": "Tamaño",
    "upload.files.type": "Tipo de documento",
    "upload.files.more": (count) => `…y ${n(count, "archivo más", "archivos más")}, con el tipo por defecto`,
    "upload.refused.summary": (count) => `${n(count, "archivo rechazado", "archivos rechazados")}; no se enviará${count === 1 ? "" : "n"}:`,
    "upload.refused.type": "No es un PDF ni un ZIP. Conviértalo a PDF y elíjalo de nuevo.",
    "upload.refused.empty": "El archivo está vacío (0 bytes). Revise el original y elíjalo de nuevo.",
    "upload.refused.only": "Ninguno de los archivos elegidos se puede cargar: elija archivos PDF o ZIP.",
    "upload.received": (name) => `Carga «${name}» recibida; procesando.`,
    "batch.id": (id) => `id ${id}`,
    "batch.waiting": "Esperando un trabajador",
    "batch.waiting.next": "Esperando un trabajador: es la siguiente en la cola.",
    "batch.waiting.position": (q) => `Esperando un trabajador: puesto ${q.position.toLocaleString(lang())} en la cola `
      + `(${n(q.batches_ahead, "carga", "cargas")} delante, con ${n(q.files_ahead, "archivo", "archivos")}).`,
    "batch.retrying": "Reintentando…",
    "batch.retried.none": "Ningún archivo se puede reintentar: los que fallaron por su contenido fallarían igual.",
    "batch.failures.code": (code) => `código ${code}`,
    "reason.unknown": (code) => `Motivo «${code}». Reintente la carga; si vuelve a fallar, avise al administrador.`,
    "reason.empty_file": "El archivo está vacío (0 bytes). Revise el original (quizá no terminó de copiarse o descargarse) y vuelva a subirlo.",
    "reason.too_large": "El archivo supera el tamaño máximo. Divídalo en archivos más pequeños o pida al administrador que amplíe el límite.",
    "reason.too_many_pages": "El PDF tiene más páginas que el máximo. Divídalo en partes más cortas o pida al administrador que amplíe el límite.",
    "reason.not_pdf": "No es un PDF. Conviértalo a PDF y vuelva a subirlo.",
    "reason.encrypted": "El PDF está protegido con contraseña. Quítele la contraseña (guárdelo o imprímalo como un PDF nuevo) y vuelva a subirlo.",
    "reason.corrupt": "El PDF está dañado y no se pudo leer. Consiga una copia nueva, o ábralo en un lector de PDF y guárdelo de nuevo, y vuelva a subirlo.",
    "reason.no_text": "Ninguna página tiene texto ni imagen escaneada que leer. Compruebe que las páginas no estén en blanco; si deberían tener texto, exporte el PDF de nuevo desde su origen.",
    "reason.garbage_text": "El texto del PDF es ilegible (contenido o fuentes dañados). Expórtelo de nuevo desde su origen, o imprímalo y escanéelo para que lo lea el OCR.",
    "reason.missing_file": "Falta el archivo (el original guardado o el indicado por su ruta). Vuelva a subirlo.",
    "reason.timeout": "El proceso superó el tiempo máximo. Divida el archivo en partes más pequeñas y súbalas, o pida al administrador que amplíe el límite.",
    "reason.interrupted": "El proceso se interrumpió tres veces (el trabajador se detuvo, o se quedó sin memoria o sin tiempo). Reintente la carga; si vuelve a fallar, divida el archivo o avise al administrador.",
    "reason.missing_document": "El documento que se iba a reprocesar ya no está en el índice. Vuelva a subir el archivo.",
    "reason.unsafe_path": "La ruta de esta entrada del ZIP es absoluta, sale del ZIP (..) o es un enlace; no se leyó. Si necesita ese archivo, sáquelo del ZIP y súbalo por separado.",
    "reason.archive_bomb": "Esta entrada del ZIP se expande mucho más de lo que permite su tamaño (una «bomba ZIP»); no se leyó. Si el ZIP es legítimo, descomprímalo y suba los archivos.",
    "reason.archive_too_deep": "Hay un ZIP dentro de otros ZIP a más profundidad de la permitida; no se abrió. Extraiga los ZIP interiores y suba sus archivos.",
    "reason.archive_too_many_files": "El ZIP tiene más entradas de las permitidas; el resto no se leyó. Divídalo en ZIP más pequeños y súbalos.",
    "reason.corrupt_archive": "El ZIP está dañado y no se pudo abrir. Consiga una copia nueva o vuelva a crear el ZIP, y súbalo otra vez.",
    "reason.encrypted_archive": "Esta entrada del ZIP está protegida con contraseña. Extráigala con su contraseña y suba los archivos, o suba un ZIP sin contraseña.",
    "reason.unsupported_compression": "Esta entrada del ZIP usa un método de compresión que no se puede leer (p. ej. Deflate64). Vuelva a comprimir con las opciones ZIP normales y súbalo de nuevo.",
    "reason.empty_archive": "El ZIP no contiene archivos (solo carpetas, o nada). Compruebe que sea el ZIP correcto y vuelva a subirlo.",
    "reason.quota_exceeded": "Con este archivo superaría su cuota diaria de carga; no se guardó. Vuelva a subirlo mañana o pida al administrador que amplíe la cuota.",
    "reason.internal_error": "docsearch falló con este archivo. Reintente la carga; si vuelve a fallar, avise al administrador.",
  },
  en: {
    "upload.doctype.default": "Default document type (optional)",
    "upload.doctype.help": "Proposed for each file in the list; change it for the files of another type.",
    "upload.doctype.none": "Detect automatically",
    "upload.doctype.inherit": (type) => (type ? `Default (${type})` : "Default (detect)"),
    "upload.doctype.label": (name) => `Document type of ${name}`,
    "upload.files.caption": "Files to be sent",
    "upload.files.name": "File",
    "upload.files.size": "Size",
    "upload.files.type": "Document type",
    "upload.files.more": (count) => `…and ${n(count, "more file", "more files")}, with the default type`,
    "upload.refused.summary": (count) => `${n(count, "file refused", "files refused")}; not sent:`,
    "upload.refused.type": "Not a PDF or a ZIP. Convert it to PDF and choose it again.",
    "upload.refused.empty": "The file is empty (0 bytes). Check the original and choose it again.",
    "upload.refused.only": "None of the chosen files can be loaded: choose PDF or ZIP files.",
    "upload.received": (name) => `Load "${name}" received; processing.`,
    "batch.id": (id) => `id ${id}`,
    "batch.waiting": "Waiting for a worker",
    "batch.waiting.next": "Waiting for a worker: next in the queue.",
    "batch.waiting.position": (q) => `Waiting for a worker: position ${q.position.toLocaleString(lang())} in the queue `
      + `(${n(q.batches_ahead, "load", "loads")} ahead, with ${n(q.files_ahead, "file", "files")}).`,
    "batch.retrying": "Retrying…",
    "batch.retried.none": "No file can be retried: those that failed for their content would fail the same way.",
    "batch.failures.code": (code) => `code ${code}`,
    "reason.unknown": (code) => `Reason "${code}". Retry the load; if it fails again, tell the administrator.`,
    "reason.empty_file": "The file is empty (0 bytes). Check the original (it may not have finished copying or downloading) and upload it again.",
    "reason.too_large": "The file is larger than the size limit. Split it into smaller files, or ask the administrator to raise the limit.",
    "reason.too_many_pages": "The PDF has more pages than the limit. Split it into shorter parts, or ask the administrator to raise the limit.",
    "reason.not_pdf": "It is not a PDF. Convert it to PDF and upload it again.",
    "reason.encrypted": "The PDF is password-protected. Remove the password (save or print it to a new PDF) and upload it again.",
    "reason.corrupt": "The PDF is damaged and could not be read. Get a fresh copy, or open it in a PDF reader and save it again, then upload it again.",
    "reason.no_text": "No page has text or a scanned image to read. Check that the pages are not blank; if they should have text, export the PDF again from its source.",
    "reason.garbage_text": "The PDF's text is unreadable (damaged content or fonts). Export it again from its source, or print and scan it so that OCR reads it.",
    "reason.missing_file": "The file is missing (the stored original, or the one given by its path). Upload it again.",
    "reason.timeout": "Processing took longer than the time limit. Split the file into smaller parts and upload them, or ask the administrator to raise the limit.",
    "reason.interrupted": "Processing was interrupted three times (the worker stopped, or ran out of memory or time). Retry the load; if it fails again, split the file or tell the administrator.",
    "reason.missing_document": "The document to re-process is no longer in the index. Upload the file again.",
    "reason.unsafe_path": "The ZIP entry's path is absolute, leaves the ZIP (..) or is a link; it was not read. If you need that file, take it out of the ZIP and upload it on its own.",
    "reason.archive_bomb": "The ZIP entry expands far more than its size allows (a ZIP bomb); it was not read. If the ZIP is genuine, extract it and upload the files.",
    "reason.archive_too_deep": "A ZIP is nested inside ZIPs deeper than allowed; it was not opened. Extract the inner ZIPs and upload their files.",
    "reason.archive_too_many_files": "The ZIP holds more entries than allowed; the rest were not read. Split it into smaller ZIPs and upload them.",
    "reason.corrupt_archive": "The ZIP is damaged and could not be opened. Get a fresh copy or make the ZIP again, and upload it again.",
    "reason.encrypted_archive": "The ZIP entry is password-protected. Extract it with its password and upload the files, or upload a ZIP made without a password.",
    "reason.unsupported_compression": "The ZIP entry is compressed with a method that cannot be read (such as Deflate64). Compress it again with ordinary ZIP settings and upload it again.",
    "reason.empty_archive": "The ZIP holds no files (only folders, or nothing). Check that it is the right ZIP and upload it again.",
    "reason.quota_exceeded": "This file would take you past your daily upload quota; it was not kept. Upload it again tomorrow, or ask the administrator to raise the quota.",
    "reason.internal_error": "docsearch failed on this file. Retry the load; if it fails again, tell the administrator.",
  },
};

// English names of the document types (the values sent stay the Spanish labels).
const TYPE_NAMES_EN = {
  "sentencia": "judgment", "auto": "court order", "acusación": "indictment", "requerimiento": "prosecutor's request",
  "informe policial": "police report", "casación": "cassation", "recurso de nulidad": "annulment appeal",
  "acuerdo plenario": "plenary agreement", "material de capacitación": "training material", "otro": "other",
};

export function typeName(type) {
  return lang() === "en" ? (TYPE_NAMES_EN[type] || type) : type;
}

for (const code of Object.keys(UPLOAD_STRINGS)) Object.assign(STRINGS[code], UPLOAD_STRINGS[code]);
