"""A parsed query as engine clauses: each leaf of the tree (``docsearch.search.parser``) becomes a clause over
the document (``doc`` scope: its pages are also indexed in the parent, and its title) or inside its nested
pages (``page`` scope), and the tree becomes a boolean of them.

Words are analysed (accents folded, Spanish stemming); phrases, prefixes and citations use the unstemmed
``exact`` subfield; ``field:value`` terms follow the field's kind in the registry (``docsearch.fields``).
"""

from __future__ import annotations

import re
from typing import Literal

from docsearch.search.tree import (
    And,
    Citation,
    FieldValue,
    MatchAll,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Synonym,
    Words,
    fuzzable,
    positives,
    units,
)
from nlp.citations import extends, may_continue, normalize_citation
from nlp.text import fold, stop_words

PAGE_TEXT = ["pages.text", "pages.text.exact^2", "pages.text.en^0.5"]
TITLE_FIELDS = ["title^3", "title.exact^4", "source_names^2"]
DOC_TEXT = PAGE_TEXT + TITLE_FIELDS
_LETTERS = "0-9A-Za-zÀ-ÖØ-öø-ſ"


# How much of a run of plain words a document must hold. ``all``: every word; ``most`` (the default): one or
# two words all, three to five all but one, more than five half of them (rounded down); ``any``: one word,
# when nothing holds most of them. Documents holding every word rank first whatever the level (ranking).
Match = Literal["all", "most", "any"]
_NEEDED = {"most": "2<-1 5<50%", "any": "1"}
_PUNCT = "¿?¡!.,;:()[]«»\"'“”"


def content_words(text: str) -> str:
    """The words of ``text`` that say what it is about: without stop words, connectors and question words
    (``¿cuándo procede la prisión preventiva?`` → ``procede prisión preventiva``); empty if nothing is left."""
    words = [w for w in text.split() if w.strip(_PUNCT) and fold(w.strip(_PUNCT)) not in stop_words("es", "en")]
    return " ".join(w.strip(_PUNCT) if w[-1:] in "?!" or w[:1] in "¿¡" else w for w in words)


def words_query(text: str, fields: list[str], operator: str = "and", fuzzy: bool = False,
                minimum_should_match: str | None = None) -> dict:
    """Plain words, every one required (``and``), or any (``or``; at least ``minimum_should_match`` of
    them); no operator syntax is interpreted."""
    flags = "WHITESPACE"
    if fuzzy:
        flags += "|FUZZY"
        text = " ".join(w + "~" if fuzzable(w) else w for w in text.split())  # 4 to 30 letters (tree.fuzzable)
    query = {"query": text, "fields": fields, "default_operator": operator, "flags": flags,
             "fuzzy_prefix_length": 1, "fuzzy_transpositions": True}
    if minimum_should_match is not None:
        query["minimum_should_match"] = minimum_should_match
    return {"simple_query_string": query}


def _words_clause(node: Words, fields: list[str], match: Match) -> dict:
    """A run of plain words: as typed when the user asked for each (``+word``, ``AND``); otherwise their
    content words (a question word or a connector the document does not use must not exclude it), every
    one, most or any of them. A term the thesaurus knows counts as one word, found as any of its terms."""
    if node.strict:
        return words_query(node.text, fields, fuzzy=node.fuzzy)
    if node.synonyms:
        return _units_clause(node, fields, match)
    text = content_words(node.text) or node.text
    if match == "all" or len(text.split()) == 1:
        return words_query(text, fields, fuzzy=node.fuzzy)
    return words_query(text, fields, "or", node.fuzzy, _NEEDED[match])


def term_query(term: str, fields: list[str]) -> dict:
    """A thesaurus term: a word, or a phrase (stemmed fields: a plural or a missing accent still matches)."""
    if len(term.split()) == 1:
        return words_query(term, fields)
    stemmed = [f.split("^")[0] for f in fields if f.split("^")[0] in ("pages.text", "title")]
    return phrase_query(term, stemmed or [fields[0].split("^")[0]])


# A thesaurus term is found as any of its terms, but counts as the best one a document holds (``dis_max``), the
# term typed at full weight and the others at SYNONYM_WEIGHT, plus SYNONYM_TIE of the rest: so ``cohecho`` ranks
# the rulings on cohecho above a complaint that says soborno and coima, and a document does not gain by holding
# many of the set. Summing every term (as before) ranked such documents first; chosen on the dev set and the
# external set of real rulings (docs/relevance.md, "Synonyms count as the best one").
SYNONYM_WEIGHT = 0.6
SYNONYM_TIE = 0.3


def synonym_query(unit: Synonym, fields: list[str]) -> dict:
    """A thesaurus term of the query: the term typed, or any of its alternatives at a lower weight."""
    alternatives = [{"bool": {"must": [term_query(t, fields)], "boost": SYNONYM_WEIGHT}} for t in unit.alternatives]
    return {"dis_max": {"queries": [term_query(unit.surface, fields), *alternatives], "tie_breaker": SYNONYM_TIE}}


def _units_clause(node: Words, fields: list[str], match: Match) -> dict:
    clauses = []
    for unit in units(node):
        if isinstance(unit, Synonym):
            clauses.append(synonym_query(unit, fields))
        elif content_words(unit):
            clauses.append(words_query(unit, fields, fuzzy=node.fuzzy))
    if len(clauses) == 1:
        return clauses[0]
    if match == "all":
        return {"bool": {"must": clauses}}
    return {"bool": {"should": clauses, "minimum_should_match": _NEEDED[match]}}


def _unit_count(node: Words) -> int:
    if node.synonyms:
        return sum(1 for u in units(node) if isinstance(u, Synonym) or content_words(u))
    return len((content_words(node.text) or node.text).split())


def unit_count(node: Node) -> int:
    """The words (a thesaurus term counting as one) of the query's plain runs that a document may hold only
    part of."""
    return sum(_unit_count(leaf) for leaf in positives(node) if isinstance(leaf, Words) and not leaf.strict)


def relaxable(node: Node) -> bool:
    """Whether the query has a run of words a document may hold only part of (see :data:`Match`)."""
    return any(isinstance(leaf, Words) and not leaf.strict and _unit_count(leaf) > 1 for leaf in positives(node))


def phrase_query(text: str, fields: list[str]) -> dict:
    clauses = [{"match_phrase": {f: text}} for f in fields]
    return clauses[0] if len(clauses) == 1 else {"bool": {"should": clauses, "minimum_should_match": 1}}


def prefix_query(text: str, fields: list[str]) -> dict:
    folded = fold(text)
    clauses: list[dict]
    if re.fullmatch(r"\w+", folded):
        clauses = [{"prefix": {f: {"value": folded}}} for f in fields]
    else:
        clauses = [{"match_phrase_prefix": {f: {"query": folded, "max_expansions": 200}}} for f in fields]
    return clauses[0] if len(clauses) == 1 else {"bool": {"should": clauses, "minimum_should_match": 1}}


_ACCENTS = {"a": "aáàâäã", "e": "eéèêë", "i": "iíìîï", "o": "oóòôöõ", "u": "uúùûü", "n": "nñ", "c": "cç", "y": "yý"}


def word_regex(value: str, prefix: bool = False) -> str | None:
    """A Lucene regular expression matching keyword values that contain these words (or words starting
    with the last one, for ``prefix``), in any case and with or without accents: ``quispe`` matches
    ``José Antonio Quispe Huamaní``. None when the value has no letters or digits."""
    words = re.findall(rf"[{_LETTERS}]+", fold(value))
    if not words:
        return None
    parts = []
    for word in words:
        out = []
        for ch in word:
            variants = _ACCENTS.get(ch, ch)
            variants = variants + variants.upper() if ch.isalpha() else variants
            out.append(f"[{variants}]" if len(variants) > 1 else re.sub(r"([^\w])", r"\\\1", variants))
        parts.append("".join(out))
    sep = f"[^{_LETTERS}]+"
    head = f"(.*[^{_LETTERS}])?"
    tail = ".*" if prefix else f"([^{_LETTERS}].*)?"
    return head + sep.join(parts) + tail


def keyword_words(field: str, value: str, prefix: bool = False) -> dict:
    regex = word_regex(value, prefix)
    if regex is None:
        return {"match_none": {}}
    return {"regexp": {field: {"value": regex, "flags": "NONE", "max_determinized_states": 20000}}}


def citation_terms(field: str, canonical: str) -> list[dict]:
    """Clauses matching a cited law, ruling or document's canonical form in ``field``, whole or continued
    (``nlp.citations.extends``): a ruling cited without its seat (``Casación 1234-2018``) matches every seat
    (``Casación 1234-2018/Lima``), a file number without its suffixes (``Expediente 00456-2019``) the whole
    number (``Expediente 00456-2019-3-1826-JR-PE-02``)."""
    clauses: list[dict] = [{"term": {field: canonical}}]
    if may_continue(canonical):
        clauses.extend({"prefix": {field: canonical + sep}} for sep in "-/")
    return clauses


def cites(row: dict, kind: str | None, canonical: str) -> bool:
    """Whether an ``entity_summary`` row is the citation, by the rule of :func:`citation_terms`."""
    if kind is not None and row.get("type") != kind:
        return False
    return extends(str(row.get("canonical", "")), canonical)


def _citation_clause(node: Citation, prefix: str = "") -> dict:
    """A citation matches its canonical entity, or its words as the user typed them (a phrase). Which one
    matched does not change the score: the spelling the user remembered must not decide the ranking.

    ``prefix`` is ``"pages."`` inside the nested page query; the document level reads the page text
    indexed in the parent."""
    should = citation_terms(f"{prefix}entities.{node.type}", node.canonical)
    should.append({"match_phrase": {"pages.text.exact": node.surface}})
    return {"constant_score": {"filter": {"bool": {"should": should, "minimum_should_match": 1}}}}


_ID_NUMBER = re.compile(r"\d+(?:-\d+)*")
# How far into the title, and into page 1, an identifier may stand for the document to be it: a ruling's
# title or heading names its number first ("Casación N° 1234-2018/Lima – ..."); a manual that discusses it
# names it further on, if at all.
TITLE_HEAD_TOKENS = 8
PAGE_HEAD_TOKENS = 30


def _number_variants(token: str, first: bool) -> list[str]:
    """A number as a document may write it: the first number padded with zeros to two to five digits (a court
    file pads to five, ``00456``; police reports, *oficios* and *disposiciones* to two or three, ``087``,
    ``04``: all the same number as ``456``, ``87``, ``4``)."""
    bare = token.lstrip("0") or "0"
    variants = {token, bare}
    if first and token.isdigit():
        variants.update(bare.zfill(width) for width in range(len(bare) + 1, 6))
    return sorted(variants)


def _identifier_span(node: Citation, field: str) -> dict | None:
    """The identifier's number (``1234-2018`` of ``Casación 1234-2018/Lima``) as a span of ``field``'s
    tokens, in order and adjacent; None for an article of a code (``Código Penal art. 296``: the code is
    not "the document" of one of its articles) or a citation without a number."""
    if " art. " in f" {node.canonical} ":
        return None
    found = _ID_NUMBER.search(node.canonical)
    if found is None:
        return None
    clauses = [{"span_or": {"clauses": [{"span_term": {field: v}} for v in _number_variants(t, i == 0)]}}
               for i, t in enumerate(found.group(0).split("-"))]
    return clauses[0] if len(clauses) == 1 else {"span_near": {"clauses": clauses, "slop": 0, "in_order": True}}


def is_it(node: Citation) -> list[dict]:
    """Clauses true of the document that *is* the cited ruling, law or document (its number at the head of
    its title, or of its first page), unscored: the ranking puts it above the documents that cite it."""
    title = _identifier_span(node, "title.exact")
    heading = _identifier_span(node, "pages.text.exact")
    if title is None or heading is None:
        return []
    return [{"span_first": {"match": title, "end": TITLE_HEAD_TOKENS}},
            {"nested": {"path": "pages", "query": {"bool": {"filter": [
                {"term": {"pages.page": 1}}, {"span_first": {"match": heading, "end": PAGE_HEAD_TOKENS}}]}}}}]


def citing_pages(node: Citation) -> dict:
    """Ranks citing documents by how many of their pages cite it (one point per page)."""
    should = citation_terms(f"pages.entities.{node.type}", node.canonical)
    return {"nested": {"path": "pages", "score_mode": "sum",
                       "query": {"constant_score": {"filter": {"bool": {"should": should, "minimum_should_match": 1}}}}}}


def year_range(low: int | None, high: int | None, field: str = "year") -> dict:
    """Years from ``low`` to ``high``, both included; either may be open."""
    return {"range": {field: {k: v for k, v in (("gte", low), ("lte", high)) if v is not None}}}


def _field_clause(node: FieldValue, scope: str) -> dict | None:
    """A ``field:value`` term. In the page scope only entity fields say anything (the rest is true of every
    page of a document that matched): None there means "no constraint"."""
    spec = node.field
    if scope == "page" and not spec.on_pages:
        return None
    if spec.kind == "year":
        return year_range(*node.years, field=spec.field)
    if spec.kind == "text":  # the title: its words, or the document's title and file names as written
        if node.kind == "phrase":
            return phrase_query(node.text, ["title.exact", "source_names"])
        if node.kind == "prefix":
            return prefix_query(node.text, ["title.exact", "source_names"])
        return words_query(node.text, TITLE_FIELDS)
    field = ("pages." if scope == "page" else "") + spec.field
    if spec.citations:
        canonical = normalize_citation(node.text)
        if canonical:
            return {"bool": {"should": citation_terms(field, canonical), "minimum_should_match": 1}}
    if spec.kind == "code" and node.kind == "word":
        return {"bool": {"should": [{"term": {field: node.text}}, keyword_words(field, node.text)],
                         "minimum_should_match": 1}}
    clause = keyword_words(field, node.text, prefix=node.kind == "prefix")
    if node.names:
        return {"bool": {"should": [clause, {"terms": {field: list(node.names)}}], "minimum_should_match": 1}}
    return clause


def compile_tree(node: Node, scope: str = "doc", match: Match = "all") -> dict | None:
    """The engine clause for a parsed query: ``doc`` over whole documents (title included), ``page`` inside
    the nested pages. None in the page scope means "true of every page". ``match`` says how many of a run
    of plain words must be there (an excluded run is always excluded whole)."""
    fields = DOC_TEXT if scope == "doc" else PAGE_TEXT
    if isinstance(node, MatchAll):
        return {"match_all": {}} if scope == "doc" else None
    if isinstance(node, Words):
        return _words_clause(node, fields, match)
    if isinstance(node, Phrase):
        return phrase_query(node.text, ["pages.text.exact", "title.exact", "source_names"] if scope == "doc"
                             else ["pages.text.exact"])
    if isinstance(node, Prefix):
        return prefix_query(node.text, ["pages.text.exact", "title.exact"] if scope == "doc" else ["pages.text.exact"])
    if isinstance(node, Citation):
        return _citation_clause(node, "" if scope == "doc" else "pages.")
    if isinstance(node, FieldValue):
        return _field_clause(node, scope)
    if isinstance(node, Not):
        inner = compile_tree(node.child, scope)
        return None if inner is None else {"bool": {"must_not": [inner]}}
    if isinstance(node, And):
        parts = [c for c in (compile_tree(child, scope, match) for child in node.children) if c is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else {"bool": {"must": parts}}
    if isinstance(node, Or):
        branches = [compile_tree(child, scope, match) for child in node.children]
        if any(b is None for b in branches):
            return None  # one branch is true of every page
        return {"bool": {"should": branches, "minimum_should_match": 1}}
    raise TypeError(node)

