"""Each stage of ingestion alone, with the workers stopped: extraction, clean-up + NER and OCR (1 and 2
processes), and indexing one request per document into a scratch index with the real mapping."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import extract as bench_extract  # recall of the OCR text
from docsearch.settings import Settings
from ingest_stack import private
from run_watch import log


def _nlp_docs(docs: list[list[str]]) -> list[tuple[list[str], list]]:
    """What ``pipeline.finish`` does to a text file's pages before building the document."""
    from ingestion.pipeline import clean_pages
    from nlp.extract import analyse
    from nlp.layout import strip_running_lines

    out = []
    for raw in docs:
        pages = strip_running_lines(clean_pages(raw))
        out.append((pages, analyse(pages)))
    return out


def _ocr_items(items: list[tuple[str, int]]) -> list:
    from ingestion.ocr import ocr_page

    return [ocr_page(Path(path), index, lang="spa") for path, index in items]


def _warm(kind: str) -> None:
    if kind == "nlp":
        from nlp.extract import analyse

        analyse(["La Fiscalía Provincial de Lima investiga a Juan Pérez en el Callao."])
    else:
        from ingestion.ocr import available_languages

        available_languages()


def _stage_child(kind: str, items: list, ready, go, results) -> None:
    _warm(kind)
    ready.put(os.getpid())
    go.wait()
    start = time.monotonic()
    out = _nlp_docs(items) if kind == "nlp" else _ocr_items(items)
    results.put((start, time.monotonic(), len(out)))


def in_processes(kind: str, parts: list[list]) -> float:
    """Seconds from go to the last process's end, each process given one part (models loaded before go)."""
    ctx = mp.get_context("spawn")
    ready, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [ctx.Process(target=_stage_child, args=(kind, part, ready, go, results)) for part in parts]
    for proc in procs:
        proc.start()
    for _ in procs:
        ready.get(timeout=300)
    started = time.monotonic()
    go.set()
    ends = [results.get(timeout=1800)[1] for _ in procs]
    for proc in procs:
        proc.join()
    return max(ends) - started


def _split_by_pages(docs: list[list[str]], parts: int) -> list[list[list[str]]]:
    """Greedy split of documents into ``parts`` groups of about the same number of pages."""
    groups: list[list[list[str]]] = [[] for _ in range(parts)]
    load = [0] * parts
    for doc in sorted(docs, key=len, reverse=True):
        k = load.index(min(load))
        groups[k].append(doc)
        load[k] += len(doc)
    return groups


def stages(base: Settings, corpus: dict, args) -> dict:
    from ingestion.extractors.pdf import PdfExtractor
    from ingestion.pipeline import build_document, title_from
    from nlp.titles import heading_title, pdf_title
    from ingestion.records import BatchRecord, FileRecord

    out: dict = {}
    paths = corpus["text_paths"]
    extractor = PdfExtractor()
    extractor.extract(paths[0], 10_000)  # warm-up
    started = time.perf_counter()
    extracted = [extractor.extract(path, 10_000) for path in paths]
    elapsed = time.perf_counter() - started
    pages = sum(len(e.pages) for e in extracted)
    out["extract"] = pages / elapsed
    log(f"  extract: {pages} pages in {elapsed:.2f} s = {out['extract']:.0f} pages/s")

    raw = [e.pages for e in extracted]
    _warm("nlp")
    started = time.perf_counter()
    nlp = _nlp_docs(raw)
    elapsed = time.perf_counter() - started
    out["nlp_1"] = pages / elapsed
    log(f"  clean+NER, 1 process: {elapsed:.1f} s = {out['nlp_1']:.1f} pages/s")
    elapsed = in_processes("nlp", _split_by_pages(raw, 2))
    out["nlp_2"] = pages / elapsed
    log(f"  clean+NER, 2 processes: {elapsed:.1f} s = {out['nlp_2']:.1f} pages/s")

    items = [(str(path), index) for path in corpus["scan_paths"] for index in range(args.scan_pages)][: args.ocr_pages]
    _warm("ocr")
    started = time.perf_counter()
    results = _ocr_items(items)
    elapsed = time.perf_counter() - started
    out["ocr_1"] = len(items) / elapsed
    truth = corpus["scan_truth"]
    out["ocr_recall"] = statistics.mean(bench_extract.recall(r.text, truth[(Path(p).name, i)])
                                        for (p, i), r in zip(items, results))
    log(f"  OCR, 1 process: {len(items)} pages in {elapsed:.1f} s = {out['ocr_1']:.2f} pages/s "
        f"(source words found {out['ocr_recall']:.1%})")
    elapsed = in_processes("ocr", [items[0::2], items[1::2]])
    out["ocr_2"] = len(items) / elapsed
    log(f"  OCR, 2 processes: {len(items)} pages in {elapsed:.1f} s = {out['ocr_2']:.2f} pages/s")

    # Index: the document the worker builds, one request per document, as the worker writes it.
    with tempfile.TemporaryDirectory() as tmp, private(base, Path(tmp), components=()) as indices:
        scratch, engine = indices.settings, indices.engine
        batch = BatchRecord(id="b", created_at=datetime.now(timezone.utc).isoformat(), collection="bench",
                            origin="bench", file_count=len(paths))
        docs = []
        for seq, (path, ex, (clean, ents)) in enumerate(zip(paths, extracted, nlp), start=1):
            sha = hashlib.sha256(f"{scratch.index_prefix}/{path.name}".encode()).hexdigest()
            record = FileRecord(id=f"b-{path.stem}", batch_id=batch.id, seq=seq, name=path.name, sha256=sha,
                                size=path.stat().st_size)
            docs.append((record, ex, clean, ents))
        started = time.perf_counter()
        for record, ex, clean, ents in docs:
            title = pdf_title(ex.metadata.get("title")) or heading_title(clean[0]) or title_from(ents, record.name)
            document = build_document(record, batch, ex, title, clean, ents, {})
            engine.index(scratch.documents_alias, record.sha256, document)
        elapsed = time.perf_counter() - started
        out["index"] = pages / elapsed
        out["index_docs_per_s"] = len(docs) / elapsed
        log(f"  index: {len(docs)} documents, {pages} pages in {elapsed:.2f} s = {out['index']:.0f} pages/s")
        if args.wait_for_docs:
            # The same write with refresh="wait_for", as the workers wrote before commit 55f27c8.
            n = min(args.wait_for_docs, len(docs))
            started = time.perf_counter()
            for record, ex, clean, ents in docs[:n]:
                document = build_document(record, batch, ex, "t", clean, ents, {})
                engine.index(scratch.documents_alias, record.sha256 + "-w", document, refresh="wait_for")
            elapsed = time.perf_counter() - started
            out["index_wait_for_s_per_doc"] = elapsed / n
            log(f"  index with refresh=wait_for: {elapsed / n:.3f} s per document ({n} documents)")
    return out
