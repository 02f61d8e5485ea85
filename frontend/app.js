// docsearch front end: plain JS over the public HTTP API, no inline script (strict CSP).
"use strict";

const PAGE_SIZE = 10;
const $ = (sel) => document.querySelector(sel);

// Snippets arrive HTML-escaped with <mark> around hits; rebuild them as DOM nodes
// so nothing else from a document can ever become markup.
function renderSnippet(parent, snippet) {
  const decoder = document.createElement("textarea");
  let inMark = false;
  for (const part of snippet.split(/(<\/?mark>)/)) {
    if (part === "<mark>") { inMark = true; continue; }
    if (part === "</mark>") { inMark = false; continue; }
    decoder.innerHTML = part;
    const text = document.createTextNode(decoder.value);
    if (inMark) { const m = document.createElement("mark"); m.appendChild(text); parent.appendChild(m); }
    else parent.appendChild(text);
  }
}

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function readState() {
  const params = new URLSearchParams(location.search);
  return { q: params.get("q") || "", page: Math.max(1, parseInt(params.get("page") || "1", 10) || 1) };
}

function pushState(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  if (state.page > 1) params.set("page", String(state.page));
  history.pushState(state, "", "?" + params.toString());
}

async function run(state) {
  $("#q").value = state.q;
  const status = $("#status");
  const list = $("#results");
  status.className = "";
  status.textContent = "Buscando…";
  list.replaceChildren();
  $("#pager").replaceChildren();
  const params = new URLSearchParams({ q: state.q, page: String(state.page), size: String(PAGE_SIZE) });
  let body;
  try {
    const resp = await fetch("api/search?" + params.toString());
    body = await resp.json();
    if (!resp.ok) throw new Error((body.error && body.error.message) || resp.statusText);
  } catch (err) {
    status.className = "error";
    status.textContent = "No se pudo buscar: " + err.message;
    return;
  }
  if (body.total === 0) {
    status.textContent = state.q ? `Ningún documento contiene «${state.q}».` : "Aún no hay documentos cargados.";
    return;
  }
  status.textContent = `${body.total} documento${body.total === 1 ? "" : "s"} (${body.took_ms} ms)`;
  for (const r of body.results) {
    const li = el("li");
    li.appendChild(el("h2", { class: "result-title" }, r.title || r.id));
    const meta = [r.doc_type, r.institution, r.year, r.collection, r.page_count && `${r.page_count} págs.`].filter(Boolean);
    li.appendChild(el("div", { class: "meta" }, meta.join(" · ")));
    for (const p of r.pages) {
      const hit = el("p", { class: "hit" });
      hit.appendChild(el("span", { class: "pageno" }, `página ${p.page}`));
      renderSnippet(hit, p.snippet);
      li.appendChild(hit);
    }
    list.appendChild(li);
  }
  const pages = Math.ceil(body.total / PAGE_SIZE);
  if (pages > 1) {
    const prev = el("button", { type: "button" }, "‹ Anterior");
    const next = el("button", { type: "button" }, "Siguiente ›");
    prev.disabled = state.page <= 1;
    next.disabled = state.page >= pages;
    prev.addEventListener("click", () => go({ q: state.q, page: state.page - 1 }));
    next.addEventListener("click", () => go({ q: state.q, page: state.page + 1 }));
    $("#pager").append(prev, el("span", {}, `Página ${state.page} de ${pages}`), next);
  }
}

function go(state) { pushState(state); run(state); }

document.addEventListener("DOMContentLoaded", () => {
  $("#search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    go({ q: $("#q").value.trim(), page: 1 });
  });
  window.addEventListener("popstate", () => run(readState()));
  run(readState());
  $("#q").focus();
});
