// Batch search (#/batch-search): a list pasted or read from a file, one search a line (POST /api/batch-search),
// answered in a table with each line's number of documents the user may read and the first few; "Descargar
// CSV" asks the same list as a spreadsheet (?format=csv) and saves it.
import { post, postForFile } from "./api.js";
import { $, el } from "./dom.js";
import { t } from "./i18n.js";
import { errorText, setStatus, table } from "./manage.js";
import { docHash } from "./router.js";

export const MAX_LINES = 200;
let shown = false;
let built = false;
let rows = null;     // the last answer's rows, drawn again in another language
let asked = null;    // the body of the last search, for its CSV
let csvUrl = null;

export function show() {
  shown = true;
  if (!built) build();
}

export function hide() { shown = false; }

export function rerender() {
  if (!built) return;
  const text = $("#batch-text").value;
  build();
  $("#batch-text").value = text;
  if (rows) renderRows(rows);
}

const linesOf = (text) => text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);

function build() {
  built = true;
  const text = el("textarea", { id: "batch-text", rows: 10, spellcheck: "false", "aria-describedby": "batch-intro" });
  const file = el("input", { id: "batch-file", type: "file", accept: ".txt,.csv,text/plain,text/csv" });
  file.addEventListener("change", async () => {
    const chosen = file.files && file.files[0];
    if (chosen) text.value = await chosen.text();
  });
  const top = el("select", { id: "batch-top" }, ...[0, 1, 3, 5, 10].map((n) => el("option", { value: n, selected: n === 3 }, String(n))));
  const form = el("form", { id: "batch-form", class: "panel-form", novalidate: true },
    el("p", { class: "field" }, el("label", { for: "batch-text" }, t("batch.field")), text),
    el("p", { class: "field" }, el("label", { for: "batch-file" }, t("batch.file")), file),
    el("p", { class: "field" }, el("label", { for: "batch-top" }, t("batch.top")), top),
    el("button", { type: "submit", id: "batch-submit", class: "primary" }, t("batch.submit")));
  form.addEventListener("submit", run);
  $("#view-batch").replaceChildren(
    el("h2", { id: "batch-heading", tabindex: "-1" }, t("batch.heading")),
    el("p", { id: "batch-intro", class: "intro" }, t("batch.intro")),
    form,
    el("p", { id: "batch-status", class: "status", role: "status", "aria-live": "polite" }),
    el("div", { id: "batch-results" }));
}

async function run(ev) {
  ev.preventDefault();
  const status = $("#batch-status");
  const lines = linesOf($("#batch-text").value);
  if (!lines.length) { setStatus(status, t("batch.empty"), "error"); return; }
  if (lines.length > MAX_LINES) { setStatus(status, t("batch.toomany", lines.length, MAX_LINES), "error"); return; }
  asked = { lines, top: parseInt($("#batch-top").value, 10) };
  setStatus(status, t("batch.running", lines.length));
  $("#batch-submit").disabled = true;
  try {
    const body = await post("batch-search", asked);
    if (!shown) return;
    rows = body.rows;
    renderRows(rows);
  } catch (err) {
    setStatus(status, t("batch.failed", errorText(err)), "error");
  } finally {
    $("#batch-submit").disabled = false;
  }
}

function renderRows(found) {
  const hits = found.filter((r) => r.total).length;
  setStatus($("#batch-status"), t("batch.summary", found.length, hits), "ok");
  const box = table("batch-table", t("batch.heading"),
    [t("batch.col.line"), t("batch.col.text"), t("batch.col.total"), t("batch.col.top")]);
  const body = box.querySelector("tbody");
  for (const r of found) {
    const total = r.error ? el("span", { class: "error" }, t("batch.error", r.error))
      : el("span", {}, String(r.total), r.approximate ? el("span", { class: "meta" }, ` (${t("batch.approximate")})`) : null);
    const top = el("ul", { class: "doc-list" }, ...r.top.map((d) => el("li", {}, el("a", { href: docHash(d.id) }, d.title))));
    body.appendChild(el("tr", { "data-line": r.line, class: r.error ? "batch-error" : null },
      el("td", {}, String(r.line)), el("td", { class: "batch-text" }, r.text), el("td", { class: "batch-total" }, total),
      el("td", {}, top)));
  }
  const download = el("button", { type: "button", id: "batch-csv" }, t("batch.csv"));
  download.addEventListener("click", saveCsv);
  $("#batch-results").replaceChildren(el("p", { class: "actions" }, download,
    el("a", { id: "batch-csv-file", hidden: true, download: t("batch.csv.file") }, t("batch.csv.ready"))), box);
}

// The spreadsheet of the same list, saved from the answer's bytes (a Blob: the page's CSP allows no other way).
async function saveCsv() {
  const status = $("#batch-status");
  try {
    const blob = await postForFile("batch-search?format=csv", asked);
    if (csvUrl) URL.revokeObjectURL(csvUrl);
    csvUrl = URL.createObjectURL(blob);
    const link = $("#batch-csv-file");
    link.href = csvUrl;
    link.hidden = false;
    link.click();
  } catch (err) {
    setStatus(status, t("batch.failed", errorText(err)), "error");
  }
}
