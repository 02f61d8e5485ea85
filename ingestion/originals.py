"""Stored originals nothing needs are removed from the file store.

An original is needed while a document is its bytes, or a file record may still read it: queued,
processing, indexed, duplicate, or failed for a reason a retry can fix (``states.UNRETRYABLE`` are the
others). A file that fails for its bytes (empty, not a PDF, encrypted, past the quota...) leaves nothing
in the store, unless the same bytes are needed by another record.

File records are found by search: a record written in the last second may not be seen yet, so an original
stored at that moment by another load of the same bytes can be removed under it (that file then fails
``missing_file``, and loading it again fixes it).
"""

from __future__ import annotations

from collections.abc import Iterable

from docsearch.engine import Engine
from docsearch.settings import Settings
from docsearch.store import FileStore
from ingestion.states import UNRETRYABLE, Status


def needed(engine: Engine, settings: Settings, sha256: str, besides: Iterable[str] = ()) -> bool:
    """Whether a document is these bytes, or a file record other than those in ``besides`` may read them."""
    if engine.get(settings.documents_alias, sha256, _source_includes=["id"]) is not None:
        return True
    query = {"bool": {
        "filter": [{"term": {"sha256": sha256}}],
        "must_not": [{"ids": {"values": list(besides)}},
                     {"bool": {"filter": [{"term": {"status": Status.FAILED}},
                                          {"terms": {"reason": sorted(UNRETRYABLE)}}]}}],
    }}
    return engine.count(settings.files_alias, {"query": query}) > 0


def release(engine: Engine, settings: Settings, store: FileStore, sha256: str | None,
            besides: Iterable[str] = ()) -> bool:
    """Remove the original ``sha256`` unless something besides the records ``besides`` needs it; True if removed."""
    if not sha256 or needed(engine, settings, sha256, besides):
        return False
    return store.discard(sha256)
