"""Durable batch state, kept in the engine (never only in Redis).

A batch is one load (an upload, a CLI call, a server-side import). Each file
given to us gets a record ``<batch_id>-<seq>`` that ends as ``indexed``,
``duplicate`` or ``failed`` with a reason code and a message a person can read.

A worker *claims* a record before working on it: an optimistic write (sequence
number check) sets it ``processing`` with a lease. A second delivery of the same
message finds the lease held and leaves; a record whose lease ran out (its
worker died) can be claimed again, up to ``MAX_ATTEMPTS``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from docsearch.engine import Conflict, Engine
from docsearch.settings import Settings
from ingestion.records import BatchRecord, FileRecord
from ingestion.states import FINAL, PENDING, UNRETRYABLE, BatchState, Mode, NotClaimed, Reason, Status

MAX_ATTEMPTS = 3


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def now() -> str:
    return stamp(utcnow())


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def new_batch_id() -> str:
    return uuid.uuid4().hex


@dataclass
class Claim:
    """The outcome of trying to claim a file record."""

    record: FileRecord | None  # the claimed record (status processing), or None
    why_not: NotClaimed | None = None


class BatchStore:
    def __init__(self, engine: Engine, settings: Settings):
        self.engine = engine
        self.settings = settings
        self.batches = settings.batches_alias
        self.files = settings.files_alias

    # -- writing -------------------------------------------------------------
    def create(self, batch_id: str, file_records: list[FileRecord], collection: str, doc_type: str | None,
               origin: str, uploader: str | None = None, name: str | None = None) -> None:
        """Write the batch and all its file records (bulk requests of 1,000 files)."""
        created = now()
        batch = BatchRecord(batch_id, created, collection, origin, len(file_records), doc_type, uploader, name)
        self.engine.index(self.batches, batch_id, batch.to_doc())
        for start in range(0, len(file_records), 1000):
            ops: list[dict] = []
            for record in file_records[start : start + 1000]:
                record.queued_at = record.queued_at or created
                record.updated_at = record.updated_at or created
                if record.final:
                    record.finished_at = record.finished_at or created
                ops += [{"index": {"_index": self.files, "_id": record.id}}, record.to_doc()]
            self.engine.bulk(ops)

    def claim(self, file_id: str, lease_s: float, holder: str | None = None) -> Claim:
        """Take a queued record (or one whose lease expired) for processing.

        ``holder`` names the message (the Celery task id, the same across its retries): a retry of the
        message that holds the lease may take it again; another message may not.
        """
        found = self.engine.get_versioned(self.files, file_id)
        if found is None:
            return Claim(None, NotClaimed.MISSING)
        doc, version = found
        record = FileRecord.from_doc(doc)
        if record.final:
            return Claim(None, NotClaimed.FINAL)
        moment = utcnow()
        lease = parse(record.lease_until)
        processing = record.status == Status.PROCESSING
        if processing and lease and lease > moment and (holder is None or record.holder != holder):
            return Claim(None, NotClaimed.HELD)
        # A retry of the same message (after an outage) is the same attempt; another delivery is a new one.
        retrying = holder is not None and processing and record.holder == holder
        if not retrying and record.attempts >= MAX_ATTEMPTS:
            return Claim(record, NotClaimed.EXHAUSTED)
        record.status = Status.PROCESSING
        record.attempts += 0 if retrying else 1
        record.lease_until = stamp(moment + timedelta(seconds=lease_s))
        record.holder = holder
        record.started_at = record.started_at or stamp(moment)
        record.updated_at = stamp(moment)
        record.reason = record.message = None
        try:
            self.engine.index(self.files, file_id, record.to_doc(), **version)
        except Conflict:
            return Claim(None, NotClaimed.LOST_RACE)
        return Claim(record)

    def extend(self, file_id: str, lease_s: float, **fields) -> None:
        """Push a processing record's lease forward (long OCR), with progress fields."""
        moment = utcnow()
        doc = {"lease_until": stamp(moment + timedelta(seconds=lease_s)), "updated_at": stamp(moment), **fields}
        self.engine.update(self.files, file_id, {"doc": doc}, retry_on_conflict=5)

    def release(self, file_id: str) -> None:
        """A processing record whose worker is gone goes back to queued (its attempts still count)."""
        self.engine.update(self.files, file_id, {"doc": {"status": Status.QUEUED, "lease_until": None, "stage": None,
                                                         "updated_at": now()}},
                           refresh="wait_for", retry_on_conflict=5)

    def mark(self, file_id: str, status: Status, *, reason: Reason | None = None, message: str | None = None,
             document_id: str | None = None, pages: int | None = None, **fields) -> None:
        moment = now()
        doc: dict = {"status": status, "updated_at": moment, "reason": reason, "message": message,
                     "lease_until": None, **fields}
        if status in FINAL:
            doc["finished_at"] = moment
        if document_id is not None:
            doc["document_id"] = document_id
        if pages is not None:
            doc["pages"] = pages
        self.engine.update(self.files, file_id, {"doc": doc}, retry_on_conflict=5)

    def requeue(self, batch_id: str, status: Status, mode: Mode, reasons: list[str] | None = None) -> list[str]:
        """Set the batch's records in ``status`` (with one of ``reasons``) back to ``queued`` with ``mode``
        (``ocr``: only those that had OCR'd pages); returns their ids. Files failed for their bytes
        (``UNRETRYABLE``) stay as they are."""
        query: dict = {"bool": {"filter": [{"term": {"batch_id": batch_id}}, {"term": {"status": status}}],
                                "must_not": [{"terms": {"reason": sorted(UNRETRYABLE)}}]}}
        if reasons:
            query["bool"]["filter"].append({"terms": {"reason": reasons}})
        if mode == Mode.OCR:
            query["bool"]["filter"].append({"range": {"ocr_pages": {"gt": 0}}})
        ids = self._ids(query)
        moment = now()
        for start in range(0, len(ids), 1000):
            ops: list[dict] = []
            for file_id in ids[start : start + 1000]:
                ops += [{"update": {"_index": self.files, "_id": file_id}},
                        {"doc": {"status": Status.QUEUED, "mode": mode, "reason": None, "message": None, "attempts": 0,
                                 "lease_until": None, "queued_at": moment, "updated_at": moment,
                                 "started_at": None, "finished_at": None}}]
            self.engine.bulk(ops, refresh="wait_for")
        return ids

    # -- reading -------------------------------------------------------------
    def _ids(self, query: dict) -> list[str]:
        ids, after = [], None
        while True:
            body: dict = {"size": 1000, "query": query, "_source": False, "sort": [{"id": "asc"}]}
            if after:
                body["search_after"] = after
            hits = self.engine.search(self.files, body)["hits"]["hits"]
            if not hits:
                return ids
            ids += [hit["_id"] for hit in hits]
            after = hits[-1]["sort"]

    def file(self, file_id: str) -> FileRecord | None:
        doc = self.engine.get(self.files, file_id)
        return None if doc is None else FileRecord.from_doc(doc)

    def batch(self, batch_id: str) -> BatchRecord | None:
        doc = self.engine.get(self.batches, batch_id)
        return None if doc is None else BatchRecord.from_doc(doc)

    def pending(self, older_than: datetime, limit: int = 1000) -> list[FileRecord]:
        """Records still queued or processing whose last change is older than ``older_than``."""
        body = {
            "size": limit,
            "query": {"bool": {"filter": [{"terms": {"status": list(PENDING)}},
                                          {"range": {"updated_at": {"lt": stamp(older_than)}}}]}},
            "sort": [{"updated_at": "asc"}],
        }
        return [FileRecord.from_doc(hit["_source"]) for hit in self.engine.search(self.files, body)["hits"]["hits"]]

    def summary(self, batch_id: str, include_files: bool = True, status: Status | None = None,
                offset: int = 0, limit: int = 1000) -> dict | None:
        """Counts by state, pages done, rate and ETA, and (a page of) its files in order."""
        batch = self.batch(batch_id)
        if batch is None:
            return None
        files_query: dict = {"bool": {"filter": [{"term": {"batch_id": batch_id}}]}}
        if status:
            files_query["bool"]["filter"].append({"term": {"status": status}})
        body = {
            "size": limit if include_files else 0,
            "from": offset,
            "query": files_query,
            "sort": [{"seq": "asc"}],
            "track_total_hits": True,
            "aggs": {
                "all": {
                    "filter": {"term": {"batch_id": batch_id}},
                    "aggs": {
                        "states": {"terms": {"field": "status", "size": len(Status)}},
                        "reasons": {"terms": {"field": "reason", "size": 50}},
                        "pages": {"sum": {"field": "pages"}},
                        "ocr_pages": {"sum": {"field": "ocr_pages"}},
                        "started": {"min": {"field": "started_at"}},
                        "finished": {"max": {"field": "finished_at"}},
                        "queued": {"filter": {"term": {"status": Status.QUEUED}},
                                   "aggs": {"since": {"min": {"field": "queued_at"}}}},
                    },
                }
            },
        }
        resp = self.engine.search(self.files, body)
        aggs = resp["aggregations"]["all"]
        counts = {state.value: 0 for state in Status}  # plain str keys: orjson writes no other
        for bucket in aggs["states"]["buckets"]:
            counts[Status(bucket["key"]).value] = bucket["doc_count"]
        total = batch.file_count
        # The batch record is read in real time, its file records through search (visible after the
        # next refresh): files not visible yet are counted as queued, never as done.
        counts[Status.QUEUED] += max(0, total - sum(counts.values()))
        pending = sum(counts[state] for state in PENDING)
        done = total - pending
        if pending == 0:
            state = BatchState.DONE
        elif counts[Status.QUEUED] == total:
            state = BatchState.QUEUED
        else:
            state = BatchState.RUNNING
        out = {
            "id": batch_id,
            "name": batch.name,
            "state": state,
            "created_at": batch.created_at,
            "collection": batch.collection,
            "doc_type": batch.doc_type,
            "origin": batch.origin,
            "uploader": batch.uploader,
            "total": total,
            "counts": counts,
            "reasons": {b["key"]: b["doc_count"] for b in aggs["reasons"]["buckets"]},
            "pages_done": int(aggs["pages"]["value"] or 0),
            "ocr_pages_done": int(aggs["ocr_pages"]["value"] or 0),
            **_rate(aggs, state, done, pending, int(aggs["pages"]["value"] or 0)),
            "queue": None,
        }
        if state == BatchState.QUEUED:
            since = aggs["queued"]["since"].get("value_as_string") or batch.created_at
            out["queue"] = self.ahead_of(batch_id, since)
        if include_files:
            out["files_matching"] = resp["hits"]["total"]["value"]
            out["files"] = [_public_file(FileRecord.from_doc(hit["_source"])) for hit in resp["hits"]["hits"]]
        return out

    def ahead_of(self, batch_id: str, since: str) -> dict:
        """Where a batch none of whose files has started stands in the queue: the files of other batches still
        waiting or being worked on that were queued before its own (``since``: when its first file was queued),
        and how many batches they belong to. Workers take files in the order they were queued, so
        ``position`` 1 is next: nothing queued before it is left."""
        body = {
            "size": 0,
            "track_total_hits": True,
            "query": {"bool": {"filter": [{"terms": {"status": list(PENDING)}},
                                          {"range": {"queued_at": {"lt": since}}}],
                               "must_not": [{"term": {"batch_id": batch_id}}]}},
            "aggs": {"batches": {"cardinality": {"field": "batch_id", "precision_threshold": 1000}},
                     "processing": {"filter": {"term": {"status": Status.PROCESSING}}}},
        }
        resp = self.engine.search(self.files, body)
        ahead = int(resp["aggregations"]["batches"]["value"] or 0)
        return {"position": ahead + 1, "batches_ahead": ahead, "files_ahead": resp["hits"]["total"]["value"],
                "files_processing": resp["aggregations"]["processing"]["doc_count"]}

    def recent(self, limit: int = 20, where: dict | None = None) -> list[dict]:
        """The newest batches (``where``: an engine clause over the batches index, such as who may see them)."""
        body = {"size": limit, "sort": [{"created_at": "desc"}], "query": where or {"match_all": {}}}
        resp = self.engine.search(self.batches, body)
        out = []
        for hit in resp["hits"]["hits"]:
            summary = self.summary(hit["_id"], include_files=False)
            if summary:
                out.append(summary)
        return out


def _rate(aggs: dict, state: BatchState, done: int, pending: int, pages: int) -> dict:
    """Pages and files per second since the first file started, and the time left at that pace."""
    started = aggs["started"].get("value_as_string")
    finished = aggs["finished"].get("value_as_string")
    if not started:
        return {"elapsed_s": None, "pages_per_s": None, "files_per_s": None, "eta_s": None}
    end = parse(finished) if state == BatchState.DONE and finished else utcnow()
    # A small batch can finish within a few hundredths of a second: kept to the millisecond, not rounded to 0.
    elapsed = max((end - parse(started)).total_seconds(), 0.001)
    files_per_s = round(done / elapsed, 3)
    # No estimate while nothing moves: waiting for a worker (a retried batch is queued again), or a pace that
    # rounds to nothing, would give a time left that only grows.
    if not pending:
        eta: float | None = 0.0
    elif state != BatchState.RUNNING or files_per_s <= 0:
        eta = None
    else:
        eta = round(pending / files_per_s, 1)
    return {"elapsed_s": round(elapsed, 3), "pages_per_s": round(pages / elapsed, 2),
            "files_per_s": files_per_s, "eta_s": eta}


def _public_file(record: FileRecord) -> dict:
    return {key: getattr(record, key) for key in PUBLIC_FILE_FIELDS}


# What the batch API shows of a file record (its lease and timing fields stay inside).
PUBLIC_FILE_FIELDS = ("name", "status", "reason", "message", "note", "document_id", "sha256", "size", "pages",
                      "ocr_pages", "attempts", "updated_at", "doc_type")
