"""The steps of ingesting one file. Celery tasks (``ingestion.tasks``) are thin wrappers around them.

A text PDF goes through in one task::

    claim → (duplicate?) → extract → clean → NER → passage vectors → index → mark indexed

A PDF with pages that need OCR is handed over: the first task saves what it
extracted to the file's work directory and queues OCR of those pages on the
``ocr`` queue, in chunks; the chunk that completes the set queues the finishing
task, which cleans, tags and indexes. Every file ends ``indexed``, ``duplicate``
or ``failed`` with a reason; outages (engine, Redis) propagate so that the task
retries, and a claim with a lease keeps two deliveries of one message from
doing the work twice.

Writes do not wait for the engine's refresh: a file is ``indexed`` once its
document is written, and searchable within the refresh interval (1 s).

Passage vectors (``embedding`` and ``passages``, when ``embeddings_enabled``) are
made from the page texts as indexed, so a passage's offsets index ``pages[].text``.
They never fail a file: when they cannot be made, the document is indexed without
them (found by its words, not by meaning) and its file's note says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from celery.exceptions import SoftTimeLimitExceeded

from docsearch.accounts import Accounts
from docsearch.engine import Engine, EngineUnavailable
from docsearch.identities import Identities, resolve_document
from docsearch.migration import index_document, update_document
from docsearch.settings import Settings
from docsearch.sources import add_load, first_load, kept
from docsearch.store import FileStore
from ingestion.batches import BatchStore, now
from ingestion.errors import IngestError, message, no_text_after_ocr, no_text_ocr_disabled, no_text_ocr_unavailable
from ingestion.extractors import Extracted, extractor_for
from ingestion.originals import release
from ingestion.records import BatchRecord, FileRecord
from ingestion.states import UNRETRYABLE, Mode, NotClaimed, Reason, Stage, Status
from ingestion.workdir import WorkDir
from nlp import clean_page_text, looks_like_garbage
from nlp.encoder import MODEL_NAME, Encoder, get_encoder, to_int8
from nlp.extract import Analysis, analyse, by_type
from nlp.identity import links
from nlp.lang import detect_language
from nlp.layout import strip_running_lines
from nlp.passages import split_pages
from nlp.titles import built_title, file_title, heading_title, pdf_title

log = logging.getLogger(__name__)

OCR_CHUNK = 4  # pages per OCR task: long scans fan out over every OCR worker
OCR_LANG = {"es": "spa", "en": "eng"}
EnqueueOcr = Callable[[str, list[int]], None]
EnqueueFinish = Callable[[str], None]
# The start of the note of a file indexed without passage vectors (``_vectors``); a later success removes it.
NO_VECTORS = "Indexed without passage vectors"


@dataclass
class Context:
    """What a worker process holds once: settings, engine client, store, batch records, the encoder (loaded
    on first use)."""

    settings: Settings
    engine: Engine
    store: FileStore
    batches: BatchStore
    encoder: Callable[[], Encoder] = get_encoder

    @classmethod
    def create(cls, settings: Settings) -> "Context":
        engine = Engine.connect(settings)
        return cls(settings, engine, FileStore.of(settings), BatchStore(engine, settings))

    def lease_s(self, ocr_pages: int = 0) -> float:
        """How long a claim holds: the hard time limit, plus time for queued OCR of a scan."""
        return self.settings.task_time_limit_s + 10 + ocr_pages * self.settings.ocr_seconds_per_page

    def work(self, file_id: str) -> WorkDir:
        return WorkDir(self.settings.store_dir, file_id)


@dataclass
class Outcome:
    status: Status
    document_id: str | None = None
    pages: int | None = None
    reason: Reason | None = None
    message: str | None = None
    ocr_pages: int | None = None
    note: str | None = None  # the file's note, written when ``noted`` (None then clears it)
    noted: bool = False


# -- entry points (one per task) ---------------------------------------------------
def process_file(ctx: Context, file_id: str, enqueue_ocr: EnqueueOcr, holder: str | None = None) -> str:
    """First task of a file. Returns what happened: a final status, "ocr" (handed over) or why it was skipped."""
    claim = ctx.batches.claim(file_id, ctx.lease_s(), holder)
    if claim.why_not == NotClaimed.EXHAUSTED:
        _record(ctx, file_id, _failed(Reason.INTERRUPTED))
        return Status.FAILED
    if claim.record is None:
        log.info("file %s not processed: %s", file_id, claim.why_not)
        return claim.why_not or "skipped"
    record = claim.record
    try:
        if record.mode == Mode.NLP:
            outcome = retag(ctx, record)
        else:
            outcome = start(ctx, record, enqueue_ocr)
    except IngestError as exc:
        outcome = _failed(exc.reason, exc.message)
    if outcome is None:
        return "ocr"
    _record(ctx, file_id, outcome)
    _let_go(ctx, record, outcome)
    return outcome.status


def ocr_pages(ctx: Context, file_id: str, page_indexes: list[int], enqueue_finish: EnqueueFinish) -> int:
    """OCR some pages of a file handed over by :func:`process_file`; returns how many were done now."""
    from ingestion.ocr import OcrUnavailable, ocr_page

    record = ctx.batches.file(file_id)
    if not _in_ocr(record):
        return 0
    work = ctx.work(file_id)
    saved = work.load_extracted()
    if saved is None:
        log.warning("work directory of %s is gone; the reconciler will start it again", file_id)
        return 0
    path = ctx.store.path_for(record.sha256)
    done = 0
    for index in page_indexes:
        if work.has_ocr(index):
            continue
        try:
            result = ocr_page(path, index, lang=saved["ocr_lang"])
        except OcrUnavailable as exc:
            # Every page would fail alike: the file fails now, saying OCR could not run (not that it found nothing).
            _record(ctx, file_id, _failed(Reason.NO_TEXT, no_text_ocr_unavailable(str(exc))))
            work.remove()
            return done
        work.save_ocr(index, {"text": result.text, "confidence": result.confidence, "seconds": result.seconds})
        done += 1
        ctx.batches.extend(file_id, ctx.lease_s(len(saved["needs_ocr"])), ocr_done=work.ocr_count())
    if work.ocr_count() >= len(saved["needs_ocr"]):
        enqueue_finish(file_id)
    return done


def finish_file(ctx: Context, file_id: str) -> str:
    """Last task of a scanned file: merge OCR text, tag, index."""
    record = ctx.batches.file(file_id)
    if not _in_ocr(record):
        return "skipped"
    work = ctx.work(file_id)
    saved = work.load_extracted()
    if saved is None:
        return "skipped"
    results = work.ocr_results()
    missing = [i for i in saved["needs_ocr"] if i not in results]
    if missing:
        return "waiting"  # another chunk is still running; it will queue the finish again
    extracted = Extracted(pages=saved["pages"], metadata=saved["metadata"], parser=saved["parser"],
                          needs_ocr=saved["needs_ocr"], page_count=len(saved["pages"]))
    try:
        outcome = finish(ctx, record, extracted, results)
    except IngestError as exc:
        outcome = _failed(exc.reason, exc.message)
    _record(ctx, file_id, outcome)
    _let_go(ctx, record, outcome)
    work.remove()
    return outcome.status


def fail_record(ctx: Context, file_id: str, reason: Reason, what: str | None = None) -> None:
    """Record a failure the steps could not record themselves (time limit, a bug)."""
    ctx.batches.mark(file_id, Status.FAILED, reason=reason, message=_message(reason, what), stage=None)
    ctx.work(file_id).remove()


def _failed(reason: Reason, what: str | None = None) -> Outcome:
    """A failure, recorded with what happened and what the person can do next."""
    return Outcome(Status.FAILED, reason=reason, message=_message(reason, what))


def _message(reason: Reason, what: str | None) -> str:
    # The no_text messages name their own next step (OCR ran, is disabled, or is unavailable).
    return what if reason == Reason.NO_TEXT and what else message(reason, what)


def _let_go(ctx: Context, record: FileRecord, outcome: Outcome) -> None:
    """A file failed for its bytes keeps nothing in the store (unless another record needs the same bytes)."""
    if outcome.status == Status.FAILED and outcome.reason in UNRETRYABLE:
        release(ctx.engine, ctx.settings, ctx.store, record.sha256, besides=[record.id])


def _in_ocr(record: FileRecord | None) -> bool:
    """A file handed over to OCR and still waiting for it (a late message finds it otherwise and leaves)."""
    return record is not None and record.status == Status.PROCESSING and record.stage == Stage.OCR


def _record(ctx: Context, file_id: str, outcome: Outcome) -> None:
    noted = {"note": outcome.note} if outcome.noted else {}
    ctx.batches.mark(file_id, outcome.status, reason=outcome.reason, message=outcome.message,
                     document_id=outcome.document_id, pages=outcome.pages, ocr_pages=outcome.ocr_pages,
                     stage=None, mode=Mode.FULL, **noted)


# -- steps -------------------------------------------------------------------------
def start(ctx: Context, record: FileRecord, enqueue_ocr: EnqueueOcr) -> Outcome | None:
    sha = record.sha256
    if record.size == 0:  # failed when it was loaded; whatever queued it again, it is still empty
        raise IngestError(Reason.EMPTY_FILE, message(Reason.EMPTY_FILE))
    path = ctx.store.path_for(sha) if sha else None
    if path is None or not path.is_file():
        raise IngestError(Reason.MISSING_FILE, "The stored original is missing from the file store.")
    if not _again(record):
        existing = ctx.engine.get(ctx.settings.documents_alias, sha, _source_includes=["page_count", "ocr_pages"])
        if existing is not None:
            # Bytes indexed before, maybe in another collection: this load is recorded in the document's
            # sources for its own collection, and its file is indexed as if the bytes were new, so the answer
            # tells no one that someone else had loaded them.
            batch = ctx.batches.batch(record.batch_id)
            collection = (batch and batch.collection) or "default"
            update_document(ctx.engine, ctx.settings, sha,
                            add_load(collection, record.name, record.batch_id, record.id), retry_on_conflict=5)
            return Outcome(Status.INDEXED, sha, existing.get("page_count"), ocr_pages=existing.get("ocr_pages"))
    with open(path, "rb") as fh:
        head = fh.read(1024)
    extracted = extractor_for(head).extract(path, ctx.settings.max_pages)
    if extracted.needs_ocr and ctx.settings.ocr_enabled:
        _hand_over_to_ocr(ctx, record, extracted, enqueue_ocr)
        return None
    try:
        return finish(ctx, record, extracted, {})
    except IngestError as exc:
        if exc.reason == Reason.NO_TEXT and extracted.needs_ocr:  # scanned pages, left unread: OCR is off
            raise IngestError(Reason.NO_TEXT, no_text_ocr_disabled(len(extracted.needs_ocr))) from exc
        raise


def _again(record: FileRecord) -> bool:
    """Re-processing an indexed file from its original: extract (and OCR) again, keep its sources."""
    return record.mode in (Mode.ALL, Mode.OCR)


def _hand_over_to_ocr(ctx: Context, record: FileRecord, extracted: Extracted, enqueue_ocr: EnqueueOcr) -> None:
    text_pages = "\n".join(p for i, p in enumerate(extracted.pages) if i not in set(extracted.needs_ocr))
    lang = OCR_LANG.get(detect_language(text_pages) or "", ctx.settings.ocr_default_language)
    work = ctx.work(record.id)
    work.remove()  # a previous, interrupted attempt's results are not trusted
    work.save_extracted({"pages": extracted.pages, "metadata": extracted.metadata, "parser": extracted.parser,
                         "needs_ocr": extracted.needs_ocr, "ocr_lang": lang})
    ctx.batches.extend(record.id, ctx.lease_s(len(extracted.needs_ocr)), stage=Stage.OCR,
                       ocr_pages=len(extracted.needs_ocr), ocr_done=0)
    for start_at in range(0, len(extracted.needs_ocr), OCR_CHUNK):
        enqueue_ocr(record.id, extracted.needs_ocr[start_at : start_at + OCR_CHUNK])


def finish(ctx: Context, record: FileRecord, extracted: Extracted, ocr: dict[int, dict]) -> Outcome:
    """Clean, analyse and index a file whose text (and OCR text) is complete."""
    raw_pages = list(extracted.pages)
    confidence: dict[int, float | None] = {}
    for index, result in ocr.items():
        raw_pages[index] = result["text"]
        confidence[index] = result.get("confidence")
    try:
        pages = clean_pages(raw_pages)
    except IngestError as exc:
        if exc.reason == Reason.NO_TEXT and ocr:  # the scans were read, and held nothing
            raise IngestError(Reason.NO_TEXT, no_text_after_ocr(len(ocr))) from exc
        raise
    found_title = pdf_title(extracted.metadata.get("title")) or heading_title(pages[0] if pages else "")
    pages = strip_running_lines(pages)
    analysis = analyse(pages, title=found_title, statistical=ctx.settings.ner_enabled)
    title = found_title or title_from(analysis, record.name)
    vectors, problem = _vectors(ctx, record, pages)
    batch = ctx.batches.batch(record.batch_id)
    document = build_document(record, batch, extracted, title, pages, analysis, confidence, vectors)
    _identify(ctx, document, analysis, pages)
    _keep_what_it_had(ctx, document)
    index_document(ctx.engine, ctx.settings, record.sha256, document)
    return Outcome(Status.INDEXED, record.sha256, len(pages), ocr_pages=len(ocr), **_note(record, problem))


def retag(ctx: Context, record: FileRecord) -> Outcome:
    """Analyse the indexed text of a document again (after a model or pattern update)."""
    sha = record.sha256
    doc = ctx.engine.get(ctx.settings.documents_alias, sha)
    if doc is None:
        raise IngestError(Reason.MISSING_DOCUMENT, message(Reason.MISSING_DOCUMENT))
    texts = [page["text"] for page in doc["pages"]]
    found_title = pdf_title((doc.get("pdf") or {}).get("title")) or heading_title(texts[0] if texts else "")
    analysis = analyse(texts, title=found_title, statistical=ctx.settings.ner_enabled)
    doc["title"] = found_title or title_from(analysis, record.name)
    batch = ctx.batches.batch(record.batch_id)
    for page, mentions, language in zip(doc["pages"], analysis.pages, analysis.page_languages):
        page["entities"] = by_type(mentions)
        page["language"] = language
    doc.update(_analysed_fields(analysis, batch, record))
    _identify(ctx, doc, analysis, texts)
    problem = None
    if ctx.settings.embeddings_enabled and (doc.get("embedding") or {}).get("model") != MODEL_NAME:
        # Vectors of another model (or none yet): made again from the indexed page texts. Old ones are
        # dropped even when that fails, as they cannot be compared with the current model's queries.
        doc.pop("embedding", None)
        doc.pop("passages", None)
        vectors, problem = _vectors(ctx, record, texts)
        doc.update(vectors)
    index_document(ctx.engine, ctx.settings, sha, doc)
    return Outcome(Status.INDEXED, sha, len(texts), ocr_pages=doc.get("ocr_pages"), **_note(record, problem))


def _identify(ctx: Context, document: dict, analysis: Analysis, texts: list[str]) -> None:
    """The document's persons, companies and criminal organisations as the archive's identities
    (docsearch.identities). The engine being away stops the file like any write would; any other error leaves
    the document with its own spellings, found and counted as before, and is logged."""
    try:
        resolve_document(Identities(ctx.engine, ctx.settings), document, links(analysis.pages, texts))
    except (SoftTimeLimitExceeded, EngineUnavailable):
        raise
    except Exception:
        log.exception("the entities of %s could not be resolved to the archive's identities", document.get("id"))


def clean_pages(raw_pages: list[str]) -> list[str]:
    """Cleaned text per page; garbage pages become empty; fail when nothing readable is left."""
    pages, garbage = [], 0
    for raw in raw_pages:
        # Judge the raw text: cleaning removes the control characters that betray a damaged stream.
        if looks_like_garbage(raw):
            garbage += 1
            pages.append("")
        else:
            pages.append(clean_page_text(raw))
    if not any(pages):
        if garbage:
            raise IngestError(Reason.GARBAGE_TEXT, message(Reason.GARBAGE_TEXT))
        raise IngestError(Reason.NO_TEXT, message(Reason.NO_TEXT))
    return pages


HEAD_CHARS = 600  # how far into page 1 a document names its own number


def title_from(analysis: Analysis, name: str) -> str:
    """A title built from what the document was read to be (``nlp.titles.built_title``): its type, the case or
    reference named at the head of page 1, its first topic and its court or office; else the file's name."""
    meta = analysis.metadata
    head = [m for m in (analysis.pages[0] if analysis.pages else []) if m.type in ("case", "ref") and m.start < HEAD_CHARS]
    built = built_title(meta.doc_type if meta else None, head[0].canonical if head else None,
                        meta.topics[0] if meta and meta.topics else None, meta.institution if meta else None)
    return built or file_title(name)


def _analysed_fields(analysis: Analysis, batch: BatchRecord | None, record: FileRecord | None = None) -> dict:
    """Language, entities and metadata; what the uploader said about the file (else about the load) wins over
    inference."""
    meta = analysis.metadata  # always inferred here: analyse() is called with metadata on
    inferred = {
        "doc_type": meta.doc_type,
        "institution": meta.institution,
        "year": meta.year,
        "topics": list(meta.topics),
        "signals": dict(meta.signals),
    }
    return {
        "language": analysis.language,
        "doc_type": (record and record.doc_type) or (batch and batch.doc_type) or inferred["doc_type"],
        "institution": inferred["institution"],
        "year": inferred["year"],
        "topics": inferred["topics"],
        "inferred": inferred,
        "entities": by_type([m for page in analysis.pages for m in page]),
        "entity_summary": analysis.summary,
    }


def preload(settings: Settings) -> None:
    """Load what the steps will need (the encoder: about 1-2 s) before the first file asks for it."""
    if settings.embeddings_enabled:
        try:
            get_encoder()
        except Exception:
            log.exception("the encoder could not be loaded; files will be indexed without passage vectors")


def embed_pages(pages: list[str], encoder: Encoder) -> dict:
    """The ``embedding`` and ``passages`` fields of a document whose indexed page texts are ``pages``."""
    passages = split_pages(pages)
    vectors = to_int8(encoder.encode([p.text for p in passages]))
    return {
        "embedding": {"model": encoder.name, "dims": encoder.dims},
        "passages": [{"page": p.page, "start": p.start, "end": p.end, "vector": vector}
                     for p, vector in zip(passages, vectors)],
    }


def _vectors(ctx: Context, record: FileRecord, pages: list[str]) -> tuple[dict, str | None]:
    """:func:`embed_pages` when embeddings are on; on any error nothing, and what to tell the file's reader.

    The document is still indexed and found by its words: an error of this optional step is logged, not
    turned into a failed file. Only the task's time limit goes through.
    """
    if not ctx.settings.embeddings_enabled:
        return {}, None
    try:
        return embed_pages(pages, ctx.encoder()), None
    except SoftTimeLimitExceeded:
        raise
    except Exception as exc:
        log.exception("passage vectors of %s (%s) could not be made; indexed without them", record.id, record.sha256)
        return {}, (f"{NO_VECTORS} ({type(exc).__name__}): it is found by its words, not by meaning. "
                    "Reprocessing its batch at stage nlp makes them again.")


def _note(record: FileRecord, problem: str | None) -> dict:
    """Outcome fields that write the file's note with this run's vector problem, or without an earlier one
    (keeping any other note, such as a renamed archive entry); none when the note stays as it is."""
    parts = [part for part in (record.note or "").split("; ") if part and not part.startswith(NO_VECTORS)]
    note = "; ".join(parts + ([problem] if problem else [])) or None
    return {} if note == record.note else {"note": note, "noted": True}


def build_document(record: FileRecord, batch: BatchRecord | None, extracted: Extracted, title: str, pages: list[str],
                   analysis: Analysis, ocr_confidence: dict[int, float | None], vectors: dict | None = None) -> dict:
    """The document as indexed; ``vectors`` are :func:`embed_pages` of ``pages`` (absent when embeddings are off)."""
    return {
        "id": record.sha256,
        "title": title,
        **first_load((batch and batch.collection) or "default", record.name, record.batch_id, record.id),
        **_analysed_fields(analysis, batch, record),
        "page_count": len(pages),
        "file_size": record.size,
        "parser": extracted.parser,
        "ocr_pages": len(ocr_confidence),
        "pdf": {k: extracted.metadata.get(k) for k in ("title", "author", "created", "producer")},
        "ingested_at": now(),
        "pages": [
            {
                "page": number,
                "language": language,
                "text": text,
                "chars": len(text),
                "ocr": (number - 1) in ocr_confidence,
                "ocr_confidence": ocr_confidence.get(number - 1),
                "entities": by_type(mentions),
            }
            for number, (text, mentions, language) in enumerate(
                zip(pages, analysis.pages, analysis.page_languages), start=1)
        ],
        **(vectors or {}),
    }


def _keep_what_it_had(ctx: Context, document: dict) -> None:
    """A document indexed again (re-processed, or loaded twice at once) keeps its home collection and every
    load it had (``docsearch.sources``), and who may read it (docsearch.access); a new one takes its
    collection's default classification."""
    old = ctx.engine.get(ctx.settings.documents_alias, document["id"],
                         _source_includes=["collection", "sources", "source_paths", "source_names", "batch_ids",
                                           "file_ids", "classification", "readers"]) or {}
    document.update(kept(old, document))
    document["classification"] = (old.get("classification")
                                  or Accounts(ctx.engine, ctx.settings).default_classification(document["collection"]))
    document["readers"] = old.get("readers") or []
