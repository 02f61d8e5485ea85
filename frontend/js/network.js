// Who appears with whom (#/network?<the search's state>&types=persons,criminal_orgs): the entities of the documents
// a search selects, drawn as a network (GET /api/network) — a node per entity, shaped and coloured by its type and
// sized by the documents naming it; an edge per pair named on the same pages, as wide as those pages are many.
// A canvas says nothing to a screen reader or a keyboard, so the same network is also a table of the strongest
// links and a list of the entities, each with its profile and "filter the search by it".
// Cytoscape (vendor/, see its README) is loaded only when this view is first opened.
import { get } from "./api.js";
import { $, append, debounce, el } from "./dom.js";
import { ENTITY_FACETS, TYPE_TO_FACET, fieldLabel } from "./fields.js";
import { lang, t } from "./i18n.js";
import { errorMessage } from "./i18n-values.js";
import { entityHash, navigate, networkHash, searchHash, searchParams } from "./router.js";

// The API's own default (docsearch/search/network.py DEFAULT_FIELDS): what is drawn when the address names no types.
const DEFAULT_TYPES = ["persons", "criminal_orgs", "organizations", "operations", "cases"];
const LINKS_SHOWN = 25;
// Per entity type (the registry's `entity`): a colour (4.5:1 or better on white, for the legend's text beside it)
// and a shape, so that the type never rests on colour alone.
const LOOKS = {
  per: ["#0a54a0", "ellipse"],
  criminal_org: ["#b3261e", "diamond"],
  org: ["#1d6b38", "round-rectangle"],
  operation: ["#a34f00", "triangle"],
  case: ["#6a3d9a", "hexagon"],
  loc: ["#0d6e72", "pentagon"],
  address: ["#3d6b12", "vee"],
  institution: ["#4d5660", "octagon"],
  law: ["#7a5c00", "rectangle"],
  drug: ["#a3307c", "star"],
  ref: ["#5b4636", "tag"],
};
const OTHER = ["#4d5660", "ellipse"];
const look = (type) => LOOKS[type] || OTHER;
const STYLESHEET_ID = "__________cytoscape_stylesheet";

let route = null;
let body = null;
let shown = false;
let loading = 0;
let cy = null;            // the drawn network of `body`
let graphBox = null;      // its container, kept across re-renders (a language switch) so the drawing stays
let library = null;
let fitted = "";          // the box size the network was last fitted into

export function show(next) {
  shown = true;
  const same = route && body && apiParams(route) === apiParams(next);
  route = next;
  if (same) { render(); return; }
  body = null;
  drop();
  load();
}

export function hide() { shown = false; }

export function rerender() { if (shown) render(); }

function types(r = route) { return r.types.length ? r.types : DEFAULT_TYPES.filter((x) => ENTITY_FACETS.includes(x)); }

// The API's parameters: the search's query and filters (not its page, order or mode) and the types drawn.
function apiParams(r, format = "") {
  const params = searchParams(r.search, { page: false, sort: false, mode: false });
  if (r.types.length) params.set("types", r.types.join(","));
  if (format) params.set("format", format);
  return params.toString();
}

function cytoscape() {
  if (!document.getElementById(STYLESHEET_ID)) {
    document.head.appendChild(el("link", { rel: "stylesheet", href: "vendor/cytoscape.css", id: STYLESHEET_ID }));
  }
  library = library || import("../vendor/cytoscape.esm.min.js").then((m) => m.default)
    .catch((err) => { library = null; throw err; });
  return library;
}

async function load() {
  const mine = ++loading;
  const view = $("#view-network");
  view.replaceChildren(...head(), el("p", { id: "network-status", class: "status", role: "status", "aria-live": "polite" },
    t("network.loading")));
  try {
    const [found] = await Promise.all([get("network", apiParams(route)), cytoscape()]);
    if (mine !== loading) return;
    body = found;
    render();
  } catch (err) {
    if (mine !== loading) return;
    $("#network-status").className = "status error";
    $("#network-status").textContent = t("network.error", errorMessage(err));
  }
}

function head() {
  const state = route.search;
  const filters = [];
  for (const [name, values] of Object.entries(state.filters)) filters.push(`${fieldLabel(name)}: ${values.join(", ")}`);
  if (state.yearFrom || state.yearTo) filters.push(`${fieldLabel("year")}: ${t("filters.years", state.yearFrom, state.yearTo)}`);
  return [
    el("p", { class: "doc-back" }, el("a", { id: "network-back", href: searchHash({ ...state, page: 1 }) }, t("doc.back"))),
    el("h2", { id: "network-heading", tabindex: "-1" }, t("network.heading")),
    el("p", { id: "network-scope", class: "network-scope" }, t("network.scope", state.q, filters.join("; "))),
  ];
}

function render() {
  if (!body) return;
  const view = $("#view-network");
  const nodes = body.nodes;
  const edges = body.edges;
  let status = t("network.summary", body.documents, nodes.length, edges.length);
  let kind = "status";
  if (!body.documents) { status = t("network.nodocs"); kind = "status empty"; }
  else if (!nodes.length) { status = `${status}. ${t("network.empty")}`; kind = "status empty"; }
  else if (!edges.length) status = `${status}. ${t("network.noedges")}`;
  const side = el("div", { class: "network-side" }, typePicker(nodes), exports());
  const parts = [...head(), el("p", { id: "network-status", class: kind, role: "status", "aria-live": "polite" }, status),
    el("div", { class: "network-layout" }, side, nodes.length ? figure(nodes, edges) : null)];
  if (nodes.length) {
    side.insertBefore(el("p", { class: "help network-help" }, t("network.help")), side.lastChild);
    if (edges.length) parts.push(...linkTable(nodes, edges));
    parts.push(...nodeList(nodes));
  }
  view.replaceChildren(...parts);
  if (nodes.length) draw(nodes, edges);
}

// -- the types drawn, which are also the legend ------------------------------------------------------------
function typePicker(nodes) {
  const chosen = types();
  const drawn = new Map();
  for (const n of nodes) drawn.set(n.field, (drawn.get(n.field) || 0) + 1);
  const list = el("ul", { class: "network-legend", id: "network-legend" });
  for (const name of ENTITY_FACETS) {
    const type = typeOf(name);
    const id = `network-type-${name}`;
    const box = el("input", { type: "checkbox", id, value: name, checked: chosen.includes(name), "data-facet": name });
    box.addEventListener("change", () => {
      const next = ENTITY_FACETS.filter((x) => (x === name ? box.checked : types().includes(x)));
      if (!next.length) { box.checked = true; return; }   // at least one type: none would mean the default
      navigate(networkHash(route.search, next));
    });
    const count = drawn.get(name);
    list.appendChild(el("li", {}, box, el("label", { for: id }, el("span", {}, swatch(type), fieldLabel(name)),
      count ? el("span", { class: "count", "aria-label": t("network.types.count", count) }, String(count)) : null)));
  }
  return el("fieldset", { id: "network-types", class: "network-types" }, el("legend", {}, t("network.types")), list);
}

// The entity type (per, criminal_org, ...) a facet filters by, as the registry says.
function typeOf(name) {
  return Object.keys(TYPE_TO_FACET).find((type) => TYPE_TO_FACET[type] === name) || name;
}

function swatch(type) {
  const [colour, shape] = look(type);
  const mark = el("span", { class: `swatch shape-${shape}`, "aria-hidden": "true" });
  mark.style.backgroundColor = colour;   // CSSOM, allowed by the CSP (no style attribute in markup)
  return mark;
}

function exports() {
  return el("p", { class: "network-export" }, `${t("network.export")} `,
    el("a", { id: "network-graphml", href: `api/network?${apiParams(route, "graphml")}`, download: "docsearch-network.graphml" },
      t("network.export.graphml")),
    " · ",
    el("a", { id: "network-csv", href: `api/network?${apiParams(route, "csv")}`, download: "docsearch-network.csv" },
      t("network.export.csv")));
}

// -- the drawing ------------------------------------------------------------------------------------------
function figure(nodes, edges) {
  if (!graphBox) graphBox = el("div", { id: "network-graph", class: "network-graph", role: "img" });
  graphBox.setAttribute("aria-label", t("network.graph", nodes.length, edges.length));
  const zoom = (factor) => () => {
    if (!cy) return;
    const level = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), cy.zoom() * factor));
    cy.zoom({ level, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  };
  const tools = el("div", { class: "network-zoom", role: "group", "aria-label": t("network.zoom") },
    el("button", { type: "button", id: "network-zoom-in", "aria-label": t("network.zoom.in"), title: t("network.zoom.in"),
      onclick: zoom(1.25) }, "+"),
    el("button", { type: "button", id: "network-zoom-out", "aria-label": t("network.zoom.out"), title: t("network.zoom.out"),
      onclick: zoom(0.8) }, "−"),
    el("button", { type: "button", id: "network-fit", onclick: () => fit() }, t("network.zoom.fit")));
  return el("div", { class: "network-figure" }, tools, graphBox);
}

function draw(nodes, edges) {
  if (cy) { cy.resize(); return; }   // the same network, moved into the re-rendered view
  library.then((cytoscapeLib) => {
    if (!graphBox.isConnected || cy) return;
    const most = Math.max(...nodes.map((n) => n.documents), 1);
    const heaviest = Math.max(...edges.map((e) => e.pages), 1);
    cy = cytoscapeLib({
      container: graphBox,
      elements: [
        ...nodes.map((n) => ({ group: "nodes", data: { id: n.id, label: n.value, field: n.field, value: n.value,
          colour: look(n.type)[0], shape: look(n.type)[1], size: Math.round(24 + 36 * Math.sqrt(n.documents / most)) } })),
        ...edges.map((e, i) => ({ group: "edges", data: { id: `e${i}`, source: e.source, target: e.target,
          width: 1.5 + 8 * (e.pages / heaviest) } })),
      ],
      style: [
        { selector: "node", style: {
          "background-color": "data(colour)", shape: "data(shape)", width: "data(size)", height: "data(size)",
          "border-width": 2, "border-color": "#ffffff",
          label: "data(label)", color: "#1b1f24", "font-size": 13,
          "font-family": "sans-serif",
          "text-valign": "bottom", "text-margin-y": 4, "text-wrap": "wrap", "text-max-width": 140,
          "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 2,
          "text-background-shape": "roundrectangle" } },
        { selector: "edge", style: { width: "data(width)", "line-color": "#8a96a3", opacity: 0.75, "curve-style": "haystack" } },
        { selector: ".faded", style: { opacity: 0.18 } },
        { selector: "node.focus", style: { "border-color": "#c2410c", "border-width": 3 } },
        { selector: "edge.near", style: { "line-color": "#4d5660", opacity: 1 } },
      ],
      layout: { name: "preset" },
      minZoom: 0.2,
      maxZoom: 3,
      userZoomingEnabled: false,   // the wheel scrolls the page; the buttons zoom
      boxSelectionEnabled: false,
    });
    // A circle first, then the force-directed layout from there: the same network is drawn the same way each time.
    // The layout makes room for the labels at their size on the screen, which depends on the zoom that fits the
    // network into the box: laid out, fitted, and laid out again with the labels at the size the fit gives them.
    cy.layout({ name: "circle", animate: false }).run();
    const forces = () => cy.layout({ name: "cose", animate: false, randomize: false, nodeDimensionsIncludeLabels: true,
      idealEdgeLength: () => 100, nodeRepulsion: () => 60000, nodeOverlap: 40, gravity: 0.8, numIter: 1500,
      componentSpacing: 80, padding: 24 }).run();
    forces();
    fit();
    forces();
    arrange();
    cy.on("zoom", legible);
    // A window resized or a phone turned: the network fitted again into its box (not on every redraw).
    cy.on("resize", debounce(() => { if (cy && fitted !== `${cy.width()}x${cy.height()}`) arrange(); }, 150));
    cy.on("tap", "node", (ev) => navigate(entityHash(ev.target.data("field"), ev.target.data("value"))));
    cy.on("mouseover", "node", (ev) => {
      const near = ev.target.closedNeighborhood();
      cy.elements().not(near).addClass("faded");
      ev.target.addClass("focus");
      near.edges().addClass("near");
      graphBox.classList.add("pointing");
    });
    cy.on("mouseout", "node", () => {
      cy.elements().removeClass("faded focus near");
      graphBox.classList.remove("pointing");
    });
    graphBox.dataset.nodes = String(cy.nodes().length);
    graphBox.dataset.edges = String(cy.edges().length);
  });
}

// Labels keep a legible size on the screen when the network is zoomed out to fit (13px at zoom 1, at least 12px).
function legible() {
  const size = Math.min(26, Math.max(13, 12 / cy.zoom()));
  cy.style().selector("node").style({ "font-size": size, "text-max-width": size * 11 }).update();
}

// Force-directed layouts leave some labels on top of each other: push apart every two nodes whose boxes (label
// included) overlap, along the axis where they overlap least, until none does (or enough rounds have passed).
function separate(gap = 6, rounds = 40) {
  const nodes = cy.nodes().toArray();
  for (let round = 0; round < rounds; round++) {
    const boxes = nodes.map((n) => n.boundingBox({ includeLabels: true }));
    let moved = false;
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        const dx = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + gap;
        const dy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + gap;
        if (dx <= 0 || dy <= 0) continue;
        const horizontal = dx < dy;
        const sign = horizontal ? Math.sign((b.x1 + b.x2) - (a.x1 + a.x2)) || 1 : Math.sign((b.y1 + b.y2) - (a.y1 + a.y2)) || 1;
        const step = (horizontal ? dx : dy) / 2;
        for (const [k, s] of [[i, -sign], [j, sign]]) {
          const p = nodes[k].position();
          nodes[k].position(horizontal ? { x: p.x + s * step, y: p.y } : { x: p.x, y: p.y + s * step });
          const box = boxes[k];
          if (horizontal) { box.x1 += s * step; box.x2 += s * step; } else { box.y1 += s * step; box.y2 += s * step; }
        }
        moved = true;
      }
    }
    if (!moved) return;
  }
}

// Fitted into the box with no label on another (a fit changes the labels' size, so a few rounds).
function arrange() {
  for (let i = 0; i < 3; i++) { fit(); separate(); }
  fit();
}

// The whole network in view, not blown up when it is small.
function fit() {
  if (!cy) return;
  cy.resize();
  fitted = `${cy.width()}x${cy.height()}`;
  for (let i = 0; i < 2; i++) {   // a fit changes the labels' size, and so the network's extent: twice
    cy.fit(undefined, 24);
    if (cy.zoom() > 1.3) { cy.zoom(1.3); cy.center(); }
    legible();
  }
}

function drop() {
  if (cy) cy.destroy();
  cy = null;
  graphBox = null;
}

// -- the same network as text -------------------------------------------------------------------------------
function entityLink(node, cls) {
  return el("a", { class: cls, href: entityHash(node.field, node.value), "data-field": node.field, "data-value": node.value,
    title: t("doc.entity.page.label", fieldLabel(node.field), node.value) }, node.value);
}

function linkTable(nodes, edges) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const rows = edges.slice(0, LINKS_SHOWN).map((e) => {
    const a = byId.get(e.source);
    const b = byId.get(e.target);
    return el("tr", { "data-source": a.value, "data-target": b.value },
      el("td", {}, swatch(a.type), entityLink(a, "network-link"), el("span", { class: "kind" }, ` (${fieldLabel(a.field)})`)),
      el("td", {}, swatch(b.type), entityLink(b, "network-link"), el("span", { class: "kind" }, ` (${fieldLabel(b.field)})`)),
      el("td", { class: "number" }, e.pages.toLocaleString(lang())));
  });
  return [
    el("h3", { id: "network-links-heading" }, t("network.links")),
    el("p", { class: "help" }, t("network.links.help", rows.length, edges.length)),
    el("div", { class: "table-scroll" }, el("table", { id: "network-links", class: "data-table network-table",
      "aria-labelledby": "network-links-heading" },
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("network.links.source")),
      el("th", { scope: "col" }, t("network.links.target")), el("th", { scope: "col", class: "number" }, t("network.links.pages")))),
    el("tbody", {}, rows))),
  ];
}

function nodeList(nodes) {
  const state = route.search;
  const list = el("ul", { id: "network-nodes", class: "network-nodes", "aria-labelledby": "network-nodes-heading" });
  for (const n of nodes) {
    const values = new Set(state.filters[n.field] || []);
    const filtered = values.has(n.value);
    values.add(n.value);
    const filterLink = filtered ? null : el("a", { class: "network-filter", "data-field": n.field, "data-value": n.value,
      href: searchHash({ ...state, filters: { ...state.filters, [n.field]: [...values] }, page: 1 }),
      "aria-label": t("network.filter.label", fieldLabel(n.field), n.value) }, t("network.filter"));
    list.appendChild(append(el("li", { "data-field": n.field, "data-value": n.value }), swatch(n.type),
      entityLink(n, "network-node"),
      el("span", { class: "meta" }, ` · ${fieldLabel(n.field)} · ${t("network.nodes.documents", n.documents)}`),
      filterLink ? [" · ", filterLink] : null));
  }
  return [el("h3", { id: "network-nodes-heading" }, t("network.nodes")), list];
}
