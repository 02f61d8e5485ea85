"""The search service: every read path of docsearch goes through :class:`SearchService`.

Search, facets, suggestions, similar documents, "cited by", a document, a page and the original file
are all read here, so a filter every request must carry is applied in one place
(:meth:`SearchService._scope`).

A query (``docsearch.query`` reads it) becomes one engine request over the documents index: it is true
or false of a document as a whole (its pages are also indexed in the parent document), and among
matches a document holding everything on one page ranks first. Each result carries its best pages
with HTML-safe snippets (the engine's ``html`` encoder escapes the text; only ``<mark>`` is added).
The facets are counted by a request of their own, in parallel with the hits, within a time budget:
when it runs out (or the request fails) they are reported as partial instead of failing the search.
"""

from __future__ import annotations

import base64
import functools
import json
import logging
import re
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path

from docsearch import query as ql
from docsearch.engine import Engine
from docsearch.settings import Settings

MAX_QUERY_CHARS = 1000
MAX_PAGE_SIZE = 100
MAX_RESULT_WINDOW = 10_000
SNIPPET_CHARS = 180
BEST_PAGES = 3
SORTS = ("relevance", "date_desc", "date_asc")

log = logging.getLogger(__name__)
# Facets are counted in parallel with the hits, within their time budget.
_POOL = ThreadPoolExecutor(max_workers=32, thread_name_prefix="facet")

_RESULT_FIELDS = ["id", "title", "doc_type", "collection", "institution", "year", "language", "page_count"]


class InvalidQuery(ValueError):
    """A search request the user can fix; the message says how (``position``: where in the query)."""

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


# Public facet name -> indexed field. Counts count documents; values within a facet combine with OR,
# facets with AND, and a facet's own counts ignore its own selection.
FACETS = {
    "collection": "collection",
    "doc_type": "doc_type",
    "court": "institution",
    "year": "year",
    "language": "language",
    "topics": "topics",
    "persons": "entities.per",
    "organizations": "entities.org",
    "places": "entities.loc",
    "institutions": "entities.institution",
    "cases": "entities.case",
    "laws": "entities.law",
    "drugs": "entities.drug",
}
# Facets over entity names, which can hold many values: searchable by prefix (GET /api/facets/{name}?prefix=).
ENTITY_FACETS = ("persons", "organizations", "places", "institutions", "cases", "laws", "drugs")
FACET_SIZE = 10
MAX_FACET_SIZE = 100
MAX_FILTER_VALUES = 50
SUGGEST_TYPES = ("title",) + ENTITY_FACETS


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    page: int = 1
    size: int = 10
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()  # ((facet, (value, ...)), ...)
    facets: bool = True
    sort: str = "relevance"
    search_after: str | None = None
    year_from: int | None = None
    year_to: int | None = None

    @classmethod
    def create(cls, q: str = "", page: int = 1, size: int = 10, filters: dict[str, list[str]] | None = None,
               facets: bool = True, sort: str = "relevance", search_after: str | None = None,
               year_from: int | None = None, year_to: int | None = None) -> "SearchRequest":
        chosen = tuple((name, tuple(values)) for name, values in sorted((filters or {}).items()) if values)
        return cls(q=q or "", page=page, size=size, filters=chosen, facets=facets, sort=sort or "relevance",
                   search_after=search_after or None, year_from=year_from, year_to=year_to)

    def validate(self) -> "SearchRequest":
        for name, values in self.filters:
            if name not in FACETS:
                raise InvalidQuery(f"Unknown filter '{name}'; filters are: {', '.join(FACETS)}.")
            if len(values) > MAX_FILTER_VALUES:
                raise InvalidQuery(f"At most {MAX_FILTER_VALUES} values per filter ('{name}' has {len(values)}).")
            if name == "year" and not all(str(v).isdigit() and len(str(v)) <= 4 for v in values):
                raise InvalidQuery("year takes whole years, such as year=2019.")
        if len(self.q) > MAX_QUERY_CHARS:
            raise InvalidQuery(f"The query is {len(self.q)} characters long; the limit is {MAX_QUERY_CHARS}.")
        if self.sort not in SORTS:
            raise InvalidQuery(f"sort is one of {', '.join(SORTS)}.")
        if self.page < 1:
            raise InvalidQuery("page starts at 1.")
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            raise InvalidQuery(f"size must be between 1 and {MAX_PAGE_SIZE}.")
        if self.search_after is None and self.page * self.size > MAX_RESULT_WINDOW:
            raise InvalidQuery(f"Results beyond the first {MAX_RESULT_WINDOW} cannot be paged to by number; "
                               "use search_after (next_search_after of the previous page).")
        for bound in (self.year_from, self.year_to):
            if bound is not None and not 0 <= bound <= 9999:
                raise InvalidQuery("year_from and year_to are years, such as 2019.")
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise InvalidQuery("year_from is after year_to.")
        return self


# ------------------------------------------------------------------------------------- query translation

PAGE_TEXT = ["pages.text", "pages.text.exact^2", "pages.text.en^0.5"]
TITLE_FIELDS = ["title^3", "title.exact^4", "source_names^2"]
DOC_TEXT = PAGE_TEXT + TITLE_FIELDS
_LETTERS = "0-9A-Za-zÀ-ÖØ-öø-ſ"


def _words_query(text: str, fields: list[str], operator: str = "and", fuzzy: bool = False) -> dict:
    """Plain words, every one required (``and``) or any (``or``); no operator syntax is interpreted."""
    flags = "WHITESPACE"
    if fuzzy:
        flags += "|FUZZY"
        text = " ".join(w + "~" if re.fullmatch(r"\w{4,}", w) else w for w in text.split())
    return {"simple_query_string": {"query": text, "fields": fields, "default_operator": operator,
                                    "flags": flags, "fuzzy_prefix_length": 1, "fuzzy_transpositions": True}}


def _phrase_query(text: str, fields: list[str]) -> dict:
    clauses = [{"match_phrase": {f: text}} for f in fields]
    return clauses[0] if len(clauses) == 1 else {"bool": {"should": clauses, "minimum_should_match": 1}}


def _prefix_query(text: str, fields: list[str]) -> dict:
    folded = ql.fold(text)
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
    words = re.findall(rf"[{_LETTERS}]+", ql.fold(value))
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


def _keyword_words(field: str, value: str, prefix: bool = False) -> dict:
    regex = word_regex(value, prefix)
    if regex is None:
        return {"match_none": {}}
    return {"regexp": {field: {"value": regex, "flags": "NONE", "max_determinized_states": 20000}}}


def _citation_terms(field: str, kind: str | None, canonical: str) -> list[dict]:
    """Clauses matching a cited law or ruling's canonical form in ``field``; a ruling cited without its seat
    (``Casación 1234-2018``) also matches every seat (``Casación 1234-2018/Lima``)."""
    clauses: list[dict] = [{"term": {field: canonical}}]
    if kind == "case" and "/" not in canonical:
        clauses.append({"prefix": {field: canonical + "/"}})
    return clauses


def _cites(row: dict, kind: str | None, canonical: str) -> bool:
    """Whether an ``entity_summary`` row is the citation, by the rule of :func:`_citation_terms`."""
    found = str(row.get("canonical", ""))
    if kind is not None and row.get("type") != kind:
        return False
    return found == canonical or (kind == "case" and "/" not in canonical and found.startswith(canonical + "/"))


def _citation_clause(node: ql.Citation, prefix: str = "") -> dict:
    """A citation matches its canonical entity, or its words as the user typed them (a phrase). Which one
    matched does not change the score: the spelling the user remembered must not decide the ranking.

    ``prefix`` is ``"pages."`` inside the nested page query; the document level reads the page text
    indexed in the parent."""
    should = _citation_terms(f"{prefix}entities.{node.type}", node.type, node.canonical)
    should.append({"match_phrase": {"pages.text.exact": node.surface}})
    return {"constant_score": {"filter": {"bool": {"should": should, "minimum_should_match": 1}}}}


def _citing_pages(node: ql.Citation) -> dict:
    """Ranks citing documents by how many of their pages cite it (one point per page)."""
    should = _citation_terms(f"pages.entities.{node.type}", node.type, node.canonical)
    return {"nested": {"path": "pages", "score_mode": "sum",
                       "query": {"constant_score": {"filter": {"bool": {"should": should, "minimum_should_match": 1}}}}}}


def _year_range(low: int | None, high: int | None) -> dict:
    """Years from ``low`` to ``high``, both included; either may be open."""
    return {"range": {"year": {k: v for k, v in (("gte", low), ("lte", high)) if v is not None}}}


def _field_clause(node: ql.Field, scope: str) -> dict | None:
    """A ``field:value`` term. In the page scope only entity fields say anything (the rest is true of every
    page of a document that matched): None there means "no constraint"."""
    entity = ql.PAGE_FIELDS.get(node.name)
    if scope == "page" and entity is None:
        return None
    if node.name == "year":
        return _year_range(*node.value)
    if node.name == "title":
        if node.kind == "phrase":
            return _phrase_query(node.value, ["title.exact", "source_names"])
        if node.kind == "prefix":
            return _prefix_query(node.value, ["title.exact", "source_names"])
        return _words_query(node.value, TITLE_FIELDS)
    field = ("pages." if scope == "page" else "") + (f"entities.{entity}" if entity else ql.FIELDS[node.name])
    if entity in ("law", "case"):
        from nlp.citations import normalize_citation

        canonical = normalize_citation(str(node.value))
        if canonical:
            return {"term": {field: canonical}}
    if entity is None and node.kind == "word" and node.name in ("type", "language", "collection"):
        return {"bool": {"should": [{"term": {field: node.value}}, _keyword_words(field, node.value)],
                         "minimum_should_match": 1}}
    return _keyword_words(field, str(node.value), prefix=node.kind == "prefix")


def compile_tree(node, scope: str = "doc") -> dict | None:
    """The engine clause for a parsed query: ``doc`` over whole documents (title included), ``page`` inside
    the nested pages. None in the page scope means "true of every page"."""
    fields = DOC_TEXT if scope == "doc" else PAGE_TEXT
    if isinstance(node, ql.MatchAll):
        return {"match_all": {}} if scope == "doc" else None
    if isinstance(node, ql.Words):
        return _words_query(node.text, fields, fuzzy=node.fuzzy)
    if isinstance(node, ql.Phrase):
        return _phrase_query(node.text, ["pages.text.exact", "title.exact", "source_names"] if scope == "doc"
                             else ["pages.text.exact"])
    if isinstance(node, ql.Prefix):
        return _prefix_query(node.text, ["pages.text.exact", "title.exact"] if scope == "doc" else ["pages.text.exact"])
    if isinstance(node, ql.Citation):
        return _citation_clause(node, "" if scope == "doc" else "pages.")
    if isinstance(node, ql.Field):
        return _field_clause(node, scope)
    if isinstance(node, ql.Not):
        inner = compile_tree(node.child, scope)
        return None if inner is None else {"bool": {"must_not": [inner]}}
    if isinstance(node, ql.And):
        parts = [c for c in (compile_tree(child, scope) for child in node.children) if c is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else {"bool": {"must": parts}}
    if isinstance(node, ql.Or):
        parts = [compile_tree(child, scope) for child in node.children]
        if any(p is None for p in parts):
            return None  # one branch is true of every page
        return {"bool": {"should": parts, "minimum_should_match": 1}}
    raise TypeError(node)


@functools.cache
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.es.stop_words import STOP_WORDS as ES

    return frozenset(ql.fold(w) for w in ES | EN)


def _content_words(text: str) -> str:
    """The words of ``text`` that are not stop words: what the unstemmed field should mark."""
    return " ".join(w for w in text.split() if ql.fold(w) not in _stop_words())


def _exact_leaves(tree) -> bool:
    """True when the query has terms only the unstemmed field marks (phrases, prefixes, citations, fields)."""
    return any(not isinstance(leaf, ql.Words) for leaf in ql.positives(tree))


def _highlight_query(tree, extra: list[dict] | None = None) -> dict | None:
    """What to mark in a page: every searched-for word (stemmed, and unstemmed without stop words), phrase,
    prefix and citation (numbers included, so any spelling of a citation is marked), and the words of
    entity field values."""
    clauses = list(extra or [])
    for leaf in ql.positives(tree):
        if isinstance(leaf, ql.Words):
            clauses.append(_words_query(leaf.text, ["pages.text", "pages.text.en"], operator="or", fuzzy=leaf.fuzzy))
            content = _content_words(leaf.text)
            if content:
                clauses.append(_words_query(content, ["pages.text.exact"], operator="or", fuzzy=leaf.fuzzy))
        elif isinstance(leaf, ql.Phrase):
            clauses.append(_phrase_query(leaf.text, ["pages.text.exact"]))
        elif isinstance(leaf, ql.Prefix):
            clauses.append(_prefix_query(leaf.text, ["pages.text.exact"]))
        elif isinstance(leaf, ql.Citation):
            numbers = " ".join(_NUMBER.findall(leaf.canonical))
            clauses.append({"match_phrase": {"pages.text.exact": leaf.surface}})
            if numbers:
                clauses.append(_words_query(numbers, ["pages.text", "pages.text.exact"], operator="or"))
        elif isinstance(leaf, ql.Field) and leaf.name in ql.PAGE_FIELDS and leaf.kind != "range":
            clauses.append(_words_query(_content_words(str(leaf.value)) or str(leaf.value),
                                        ["pages.text", "pages.text.exact"], operator="or"))
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"bool": {"should": clauses}}


def _pick_marked(highlight: dict, exact_terms: bool) -> str | None:
    """The stemmed field marks "incautaciones" for "incautación"; the unstemmed one marks phrases, prefixes
    and citations in the spelling used. Without such terms the stemmed field's marking is shown (the
    unstemmed one only when the stemmed one marked nothing); with them, whichever marks more."""
    stemmed = highlight.get("pages.text") or []
    exact = highlight.get("pages.text.exact") or []
    if exact_terms:
        return max(stemmed + exact, key=lambda f: f.count("<mark>"), default=None)
    best = max(stemmed, key=lambda f: f.count("<mark>"), default=None)
    if best is None or "<mark>" not in best:
        best = max(exact, key=lambda f: f.count("<mark>"), default=best)
    return best


_NUMBER = re.compile(r"\d+(?:-\d+)*")


def _page_hits(name: str, highlight: dict | None, exact_terms: bool) -> dict:
    """Inner hits naming the best pages, with HTML-escaped highlighted snippets (the unstemmed field is
    highlighted too only when the query has terms only it can mark)."""
    fragment = {"fragment_size": SNIPPET_CHARS, "number_of_fragments": 1}
    fields: dict = {"pages.text": {**fragment, "no_match_size": SNIPPET_CHARS}}
    if exact_terms:
        fields["pages.text.exact"] = fragment
    spec: dict = {"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"], "fields": fields}
    if highlight is not None:
        spec["highlight_query"] = highlight
    return {"name": name, "size": BEST_PAGES, "_source": ["pages.page"], "highlight": spec}


def _all_positive_page_clauses(tree) -> list[dict]:
    out = []
    for leaf in ql.positives(tree):
        if isinstance(leaf, ql.Words):  # any of the words
            out.append(_words_query(leaf.text, PAGE_TEXT, operator="or", fuzzy=leaf.fuzzy))
            continue
        clause = compile_tree(leaf, "page")
        if clause is not None:
            out.append(clause)
    return out


@dataclass
class Ranking:
    """A query as engine clauses: which documents match (``query``, which also ranks them by their text and
    title), how the best of them are ranked again by their pages (``rescore``), and which pages to show
    (``pages``, a nested clause with inner hits, asked for the documents of one result page only)."""

    doc: dict  # the match alone, unscored: what the facets count
    query: dict
    rescore: dict | None
    pages: dict | None
    exact: bool  # the query has terms only the unstemmed field marks (see _pick_marked)


def _ranking(tree) -> Ranking:
    """Which documents match, how they rank, and which pages to show.

    The query is true or false of a document as a whole: every word somewhere in it (its pages are also
    indexed in the parent document) or in its title, and an excluded word nowhere. Legal citations in
    the query are read through the same normaliser as documents, so any spelling finds every spelling.
    Among the best matches, a document with everything on one page ranks first, and a citing document
    by how many of its pages cite. The pages shown are those holding everything, then those holding the
    most of it (a page holding everything scores its full match, one holding part a hundredth of it).

    Scoring every page of every matching document costs most of a search on a large index, so the
    pages re-rank only the best ``RESCORE_WINDOW`` (100) documents (a rescore), and the pages to show are
    fetched for the documents of the result page alone.
    """
    doc = compile_tree(tree, "doc")
    page_all = compile_tree(tree, "page")
    some = _all_positive_page_clauses(tree)
    exact = _exact_leaves(tree)
    rescore: list[dict] = []
    pages = None
    if some:
        best = [{"bool": {"should": some, "minimum_should_match": 1, "boost": 0.01}}]
        if page_all is not None:
            best.insert(0, page_all)
        nested = {"path": "pages", "score_mode": "max", "query": {"bool": {"should": best, "minimum_should_match": 1}}}
        rescore.append({"nested": {**nested, "boost": 2.0}})
        pages = {"nested": {**nested, "inner_hits": _page_hits("pages", _highlight_query(tree), exact)}}
    rescore.extend(_citing_pages(leaf) for leaf in ql.positives(tree) if isinstance(leaf, ql.Citation))
    should: list[dict] = []
    for leaf in ql.positives(tree):
        if isinstance(leaf, ql.Words):
            should.append(_words_query(leaf.text, TITLE_FIELDS, fuzzy=leaf.fuzzy))
        elif isinstance(leaf, ql.Phrase):
            should.append(_phrase_query(leaf.text, ["title.exact"]))
    return Ranking(doc, {"bool": {"must": [doc], "should": should}},
                   {"bool": {"should": rescore}} if rescore else None, pages, exact)


# Every document has a page 1; this filter matches all of them and fetches page 1's
# opening lines as the snippet of a result matched by its title or metadata alone (or of a listing).
_OPENING = {
    "nested": {
        "path": "pages",
        "query": {"term": {"pages.page": 1}},
        "inner_hits": {
            "name": "opening",
            "size": 1,
            "_source": ["pages.page"],
            "highlight": {
                "encoder": "html",
                "fields": {"pages.text": {"no_match_size": SNIPPET_CHARS, "number_of_fragments": 1,
                                          "fragment_size": SNIPPET_CHARS}},
            },
        },
    }
}


def _inner(inner_hits: dict, name: str) -> list[dict]:
    return inner_hits.get(name, {}).get("hits", {}).get("hits", [])


def _opening(inner_hits: dict) -> list[dict]:
    """Page 1's opening lines, from the ``opening`` inner hits."""
    out = []
    for inner in _inner(inner_hits, "opening"):
        fragments = (inner.get("highlight") or {}).get("pages.text") or []
        if fragments:
            out.append({"page": inner["_source"]["page"], "snippet": fragments[0]})
    return out


def _best_fragment(inner: dict, exact_terms: bool) -> str:
    return _pick_marked(inner.get("highlight") or {}, exact_terms) or ""


# ------------------------------------------------------------------------------------- facets

def _filter(name: str, values: tuple[str, ...]) -> dict:
    field = FACETS[name]
    return {"terms": {field: [int(v) for v in values] if name == "year" else list(values)}}


def _selections(request: SearchRequest) -> dict[str, dict]:
    """One filter clause per facet with a selection (the year range joins the year facet's clause)."""
    selected = {name: _filter(name, values) for name, values in request.filters}
    if request.year_from is not None or request.year_to is not None:
        year_range = _year_range(request.year_from, request.year_to)
        selected["year"] = {"bool": {"filter": [selected["year"], year_range]}} if "year" in selected else year_range
    return selected


def _terms(name: str, size: int = FACET_SIZE, include: str | None = None) -> dict:
    if name == "year":
        return {"field": "year", "size": 200, "order": {"_key": "desc"}}
    terms: dict = {"field": FACETS[name], "size": size}
    if include:
        terms["include"] = include
    return terms


def _others(selected: dict[str, dict], name: str) -> list[dict]:
    return [clause for other, clause in selected.items() if other != name]


def _facet_counts(aggs: dict, name: str, chosen: dict[str, tuple[str, ...]]) -> list[dict]:
    buckets = aggs.get(name, {}).get("values", {}).get("buckets", [])
    selected = set(chosen.get(name, ()))
    out = [{"value": str(b["key"]), "count": b["doc_count"], "selected": str(b["key"]) in selected} for b in buckets]
    # A selected value always shows, even when other selections leave it no documents.
    seen = {v["value"] for v in out}
    out.extend({"value": v, "count": 0, "selected": True} for v in chosen.get(name, ()) if v not in seen)
    return out


# ------------------------------------------------------------------------------------- search_after

def _sort_clause(sort: str, has_query: bool) -> list[dict]:
    if sort == "date_desc":
        return [{"year": {"order": "desc", "missing": "_last"}}, {"ingested_at": {"order": "desc"}}, {"id": "asc"}]
    if sort == "date_asc":
        return [{"year": {"order": "asc", "missing": "_last"}}, {"ingested_at": {"order": "asc"}}, {"id": "asc"}]
    if has_query:
        return [{"_score": {"order": "desc"}}, {"id": "asc"}]
    return [{"ingested_at": {"order": "desc"}}, {"id": "asc"}]


RESCORE_WINDOW = 100


def _encode_after(sort: str, values: list | None = None, offset: int | None = None) -> str:
    """The next page's token: the sort values of the last hit, or (within the re-ranked window of a
    relevance search, whose hits carry no sort values) the offset of the next hit."""
    data = {"s": sort, "v": values} if values is not None else {"s": sort, "o": offset}
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_after(token: str, sort: str, length: int) -> dict:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw)
        ok = data["s"] == sort
        if "o" in data:
            ok = ok and isinstance(data["o"], int) and not isinstance(data["o"], bool) and 0 <= data["o"] <= RESCORE_WINDOW
        else:
            values = data["v"]
            ok = (ok and isinstance(values, list) and len(values) == length
                  and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in values))
    except (ValueError, TypeError, KeyError, AttributeError):
        ok = False
    if not ok:
        raise InvalidQuery("search_after is not a token this search returned (it comes from next_search_after, "
                           "with the same sort).")
    return data


# ------------------------------------------------------------------------------------- the service


@dataclass
class Plan:
    """A request read and translated: the parsed query, what it became, and what the user is told."""

    tree: object
    warnings: list[str]
    approximate: bool = False


class SearchService:
    def __init__(self, engine: Engine, settings: Settings):
        self.engine = engine
        self.settings = settings

    @property
    def index(self) -> str:
        return self.settings.documents_alias

    # Every read of documents carries this filter: the one place where access rules apply.
    def _scope(self) -> list[dict]:
        return []

    def _scoped(self, query: dict) -> dict:
        scope = self._scope()
        if not scope:
            return query
        return {"bool": {"must": [query], "filter": scope}}

    # -- parsing ----------------------------------------------------------------------------------------
    @staticmethod
    def parse(q: str) -> Plan:
        if len(q) > MAX_QUERY_CHARS:
            raise InvalidQuery(f"The query is {len(q)} characters long; the limit is {MAX_QUERY_CHARS}.")
        try:
            parsed = ql.parse(q.strip())
        except ql.QuerySyntaxError as exc:
            raise InvalidQuery(str(exc), exc.position) from None
        return Plan(parsed.tree, parsed.warnings)

    # -- search -----------------------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> dict:
        request = request.validate()
        plan = self.parse(request.q)
        out = self._search(request, plan)
        if (out["total"] == 0 and ql.has_fuzzable(plan.tree) and request.search_after is None
                and request.page == 1):
            fuzzy = Plan(ql.with_fuzzy(plan.tree), plan.warnings + [
                "No document has these exact words; showing documents with similar words (typos allowed)."],
                approximate=True)
            retry = self._search(request, fuzzy)
            if retry["total"]:
                out = retry
                plan = fuzzy
        out["query"] = {"q": request.q, "interpreted": ql.describe(plan.tree), "warnings": plan.warnings,
                        "approximate": plan.approximate}
        return out

    def _search(self, request: SearchRequest, plan: Plan) -> dict:
        tree = plan.tree
        has_query = not isinstance(tree, ql.MatchAll)
        selected = _selections(request)
        sort = _sort_clause(request.sort, has_query)
        ranking = _ranking(tree) if has_query else None
        body: dict = {
            "size": request.size,
            "track_total_hits": True,
            "_source": _RESULT_FIELDS,
            "query": self._scoped(ranking.query if ranking else {"bool": {"filter": [_OPENING]}}),
        }
        token = _decode_after(request.search_after, request.sort, len(sort)) if request.search_after else None
        offset = token["o"] if token and "o" in token else (request.page - 1) * request.size
        rescoring = (ranking is not None and ranking.rescore is not None and request.sort == "relevance"
                     and not (token and "v" in token) and offset + request.size <= RESCORE_WINDOW)
        if rescoring:  # hits come re-ranked by score, without sort values: paging goes by offset
            body["from"] = offset
            body["rescore"] = {"window_size": RESCORE_WINDOW,
                               "query": {"rescore_query": ranking.rescore, "query_weight": 1.0,
                                         "rescore_query_weight": 1.0}}
        else:
            body["sort"] = sort
            if token and "v" in token:
                body["search_after"] = token["v"]
            else:
                body["from"] = offset
            if request.sort != "relevance" and has_query:
                body["track_scores"] = True
        if selected:  # the hits obey every selection; each facet's counts all but its own
            body["query"] = {"bool": {"must": [body["query"]], "filter": list(selected.values())}}
        chosen = dict(request.filters)
        started = time.monotonic()
        counting: Future | None = None
        if request.facets:
            doc_filter = ranking.doc if ranking else {"match_all": {}}
            # Sent first, so the facets are counted while the hits are fetched; a request of size 0 is
            # also answered from the engine's request cache when the same search comes again.
            counting = _POOL.submit(self.engine.search, self.index, self._facets_body(tuple(FACETS), doc_filter, selected))
        try:
            main = self.engine.search(self.index, body)
        except BaseException:
            if counting is not None:
                counting.cancel()
            raise
        hits = main["hits"]["hits"]
        results = [self._result(hit, has_query) for hit in hits]
        if ranking is not None:
            self._add_pages(results, ranking)
        out: dict = {"total": main["hits"]["total"]["value"], "took_ms": 0, "page": request.page,
                     "size": request.size, "sort": request.sort, "results": results,
                     "next_search_after": None}
        if hits and len(hits) == request.size and offset + len(hits) < out["total"]:
            if "sort" in hits[-1]:
                out["next_search_after"] = _encode_after(request.sort, values=hits[-1]["sort"])
            else:
                out["next_search_after"] = _encode_after(request.sort, offset=offset + len(hits))
        if counting is not None:
            resp = self._within_budget(counting, started + self.settings.facet_budget_ms / 1000)
            out["partial_facets"] = list(FACETS) if resp is None or resp.get("timed_out") else []
            aggs = (resp or {}).get("aggregations") or {}
            out["facets"] = {name: _facet_counts(aggs, name, chosen) for name in FACETS}
        out["took_ms"] = round((time.monotonic() - started) * 1000)
        return out

    @staticmethod
    def _within_budget(future: Future, deadline: float) -> dict | None:
        """The facets' engine answer if it came within the budget; None (partial) if not, or if it failed:
        facets never fail the search they belong to."""
        try:
            return future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            future.cancel()
            log.warning("facets over their time budget, reported partial")
        except Exception as exc:  # noqa: BLE001 - the hits are already there; the facets are reported partial
            log.warning("facets failed, reported partial: %s", exc)
        return None

    def _add_pages(self, results: list[dict], ranking: Ranking) -> None:
        """The best pages of each result, with snippets (a second, small request over these documents
        only); a result matched by its title or metadata alone shows the opening of its page 1 (a third
        request, for those documents alone)."""
        by_id = {r["id"]: r for r in results}
        if ranking.pages and by_id:
            body = {"size": len(by_id), "_source": ["id"],
                    "query": {"bool": {"filter": [{"ids": {"values": list(by_id)}}, ranking.pages]}}}
            for hit in self.engine.search(self.index, body)["hits"]["hits"]:
                result = by_id.get(hit["_source"]["id"])
                if result is not None:
                    result["pages"] = [
                        {"page": inner["_source"]["page"], "snippet": _best_fragment(inner, ranking.exact)}
                        for inner in _inner(hit.get("inner_hits") or {}, "pages")]
        bare = [doc_id for doc_id, r in by_id.items() if not r["pages"]]
        if bare:
            body = {"size": len(bare), "_source": ["id"],
                    "query": {"bool": {"filter": [{"ids": {"values": bare}}, _OPENING]}}}
            for hit in self.engine.search(self.index, body)["hits"]["hits"]:
                by_id[hit["_source"]["id"]]["pages"] = _opening(hit.get("inner_hits") or {})

    def _facet_agg(self, name: str, selected: dict[str, dict], include: str | None = None, size: int = FACET_SIZE) -> dict:
        others = _others(selected, name)
        return {"filter": {"bool": {"filter": others}} if others else {"match_all": {}},
                "aggs": {"values": {"terms": _terms(name, size, include)}}}

    def _facets_body(self, names: tuple[str, ...], doc_filter: dict, selected: dict[str, dict],
                     include: str | None = None, size: int = FACET_SIZE) -> dict:
        """One request counting these facets for the documents matching the query (each facet under every
        selection but its own), within the facet time budget."""
        return {
            "size": 0,
            "track_total_hits": False,
            "timeout": f"{self.settings.facet_budget_ms}ms",
            "query": self._scoped({"bool": {"filter": [doc_filter]}}),
            "aggs": {name: self._facet_agg(name, selected, include, size) for name in names},
        }

    def facet_values(self, request: SearchRequest, name: str, prefix: str = "", size: int = 20) -> dict:
        """One facet's values for a search, those with a word starting with ``prefix`` (any case, any accents)."""
        if name not in FACETS:
            raise InvalidQuery(f"Unknown facet '{name}'; facets are: {', '.join(FACETS)}.")
        if not 1 <= size <= MAX_FACET_SIZE:
            raise InvalidQuery(f"size must be between 1 and {MAX_FACET_SIZE}.")
        request = request.validate()
        plan = self.parse(request.q)
        doc_filter = {"match_all": {}} if isinstance(plan.tree, ql.MatchAll) else compile_tree(plan.tree, "doc")
        include = None
        if prefix.strip() and name != "year":
            include = word_regex(prefix, prefix=True)
            if include is None:
                raise InvalidQuery("prefix needs a letter or a digit.")
        body = self._facets_body((name,), doc_filter, _selections(request), include, size)
        resp = self.engine.search(self.index, body)
        return {"facet": name, "prefix": prefix, "partial": bool(resp.get("timed_out")),
                "values": _facet_counts(resp.get("aggregations") or {}, name, dict(request.filters))}

    def _result(self, hit: dict, has_query: bool) -> dict:
        src = hit["_source"]
        pages = _opening(hit.get("inner_hits") or {})  # a listing's snippet; a search's come from _add_pages
        score = hit.get("_score") if has_query else None
        return {
            "id": src["id"],
            "title": src.get("title"),
            "doc_type": src.get("doc_type"),
            "collection": src.get("collection"),
            "institution": src.get("institution"),
            "year": src.get("year"),
            "language": src.get("language"),
            "page_count": src.get("page_count"),
            "score": score if isinstance(score, (int, float)) else None,
            "pages": pages,
        }

    # -- one document -----------------------------------------------------------------------------------
    def _get(self, doc_id: str, **params) -> dict | None:
        """A document's source, through the same scope as searches."""
        scope = self._scope()
        if not scope:
            return self.engine.get(self.index, doc_id, **params)
        body = {"size": 1, "query": {"bool": {"filter": [{"ids": {"values": [doc_id]}}] + scope}}}
        if "_source_includes" in params:
            body["_source"] = {"includes": params["_source_includes"]}
        if "_source_excludes" in params:
            body["_source"] = {"excludes": params["_source_excludes"]}
        hits = self.engine.search(self.index, body)["hits"]["hits"]
        return hits[0]["_source"] if hits else None

    def document(self, doc_id: str) -> dict | None:
        return self._get(doc_id, _source_excludes=["pages.text"])

    def page(self, doc_id: str, number: int, q: str = "") -> dict | None:
        """One page's text; with ``q``, also as HTML with the query's hits marked (everything else escaped)."""
        plan = self.parse(q) if q.strip() else None
        meta = self._get(doc_id, _source_includes=["page_count", "entity_summary"])
        if meta is None:
            return None
        page_query: dict = {"term": {"pages.page": number}}
        # A citation is marked in every spelling this document used for it.
        cited = {leaf.canonical for leaf in ql.positives(plan.tree) if isinstance(leaf, ql.Citation)} if plan else set()
        spellings = [{"match_phrase": {"pages.text.exact": surface}}
                     for row in meta.get("entity_summary") or [] if row.get("canonical") in cited
                     for surface in row.get("surfaces") or []]
        highlight = _highlight_query(plan.tree, spellings) if plan else None
        inner: dict = {"name": "page", "size": 1, "_source": ["pages.page", "pages.text", "pages.language",
                                                              "pages.ocr", "pages.ocr_confidence", "pages.chars",
                                                              "pages.entities"]}
        if highlight is not None:
            inner["highlight"] = {"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"],
                                  "highlight_query": highlight, "number_of_fragments": 0,
                                  "fields": {"pages.text": {}, "pages.text.exact": {}}}
        body = {"size": 1, "_source": False, "query": self._scoped({"bool": {"filter": [
            {"ids": {"values": [doc_id]}},
            {"nested": {"path": "pages", "query": page_query, "inner_hits": inner}}]}})}
        hits = self.engine.search(self.index, body)["hits"]["hits"]
        found = _inner(hits[0].get("inner_hits") or {}, "page") if hits else []
        if not found:
            return None
        src = found[0]["_source"]
        text = src.get("text") or ""
        html = _pick_marked(found[0].get("highlight") or {}, bool(plan) and _exact_leaves(plan.tree)) or _escape(text)
        return {"page": src.get("page", number), "page_count": meta.get("page_count"), "text": text, "html": html,
                "hits": html.count("<mark>"), "language": src.get("language"), "ocr": src.get("ocr", False),
                "ocr_confidence": src.get("ocr_confidence"), "chars": src.get("chars", len(text)),
                "entities": src.get("entities") or {}}

    def file_path(self, doc_id: str) -> tuple[Path, dict] | None:
        """Where the original PDF is stored, and its metadata; None when it is not there."""
        from docsearch.store import FileStore

        meta = self._get(doc_id, _source_includes=["id", "title", "source_paths", "file_size"])
        if meta is None:
            return None
        path = FileStore(self.settings.store_dir).path_for(doc_id)
        return (path, meta) if path.is_file() else None

    def similar(self, doc_id: str, size: int = 5) -> dict | None:
        """Documents most like this one (more-like-this over its title and text)."""
        src = self._get(doc_id, _source_includes=["title", "pages.text"])
        if src is None:
            return None
        text = " ".join([src.get("title") or ""] + [p.get("text") or "" for p in src.get("pages") or []])[:40_000]
        mlt = {"more_like_this": {"fields": ["pages.text", "title"], "like": text, "min_term_freq": 2,
                                  "min_doc_freq": 1, "max_query_terms": 40, "minimum_should_match": "20%"}}
        body = {"size": size, "_source": _RESULT_FIELDS,
                "query": self._scoped({"bool": {"must": [mlt], "must_not": [{"ids": {"values": [doc_id]}}],
                                                "filter": [_OPENING]}})}
        hits = self.engine.search(self.index, body)["hits"]["hits"]
        return {"id": doc_id, "results": [self._result(hit, True) for hit in hits]}

    # -- citations and suggestions ------------------------------------------------------------------------
    def cited_by(self, citation: str, size: int = 50) -> dict:
        """Documents citing a law, article or ruling (any spelling), with how often each cites it."""
        from nlp.citations import citations_in_query

        text = citation.strip()
        found = [m for m in citations_in_query(text) if m.type in ("law", "case")]
        if found:
            kind, canonical = found[0].type, found[0].canonical
        else:
            kind, canonical = None, text
        fields = [f"entities.{kind}"] if kind else ["entities.law", "entities.case"]
        should = [clause for field in fields for clause in _citation_terms(field, kind, canonical)]
        query = {"bool": {"should": should, "minimum_should_match": 1}}
        body = {"size": min(size, MAX_PAGE_SIZE), "track_total_hits": True,
                "_source": _RESULT_FIELDS + ["entity_summary"],
                "query": self._scoped(query),
                "sort": [{"year": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]}
        resp = self.engine.search(self.index, body)
        results, mentions = [], 0
        for hit in resp["hits"]["hits"]:
            src = hit["_source"]
            rows = [r for r in src.get("entity_summary") or [] if _cites(r, kind, canonical)]
            count = sum(r.get("count", 0) for r in rows)
            if kind is None and rows:
                kind = rows[0].get("type")
            mentions += count
            results.append({"id": src["id"], "title": src.get("title"), "doc_type": src.get("doc_type"),
                            "institution": src.get("institution"), "year": src.get("year"), "count": count,
                            "pages": sorted({p for r in rows for p in r.get("pages", [])})})
        results.sort(key=lambda r: -r["count"])
        return {"canonical": canonical, "type": kind, "total": resp["hits"]["total"]["value"], "mentions": mentions,
                "results": results}

    def suggest(self, prefix: str, kind: str | None = None, size: int = 10) -> dict:
        """Titles and entity names with a word starting with ``prefix``, for autocompletion."""
        if kind is not None and kind not in SUGGEST_TYPES:
            raise InvalidQuery(f"type is one of {', '.join(SUGGEST_TYPES)}.")
        include = word_regex(prefix, prefix=True)
        if include is None:
            return {"prefix": prefix, "suggestions": []}
        kinds = [kind] if kind else list(SUGGEST_TYPES)
        should, aggs = [], {}
        for name in kinds:
            if name == "title":
                should.append(_prefix_query(prefix.split()[-1], ["title.exact"]) if len(prefix.split()) == 1
                              else {"match_bool_prefix": {"title.exact": ql.fold(prefix)}})
                continue
            field = FACETS[name]
            should.append(_keyword_words(field, prefix, prefix=True))
            aggs[name] = {"terms": {"field": field, "size": size, "include": include}}
        body = {"size": size if "title" in kinds else 0, "_source": ["id", "title"], "track_total_hits": False,
                "timeout": f"{self.settings.facet_budget_ms}ms",
                "query": self._scoped({"bool": {"should": should, "minimum_should_match": 1}}), "aggs": aggs}
        resp = self.engine.search(self.index, body)
        out: list[dict] = []
        if "title" in kinds:
            titles: dict[str, int] = {}
            for hit in resp["hits"]["hits"]:
                title = hit["_source"].get("title")
                if title and re.search(_py_word_start(prefix), ql.fold(title)):
                    titles[title] = titles.get(title, 0) + 1
            out.extend({"value": t, "type": "title", "count": c} for t, c in titles.items())
        for name in aggs:
            for bucket in (resp.get("aggregations") or {}).get(name, {}).get("buckets", []):
                out.append({"value": bucket["key"], "type": name, "count": bucket["doc_count"]})
        return {"prefix": prefix, "suggestions": out[: size * len(kinds)] if kind else out}


def _py_word_start(prefix: str) -> str:
    words = re.findall(r"\w+", ql.fold(prefix))
    return r"(?<!\w)" + r"\W+".join(re.escape(w) for w in words)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#x27;")
