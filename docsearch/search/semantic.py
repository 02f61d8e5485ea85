"""Meaning beside words: passages found by their vectors, and rankings fused.

Each passage of a document (~100-200 words, ``nlp.passages``) has a vector (``nlp.encoder``: a multilingual
sentence encoder, so an English query lands near Spanish passages of the same meaning). A query's vector finds
the nearest passages in the engine's HNSW graph (OpenSearch k-NN plugin or Elasticsearch ``dense_vector``), a
document scoring as its best passage; the read rule and the selected filters are applied inside the vector
search (so the nearest passages are the nearest the caller may read) and again around it.

A search fuses its rankings by score (:func:`combined`): each ranking's scores relative to its best, summed with
weights (words 1, meaning 0.5, the query translated 0.5; settings ``semantic_weight``, ``translated_weight``).
Reciprocal rank fusion (:func:`rrf`, used for similar documents) was the first choice; on real rulings it put
documents that the weaker rankings both placed in their middle above the words' clear first, and lost to the
words alone (docs/relevance.md, "Fusion by score").
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from docsearch.search.clauses import content_words
from docsearch.search.tree import And, Node, Words
from nlp.text import fold

# Documents the semantic leg contributes at most, and the lowest cosine taken as "about the query" by default
# (the setting semantic_min_similarity): a short query scores 0.15-0.4 against a passage of 100-200 words on its
# subject, so the floor is low; on the dev set a floor of 0.15-0.22 served hybrid search best and 0.38 (chosen
# first, from pairs of short phrases) emptied the semantic leg for half the queries (docs/relevance.md).
SEMANTIC_DOCS = 30
COSINE_FLOOR = 0.2
RRF_K = 60
MEANING_WORDS = 2  # content words from which hybrid search also searches by meaning
# How many lexical results the fusion sees; pages beyond the fused list continue the lexical ranking.
LEXICAL_WINDOW = 50
PASSAGE_HITS = 3
ANSWER_FROM = 5  # the answer passage is the best passage of the first documents
ANSWER_CHARS = 700

_QUESTION_START = re.compile(
    r"^\s*(¿|(que|qué|cual|cuál|cuales|cuáles|cuando|cuándo|como|cómo|quien|quién|quienes|quiénes|donde|dónde|"
    r"por\s+qu[eé]|para\s+qu[eé]|cu[aá]nto|cu[aá]ntos|procede|es\s+v[aá]lid[oa]|se\s+puede|puede|existe|hay|"
    r"what|when|how|which|who|whom|where|why|can|could|is|are|does|do|should|may|must)\b)",
    re.IGNORECASE,
)


def is_question(q: str) -> bool:
    """A question (``¿cuándo procede…?``, ``what is…``, or anything ending in ``?``): answered by a passage."""
    return q.strip().endswith("?") or _QUESTION_START.match(q) is not None


def cosine(score: float) -> float:
    """The cosine behind an engine score: both engines score a cosine match as ``(1 + cos) / 2``."""
    return 2.0 * score - 1.0


def knn_query(kind: str, vector: list[int], k: int, filters: list[dict]) -> dict:
    """The nested vector query over passages, a document scoring as its best passage, with the best passages
    as inner hits; ``filters`` (parent fields) restrict the candidates inside the graph search."""
    inner = {"name": "passages", "size": PASSAGE_HITS, "_source": False,
             # From doc values: "fields" read each document's whole source (its text and every vector), which
             # made this request 127-197 ms on 100,000 pages instead of 20-27 (docs/benchmarks.md).
             "docvalue_fields": ["passages.page", "passages.start", "passages.end"]}
    condition = {"bool": {"filter": filters}} if filters else None
    if kind == "elasticsearch":
        knn: dict = {"field": "passages.vector", "query_vector": vector, "k": k, "num_candidates": max(100, 4 * k)}
        if condition:
            knn["filter"] = condition
        return {"nested": {"path": "passages", "score_mode": "max", "query": {"knn": knn}, "inner_hits": inner}}
    spec: dict = {"vector": vector, "k": k}
    if condition:
        spec["filter"] = condition
    return {"nested": {"path": "passages", "score_mode": "max", "query": {"knn": {"passages.vector": spec}},
                       "inner_hits": inner}}


@dataclass(frozen=True)
class PassageHit:
    page: int
    start: int
    end: int
    cosine: float


@dataclass(frozen=True)
class SemanticHit:
    id: str
    cosine: float
    passages: tuple[PassageHit, ...]


def semantic_hits(response: dict, floor: float = COSINE_FLOOR) -> list[SemanticHit]:
    """Documents of a :func:`knn_query` response at or above the ``floor`` cosine, best first, with their
    passages."""
    out = []
    for hit in response["hits"]["hits"]:
        best = cosine(hit.get("_score") or 0.0)
        if best < floor:
            continue
        passages = []
        for inner in ((hit.get("inner_hits") or {}).get("passages") or {}).get("hits", {}).get("hits", []):
            fields = inner.get("fields") or {}
            try:
                page, start, end = (int(fields[f"passages.{name}"][0]) for name in ("page", "start", "end"))
            except (KeyError, IndexError, TypeError, ValueError):
                continue
            passages.append(PassageHit(page, start, end, round(cosine(inner.get("_score") or 0.0), 4)))
        out.append(SemanticHit(hit["_id"], round(best, 4), tuple(passages)))
    return out


def rrf(rankings: list[tuple[list[str], float]]) -> list[tuple[str, float]]:
    """Reciprocal rank fusion of ranked id lists with weights: ids by fused score, ties by first appearance."""
    scores: dict[str, float] = {}
    for ids, weight in rankings:
        for rank, doc_id in enumerate(ids, start=1):
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (RRF_K + rank)
    order = {doc_id: i for i, doc_id in enumerate(scores)}
    return sorted(scores.items(), key=lambda item: (-item[1], order[item[0]]))


def combined(rankings: list[tuple[list[tuple[str, float]], float]]) -> list[tuple[str, float]]:
    """Score fusion: each ranking's scores divided by its best (so every ranking's first document has 1), then
    summed with the rankings' weights. Unlike reciprocal rank, a document that only one ranking finds keeps
    the strength of that ranking's evidence: the words' first document, far ahead of the rest, stays ahead of a
    document that the weaker rankings both put in their middle. Ties keep the order of first appearance."""
    scores: dict[str, float] = {}
    for scored, weight in rankings:
        best = max((score for _, score in scored), default=0.0)
        if best <= 0:
            continue
        for doc_id, score in scored:
            scores[doc_id] = scores.get(doc_id, 0.0) + weight * max(score, 0.0) / best
    order = {doc_id: i for i, doc_id in enumerate(scores)}
    return sorted(scores.items(), key=lambda item: (-item[1], order[item[0]]))


_WORD = re.compile(r"\w+")


def marked(text: str, words: set[str]) -> str:
    """``text`` HTML-escaped, with the words of ``words`` (folded) in ``<mark>``."""
    out, last = [], 0
    for match in _WORD.finditer(text):
        if fold(match.group()) in words:
            out.append(html.escape(text[last:match.start()]))
            out.append(f"<mark>{html.escape(match.group())}</mark>")
            last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def trimmed(text: str, limit: int) -> str:
    """At most ``limit`` characters of ``text``, cut at a word boundary with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + " …"




@dataclass(frozen=True)
class Meaning:
    """What a search adds to its words: the semantic ranking, the lexical ranking of the query translated,
    and whether the words themselves are searched (not in ``semantic`` mode)."""

    mode: str = "lexical"
    lexical: bool = True
    semantic: tuple[SemanticHit, ...] = ()
    translated: tuple[str, ...] = ()
    translation: Any = None  # nlp.translate.Translation
    warnings: tuple[str, ...] = ()
    question: bool = False
    q: str = ""
    translated_scores: tuple[float, ...] = ()
    # Weights beside the lexical ranking's 1 (settings semantic_weight, translated_weight).
    semantic_weight: float = 0.5
    translated_weight: float = 0.5

    @property
    def fused(self) -> bool:
        return bool(self.semantic or self.translated) or not self.lexical

    @property
    def semantic_ids(self) -> list[str]:
        return [hit.id for hit in self.semantic]

    @property
    def extra_ids(self) -> list[str]:
        return list(dict.fromkeys([*self.semantic_ids, *self.translated]))

    def scored(self, lexical: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """The words' ranking (ids with their scores) fused with the semantic ranking (cosines above the floor)
        and the translated query's (its scores), by :func:`combined`."""
        rankings = [(lexical, 1.0)]
        if self.semantic:
            rankings.append(([(hit.id, hit.cosine) for hit in self.semantic], self.semantic_weight))
        if self.translated:
            rankings.append((list(zip(self.translated, self.translated_scores)), self.translated_weight))
        return combined(rankings)

    def passages(self, doc_id: str) -> tuple[PassageHit, ...]:
        return next((hit.passages for hit in self.semantic if hit.id == doc_id), ())

    def matched(self, doc_id: str, by_words: bool) -> str:
        """How a result was found: ``lexical`` (its words), ``semantic`` (its meaning), ``both``, or
        ``translation`` (the words of the query translated)."""
        by_meaning = any(hit.id == doc_id for hit in self.semantic)
        if by_words:
            return "both" if by_meaning else "lexical"
        if by_meaning:
            return "semantic"
        return "translation" if doc_id in self.translated else "lexical"


LEXICAL = Meaning()


def union(lexical: dict | None, extra: list[str]) -> dict:
    """Documents the lexical query matches (named ``lex``, scored as it scores them) or among ``extra`` (the
    other rankings' documents, scored 0: their place comes from the fusion)."""
    should: list[dict] = []
    if lexical is not None:
        should.append({"bool": {"must": [lexical], "_name": "lex"}})
    if extra:
        should.append({"constant_score": {"filter": {"ids": {"values": extra}}, "boost": 0.0}})
    if not should:
        return {"bool": {"must_not": [{"match_all": {}}]}}
    return {"bool": {"should": should, "minimum_should_match": 1}}


def plain(tree: Node) -> bool:
    """Plain words only (no phrase, identifier, field, prefix, exclusion or required word, and no number): a
    description, which meaning can answer as well as words. A number in the words (``Juicio No.
    12283-2023-02255``, ``art. 366 COIP``, ``Apelación 474-2025``) asks for exactly that document or article,
    which a passage's vector cannot tell from its neighbours: on real rulings, fusing the meaning leg put the
    case itself below unrelated rulings for such lookups (docs/relevance.md)."""
    if isinstance(tree, Words):
        return not tree.strict and not _DIGIT.search(tree.text)
    if isinstance(tree, And):
        return all(plain(child) for child in tree.children)
    return False


_DIGIT = re.compile(r"\d")
_NAME_WORD = re.compile(r"^[«\"'(]?[A-ZÁÉÍÓÚÑÜ][\w'’.-]*[»\"')]?,?$")
NAME_WORDS = 5  # a run of at most this many capitalised words is taken for a name


_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "e", "da", "do", "dos", "van", "von", "of", "the"})


def names_only(q: str) -> bool:
    """Every word capitalised but the particles of names (``Sandoya Morales``, ``Los Lobos``, ``ONG Animal
    Libre``, ``Los Injertos del Cono``): a name, which the documents that hold it answer and the meaning of other
    passages does not (a sentence encoder places an unknown name near any text about people). Searched by its
    words in hybrid mode."""
    words = q.split()
    if not 0 < len(words) <= NAME_WORDS or q.strip().endswith("?") or not _NAME_WORD.match(words[0]):
        return False
    return all(_NAME_WORD.match(w) or w.lower() in _PARTICLES for w in words)


def query_words(q: str) -> set[str]:
    """The query's content words, folded: what a passage found by meaning has marked."""
    return {fold(word) for word in content_words(q).split()}


def translated_query(q: str) -> Any:
    """The query in the other language of the archive (English <-> Spanish), or None (``nlp.translate``)."""
    from nlp.translate import query_language, translate

    language = query_language(q)
    if language == "en":
        return translate(q, "en", "es")
    # Spanish queries are most of them: the glossary alone (under a millisecond) names the English terms;
    # Apertium's ~0.1 s per call would double a search's time, and the vectors already cross the languages.
    if language == "es":
        return translate(q, "es", "en", apertium=None)
    return None


def mean_vector(vectors: list[list[int]]) -> list[int]:
    """The direction of several stored (int8) vectors together, as an int8 vector: each scaled to unit length
    first, so every passage counts alike."""
    total = [0.0] * len(vectors[0])
    for vector in vectors:
        norm = sum(x * x for x in vector) ** 0.5 or 1.0
        for i, x in enumerate(vector):
            total[i] += x / norm
    top = max(abs(x) for x in total) or 1.0
    return [round(127 * x / top) for x in total]
