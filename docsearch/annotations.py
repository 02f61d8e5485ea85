"""A user's own stars, tags and notes on documents and on their pages ("marks"): private to that user.

A **mark** is what one user put on one document (``page`` absent) or on one of its pages: a star, tags (short
labels) and a note. Its id comes from (user, document, page), so setting it again changes it; a mark left
with no star, no tag and no note is deleted.

Invariants: a user marks only a document they may read; their lists (starred documents, documents with a tag,
a document's notes) show only documents they may read now; no one reads or changes another user's marks.
Every change is recorded in the audit trail (``annotate``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docsearch.access import Caller
from docsearch.audit import Action, Audit
from docsearch.engine import Engine
from docsearch.schema import workspace_alias
from docsearch.search import SearchService
from docsearch.settings import Settings
from docsearch.workspace import WorkspaceError, documents, make_id, may_read, now, one_line

MAX_TAGS = 20  # on one mark
MAX_TAG = 50  # characters of a tag
MAX_NOTE = 4000
MAX_MARKS = 5000  # a user's marks read at once (lists and tag counts)


@dataclass
class Annotations:
    """The marks of ``caller``."""

    engine: Engine
    settings: Settings
    caller: Caller

    @property
    def index(self) -> str:
        return workspace_alias(self.settings)

    @property
    def service(self) -> SearchService:
        return SearchService(self.engine, self.settings, caller=self.caller)

    def _mine(self, *filters: dict) -> list[dict]:
        hits = self.engine.search(self.index, {"size": MAX_MARKS, "sort": [{"updated_at": "desc"}], "query": {"bool": {
            "filter": [{"term": {"kind": "mark"}}, {"term": {"owner": self.caller.user}}, *filters]}}})
        return [hit["_source"] for hit in hits["hits"]["hits"]]

    def of(self, doc_id: str) -> list[dict]:
        """The caller's marks on one document they may read: the document's first, then by page."""
        may_read(self.service, doc_id)
        marks = self._mine({"term": {"document_id": doc_id}})
        return sorted((_shown(m) for m in marks), key=lambda m: m["page"] or 0)

    def set(self, doc_id: str, page: int | None = None, *, starred: bool | None = None,
            tags: list[str] | None = None, note: str | None = None) -> dict:
        """Change the star, tags or note (those given) of the caller's mark on a document or one of its pages."""
        may_read(self.service, doc_id)
        if page is not None and page < 1:
            raise WorkspaceError("invalid", "page starts at 1.")
        id = make_id("mark", self.caller.user, doc_id, str(page or 0))
        record = self.engine.get(self.index, id) or {
            "kind": "mark", "id": id, "owner": self.caller.user, "document_id": doc_id, "page": page,
            "starred": False, "tags": [], "note": "", "created_at": now()}
        change: dict[str, Any] = {}
        if starred is not None:
            change["starred"] = starred
        if tags is not None:
            change["tags"] = _tags(tags)
        if note is not None:
            if len(note) > MAX_NOTE:
                raise WorkspaceError("invalid", f"A note holds at most {MAX_NOTE} characters.")
            change["note"] = note.strip()
        record = {**record, **change, "updated_at": now()}
        if not (record["starred"] or record["tags"] or record["note"]):
            self.engine.delete(self.index, id, refresh="wait_for")
        else:
            self.engine.index(self.index, id, record, refresh="wait_for")
        Audit(self.engine, self.settings).record(self.caller.user, Action.ANNOTATE, doc_id, details={
            "page": page, **{k: v for k, v in change.items() if k != "note"},
            **({"note_chars": len(change["note"])} if "note" in change else {})})
        return _shown(record)

    def listed(self, starred: bool | None = None, tag: str | None = None, size: int = 100) -> list[dict]:
        """The caller's marks (starred ones, or those with ``tag``) on documents they may read now, newest
        change first, each with what the document is."""
        filters: list[dict] = []
        if starred is not None:
            filters.append({"term": {"starred": starred}})
        if tag:
            filters.append({"term": {"tags": tag.strip()}})
        marks = self._mine(*filters)
        shown = documents(self.service, [m["document_id"] for m in marks])
        return [{**_shown(m), "document": shown[m["document_id"]]} for m in marks if m["document_id"] in shown][:size]

    def tags(self) -> list[dict]:
        """The caller's tags, with how many readable documents carry each, the most used first."""
        marks = self._mine({"exists": {"field": "tags"}})
        readable = self.service.readable(sorted({m["document_id"] for m in marks}))
        counts: dict[str, set[str]] = {}
        for mark in marks:
            if mark["document_id"] in readable:
                for tag in mark.get("tags") or []:
                    counts.setdefault(tag, set()).add(mark["document_id"])
        return [{"tag": t, "count": len(d)} for t, d in sorted(counts.items(), key=lambda kv: (-len(kv[1]), kv[0]))]


def _tags(tags: list[str]) -> list[str]:
    out: dict[str, str] = {}
    for tag in tags:
        clean = one_line(tag, MAX_TAG, "A tag", required=False)
        if clean:
            out.setdefault(clean.casefold(), clean)
    if len(out) > MAX_TAGS:
        raise WorkspaceError("invalid", f"At most {MAX_TAGS} tags on one document or page.")
    return list(out.values())


def _shown(mark: dict) -> dict:
    return {"document_id": mark["document_id"], "page": mark.get("page"), "starred": bool(mark.get("starred")),
            "tags": list(mark.get("tags") or []), "note": mark.get("note") or "", "updated_at": mark.get("updated_at")}
