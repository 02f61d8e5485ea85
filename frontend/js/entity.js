// One entity across the archive (#/entity/<field>/<value>): where it appears (documents and their pages, first
// and last year, how it is written) and who and what appear with it — on the same pages first, then in the same
// documents — each a link to its own page. GET /api/entities/{field}/{value}; every count is of the documents
// the signed-in user may read.
import { get } from "./api.js";
import { $, el } from "./dom.js";
import { entityLabel, fieldLabel } from "./fields.js";
import { t } from "./i18n.js";
import { docHash, entityHash, networkHash, searchHash } from "./router.js";

let route = null;
let body = null;
let shown = false;
let loading = 0;

export function show(next) {
  shown = true;
  const same = route && body && route.field === next.field && route.value === next.value;
  route = next;
  if (same) { render(); return; }
  body = null;
  load();
}

export function hide() { shown = false; }

export function rerender() { if (shown) render(); }

async function load() {
  const mine = ++loading;
  const view = $("#view-entity");
  view.replaceChildren(el("h2", { id: "entity-heading", tabindex: "-1" }, route.value),
    el("p", { id: "entity-status", class: "status", role: "status", "aria-live": "polite" }, t("status.loading")));
  try {
    const found = await get(`entities/${encodeURIComponent(route.field)}/${encodeURIComponent(route.value)}`);
    if (mine !== loading) return;
    body = found;
    render();
  } catch (err) {
    if (mine !== loading) return;
    $("#entity-status").className = "status error";
    $("#entity-status").textContent = t("status.error", err.message);
  }
}

function render() {
  const view = $("#view-entity");
  if (!body) return;
  const naming = { q: "", page: 1, sort: "relevance", mode: "", filters: { [body.field]: [body.value] }, yearFrom: "", yearTo: "" };
  const years = body.first_year ? (body.first_year === body.last_year ? String(body.first_year)
    : `${body.first_year}–${body.last_year}`) : t("entity.undated");
  const parts = [
    el("p", { class: "entity-kind" }, fieldLabel(body.field)),
    el("h2", { id: "entity-heading", tabindex: "-1" }, body.value),
    el("p", { id: "entity-status", class: "status", role: "status", "aria-live": "polite" },
      body.documents ? t("entity.summary", body.documents, body.pages, years) : t("entity.none")),
  ];
  if (body.documents) {
    parts.push(el("p", { class: "entity-actions" }, el("a", { href: searchHash(naming), id: "entity-search" }, t("entity.search")),
      " · ", el("a", { href: networkHash(naming), id: "entity-network" }, t("entity.network"))));
  }
  if (body.variants.length > 1) {
    parts.push(el("p", { class: "entity-variants" }, `${t("entity.variants")} `, body.variants.join(" · ")));
  }
  // Persons, companies and criminal organisations are one identity across the archive, whatever the spelling.
  if (body.identity) {
    if ((body.spellings || []).length > 1) {
      parts.push(el("p", { class: "entity-variants", id: "entity-spellings" }, `${t("entity.spellings")} `,
        body.spellings.join(" · ")));
    }
    const numbers = [...body.identity.dni.map((n) => `DNI ${n}`), ...body.identity.ruc.map((n) => `RUC ${n}`)];
    parts.push(el("p", { class: "meta", id: "entity-identity" }, t("entity.identity", body.identity.id),
      numbers.length ? ` · ${numbers.join(" · ")}` : ""));
  }
  if (body.results.length) {
    const list = el("ol", { id: "entity-documents", class: "entity-documents" });
    for (const doc of body.results) {
      const pages = el("span", { class: "entity-pages" });
      doc.pages.slice(0, 10).forEach((p, i) => {
        if (i) pages.append(", ");
        pages.append(el("a", { href: docHash(doc.id, { page: p, q: `"${body.variants[0] || body.value}"` }) }, String(p)));
      });
      list.appendChild(el("li", { "data-id": doc.id },
        el("a", { class: "entity-doc", href: docHash(doc.id, { page: doc.pages[0] || 1 }) }, doc.title || doc.id.slice(0, 12)),
        el("span", { class: "meta" }, ` · ${[doc.doc_type, doc.year].filter(Boolean).join(" · ")}`),
        doc.pages.length ? el("span", {}, ` · ${t("doc.entity.pages")} `, pages) : null));
    }
    parts.push(el("h3", {}, t("entity.documents")), list);
  }
  if (body.linked.length) {
    const groups = el("div", { id: "entity-linked", class: "entity-linked" });
    for (const group of body.linked) {
      const list = el("ul", { class: "chips", "data-field": group.field });
      for (const v of group.values) {
        list.appendChild(el("li", {}, el("a", { class: "chip", href: entityHash(group.field, v.value),
          "data-value": v.value, title: t("entity.link.title", v.pages, v.documents) },
        el("span", { class: "chip-text" }, v.value),
        el("span", { class: "count", "aria-hidden": "true" }, String(v.pages || v.documents)))));
      }
      groups.appendChild(el("div", { class: "entity-group" }, el("h4", {}, entityLabel(group.type)), list));
    }
    parts.push(el("h3", {}, t("entity.linked")), el("p", { class: "help" }, t("entity.linked.help")), groups);
  }
  view.replaceChildren(...parts);
}
