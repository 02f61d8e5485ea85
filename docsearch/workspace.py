"""What the working tools share (case folders: docsearch/folders.py; stars, tags and notes:
docsearch/annotations.py; batch search: docsearch/batchsearch.py): their error, their ids and times, and the
documents they show, read through the caller's access rule.

Invariant: a document appears in a folder, a list of marks or an export only when the caller may read it at
that moment (:meth:`SearchService.readable`), and is counted only then; a document the caller may not read is
told the same way as one that does not exist.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from docsearch.search import SearchService
from docsearch.search.reads import RESULTS, result_source

SHOWN = ("title", "collection", "doc_type", "institution", "year", "page_count")
"""What a folder, a list of marks and a spreadsheet show of a document."""


class WorkspaceError(ValueError):
    """A request the user can fix; ``code``: ``not_found`` (also: what the caller may not see), ``forbidden``
    (seen, but not theirs to change), ``invalid`` or ``limit``."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def make_id(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def one_line(text: str | None, limit: int, what: str, required: bool = True) -> str:
    """``text`` with its spaces collapsed, checked to be 1 (or 0 when not ``required``) to ``limit`` characters."""
    clean = " ".join((text or "").split())
    if (required and not clean) or len(clean) > limit:
        raise WorkspaceError("invalid", f"{what}: {1 if required else 0} to {limit} characters.")
    return clean


def documents(service: SearchService, ids: list[str]) -> dict[str, dict]:
    """What :data:`SHOWN` says of each of ``ids`` the caller may read now (the others are left out)."""
    readable = sorted(service.readable(sorted(set(ids))))
    if not readable:
        return {}
    # Read from doc values, as results are: a document's source holds its passages' vectors.
    hits = service.engine.search(service.settings.documents_alias, {
        "size": len(readable), **RESULTS, "query": {"ids": {"values": readable}}})["hits"]["hits"]
    return {hit["_id"]: {k: result_source(hit).get(k) for k in SHOWN} for hit in hits}


def may_read(service: SearchService, doc_id: str) -> None:
    """Raise ``not_found`` unless the caller may read document ``doc_id``."""
    if len(doc_id) != 64 or not service.readable([doc_id]):
        raise WorkspaceError("not_found", f"No document {doc_id}.")


def link(public_url: str, doc_id: str) -> str:
    """A document's address in the web interface."""
    return f"{public_url.rstrip('/')}/#/doc/{doc_id}"


def cell(value: object) -> str:
    """A spreadsheet cell: text a spreadsheet would take for a formula (=, +, -, @) is kept as text."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
