"""Where a document came from: every load of its bytes, and which collection each was for.

A document is its bytes (its id is their sha256), loaded once or many times. Its ``collection`` is the
collection of its first load (its home), and the flat fields ``source_paths``, ``source_names``,
``batch_ids`` and ``file_ids`` hold the loads into that collection only: what its readers see and search
by name. Every load, into any collection, is also an entry of ``sources``
(``{collection, path, batch, file}``). The same bytes loaded into another collection add an entry there
and change nothing its home's readers see; :func:`shown` gives each caller the loads of the collections it
reads.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from docsearch.access import Caller

FLAT = ("source_paths", "source_names", "batch_ids", "file_ids")


def first_load(collection: str, path: str, batch: str, file: str) -> dict:
    """The source fields of a document indexed from its first load."""
    return {"collection": collection, "source_paths": [path], "source_names": [PurePath(path).name],
            "batch_ids": [batch], "file_ids": [file],
            "sources": [{"collection": collection, "path": path, "batch": batch, "file": file}]}


# One more load of a document's bytes: an entry of ``sources`` (once per file record); the flat fields only
# for a load into its home collection.
ADD_LOAD = """
if (ctx._source.sources == null) { ctx._source.sources = []; }
boolean known = false;
for (def s : ctx._source.sources) { if (s.file == params.file) { known = true; } }
if (!known) {
  ctx._source.sources.add(['collection': params.collection, 'path': params.path, 'batch': params.batch,
                           'file': params.file]);
}
if (params.collection == ctx._source.collection) {
  for (String key : ['source_paths', 'source_names', 'batch_ids', 'file_ids']) {
    if (ctx._source[key] == null) { ctx._source[key] = []; }
  }
  if (!ctx._source.source_paths.contains(params.path)) {
    ctx._source.source_paths.add(params.path); ctx._source.source_names.add(params.name);
  }
  if (!ctx._source.batch_ids.contains(params.batch)) { ctx._source.batch_ids.add(params.batch); }
  if (!ctx._source.file_ids.contains(params.file)) { ctx._source.file_ids.add(params.file); }
}
"""


def add_load(collection: str, path: str, batch: str, file: str) -> dict:
    """The engine update that records one more load of a document (:data:`ADD_LOAD`)."""
    params = {"collection": collection, "path": path, "name": PurePath(path).name, "batch": batch, "file": file}
    return {"script": {"lang": "painless", "source": ADD_LOAD, "params": params}}


def kept(old: dict, new: dict) -> dict:
    """The source fields of a document indexed again (``new``, from one of its loads): every load it had."""
    if not old:
        return {key: new[key] for key in (*FLAT, "collection", "sources") if key in new}
    out: dict[str, Any] = {"collection": old.get("collection") or new.get("collection")}
    home_load = new.get("collection") == out["collection"]
    for key in FLAT:
        out[key] = list(dict.fromkeys((old.get(key) or []) + (new.get(key, []) if home_load else [])))
    files = {s.get("file") for s in old.get("sources") or []}
    out["sources"] = list(old.get("sources") or []) + [s for s in new.get("sources") or [] if s["file"] not in files]
    return out


def collections(doc: dict) -> list[str]:
    """Every collection a document was loaded into, its home first."""
    home = doc.get("collection")
    found = [home] if home else []
    return list(dict.fromkeys(found + [s["collection"] for s in doc.get("sources") or [] if s.get("collection")]))


def visible_collections(doc: dict, caller: Caller) -> set[str] | None:
    """The collections whose loads of ``doc`` the caller may see (None: all): those it reads, and the home
    collection unless it reads only others (a public or sealed document read in none: the home's)."""
    if caller.is_admin:
        return None
    home = doc.get("collection") or ""
    readable = {c for c in collections(doc) if caller.can("read", c)}
    if home in readable or not readable:
        readable.add(home)
    return readable


def shown(doc: dict, caller: Caller) -> dict:
    """``doc`` with ``collection`` and the flat source fields as ``caller`` may see them
    (:func:`visible_collections`). ``sources`` is left out."""
    out = {key: value for key, value in doc.items() if key != "sources"}
    home = doc.get("collection")
    others = [s for s in doc.get("sources") or [] if s.get("collection") != home]
    allowed = visible_collections(doc, caller)
    visible = others if allowed is None else [s for s in others if (s.get("collection") or "") in allowed]
    if allowed is not None and home and home not in allowed:
        out["collection"] = visible[0]["collection"]
        for key in FLAT:
            out[key] = []
    for load in visible:
        path = load.get("path") or ""
        for key, value in zip(FLAT, (path, PurePath(path).name, load.get("batch"), load.get("file"))):
            if value and value not in out.setdefault(key, []):
                out[key] = list(out[key]) + [value]
    return out
