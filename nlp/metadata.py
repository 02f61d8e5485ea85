"""Document metadata inferred from the text: type, issuing institution, year and topics.

``infer_metadata(pages, mentions=None, title=None)`` looks at

* the **title** and the **heading of the first page** (its first characters and its lines in
  capitals) for the document type, with cue expressions and priorities kept in
  ``nlp/data/doc_types.json`` (:mod:`nlp.metadata_doc_type`): a "Casación N°" heading beats the
  word "SENTENCIA" above it, a training cue in the title beats everything, and body cues decide
  only when the heading says nothing or says it weakly;
* the **institutions of the heading**, found by :mod:`nlp.gazetteer`, for the issuing
  institution (:mod:`nlp.metadata_institution`): the kinds that issue the document type, the
  preferred names of the type, the specific before the broad, then the first (the letterhead);
* **dates** for the year (:mod:`nlp.metadata_year`): a place-and-date line on the first page,
  then on the last page, then, by document type, the dates and the own number of the first page
  or a cover year. Years outside 1950–2030 are ignored;
* the **whole text** for the topics of ``nlp/data/topics.json`` (:mod:`nlp.metadata_topics`):
  weighted cue phrases, patterns and gazetteer mentions (institutions, drugs) per 1000 words.

Each of those modules states its rules in full. ``mentions`` (optional) are the document's entity
mentions if the caller already has them; their institutions and drugs feed the topic scores
(otherwise the gazetteer is run on the text). ``signals`` says, in short strings, why each value
was chosen.
"""

from __future__ import annotations

from nlp.metadata_doc_type import DOC_TYPES_FILE, doc_type_config, infer_doc_type
from nlp.metadata_institution import infer_institution
from nlp.metadata_topics import TOPICS_FILE, infer_topics, topic_config
from nlp.metadata_year import infer_year
from nlp.types import Mention, Metadata

__all__ = ["DOC_TYPES_FILE", "TOPICS_FILE", "doc_type_labels", "infer_metadata", "topic_labels"]


def doc_type_labels() -> list[str]:
    """All document types, in the order of the ``labels`` of ``doc_types.json``."""
    return list(doc_type_config().labels)


def topic_labels() -> list[str]:
    """All topics of ``topics.json``."""
    return [t.label for t in topic_config().topics]


def infer_metadata(pages: list[str], mentions: list[Mention] | None = None, title: str | None = None) -> Metadata:
    """Type, issuing institution, year and topics of a document given its pages' text."""
    cfg = doc_type_config()
    pages = [p or "" for p in pages]
    signals: dict = {}
    doc_type = infer_doc_type(cfg, title, pages, signals)
    institution = infer_institution(cfg, doc_type, title, pages, signals)
    year = infer_year(cfg, doc_type, title, pages, signals)
    topics = infer_topics(topic_config(), title, pages, mentions, signals)
    return Metadata(doc_type=doc_type, institution=institution, year=year, topics=tuple(topics), signals=signals)
