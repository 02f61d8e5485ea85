// The admin view: upload PDFs and ZIPs (drag and drop or a file picker), follow every load with a live
// progress bar, see the failed files with their reasons, retry them.
import { ApiError, get, post, upload } from "./api.js";
import { $, el } from "./dom.js";
import { formatBytes, formatDate, formatDuration, t } from "./i18n.js";

const POLL_MS = 1000;
const FAILURES_SHOWN = 200;
let chosen = [];
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
  input.addEventListener("change", () => { chosen = [...input.files]; renderChosen(); });

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
    if (files.length) { chosen = [...chosen, ...files]; renderChosen(); }
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
        el("label", { for: "upload-doctype" }, t("admin.doctype")),
        el("input", { id: "upload-doctype", name: "doc_type", maxlength: 64, list: "doctype-options" }),
        el("datalist", { id: "doctype-options" },
          ...["requerimiento", "sentencia", "casación", "auto", "informe policial", "material de capacitación"]
            .map((v) => el("option", { value: v }))))),
    el("p", { class: "actions" },
      el("button", { type: "submit", id: "upload-submit", class: "primary" }, t("admin.submit")),
      el("progress", { id: "upload-progress", max: 1, value: 0, hidden: true, "aria-label": t("admin.uploading", 0) })),
    el("p", { id: "upload-status", class: "status", role: "status", "aria-live": "polite" }));
  form.addEventListener("submit", submit);

  const batches = el("section", { class: "batches", "aria-labelledby": "batches-heading" },
    el("div", { class: "batches-head" },
      el("h3", { id: "batches-heading" }, t("admin.batches")),
      el("button", { type: "button", id: "batches-refresh", class: "link-button", onclick: loadBatches }, t("admin.refresh"))),
    el("p", { id: "batches-status", class: "status", role: "status", "aria-live": "polite" }),
    el("ul", { id: "batches", class: "batch-list" }));

  view.append(el("h2", { id: "admin-heading", tabindex: "-1" }, t("admin.heading")), form, batches);
}

function renderChosen() {
  const list = $("#upload-chosen");
  if (!list) return;
  list.replaceChildren();
  if (!chosen.length) return;
  const total = chosen.reduce((sum, f) => sum + f.size, 0);
  list.appendChild(el("li", { class: "summary" }, t("admin.selected", chosen.length, formatBytes(total))));
  for (const f of chosen.slice(0, 20)) list.appendChild(el("li", {}, `${f.name} (${formatBytes(f.size)})`));
  if (chosen.length > 20) list.appendChild(el("li", {}, "…"));
}

async function submit(ev) {
  ev.preventDefault();
  const status = $("#upload-status");
  const collection = $("#upload-collection");
  status.className = "status";
  if (!chosen.length) {
    status.className = "status error";
    status.textContent = t("admin.nofiles");
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
  for (const f of chosen) form.append("files", f, f.name);
  form.append("collection", collection.value.trim());
  const docType = $("#upload-doctype").value.trim();
  if (docType) form.append("doc_type", docType);
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
    status.textContent = t("admin.upload.error", err.message);
    return;
  } finally {
    button.disabled = false;
    bar.hidden = true;
  }
  chosen = [];
  $("#upload-input").value = "";
  renderChosen();
  status.textContent = t("admin.uploaded", shortId(body.batch_id));
  status.dataset.batchId = body.batch_id;
  try {
    const batch = await get(`batches/${body.batch_id}`, { limit: 0 });
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
    status.textContent = t("admin.batches.error", err.message);
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
      el("h4", { id: `${id}-title` }, t("batch.title", shortId(b.id))),
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
  card.querySelector(".batch-meta").textContent = [t("batch.created", formatDate(b.created_at)), b.collection,
    b.doc_type, t("batch.origin", b.origin)].filter(Boolean).join(" · ");
  const bar = card.querySelector("progress");
  bar.max = Math.max(total, 1);
  bar.value = b.state === "done" && !total ? 1 : finished;
  const parts = [t("batch.progress", finished, total), t("batch.pages", b.pages_done || 0, b.ocr_pages_done || 0)];
  if (b.pages_per_s) parts.push(t("batch.rate", b.pages_per_s));
  if (b.state !== "done" && b.eta_s != null && b.eta_s > 0) parts.push(t("batch.eta", formatDuration(b.eta_s)));
  if (b.elapsed_s != null) parts.push(t("batch.elapsed", formatDuration(b.elapsed_s)));
  card.querySelector(".batch-progress").textContent = parts.join(" · ");
  card.querySelector(".batch-counts").textContent = t("batch.counts", counts);
  renderActions(card, b);
  if (previous && previous !== "done" && b.state === "done") {
    card.querySelector(".batch-status").textContent = t("batch.finished", shortId(b.id), counts);
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
  actions.querySelector(".retry").disabled = b.state !== "done";
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
    failures.replaceChildren(el("p", { class: "status error" }, err.message));
    return;
  }
  const files = body.files || [];
  card.dataset.failedShown = String((body.counts && body.counts.failed) || files.length);
  if (!files.length) { failures.replaceChildren(); return; }
  const table = el("table", { class: "failure-table" },
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("batch.failures.file")),
      el("th", { scope: "col" }, t("batch.failures.reason")), el("th", { scope: "col" }, t("batch.failures.message")))),
    el("tbody", {}, ...files.map((f) => el("tr", {},
      el("td", { class: "file" }, f.name || ""), el("td", {}, el("code", {}, f.reason || "")), el("td", {}, f.message || "")))));
  const more = (body.files_matching || files.length) - files.length;
  failures.replaceChildren(table, more > 0 ? el("p", { class: "help" }, t("batch.failures.more", more)) : "");
}

async function retryBatch(card, button) {
  const status = card.querySelector(".batch-status");
  button.disabled = true;
  try {
    const body = await post(`batches/${card.dataset.id}/retry`);
    status.textContent = t("batch.retried", body.requeued);
    lastState.set(card.dataset.id, "running");
    card.dataset.state = "running";
    card.dataset.failedShown = "";
    schedulePoll(0);
  } catch (err) {
    status.textContent = t("batch.retry.error", err instanceof ApiError ? err.message : String(err));
    button.disabled = false;
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

