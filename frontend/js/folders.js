// Case folders (#/folders, #/folders/<id>, #/folders?tag=<tag>) and the "Añadir a carpeta" control of results and
// of the document view, over the public API:
//   GET/POST /api/folders, GET/PATCH/DELETE /api/folders/{id}, POST /api/folders/{id}/items,
//   PATCH/DELETE /api/folders/{id}/items/{document}, GET /api/folders/{id}/export.csv and export.zip,
//   GET /api/marks?starred=true|tag=, GET /api/tags (the user's starred and tagged documents, listed here).
// Every list is what the signed-in user may read: the server leaves out (and does not count) the rest.
import { del, get, patch, post } from "./api.js";
import { $, el } from "./dom.js";
import { formatDate, t } from "./i18n.js";
import { ask, errorText, listOf, setStatus } from "./manage.js";
import { docHash, navigate } from "./router.js";

export const folderHash = (id) => `#/folders/${id}`;
const tagHash = (tag) => `#/folders?tag=${encodeURIComponent(tag)}`;
const path = (id, rest = "") => `folders/${encodeURIComponent(id)}${rest}`;

let shown = false;
let route = null;
let loading = 0;

export function show(next) {
  shown = true;
  route = next;
  load();
}

export function hide() { shown = false; }

export function rerender() { if (shown) load(); }

async function load() {
  const mine = ++loading;
  const view = $("#view-folders");
  const status = el("p", { id: "folders-status", class: "status", role: "status", "aria-live": "polite" });
  if (route.id) {
    view.replaceChildren(el("p", {}, el("a", { href: "#/folders", id: "folders-back" }, t("folders.back"))),
      el("h2", { id: "folders-heading", tabindex: "-1" }, t("folders.heading")), status);
  } else {
    view.replaceChildren(el("h2", { id: "folders-heading", tabindex: "-1" }, t("folders.heading")),
      el("p", { class: "intro" }, t("folders.intro")), status);
  }
  setStatus(status, t("manage.loading"));
  try {
    if (route.id) {
      const folder = await get(path(route.id));
      if (mine !== loading || !shown) return;
      setStatus(status, "");
      renderFolder(view, folder);
    } else {
      const [folders, starred, tags, tagged] = await Promise.all([get("folders"),
        get("marks", { starred: "true", size: "100" }), get("tags"),
        route.tag ? get("marks", { tag: route.tag, size: "200" }) : Promise.resolve(null)]);
      if (mine !== loading || !shown) return;
      setStatus(status, "");
      renderList(view, folders || [], starred || [], tags || [], tagged);
    }
  } catch (err) {
    if (mine !== loading || !shown) return;
    setStatus(status, t("folders.error", errorText(err)), "error");
  }
}

// -- the list of folders, starred and tagged documents ----------------------------------------------------
function renderList(view, folders, starred, tags, tagged) {
  const name = el("input", { id: "folder-new-name", type: "text", required: true, maxlength: 200, autocomplete: "off" });
  const form = el("form", { id: "folder-new", class: "panel-form inline-form", novalidate: true },
    el("h3", { class: "form-title" }, t("folders.new")),
    el("p", { class: "field" }, el("label", { for: "folder-new-name" }, t("folders.new.name")), name),
    el("button", { type: "submit", id: "folder-new-submit" }, t("folders.new.submit")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const value = name.value.trim();
    if (!value) { name.focus(); return; }
    try {
      const made = await post("folders", { name: value });
      navigate(folderHash(made.id));
    } catch (err) {
      setStatus($("#folders-status"), errorText(err), "error");
    }
  });
  const list = el("ul", { id: "folder-list", class: "card-list", "aria-label": t("folders.list") },
    ...folders.map((f) => el("li", { class: "card folder-card", "data-id": f.id },
      el("h3", {}, el("a", { href: folderHash(f.id) }, f.name)),
      el("p", { class: "meta" }, t("folders.count", f.count), " · ",
        f.mine ? (f.members.length ? t("folders.shared.with", f.members.length) : t("folders.members.none"))
          : t("folders.shared.by", f.owner)))));
  view.append(form,
    folders.length ? list : el("p", { id: "folders-none", class: "empty-note" }, t("folders.none")),
    el("h3", { id: "starred-heading" }, t("marks.starred")),
    starred.length ? docList("starred-list", starred) : el("p", { class: "empty-note" }, t("marks.starred.none")),
    el("h3", { id: "tags-heading" }, t("marks.tagsheading")),
    tags.length ? el("ul", { id: "tag-list", class: "tag-list" }, ...tags.map((x) => el("li", {},
      el("a", { href: tagHash(x.tag), "aria-current": route.tag === x.tag ? "page" : null }, x.tag), ` (${x.count})`)))
      : el("p", { class: "empty-note" }, t("marks.tags.none")));
  if (tagged) view.append(el("h3", { id: "tagged-heading" }, t("marks.tagged", route.tag)), docList("tagged-list", tagged));
}

// Marks (GET /api/marks) as links to their documents, one per document.
function docList(id, marks) {
  const seen = new Set();
  const items = [];
  for (const m of marks) {
    if (seen.has(m.document_id)) continue;
    seen.add(m.document_id);
    const d = m.document || {};
    items.push(el("li", {}, el("a", { href: docHash(m.document_id, { page: m.page || 1 }) }, d.title || m.document_id),
      el("span", { class: "meta" }, " ", [d.doc_type, d.year, d.collection].filter(Boolean).join(" · "))));
  }
  return el("ul", { id, class: "doc-list" }, ...items);
}

// -- one folder -----------------------------------------------------------------------------------------------
function renderFolder(view, folder) {
  $("#folders-heading").textContent = folder.name;
  const members = folder.members.length ? t("folders.members", folder.members.join(", ")) : t("folders.members.none");
  view.append(
    el("p", { id: "folder-meta", class: "meta" }, t("folders.count", folder.count), " · ",
      folder.mine ? members : t("folders.shared.by", folder.owner)),
    el("p", { class: "folder-export" }, t("folders.export"), " ",
      el("a", { id: "folder-csv", class: "button", href: `api/${path(folder.id, "/export.csv")}`,
        download: `carpeta-${folder.id}.csv` }, t("folders.export.csv")), " ",
      el("a", { id: "folder-zip", class: "button", href: `api/${path(folder.id, "/export.zip")}`,
        download: `carpeta-${folder.id}.zip` }, t("folders.export.zip"))));
  if (folder.mine) view.append(ownerTools(folder));
  view.append(el("h3", { id: "folder-items-heading" }, t("folders.items")));
  if (!folder.items.length) {
    view.append(el("p", { id: "folder-empty", class: "empty-note" }, t("folders.empty")));
    return;
  }
  view.append(el("ul", { id: "folder-items", class: "card-list", "aria-labelledby": "folder-items-heading" },
    ...folder.items.map((item, i) => folderItem(folder, item, i))));
}

function folderItem(folder, item, i) {
  const title = item.title || item.document_id;
  const note = el("textarea", { id: `item-note-${i}`, rows: 2, maxlength: 4000 });
  note.value = item.note || "";
  const status = el("span", { class: "status", role: "status", "aria-live": "polite" });
  const save = el("button", { type: "button", class: "item-note-save" }, t("folders.note.save"));
  save.addEventListener("click", async () => {
    try {
      await patch(path(folder.id, `/items/${item.document_id}`), { note: note.value });
      setStatus(status, t("folders.note.saved"), "ok");
    } catch (err) { setStatus(status, errorText(err), "error"); }
  });
  const remove = el("button", { type: "button", class: "item-remove", "aria-label": t("folders.remove.label", title) },
    t("folders.remove"));
  remove.addEventListener("click", async () => {
    try {
      await del(path(folder.id, `/items/${item.document_id}`));
      load().then(() => setStatus($("#folders-status"), t("folders.removed", title), "ok"));
    } catch (err) { setStatus(status, errorText(err), "error"); }
  });
  return el("li", { class: "card folder-item", "data-id": item.document_id },
    el("h4", {}, el("a", { href: docHash(item.document_id) }, title)),
    el("p", { class: "meta" }, [item.doc_type, item.institution, item.year, item.collection].filter(Boolean).join(" · "),
      " — ", t("folders.added", item.added_by || "", formatDate(item.added_at))),
    el("p", { class: "field" }, el("label", { for: `item-note-${i}` }, t("folders.note.label", title)), note),
    el("p", { class: "actions" }, save, " ", remove, " ", status));
}

function ownerTools(folder) {
  const members = el("input", { id: "folder-members", type: "text", autocomplete: "off",
    "aria-describedby": "folder-members-help" });
  members.value = folder.members.join(", ");
  const share = el("form", { id: "folder-share", class: "panel-form inline-form", novalidate: true },
    el("p", { class: "field" }, el("label", { for: "folder-members" }, t("folders.share.field")), members,
      el("span", { class: "help", id: "folder-members-help" }, t("folders.share.help"))),
    el("button", { type: "submit", id: "folder-share-submit" }, t("folders.share")));
  share.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    await change({ members: listOf(members.value) });
  });
  const rename = el("button", { type: "button", id: "folder-rename" }, t("folders.rename"));
  rename.addEventListener("click", async () => {
    const name = await ask({ title: t("folders.rename.title"), field: { label: t("folders.rename.field") },
      confirm: t("folders.rename") });
    if (name) await change({ name });
  });
  const remove = el("button", { type: "button", id: "folder-delete", class: "danger" }, t("folders.delete"));
  remove.addEventListener("click", async () => {
    const ok = await ask({ title: t("folders.delete.title", folder.name), message: t("folders.delete.message"),
      confirm: t("folders.delete"), danger: true });
    if (!ok) return;
    try {
      await del(path(folder.id));
      navigate("#/folders");
    } catch (err) { setStatus($("#folders-status"), errorText(err), "error"); }
  });
  async function change(body) {
    try {
      await patch(path(folder.id), body);
      await load();
    } catch (err) { setStatus($("#folders-status"), errorText(err), "error"); }
  }
  return el("div", { class: "folder-owner" }, el("p", { class: "actions" }, rename, " ", remove), share);
}

// -- "Añadir a carpeta": a button that opens a small form (a folder, or a new one by name, and a note) -------
let seq = 0;

export function addToFolder(docId, title) {
  const n = ++seq;
  const id = (what) => `add-${what}-${n}`;
  const button = el("button", { type: "button", class: "add-folder-button", "aria-expanded": "false",
    "aria-controls": id("form"), "aria-label": t("add.label", title) }, t("add.button"));
  const select = el("select", { id: id("folder"), class: "add-folder-select" });
  const name = el("input", { id: id("name"), class: "add-folder-name", type: "text", maxlength: 200, autocomplete: "off" });
  const nameField = el("p", { class: "field" }, el("label", { for: id("name") }, t("add.newname")), name);
  const note = el("input", { id: id("note"), class: "add-folder-note", type: "text", maxlength: 4000, autocomplete: "off" });
  const status = el("span", { class: "status add-folder-status", role: "status", "aria-live": "polite" });
  const cancel = el("button", { type: "button", class: "add-folder-cancel" }, t("add.cancel"));
  const form = el("form", { id: id("form"), class: "add-folder-form", hidden: true, novalidate: true },
    el("p", { class: "field" }, el("label", { for: id("folder") }, t("add.folder")), select),
    nameField,
    el("p", { class: "field" }, el("label", { for: id("note") }, t("add.note")), note),
    el("p", { class: "actions" }, el("button", { type: "submit", class: "add-folder-submit" }, t("add.submit")), " ", cancel));
  const close = () => { form.hidden = true; button.setAttribute("aria-expanded", "false"); button.focus(); };
  const pick = () => { nameField.hidden = select.value !== ""; };
  select.addEventListener("change", pick);
  cancel.addEventListener("click", close);
  button.addEventListener("click", async () => {
    if (!form.hidden) { close(); return; }
    form.hidden = false;
    button.setAttribute("aria-expanded", "true");
    setStatus(status, t("manage.loading"));
    let folders = [];
    try { folders = await get("folders"); } catch (err) { setStatus(status, errorText(err), "error"); return; }
    select.replaceChildren(...folders.map((f) => el("option", { value: f.id }, f.name)),
      el("option", { value: "" }, t("add.newfolder")));
    pick();
    setStatus(status, "");
    select.focus();
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      let folderId = select.value;
      let folderName = select.selectedOptions.length ? select.selectedOptions[0].textContent : "";
      if (!folderId) {
        if (!name.value.trim()) { name.focus(); return; }
        const made = await post("folders", { name: name.value.trim() });
        folderId = made.id;
        folderName = made.name;
      }
      await post(path(folderId, "/items"), { document_id: docId, note: note.value.trim() });
      note.value = "";
      name.value = "";
      form.hidden = true;
      button.setAttribute("aria-expanded", "false");
      setStatus(status, "");
      status.replaceChildren(el("a", { href: folderHash(folderId), class: "add-folder-done" }, t("add.done", folderName)));
    } catch (err) { setStatus(status, errorText(err), "error"); }
  });
  return el("div", { class: "add-folder" }, button, " ", status, form);
}
