"""The chain of custody of the originals: where each came from, and whether the store still holds it unchanged.

Invariants this module checks, and the words it uses for a break of each (docs/custody.md):

- an original is stored at ``FileStore.path_for(sha256)`` and its bytes hash to that sha256, which is also
  the id of its document: a stored file whose bytes hash to something else is **modified**;
- every indexed document's original is in the store: one that is not is **missing**;
- every stored original is known to the index (a document) or to a file record (a load, maybe one that
  failed): any other file under the store's ``objects/`` is an **orphan**.

:func:`provenance` says where a document's bytes came from: every load of them (a file record, with its
batch), as the caller may see them (:func:`docsearch.sources.shown`'s rule: the loads into collections it
reads). :func:`verify_store` re-hashes every original, a file at a time and the index a page at a time, so a
store of any size is checked in constant memory; a finding seen while ingestion or a deletion runs beside
it is looked at again at the end, and kept only when it still holds.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from docsearch.access import Caller
from docsearch.engine import Engine
from docsearch.settings import Settings
from docsearch.sources import visible_collections
from docsearch.store import CHUNK, FileStore

SHA256 = re.compile(r"^[0-9a-f]{64}$")
PAGE = 1000  # documents read per request, and stored files looked up per request
MAX_LOADS = 1000  # loads of one document's bytes listed
MAX_FINDINGS = 10_000  # findings listed by one verification (all are counted)
KINDS = ("modified", "missing", "orphan")


def sha256_of(path: Path) -> tuple[str, int]:
    """The sha256 and size of a file, read a chunk at a time."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# -- provenance ------------------------------------------------------------------------------------------

def provenance(engine: Engine, settings: Settings, doc_id: str, caller: Caller) -> dict | None:
    """Where the bytes of document ``doc_id`` came from: its sha256 and size, when it was indexed, and every
    load of them the caller may see (``{file, batch, collection, name, uploader, origin, loaded_at,
    finished_at, status}``, oldest first; ``uploader`` None: loaded by server tooling). None when there is no
    such document (the caller's right to read it is the caller's business: check it first)."""
    doc = engine.get(settings.documents_alias, doc_id, _source_includes=[
        "id", "collection", "file_size", "ingested_at", "sources", "batch_ids", "file_ids", "source_paths"])
    if doc is None:
        return None
    files = engine.search(settings.files_alias, {
        "size": MAX_LOADS, "query": {"term": {"sha256": doc_id}}, "sort": [{"queued_at": {"order": "asc",
                                                                                         "missing": "_last"}}],
        "_source": ["id", "batch_id", "name", "size", "status", "uploader", "queued_at", "finished_at"]})["hits"]
    records = {h["_source"]["id"]: h["_source"] for h in files["hits"]}
    # A load recorded on the document but whose file record is gone (older tooling, a removed batch) still counts.
    sources = list(doc.get("sources") or [])
    if not sources:
        sources = [{"collection": doc.get("collection"), "file": f, "batch": b, "path": p}
                   for f, b, p in zip(doc.get("file_ids") or [], doc.get("batch_ids") or [],
                                      doc.get("source_paths") or [])]
    by_file = {s.get("file"): s for s in sources if s.get("file")}
    batch_ids = {r.get("batch_id") for r in records.values()} | {s.get("batch") for s in sources}
    batches = engine.mget(settings.batches_alias, sorted(b for b in batch_ids if b))
    allowed = visible_collections(doc, caller)
    loads = []
    for file_id in list(records) + [f for f in by_file if f not in records]:
        record, source = records.get(file_id, {}), by_file.get(file_id, {})
        batch_id = record.get("batch_id") or source.get("batch")
        batch = batches.get(batch_id or "", {})
        collection = batch.get("collection") or source.get("collection")
        if allowed is not None and collection not in allowed:
            continue
        loads.append({"file": file_id, "batch": batch_id, "collection": collection,
                      "name": record.get("name") or source.get("path"),
                      "uploader": record.get("uploader") or batch.get("uploader"), "origin": batch.get("origin"),
                      "loaded_at": record.get("queued_at") or batch.get("created_at"),
                      "finished_at": record.get("finished_at"), "status": record.get("status")})
    loads.sort(key=lambda load: load["loaded_at"] or "")
    return {"sha256": doc_id, "size": doc.get("file_size"), "ingested_at": doc.get("ingested_at"),
            "loads": loads}


# -- verification ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """One break of the chain: ``modified`` (``actual``: what the bytes hash to now), ``missing`` or ``orphan``."""

    kind: str
    sha256: str  # the name it is stored under (for an orphan not named by a sha256: that name)
    path: str  # under the store's root
    detail: str = ""
    actual: str | None = None


@dataclass
class Progress:
    phase: str  # "index" (each document's original is there) or "store" (each stored file re-hashed)
    done: int
    total: int | None
    bytes: int = 0
    total_bytes: int | None = None


@dataclass
class Report:
    started_at: str
    finished_at: str = ""
    seconds: float = 0.0
    documents: int = 0  # indexed documents checked
    files: int = 0  # stored originals re-hashed
    bytes: int = 0  # bytes re-hashed
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    findings: list[Finding] = field(default_factory=list)  # the first MAX_FINDINGS

    @property
    def ok(self) -> bool:
        return not any(self.counts.values())

    def add(self, finding: Finding) -> None:
        self.counts[finding.kind] += 1
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(finding)

    def as_dict(self) -> dict:
        return {"ok": self.ok, "started_at": self.started_at, "finished_at": self.finished_at,
                "seconds": self.seconds, "documents": self.documents, "files": self.files, "bytes": self.bytes,
                "counts": dict(self.counts), "findings": [asdict(f) for f in self.findings],
                "listed": len(self.findings), "complete_list": sum(self.counts.values()) == len(self.findings)}

    def summary(self) -> dict:
        """What the audit trail keeps of a run: the counts and the first findings."""
        return {"ok": self.ok, "documents": self.documents, "files": self.files, "bytes": self.bytes,
                "seconds": self.seconds, **{k: v for k, v in self.counts.items()},
                "findings": [f"{f.kind} {f.sha256}" for f in self.findings[:50]]}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def stored_files(store: FileStore) -> Iterator[Path]:
    """Every file under the store's ``objects/``, folder by folder (never the whole listing at once)."""
    top = store.root / "objects"
    if not top.is_dir():
        return
    stack = [top]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            children = sorted(entries, key=lambda e: e.name)
        for entry in reversed(children):
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
        for entry in children:
            if not entry.is_dir(follow_symlinks=False):
                yield Path(entry.path)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Verifier:
    """One run of :func:`verify_store` (its lookups of the index, a chunk of ids at a time)."""

    def __init__(self, engine: Engine, settings: Settings, progress: Callable[[Progress], None] | None = None):
        self.engine, self.settings, self.progress = engine, settings, progress
        self.store = FileStore.of(settings)

    def indexed(self, ids: list[str]) -> set[str]:
        """Which of ``ids`` are documents."""
        if not ids:
            return set()
        hits = self.engine.search(self.settings.documents_alias, {
            "size": len(ids), "_source": False, "query": {"ids": {"values": ids}}})["hits"]["hits"]
        return {h["_id"] for h in hits}

    def recorded(self, shas: list[str]) -> set[str]:
        """Which of ``shas`` a file record names."""
        if not shas:
            return set()
        resp = self.engine.search(self.settings.files_alias, {
            "size": 0, "query": {"terms": {"sha256": shas}},
            "aggs": {"s": {"terms": {"field": "sha256", "size": len(shas)}}}})
        return {b["key"] for b in resp["aggregations"]["s"]["buckets"]}

    def document_ids(self) -> Iterator[str]:
        """Every document id, a page at a time, in id order."""
        after: list | None = None
        while True:
            body: dict[str, Any] = {"size": PAGE, "_source": False, "sort": [{"id": "asc"}],
                                    "query": {"match_all": {}}, "track_total_hits": False}
            if after is not None:
                body["search_after"] = after
            hits = self.engine.search(self.settings.documents_alias, body)["hits"]["hits"]
            for hit in hits:
                yield hit["_id"]
            if len(hits) < PAGE:
                return
            after = hits[-1]["sort"]

    def run(self) -> Report:
        began = time.monotonic()
        report = Report(started_at=_now())
        self.engine.refresh(self.settings.documents_alias)
        self.engine.refresh(self.settings.files_alias)
        total_docs = self.engine.count(self.settings.documents_alias)
        missing: list[str] = []
        for doc_id in self.document_ids():
            report.documents += 1
            if not self.store.path_for(doc_id).is_file():
                missing.append(doc_id)
            if self.progress and report.documents % 200 == 0:
                self.progress(Progress("index", report.documents, total_docs))
        if self.progress:
            self.progress(Progress("index", report.documents, total_docs))
        files_total = bytes_total = None
        if self.progress:  # a walk without hashing, for the bar's total: seconds beside the hashing
            files_total, bytes_total = 0, 0
            for path in stored_files(self.store):
                files_total += 1
                bytes_total += path.stat().st_size
        orphans: list[tuple[str, Path]] = []
        for chunk in _chunks(stored_files(self.store), PAGE):
            named = [(path.name, path) for path in chunk]
            shas = [name for name, _ in named if SHA256.match(name)]
            known = self.indexed(shas)
            known |= self.recorded([s for s in shas if s not in known])
            for name, path in named:
                relative = str(path.relative_to(self.store.root))
                if not SHA256.match(name):
                    report.add(Finding("orphan", name, relative, "not named by a sha256"))
                    continue
                try:
                    actual, size = sha256_of(path)
                except FileNotFoundError:  # removed since it was listed (a deletion)
                    continue
                report.files += 1
                report.bytes += size
                if actual != name:
                    report.add(Finding("modified", name, relative, "its bytes no longer hash to its name", actual))
                    continue
                if path != self.store.path_for(name):
                    report.add(Finding("orphan", name, relative, "stored outside its place"))
                    continue
                if name not in known:
                    orphans.append((name, path))
            if self.progress:
                self.progress(Progress("store", report.files, files_total, report.bytes, bytes_total))
        self._confirm(report, missing, orphans)
        report.finished_at = _now()
        report.seconds = round(time.monotonic() - began, 3)
        return report

    def _confirm(self, report: Report, missing: list[str], orphans: list[tuple[str, Path]]) -> None:
        """Keep what still holds now: a document deleted meanwhile is not missing; a file loaded (or
        removed) meanwhile is not an orphan."""
        self.engine.refresh(self.settings.documents_alias)
        self.engine.refresh(self.settings.files_alias)
        for chunk in _chunks(missing, PAGE):
            still = self.indexed(chunk)
            for doc_id in chunk:
                path = self.store.path_for(doc_id)
                if doc_id in still and not path.is_file():
                    report.add(Finding("missing", doc_id, str(path.relative_to(self.store.root)),
                                       "an indexed document whose original is not in the store"))
        for chunk in _chunks(orphans, PAGE):
            shas = [name for name, _ in chunk]
            known = self.indexed(shas)
            known |= self.recorded([s for s in shas if s not in known])
            for name, path in chunk:
                if name not in known and path.is_file():
                    report.add(Finding("orphan", name, str(path.relative_to(self.store.root)),
                                       "neither a document nor a file record names it"))


def verify_store(engine: Engine, settings: Settings, progress: Callable[[Progress], None] | None = None) -> Report:
    """Check every original against the index and every indexed document against the store (see the module's
    invariants); ``progress`` is told how far it got, now and then."""
    return Verifier(engine, settings, progress).run()
