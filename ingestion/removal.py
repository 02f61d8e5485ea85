"""Deleting a document for good: the document (its pages are inside it), its original in the file store, and
the file records of every load of its bytes.

The batches those records belonged to count that many files fewer, so their progress still adds up. A load
of the same bytes still in progress when the document is deleted may index it again: delete once its loads
are done.
"""

from __future__ import annotations

from dataclasses import dataclass

from docsearch import migration
from docsearch.engine import Engine, NotFound
from docsearch.settings import Settings
from docsearch.store import FileStore

_FEWER_FILES = "ctx._source.file_count = Math.max(0, ctx._source.file_count - params.n)"


@dataclass(frozen=True)
class Deleted:
    id: str
    files: int  # file records removed
    batches: dict[str, int]  # batch id -> its records removed
    original: bool  # the stored original was removed (False: it was not in the store)


def delete_document(engine: Engine, settings: Settings, doc_id: str) -> Deleted | None:
    """Remove the document ``doc_id``, its original and its file records; None when there is no such document."""
    if engine.get(settings.documents_alias, doc_id, _source_includes=["id"]) is None:
        return None
    migration.delete_document(engine, settings, doc_id)
    engine.refresh(settings.files_alias)  # records written in the last second are found too
    of_document = {"bool": {"minimum_should_match": 1, "should": [{"term": {"document_id": doc_id}},
                                                                  {"term": {"sha256": doc_id}}]}}
    resp = engine.search(settings.files_alias, {"size": 0, "query": of_document, "track_total_hits": True,
                                                "aggs": {"batches": {"terms": {"field": "batch_id", "size": 10_000}}}})
    batches = {b["key"]: b["doc_count"] for b in resp["aggregations"]["batches"]["buckets"]}
    removed = engine.delete_by_query(settings.files_alias, {"query": of_document})
    for batch_id, n in batches.items():
        try:
            engine.update(settings.batches_alias, batch_id, {"script": {"source": _FEWER_FILES, "params": {"n": n}}},
                          retry_on_conflict=5)
        except NotFound:  # a record whose batch is gone: nothing to count
            pass
    original = FileStore.of(settings).discard(doc_id)
    return Deleted(doc_id, int(removed.get("deleted", 0)), batches, original)
