"""Generated documents in the indexed shape, for the search benchmark (``bench/search.py``).

Running the real pipeline (PDF, NLP) over 100,000 pages takes the better part of an hour on two cores,
so this module writes documents as ``ingestion.pipeline.build_document`` would have built them, with
that very function: text per page, entities per page and per document (canonical forms as
``docs/entities.md`` and ``nlp.citations`` give them), metadata (doc_type, institution, year, topics,
collection, language) and the document-level entity summary, and, unless built without them, the passage
vectors ingestion makes (``ingestion.pipeline.embed_pages`` with ``nlp.encoder.get_encoder()``: the real
encoder over the passages of the page texts).

The text is FICTITIOUS Spanish legal prose (some documents in English): sentences of
``samples/texts.py`` (their entities found by ``nlp.extract.domain_mentions``) among
sentences built from templates whose words are drawn with Zipf-like frequencies from a legal
vocabulary, and whose slots carry entities: persons (a pool of generated names, each document having
its own cast), criminal organisations and companies, places, case numbers, law citations in several
spellings (``DL 1106``, ``Decreto Legislativo N.° 1106``, ``art. 296 del CP``), drugs and chemical
inputs, institutions, amounts, DNIs and dates. Law and case canonical forms come from
``nlp.citations.find_citations`` on the spelling written, so the index holds what ingestion would store.

Everything is deterministic: document ``n`` of seed ``s`` is the same on every machine (its vectors to the
rounding of float sums). :func:`documents` makes them in a pool of processes, in order.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from search_pages import PageWriter
from search_vocabulary import Entity, Vocabulary, case_number, draw

DOC_TYPES = [  # label, weight, collection, pages (typical), institution kinds
    ("sentencia", 18, "jurisprudencia", 24, "court"),
    ("auto", 14, "jurisprudencia", 10, "court"),
    ("casación", 8, "jurisprudencia", 14, "supreme"),
    ("recurso de nulidad", 6, "jurisprudencia", 8, "supreme"),
    ("acuerdo plenario", 2, "jurisprudencia", 16, "supreme"),
    ("requerimiento", 14, "carpetas fiscales", 30, "prosecutor"),
    ("acusación", 10, "carpetas fiscales", 40, "prosecutor"),
    ("informe policial", 10, "informes", 22, "police"),
    ("material de capacitación", 12, "capacitación", 60, "school"),
    ("otro", 6, "normativa", 12, "agency"),
]
SCHOOLS = ["Escuela del Ministerio Público", "Academia de la Magistratura", "UNODC"]
SUPREME = ["Sala Penal Permanente", "Sala Penal Transitoria", "Corte Suprema de Justicia", "Sala Penal Especial"]


def _page_counts(total: int, docs: int, seed: int, types: list[int]) -> list[int]:
    """Pages per document: log-normal around each type's typical length, summing to ``total``."""
    rng = random.Random(f"pages:{seed}")
    weights = [DOC_TYPES[t][3] * rng.lognormvariate(0, 0.8) for t in types]
    scale = total / sum(weights)
    counts = [min(800, max(1, round(w * scale))) for w in weights]
    step = 1 if sum(counts) < total else -1
    order = sorted(range(docs), key=lambda i: -weights[i])
    i = 0
    while sum(counts) != total:
        index = order[i % docs]
        if counts[index] + step >= 1:
            counts[index] += step
        i += 1
    return counts


@dataclass(frozen=True)
class Plan:
    """The corpus: how many documents and pages, and each document's type and length."""

    seed: int
    docs: int
    pages: int
    types: tuple[int, ...]
    page_counts: tuple[int, ...]

    @classmethod
    def make(cls, docs: int, pages: int, seed: int) -> "Plan":
        if pages < docs:
            raise ValueError("every document has at least one page")
        rng = random.Random(f"types:{seed}")
        weights = [t[1] for t in DOC_TYPES]
        types = [rng.choices(range(len(DOC_TYPES)), weights)[0] for _ in range(docs)]
        return cls(seed, docs, pages, tuple(types), tuple(_page_counts(pages, docs, seed, types)))


def _institution(vocab: Vocabulary, rng: random.Random, kind: str) -> str:
    if kind == "supreme":
        return rng.choice(SUPREME)
    if kind == "school":
        return rng.choice(SCHOOLS)
    if kind == "agency":
        return rng.choice(vocab.by_kind["agency"])
    return rng.choice(vocab.by_kind[kind])


def document(vocab: Vocabulary, plan: Plan, number: int) -> dict:
    """Document ``number`` (0-based) of the plan, as ``ingestion.pipeline.build_document`` builds it (without
    vectors: :func:`_make` adds them)."""
    from ingestion.extractors import Extracted
    from ingestion.pipeline import build_document
    from nlp.extract import Analysis, summarise
    from ingestion.records import BatchRecord, FileRecord
    from nlp.types import Mention, Metadata

    rng = random.Random(f"doc:{plan.seed}:{number}")
    label, _, collection, _, inst_kind = DOC_TYPES[plan.types[number]]
    page_count = plan.page_counts[number]
    english = rng.random() < 0.05
    year = min(2025, max(2000, int(rng.triangular(2003, 2026, 2022))))
    institution = _institution(vocab, rng, inst_kind)
    topics = rng.sample(vocab.topics, rng.choice([1, 1, 2, 2, 3]))
    main_case = case_number(rng)
    cast = {
        "per": [draw(vocab, rng, "per") for _ in range(rng.randint(2, 9))],
        "org": [draw(vocab, rng, "org") for _ in range(rng.randint(1, 3))],
        "loc": [draw(vocab, rng, "loc") for _ in range(rng.randint(1, 4))],
        "law": [draw(vocab, rng, "law") for _ in range(rng.randint(2, 6))],
        "case": [main_case] + [case_number(rng) for _ in range(rng.randint(0, 2))],
        "drug": [draw(vocab, rng, "drug") for _ in range(rng.randint(1, 3))],
        "institution": [Entity("institution", institution, institution)]
        + [draw(vocab, rng, "institution") for _ in range(rng.randint(1, 3))],
    }
    if label == "material de capacitación":
        title = f"Manual de {topics[0]} para fiscales y jueces — módulo {rng.randint(1, 12)}"
    elif label in ("casación", "recurso de nulidad", "acuerdo plenario"):
        title = f"{label.capitalize()} — {main_case.surface}"
    else:
        title = f"{label.capitalize()} — {main_case.surface} — {topics[0]}"
    if english:
        title = f"Training notes on {topics[0]} (English) — {rng.randint(1, 99)}"
    writer = PageWriter(vocab, rng, cast, topics)
    texts, per_page, languages = [], [], []
    for index in range(page_count):
        words = rng.randint(60, 160) if index == 0 and page_count > 3 else rng.randint(250, 560)
        if english:
            text, found = writer.page_en(words)
        else:
            opening = None
            if index == 0:
                opening = f"{institution.upper()}\n{title}\n{main_case.surface}. Sumilla: {label}."
                found_open = [main_case, Entity("institution", institution, institution)]
            text, found = writer.page_es(words, opening)
            if index == 0:
                found = found_open + found
        texts.append(text)
        per_page.append([Mention(e.type, e.canonical, e.surface, 0, 0) for e in found])
        languages.append("en" if english else "es")
    analysis = Analysis("en" if english else "es", languages, per_page,
                        metadata=Metadata(doc_type=label, institution=institution, year=year, topics=tuple(topics),
                                          signals={"generated": "bench/search_corpus.py"}),
                        summary=summarise(per_page))
    digest = hashlib.sha256(f"search-bench:{plan.seed}:{number}".encode()).hexdigest()
    name = f"{collection}/{label.replace(' ', '_')}_{number:06d}.pdf"
    batch = BatchRecord(id=f"search-bench-{plan.seed}", created_at="2024-01-01T00:00:00+00:00",
                        collection=collection, origin="bench", file_count=plan.docs, doc_type=label)
    record = FileRecord(id=f"file-{digest[:32]}", batch_id=batch.id, seq=number + 1, name=name, sha256=digest,
                        size=8_000 + 41_000 * page_count)
    extracted = Extracted(pages=texts, metadata={"title": title, "author": institution, "created": f"D:{year}0101",
                                                 "producer": "bench/search_corpus.py"}, parser="pdfium")
    doc = build_document(record, batch, extracted, title, texts, analysis, {})
    ingested = datetime(2024, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=rng.randint(0, 2 * 365 * 86400))
    doc["ingested_at"] = ingested.isoformat()
    return doc


@dataclass(frozen=True)
class Made:
    """One generated document and the CPU seconds its process spent on it (generation, then vectors)."""

    doc: dict
    generate_s: float
    embed_s: float


_worker: dict = {}


def _start_worker(plan: Plan, vectors: bool) -> None:
    from nlp.encoder import get_encoder

    _worker.update(plan=plan, vocab=Vocabulary(plan.seed), encoder=get_encoder() if vectors else None)


def _make(number: int) -> Made:
    plan, vocab, encoder = _worker["plan"], _worker["vocab"], _worker["encoder"]
    t0 = time.process_time()
    doc = document(vocab, plan, number)
    t1 = time.process_time()
    if encoder is not None:  # what build_document adds from embed_pages, made apart so that its time is known
        from ingestion.pipeline import embed_pages

        doc.update(embed_pages([page["text"] for page in doc["pages"]], encoder))
    return Made(doc, t1 - t0, time.process_time() - t1)


def documents(plan: Plan, vectors: bool, processes: int, numbers: range | None = None) -> Iterator[Made]:
    """The plan's documents in order (those of ``numbers`` only, when given), made by ``processes`` processes (in
    this one when 1)."""
    numbers = range(plan.docs) if numbers is None else numbers
    if processes <= 1:
        _start_worker(plan, vectors)
        for number in numbers:
            yield _make(number)
        return
    # spawn, not fork: the caller already runs threads (bulk senders, the engine client's pool).
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes, initializer=_start_worker, initargs=(plan, vectors)) as pool:
        yield from pool.imap(_make, numbers, chunksize=4)
