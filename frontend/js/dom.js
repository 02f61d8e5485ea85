// Small DOM helpers. Text from documents only ever goes in through textContent or text nodes.

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

// el("a", {href: "#", class: "x"}, "text", childNode, ...) — children are strings (as text) or nodes.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "style") throw new Error("no inline style (CSP): use a class");
    if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, "");
    else node.setAttribute(k, String(v));
  }
  append(node, ...children);
  return node;
}

export function append(node, ...children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0" };

export function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : "\ufffd";
    }
    const found = ENTITIES[name.toLowerCase()];
    return found === undefined ? whole : found;
  });
}

// The API's snippets and page html are escaped text with <mark>…</mark> around hits. Rebuild them as
// DOM nodes without ever parsing HTML: only <mark> survives; any other tag stays visible as text.
export function appendMarked(parent, html) {
  let inMark = false;
  for (const part of String(html).split(/(<mark>|<\/mark>)/i)) {
    if (/^<mark>$/i.test(part)) { inMark = true; continue; }
    if (/^<\/mark>$/i.test(part)) { inMark = false; continue; }
    if (!part) continue;
    const text = document.createTextNode(decodeEntities(part));
    if (inMark) parent.appendChild(el("mark", {}, text));
    else parent.appendChild(text);
  }
  return parent;
}

// Accent- and case-insensitive highlight of query words in plain text, used only when the API gives
// no highlighted html for a page: whole words (and their plurals), or any word starting with a
// prefix* term. Returns the number of marks added.
export function appendHighlighted(parent, text, terms) {
  const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const escape = (w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const patterns = terms.map((w) => ({ prefix: w.endsWith("*"), word: fold(w.replace(/\*$/, "")) }))
    .filter((w) => w.word.length > 1 && !STOP_WORDS.has(w.word))
    .map((w) => (w.prefix ? `${escape(w.word)}[\\p{L}\\p{N}]*` : `${escape(w.word)}(?:e?s)?`));
  if (!patterns.length) { parent.appendChild(document.createTextNode(text)); return 0; }
  // Fold character by character so offsets in the folded text map back to the original.
  const map = [];
  let folded = "";
  for (let i = 0; i < text.length; i++) {
    const f = fold(text[i]);
    for (let j = 0; j < f.length; j++) map.push(i);
    folded += f;
  }
  map.push(text.length);
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${patterns.join("|")})(?![\\p{L}\\p{N}])`, "gu");
  let last = 0;
  let count = 0;
  for (const m of folded.matchAll(re)) {
    const start = map[m.index];
    const end = map[m.index + m[0].length];
    if (start > last) parent.appendChild(document.createTextNode(text.slice(last, start)));
    parent.appendChild(el("mark", {}, text.slice(start, end)));
    last = end;
    count += 1;
  }
  if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  return count;
}

// One mark per hit: marks around lone stop words ("de", "la", "the") are unwrapped, and marks separated
// only by spaces ("lavado de activos") become one. Returns the number of marks left.
export function tidyMarks(container) {
  const fold = (x) => x.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  const gapTo = (node, dir) => {
    const gap = node[dir];
    if (!gap || gap.nodeType !== Node.TEXT_NODE || !/^[ \t]+$/.test(gap.textContent)) return null;
    return gap[dir] && gap[dir].nodeName === "MARK" ? gap : null;
  };
  for (const m of [...container.querySelectorAll("mark")]) {
    if (STOP_WORDS.has(fold(m.textContent)) && !(gapTo(m, "previousSibling") && gapTo(m, "nextSibling"))) {
      m.replaceWith(document.createTextNode(m.textContent));
    }
  }
  container.normalize();
  for (const m of [...container.querySelectorAll("mark")]) {
    let gap;
    while ((gap = gapTo(m, "nextSibling"))) {
      const next = gap.nextSibling;
      m.append(gap.textContent, next.textContent);
      gap.remove();
      next.remove();
    }
  }
  container.normalize();
  return container.querySelectorAll("mark").length;
}

const STOP_WORDS = new Set(("de la el en y a los las del se que por con un una su al lo para es o como mas pero sus le ya "
  + "the of and to in is for on by an or as at be this that with from").split(" "));

// Words of a query worth highlighting: no operators, no excluded words, no field names.
export function queryTerms(q) {
  const terms = [];
  for (const raw of String(q || "").match(/"[^"]*"|\S+/g) || []) {
    if (raw.startsWith("-") || /^(AND|OR|NOT|\|)$/.test(raw)) continue;
    const value = raw.replace(/^\+/, "").replace(/^[a-z_]+:/i, "").replace(/["()~]/g, " ");
    terms.push(...(value.match(/[\p{L}\p{N}]+\*?/gu) || []));
  }
  return terms;
}

export function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}
