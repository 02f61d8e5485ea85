"""Durable batch state, kept in the engine (never only in Redis).

A batch is one load (an upload, a CLI call). Each file given to us gets a
record ``<batch_id>-<seq>`` that ends as ``indexed``, ``duplicate`` or
``failed`` with a reason code and a message a person can read.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from docsearch.engine import Engine
from docsearch.settings import Settings

STATES = ("queued", "processing", "indexed", "duplicate", "failed")
FINAL = ("indexed", "duplicate", "failed")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def new_batch_id() -> str:
    return uuid.uuid4().hex


class BatchStore:
    def __init__(self, engine: Engine, settings: Settings):
        self.engine = engine
        self.batches = settings.batches_alias
        self.files = settings.files_alias

    # -- writing -------------------------------------------------------------
    def create(self, batch_id: str, file_records: list[dict], collection: str, doc_type: str | None, origin: str) -> None:
        """Write the batch and all its file records at once (one bulk request)."""
        created = now()
        ops: list[dict] = [
            {"index": {"_index": self.batches, "_id": batch_id}},
            {
                "id": batch_id,
                "created_at": created,
                "collection": collection,
                "doc_type": doc_type,
                "origin": origin,
                "file_count": len(file_records),
            },
        ]
        for record in file_records:
            record.setdefault("queued_at", created)
            record.setdefault("updated_at", created)
            record.setdefault("attempts", 0)
            ops += [{"index": {"_index": self.files, "_id": record["id"]}}, record]
        # Chunk big batches so one request stays small.
        for start in range(0, len(ops), 2000):
            self.engine.bulk(ops[start : start + 2000], refresh="wait_for")

    def mark(self, file_id: str, status: str, *, reason: str | None = None, message: str | None = None,
             document_id: str | None = None, pages: int | None = None, attempt: bool = False) -> None:
        fields: dict = {"status": status, "updated_at": now(), "reason": reason, "message": message}
        if document_id is not None:
            fields["document_id"] = document_id
        if pages is not None:
            fields["pages"] = pages
        body: dict = {"doc": fields}
        if attempt:
            body = {
                "script": {
                    "lang": "painless",
                    "source": "ctx._source.putAll(params.f); ctx._source.attempts = "
                    "(ctx._source.attempts == null ? 0 : ctx._source.attempts) + 1",
                    "params": {"f": fields},
                }
            }
        self.engine.update(self.files, file_id, body, refresh="wait_for", retry_on_conflict=3)

    # -- reading -------------------------------------------------------------
    def file(self, file_id: str) -> dict | None:
        return self.engine.get(self.files, file_id)

    def batch(self, batch_id: str) -> dict | None:
        return self.engine.get(self.batches, batch_id)

    def summary(self, batch_id: str, include_files: bool = True, max_files: int = 10000) -> dict | None:
        """The batch with counts by state, pages done, and its files in order."""
        batch = self.batch(batch_id)
        if batch is None:
            return None
        body = {
            "size": max_files if include_files else 0,
            "query": {"term": {"batch_id": batch_id}},
            "sort": [{"seq": "asc"}],
            "track_total_hits": True,
            "aggs": {"states": {"terms": {"field": "status", "size": len(STATES)}}, "pages": {"sum": {"field": "pages"}}},
        }
        resp = self.engine.search(self.files, body)
        counts = {state: 0 for state in STATES}
        for bucket in resp["aggregations"]["states"]["buckets"]:
            counts[bucket["key"]] = bucket["doc_count"]
        pending = counts["queued"] + counts["processing"]
        state = "done" if pending == 0 else ("queued" if counts["queued"] == batch["file_count"] else "running")
        out = {
            "id": batch_id,
            "state": state,
            "created_at": batch["created_at"],
            "collection": batch.get("collection"),
            "doc_type": batch.get("doc_type"),
            "origin": batch.get("origin"),
            "total": batch["file_count"],
            "counts": counts,
            "pages_done": int(resp["aggregations"]["pages"]["value"] or 0),
        }
        if include_files:
            out["files"] = [_public_file(hit["_source"]) for hit in resp["hits"]["hits"]]
        return out

    def recent(self, limit: int = 20) -> list[dict]:
        resp = self.engine.search(self.batches, {"size": limit, "sort": [{"created_at": "desc"}]})
        out = []
        for hit in resp["hits"]["hits"]:
            summary = self.summary(hit["_id"], include_files=False)
            if summary:
                out.append(summary)
        return out


def _public_file(record: dict) -> dict:
    return {
        "name": record["name"],
        "status": record["status"],
        "reason": record.get("reason"),
        "message": record.get("message"),
        "document_id": record.get("document_id"),
        "sha256": record.get("sha256"),
        "size": record.get("size"),
        "pages": record.get("pages"),
        "updated_at": record.get("updated_at"),
    }
