"""The steps of ingesting one file, in order: load record → check → extract → clean → NER → index.

The Celery task is a thin wrapper around :func:`process_file`; every step here
is a plain function that tests can call. Each file ends as ``indexed``,
``duplicate`` or ``failed`` with a reason; outages propagate so the task can
retry.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import PurePath

from docsearch.engine import Engine
from docsearch.settings import Settings
from ingestion.batches import FINAL, BatchStore, now
from ingestion.errors import REASONS, IngestError
from ingestion.extractors import Extracted, extractor_for
from ingestion.store import FileStore
from nlp import clean_page_text, entities_for_pages, looks_like_garbage
from nlp.layout import strip_running_lines
from nlp.ner import group_by_type

log = logging.getLogger(__name__)


@dataclass
class Context:
    """What a worker process holds once: settings, engine client, store, batch records."""

    settings: Settings
    engine: Engine
    store: FileStore
    batches: BatchStore

    @classmethod
    def create(cls, settings: Settings) -> "Context":
        engine = Engine.connect(settings)
        return cls(settings, engine, FileStore(settings.store_dir), BatchStore(engine, settings))


@dataclass
class Outcome:
    status: str
    document_id: str | None = None
    pages: int | None = None
    reason: str | None = None
    message: str | None = None


_ADD_SOURCE = """
if (ctx._source.source_paths == null) { ctx._source.source_paths = []; }
if (ctx._source.source_names == null) { ctx._source.source_names = []; }
if (ctx._source.batch_ids == null) { ctx._source.batch_ids = []; }
if (ctx._source.file_ids == null) { ctx._source.file_ids = []; }
if (!ctx._source.source_paths.contains(params.path)) {
  ctx._source.source_paths.add(params.path); ctx._source.source_names.add(params.name);
}
if (!ctx._source.batch_ids.contains(params.batch)) { ctx._source.batch_ids.add(params.batch); }
if (!ctx._source.file_ids.contains(params.file)) { ctx._source.file_ids.add(params.file); }
"""


def process_file(ctx: Context, file_id: str) -> Outcome | None:
    """Ingest one file record; returns its outcome (None if the record does not exist)."""
    record = ctx.batches.file(file_id)
    if record is None:
        log.warning("file record %s not found; dropping the message", file_id)
        return None
    if record["status"] in FINAL:
        return Outcome(record["status"], record.get("document_id"), record.get("pages"))
    ctx.batches.mark(file_id, "processing", attempt=True)
    try:
        outcome = ingest(ctx, record)
    except IngestError as exc:
        outcome = Outcome("failed", reason=exc.reason, message=exc.message)
    ctx.batches.mark(file_id, outcome.status, reason=outcome.reason, message=outcome.message,
                     document_id=outcome.document_id, pages=outcome.pages)
    return outcome


def fail_record(ctx: Context, file_id: str, reason: str, message: str | None = None) -> None:
    """Record a failure the pipeline itself could not record (time limit, a bug)."""
    ctx.batches.mark(file_id, "failed", reason=reason, message=message or REASONS[reason])


def ingest(ctx: Context, record: dict) -> Outcome:
    sha = record["sha256"]
    path = ctx.store.path_for(sha)
    if not path.is_file():
        raise IngestError("missing_file", REASONS["missing_file"])
    existing = ctx.engine.get(ctx.settings.documents_alias, sha, _source_includes=["file_ids", "page_count"])
    if existing is not None:
        _add_source(ctx, sha, record)
        status = "indexed" if record["id"] in (existing.get("file_ids") or []) else "duplicate"
        return Outcome(status, sha, existing.get("page_count"),
                       message=None if status == "indexed" else "Already indexed from another load.")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    extracted = extractor_for(head).extract(path, ctx.settings.max_pages)
    pages = clean_pages(extracted)
    title = guess_title(extracted.metadata, pages, record["name"])
    pages = strip_running_lines(pages)
    entities = entities_for_pages(pages) if ctx.settings.ner_enabled else [[] for _ in pages]
    batch = ctx.batches.batch(record["batch_id"]) or {}
    document = build_document(sha, record, batch, extracted, title, pages, entities)
    ctx.engine.index(ctx.settings.documents_alias, sha, document, refresh="wait_for")
    return Outcome("indexed", sha, len(pages))


def clean_pages(extracted: Extracted) -> list[str]:
    """Cleaned text per page; garbage pages become empty; fail when nothing readable is left."""
    pages, garbage = [], 0
    for raw in extracted.pages:
        # Judge the raw text: cleaning removes the control characters that betray a damaged stream.
        if looks_like_garbage(raw):
            garbage += 1
            pages.append("")
        else:
            pages.append(clean_page_text(raw))
    if not any(pages):
        if garbage:
            raise IngestError("garbage_text", REASONS["garbage_text"])
        raise IngestError("no_text", "No page has a text layer: the PDF looks scanned and OCR is not available for it.")
    return pages


_TITLE_JUNK = re.compile(r"^(untitled|sin t[ií]tulo|microsoft word|documento\d*|\W*)$", re.I)


def guess_title(metadata: dict, pages: list[str], name: str) -> str:
    title = (metadata.get("title") or "").strip()
    if title and not _TITLE_JUNK.match(title):
        return title[:300]
    for line in (pages[0] if pages else "").split("\n"):
        line = line.strip()
        if 8 <= len(line) <= 200 and sum(ch.isalpha() for ch in line) > len(line) / 2:
            return line
    return PurePath(name).stem or name


def build_document(sha: str, record: dict, batch: dict, extracted: Extracted, title: str, pages: list[str],
                   entities) -> dict:
    all_entities = [ent for page in entities for ent in page]
    return {
        "id": sha,
        "title": title,
        "collection": batch.get("collection") or "default",
        "doc_type": batch.get("doc_type"),
        "institution": None,
        "year": None,
        "language": "es",
        "topics": [],
        "page_count": len(pages),
        "file_size": record.get("size"),
        "source_paths": [record["name"]],
        "source_names": [PurePath(record["name"]).name],
        "batch_ids": [record["batch_id"]],
        "file_ids": [record["id"]],
        "pdf": {k: extracted.metadata.get(k) for k in ("title", "author", "created", "producer")},
        "ingested_at": now(),
        "entities": group_by_type(all_entities),
        "pages": [
            {"page": number, "text": text, "chars": len(text), "entities": group_by_type(page_entities)}
            for number, (text, page_entities) in enumerate(zip(pages, entities), start=1)
        ],
    }


def _add_source(ctx: Context, sha: str, record: dict) -> None:
    params = {"path": record["name"], "name": PurePath(record["name"]).name,
              "batch": record["batch_id"], "file": record["id"]}
    ctx.engine.update(ctx.settings.documents_alias, sha,
                      {"script": {"lang": "painless", "source": _ADD_SOURCE, "params": params}},
                      refresh="wait_for", retry_on_conflict=5)


__all__ = ["Context", "Outcome", "process_file", "fail_record", "ingest", "build_document"]
