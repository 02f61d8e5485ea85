// The admin view: upload PDFs and ZIPs (drag and drop or a file picker), each file with its own document type
// (the form's type is only the default proposed for each), files of other kinds refused at once and not sent;
// follow every load with a live progress bar (or its place in the queue while it waits for a worker), see the
// failed files with their reasons in words and what to do next, retry them.
import { ApiError, get, post, upload } from "./api.js";
import { $, el } from "./dom.js";
import { formatBytes, formatDate, formatDuration, t } from "./i18n.js";
import { ACCEPTED, DOC_TYPES, typeName } from "./i18n-upload.js";
import { errorMessage } from "./i18n-values.js";

const POLL_MS = 1000;
const FAILURES_SHOWN = 200;
const TYPED_ROWS = 50;   // files listed with their own type box; the others take the default
let chosen = [];         // {file, type}: the files to send, type "" for the default
let refused = [];        // {file, why}: the files refused here, never sent
let polling = null;      // timer of the poll loop while the view is shown
let active = false;
const lastState = new Map();

export function show() {
  active = true;
  const view = $("#view-admin");
  if (!view.firstChild) build(view);
  loadBatches();
}

export function hide() {
  active = false;
  clearTimeout(polling);
  polling = null;
}

export function rerender() {
  const view = $("#view-admin");
  const keep = { collection: $("#upload-collection")?.value, doctype: $("#upload-doctype")?.value };
  view.replaceChildren();
  build(view);
  if (keep.collection !== undefined) $("#upload-collection").value = keep.collection;
  if (keep.doctype !== undefined) $("#upload-doctype").value = keep.doctype;
  renderChosen();
  if (active) loadBatches();
}

function build(view) {
  const input = el("input", { type: "file", id: "upload-input", class: "visually-hidden", multiple: true,
    accept: ".pdf,.zip,application/pdf,application/zip", "aria-describedby": "upload-chosen" });
  input.addEventListener("change", () => { chosen = []; refused = []; take([...input.files]); });

  const zone = el("div", { id: "dropzone", class: "dropzone" },
    el("p", {}, `${t("admin.drop")} `, input, el("label", { for: "upload-input", class: "button" }, t("admin.choose"))),
    el("ul", { id: "upload-chosen", class: "chosen", "aria-live": "polite" }));
  for (const type of ["dragenter", "dragover"]) {
    zone.addEventListener(type, (ev) => { ev.preventDefault(); ev.dataTransfer.dropEffect = "copy"; zone.classList.add("over"); });
  }
  zone.addEventListener("dragleave", (ev) => { if (!zone.contains(ev.relatedTarget)) zone.classList.remove("over"); });
  zone.addEventListener("drop", (ev) => {
    ev.preventDefault();
    zone.classList.remove("over");
    const files = [...(ev.dataTransfer.files || [])];
    if (files.length) take(files);
  });

  const form = el("form", { id: "upload-form", class: "upload-form", novalidate: true },
    zone,
    el("div", { class: "fields" },
      el("p", {},
        el("label", { for: "upload-collection" }, t("admin.collection")),
        el("input", { id: "upload-collection", name: "collection", value: "default", required: true, maxlength: 64,
          pattern: "[\\w][\\w .\\-]{0,63}", "aria-describedby": "collection-help" }),
        el("span", { id: "collection-help", class: "help" }, t("admin.collection.help"))),
      el("p", {},
        el("label", { for: "upload-doctype" }, t("upload.doctype.default")),
        typeSelect({ id: "upload-doctype", name: "doc_type", "aria-describedby": "doctype-help" },
          el("option", { value: "" }, t("upload.doctype.none"))),
        el("span", { id: "doctype-help", class: "help" }, t("upload.doctype.help")))),
    el("div", { id: "upload-files" }),
    el("p", { class: "actions" },
      el("button", { type: "submit", id: "upload-submit", class: "primary" }, t("admin.submit")),
      el("progress", { id: "upload-progress", max: 1, value: 0, hidden: true, "aria-label": t("admin.uploading", 0) })),
    el("p", { id: "upload-status", class: "status", role: "status", "aria-live": "polite" }));
  form.addEventListener("submit", submit);
  form.querySelector("#upload-doctype").addEventListener("change", renderDefaults);

  const batches = el("section", { class: "batches", "aria-labelledby": "batches-heading" },
    el("div", { class: "batches-head" },
      el("h3", { id: "batches-heading" }, t("admin.batches")),
      el("button", { type: "button", id: "batches-refresh", class: "link-button", onclick: loadBatches }, t("admin.refresh"))),
    el("p", { id: "batches-status", class: "status", role: "status", "aria-live": "polite" }),
    el("ul", { id: "batches", class: "batch-list" }));

  view.append(el("h2", { id: "admin-heading", tabindex: "-1" }, t("admin.heading")), form, batches);
}

function typeSelect(attrs, first) {
  return el("select", attrs, first, ...DOC_TYPES.map((type) => el("option", { value: type }, typeName(type))));
}

// Why the server would refuse this file for its kind or size alone, or null: it takes PDFs and ZIPs of them.
function refusal(file) {
  const name = file.name.toLowerCase();
  if (!ACCEPTED.some((ext) => name.endsWith(ext))) return "upload.refused.type";
  if (file.size === 0) return "upload.refused.empty";
  return null;
}

function take(files) {
  for (const file of files) {
    const why = refusal(file);
    if (why) refused.push({ file, why }); else chosen.push({ file, type: "" });
  }
  renderChosen();
}

function renderChosen() {
  const list = $("#upload-chosen");
  const table = $("#upload-files");
  if (!list || !table) return;
  list.replaceChildren();
  table.replaceChildren();
  if (chosen.length) {
    const total = chosen.reduce((sum, c) => sum + c.file.size, 0);
    list.appendChild(el("li", { class: "summary" }, t("admin.selected", chosen.length, formatBytes(total))));
  }
  if (refused.length) {
    list.appendChild(el("li", { class: "summary refused-summary" }, t("upload.refused.summary", refused.length)));
    for (const r of refused) {
      list.appendChild(el("li", { class: "refused", "data-name": r.file.name },
        `${r.file.name}: `, el("span", { class: "status error" }, t(r.why))));
    }
  }
  if (!chosen.length) return;
  const rows = chosen.slice(0, TYPED_ROWS).map((c, i) => {
    const box = typeSelect({ class: "file-type", "aria-label": t("upload.doctype.label", c.file.name) },
      el("option", { value: "" }, inheritLabel()));
    box.value = c.type;
    box.addEventListener("change", () => { c.type = box.value; });
    return el("tr", { "data-index": String(i) },
      el("td", { class: "file" }, c.file.name), el("td", {}, formatBytes(c.file.size)), el("td", {}, box));
  });
  table.append(el("table", { class: "failure-table chosen-files" },
    el("caption", { class: "visually-hidden" }, t("upload.files.caption")),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("upload.files.name")),
      el("th", { scope: "col" }, t("upload.files.size")), el("th", { scope: "col" }, t("upload.files.type")))),
    el("tbody", {}, ...rows)));
  if (chosen.length > TYPED_ROWS) table.append(el("p", { class: "help" }, t("upload.files.more", chosen.length - TYPED_ROWS)));
}

function inheritLabel() {
  const type = $("#upload-doctype")?.value || "";
  return t("upload.doctype.inherit", type ? typeName(type) : "");
}

// The form's type changed: each file left on "default" says which type that now is.
function renderDefaults() {
  for (const box of document.querySelectorAll("#upload-files select.file-type")) box.options[0].textContent = inheritLabel();
}

async function submit(ev) {
  ev.preventDefault();
  const status = $("#upload-status");
  const collection = $("#upload-collection");
  status.className = "status";
  if (!chosen.length) {
    status.className = "status error";
    status.textContent = t(refused.length ? "upload.refused.only" : "admin.nofiles");
    $("#upload-input").focus();
    return;
  }
  if (!collection.checkValidity()) {
    status.className = "status error";
    status.textContent = `${t("admin.collection")}: ${t("admin.collection.help")}`;
    collection.focus();
    return;
  }
  const form = new FormData();
  const types = {};
  const fallback = $("#upload-doctype").value;
  for (const c of chosen) {
    form.append("files", c.file, c.file.name);
    if (c.type || fallback) types[c.file.name] = c.type || fallback;
  }
  form.append("collection", collection.value.trim());
  if (Object.keys(types).length) form.append("types", JSON.stringify(types));
  const button = $("#upload-submit");
  const bar = $("#upload-progress");
  button.disabled = true;
  bar.hidden = false;
  bar.value = 0;
  status.textContent = t("admin.uploading", 0);
  let body;
  try {
    body = await upload("documents", form, (fraction) => {
      bar.value = fraction;
      const pct = Math.round(fraction * 100);
      bar.setAttribute("aria-label", t("admin.uploading", pct));
      status.textContent = t("admin.uploading", pct);
    });
  } catch (err) {
    status.className = "status error";
    status.textContent = t("admin.upload.error", errorMessage(err));
    return;
  } finally {
    button.disabled = false;
    bar.hidden = true;
  }
  chosen = [];
  refused = [];
  $("#upload-input").value = "";
  renderChosen();
  status.textContent = t("admin.uploaded", shortId(body.batch_id));
  status.dataset.batchId = body.batch_id;
  try {
    const batch = await get(`batches/${body.batch_id}`, { limit: 0 });
    if (batch.name) status.textContent = t("upload.received", batch.name);
    upsertCard(batch, true);
  } catch (_) {
    await loadBatches();
  }
  schedulePoll(0);
}

// -- batches -----------------------------------------------------------------
async function loadBatches() {
  const status = $("#batches-status");
  let list;
  try {
    list = await get("batches", { limit: 20 });
  } catch (err) {
    status.className = "status error";
    status.textContent = t("admin.batches.error", errorMessage(err));
    return;
  }
  status.className = "status";
  status.textContent = list.length ? "" : t("admin.batches.none");
  const ul = $("#batches");
  const keep = new Set(list.map((b) => b.id));
  for (const card of [...ul.children]) if (!keep.has(card.dataset.id)) card.remove();
  for (const b of list.slice().reverse()) upsertCard(b, true);
  schedulePoll(POLL_MS);
}

function shortId(id) {
  return String(id).slice(0, 8);
}

function upsertCard(b, top = false) {
  const ul = $("#batches");
  if (!ul) return;
  let card = ul.querySelector(`li[data-id="${b.id}"]`);
  if (!card) {
    card = buildCard(b);
    if (top) ul.prepend(card); else ul.appendChild(card);
    $("#batches-status").textContent = "";
  }
  updateCard(card, b);
}

function buildCard(b) {
  const id = `batch-${b.id}`;
  const card = el("li", { class: "batch", "data-id": b.id, "aria-labelledby": `${id}-title` },
    el("div", { class: "batch-head" },
      el("h4", { id: `${id}-title`, class: "batch-name" }, batchName(b)),
      el("span", { class: "state" })),
    el("p", { class: "batch-meta" }),
    el("progress", { max: 1, value: 0, "aria-labelledby": `${id}-title`, "aria-describedby": `${id}-progress` }),
    el("p", { class: "batch-progress", id: `${id}-progress` }),
    el("p", { class: "batch-counts" }),
    el("div", { class: "batch-actions" }),
    el("div", { class: "failures", hidden: true }),
    el("p", { class: "status batch-status", role: "status", "aria-live": "polite" }));
  return card;
}

// A load is called by its first file or folder ("expedientes.zip", "archivo/2019 (+41)"); by its id when it has
// no name (loads made before they were named).
function batchName(b) {
  return b.name || t("batch.title", shortId(b.id));
}

function waiting(b) {
  const q = b.queue;
  if (!q) return t("batch.waiting");
  return q.position <= 1 ? t("batch.waiting.next") : t("batch.waiting.position", q);
}

function updateCard(card, b) {
  const counts = b.counts || {};
  const finished = (counts.indexed || 0) + (counts.duplicate || 0) + (counts.failed || 0);
  const total = Math.max(b.total || 0, finished);
  const previous = lastState.get(b.id);
  lastState.set(b.id, b.state);
  card.dataset.state = b.state;
  card.dataset.done = String(finished);
  card.dataset.total = String(total);
  card.dataset.failed = String(counts.failed || 0);
  const state = card.querySelector(".state");
  state.textContent = t(`batch.state.${b.state}`) === `batch.state.${b.state}` ? b.state : t(`batch.state.${b.state}`);
  state.className = `state ${b.state}`;
  const title = card.querySelector(".batch-name");
  title.textContent = batchName(b);
  title.title = b.id;
  card.querySelector(".batch-meta").textContent = [t("batch.created", formatDate(b.created_at)), b.collection,
    b.doc_type && typeName(b.doc_type), t("batch.origin", b.origin), t("batch.id", shortId(b.id))].filter(Boolean).join(" · ");
  const bar = card.querySelector("progress");
  bar.max = Math.max(total, 1);
  bar.value = b.state === "done" && !total ? 1 : finished;
  const parts = [t("batch.progress", finished, total), t("batch.pages", b.pages_done || 0, b.ocr_pages_done || 0)];
  // While nothing of it has started the load waits for a worker: its place in the queue, no pace, no time left.
  if (b.state === "queued") parts.unshift(waiting(b));
  const moving = b.state === "running" && b.files_per_s > 0;
  if (moving && b.pages_per_s > 0) parts.push(t("batch.rate", b.pages_per_s));
  // No time left while nothing moves: a pace of zero would give one that only grows.
  if (moving && b.eta_s != null && b.eta_s > 0) parts.push(t("batch.eta", formatDuration(b.eta_s)));
  if (b.elapsed_s != null && b.state !== "queued") parts.push(t("batch.elapsed", formatDuration(b.elapsed_s)));
  const progress = card.querySelector(".batch-progress");
  progress.textContent = parts.join(" · ");
  if (b.state === "queued") progress.dataset.position = String(b.queue ? b.queue.position : "");
  else delete progress.dataset.position;
  card.querySelector(".batch-counts").textContent = t("batch.counts", counts);
  renderActions(card, b);
  if (previous && previous !== "done" && b.state === "done") {
    card.querySelector(".batch-status").textContent = t("batch.finished", batchName(b), counts);
  }
}

function renderActions(card, b) {
  const actions = card.querySelector(".batch-actions");
  const failed = (b.counts && b.counts.failed) || 0;
  const failures = card.querySelector(".failures");
  if (!failed) {
    actions.replaceChildren();
    failures.hidden = true;
    return;
  }
  let toggle = actions.querySelector(".show-failures");
  if (!toggle) {
    toggle = el("button", { type: "button", class: "show-failures", "aria-expanded": "false",
      "aria-controls": failures.id || (failures.id = `failures-${b.id}`) });
    toggle.addEventListener("click", () => toggleFailures(card, toggle));
    const retry = el("button", { type: "button", class: "retry" }, t("batch.retry"));
    retry.addEventListener("click", () => retryBatch(card, retry));
    actions.replaceChildren(toggle, retry);
  }
  const open = toggle.getAttribute("aria-expanded") === "true";
  toggle.textContent = open ? t("batch.failures.hide") : t("batch.failures.show", failed);
  actions.querySelector(".retry").disabled = b.state !== "done" || card.dataset.retrying === "true";
  if (open && card.dataset.failedShown !== String(failed)) loadFailures(card);
}

async function toggleFailures(card, toggle) {
  const failures = card.querySelector(".failures");
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  failures.hidden = !open;
  toggle.textContent = open ? t("batch.failures.hide") : t("batch.failures.show", Number(card.dataset.failed || 0));
  if (open) await loadFailures(card);
}

async function loadFailures(card) {
  const failures = card.querySelector(".failures");
  const id = card.dataset.id;
  let body;
  try {
    body = await get(`batches/${id}`, { status: "failed", limit: FAILURES_SHOWN });
  } catch (err) {
    failures.replaceChildren(el("p", { class: "status error" }, errorMessage(err)));
    return;
  }
  const files = body.files || [];
  card.dataset.failedShown = String((body.counts && body.counts.failed) || files.length);
  if (!files.length) { failures.replaceChildren(); return; }
  const table = el("table", { class: "failure-table" },
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("batch.failures.file")),
      el("th", { scope: "col" }, t("batch.failures.reason")), el("th", { scope: "col" }, t("batch.failures.message")))),
    el("tbody", {}, ...files.map((f) => el("tr", {},
      el("td", { class: "file" }, f.name || ""),
      el("td", { class: "reason", "data-reason": f.reason || "", title: f.reason ? t("batch.failures.code", f.reason) : null },
        reasonText(f.reason)),
      // The server's account of this file (its numbers, its limit), in English.
      el("td", { class: "message", lang: "en" }, f.message || "")))));
  const more = (body.files_matching || files.length) - files.length;
  failures.replaceChildren(table, more > 0 ? el("p", { class: "help" }, t("batch.failures.more", more)) : "");
}

// A reason code in words, with what to do next.
function reasonText(code) {
  if (!code) return "";
  const key = `reason.${code}`;
  const text = t(key);
  return text === key ? t("reason.unknown", code) : text;
}

async function retryBatch(card, button) {
  const status = card.querySelector(".batch-status");
  // Said at once, and the button kept off, until the server answers.
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  card.dataset.retrying = "true";
  status.className = "status batch-status";
  status.textContent = t("batch.retrying");
  try {
    const body = await post(`batches/${card.dataset.id}/retry`);
    status.textContent = body.requeued ? t("batch.retried", body.requeued) : t("batch.retried.none");
    if (body.requeued) {
      lastState.set(card.dataset.id, "running");
      card.dataset.state = "running";
      card.dataset.failedShown = "";
      schedulePoll(0);
    }
  } catch (err) {
    status.className = "status batch-status error";
    status.textContent = t("batch.retry.error", err instanceof ApiError ? errorMessage(err) : String(err));
  } finally {
    delete card.dataset.retrying;
    button.removeAttribute("aria-busy");
    button.disabled = card.dataset.state !== "done";
  }
}

// -- live progress -------------------------------------------------------------
function schedulePoll(delay) {
  if (!active) return;
  clearTimeout(polling);
  polling = setTimeout(poll, delay);
}

async function poll() {
  polling = null;
  if (!active) return;
  const running = [...document.querySelectorAll("#batches li.batch")].filter((c) => c.dataset.state !== "done");
  if (!running.length) return;
  await Promise.all(running.map(async (card) => {
    try {
      const b = await get(`batches/${card.dataset.id}`, { limit: 0 });
      if (active) upsertCard(b);
    } catch (_) { /* keep the last known state; the next poll tries again */ }
  }));
  schedulePoll(POLL_MS);
}

