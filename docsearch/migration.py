"""A change of the documents' mapping without downtime: a new versioned index built in the background while the
archive is searched and loaded, then the alias switched to it at once (``docsearch index migrate``).

1. The new index is created beside the one the alias points at, with the current mapping.
2. The old index is *marked* (its mapping's ``_meta.migrating_to``). Every writer of documents goes through
   :func:`index_document`, :func:`update_document` or :func:`delete_document`, which, while the mark is there,
   copy the document as the alias now holds it into the new index (or remove it there). Writers see the mark
   within :data:`MARK_TTL` seconds; the copy starts after twice that.
3. ``_reindex`` copies every document the new index lacks (``op_type: create``: a document a writer has copied
   meanwhile is newer and stays), then the documents the new index holds but the old one no longer does (removed
   during the copy) are removed from it.
4. The alias moves from the old index to the new one in one request: a search sees one or the other, never
   neither, never both. The old index is kept (``--drop-old`` removes it) so a switch can be undone by hand.

Searches are never stopped; a write is never refused. The one window left: a writer that read a document through
the alias just before the switch and copies it just after may overwrite a newer write of the same document made
in those milliseconds (docs/operating.md).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from docsearch.engine import Engine, NotFound
from docsearch.schema import index_body, specs
from docsearch.settings import Settings

log = logging.getLogger(__name__)

MARK_TTL = 2.0  # seconds a writer trusts what it read of the mark
_marks: dict[str, tuple[float, str | None]] = {}


def copy_target(engine: Engine, alias: str) -> str | None:
    """The index a migration is building for ``alias``, or None (read at most every :data:`MARK_TTL` s)."""
    now = time.monotonic()
    seen = _marks.get(alias)
    if seen and now - seen[0] < MARK_TTL:
        return seen[1]
    try:
        mappings = engine.get_mapping(alias)
    except NotFound:
        target = None
    else:
        target = next((m["mappings"].get("_meta", {}).get("migrating_to") for m in mappings.values()
                       if m["mappings"].get("_meta", {}).get("migrating_to")), None)
    _marks[alias] = (now, target)
    return target


def _copy(engine: Engine, settings: Settings, id: str) -> None:
    """While a migration runs: the document ``id`` as the alias holds it now, into the index being built."""
    target = copy_target(engine, settings.documents_alias)
    if target is None:
        return
    doc = engine.get(settings.documents_alias, id)
    if doc is None:
        engine.delete(target, id)
    else:
        engine.index(target, id, doc)


def index_document(engine: Engine, settings: Settings, id: str, doc: dict, **params: Any) -> dict:
    """Index a document (whole) through the documents alias."""
    resp = engine.index(settings.documents_alias, id, doc, **params)
    _copy(engine, settings, id)
    return resp


def update_document(engine: Engine, settings: Settings, id: str, body: dict, **params: Any) -> dict:
    """Update a document (``doc`` or ``script``) through the documents alias."""
    resp = engine.update(settings.documents_alias, id, body, **params)
    _copy(engine, settings, id)
    return resp


def delete_document(engine: Engine, settings: Settings, id: str) -> None:
    """Remove a document through the documents alias."""
    engine.delete_by_query(settings.documents_alias, {"query": {"ids": {"values": [id]}}})
    _copy(engine, settings, id)


def _mark(engine: Engine, index: str, target: str | None) -> None:
    meta = dict(engine.get_mapping(index)[index]["mappings"].get("_meta") or {})
    meta.pop("migrating_to", None)
    if target:
        meta["migrating_to"] = target
    engine.put_mapping(index, {"_meta": meta})


def _removed_since(engine: Engine, old: str, new: str) -> int:
    """Remove from ``new`` the documents ``old`` no longer holds (removed while they were being copied)."""
    removed, after = 0, None
    while True:
        body: dict[str, Any] = {"size": 1000, "_source": False, "sort": [{"id": "asc"}], "query": {"match_all": {}}}
        if after:
            body["search_after"] = after
        hits = engine.search(new, body)["hits"]["hits"]
        if not hits:
            return removed
        there = engine.mget(old, [h["_id"] for h in hits])
        for hit in hits:
            if hit["_id"] not in there:
                removed += engine.delete(new, hit["_id"])
        after = hits[-1]["sort"]


def migrate(engine: Engine, settings: Settings, target: str | None = None, drop_old: bool = False,
            per_second: float | None = None, say: Callable[[str], None] = log.info) -> dict:
    """Build the documents' index again under ``target`` (default: the current version's name) and switch the
    alias to it; see the module's description. ``per_second`` caps the copy (documents a second), to leave the
    engine to searches and loads. Returns what was done."""
    alias = settings.documents_alias
    spec = next(s for s in specs(settings, kind=engine.kind) if s.alias == alias)
    target = target or spec.concrete
    sources = engine.alias_targets(alias)
    if sources == [target]:
        return {"alias": alias, "index": target, "state": "current"}
    if len(sources) != 1:
        raise RuntimeError(f"{alias} points at {sources or 'nothing'}: run `docsearch index ensure` first")
    old = sources[0]
    began = time.monotonic()
    body = index_body(spec, settings, engine.kind)
    body["aliases"] = {}
    if not engine.create_index(target, body):
        raise RuntimeError(f"{target} exists: remove it, or give another name")
    _mark(engine, old, target)
    say(f"{old} → {target}: writers copy what they write; copying the rest in {2 * MARK_TTL:.0f} s")
    time.sleep(2 * MARK_TTL + 0.5)
    try:
        say("copying")
        copied = engine.reindex({"source": {"index": old, "size": 50 if per_second is None else 1},
                                 "dest": {"index": target, "op_type": "create"}, "conflicts": "proceed"},
                                per_second=per_second)
        engine.refresh(target)
        removed = _removed_since(engine, old, target)
        say(f"copied {copied.get('created', 0)} documents ({copied.get('version_conflicts', 0)} already there), "
            f"{removed} removed meanwhile; switching {alias}")
        engine.update_aliases([{"remove": {"index": old, "alias": alias}}, {"add": {"index": target, "alias": alias}}])
    except BaseException:
        _mark(engine, old, None)
        raise
    _mark(engine, old, None)
    engine.refresh(target)
    if drop_old:
        engine.delete_index(old)
    return {"alias": alias, "from": old, "index": target, "state": "switched", "copied": copied.get("created", 0),
            "already": copied.get("version_conflicts", 0), "removed": removed, "old_kept": not drop_old,
            "seconds": round(time.monotonic() - began, 1)}
