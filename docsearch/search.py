"""The search service: every read path of docsearch goes through :class:`SearchService`.

A query becomes one engine request over the documents index: the words are
matched against each page (nested), so a hit names the page it is on, and
against the title. Each result carries its best pages with HTML-safe snippets
(the engine's ``html`` encoder escapes the text; only ``<mark>`` is added).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docsearch.engine import Engine
from docsearch.settings import Settings

MAX_QUERY_CHARS = 1000
MAX_PAGE_SIZE = 100
MAX_RESULT_WINDOW = 10_000
SNIPPET_CHARS = 180
BEST_PAGES = 3

_RESULT_FIELDS = ["id", "title", "doc_type", "collection", "institution", "year", "language", "page_count"]


class InvalidQuery(ValueError):
    """A search request the user can fix; the message says how."""


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
FACET_SIZE = 10
MAX_FILTER_VALUES = 50


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    page: int = 1
    size: int = 10
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()  # ((facet, (value, ...)), ...)
    facets: bool = True

    @classmethod
    def create(cls, q: str = "", page: int = 1, size: int = 10, filters: dict[str, list[str]] | None = None,
               facets: bool = True) -> "SearchRequest":
        chosen = tuple((name, tuple(values)) for name, values in sorted((filters or {}).items()) if values)
        return cls(q=q, page=page, size=size, filters=chosen, facets=facets)

    def validate(self) -> "SearchRequest":
        for name, values in self.filters:
            if name not in FACETS:
                raise InvalidQuery(f"Unknown filter '{name}'; filters are: {', '.join(FACETS)}.")
            if len(values) > MAX_FILTER_VALUES:
                raise InvalidQuery(f"At most {MAX_FILTER_VALUES} values per filter ('{name}' has {len(values)}).")
            if name == "year" and not all(str(v).isdigit() for v in values):
                raise InvalidQuery("year takes whole years, such as year=2019.")
        if len(self.q) > MAX_QUERY_CHARS:
            raise InvalidQuery(f"The query is {len(self.q)} characters long; the limit is {MAX_QUERY_CHARS}.")
        if self.page < 1:
            raise InvalidQuery("page starts at 1.")
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            raise InvalidQuery(f"size must be between 1 and {MAX_PAGE_SIZE}.")
        if self.page * self.size > MAX_RESULT_WINDOW:
            raise InvalidQuery(f"Results beyond the first {MAX_RESULT_WINDOW} cannot be paged to; narrow the query.")
        return self


PAGE_FIELDS = ["pages.text", "pages.text.exact^2", "pages.text.en^0.5"]
TITLE_FIELDS = ["title^3", "title.exact^4", "source_names^2"]


def _page_hits(name: str, query: dict) -> dict:
    """Inner hits naming the best pages, with HTML-escaped highlighted snippets."""
    fragment = {"fragment_size": SNIPPET_CHARS, "number_of_fragments": 1}
    return {
        "name": name,
        "size": BEST_PAGES,
        "_source": ["pages.page"],
        "highlight": {
            "encoder": "html",
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "highlight_query": query,
            "fields": {"pages.text": {**fragment, "no_match_size": SNIPPET_CHARS}, "pages.text.exact": fragment},
        },
    }


def _split_citations(q: str) -> tuple[str, list]:
    """The query without its legal citations, and the citations (``nlp.citations``, any spelling)."""
    from nlp.citations import citations_in_query

    citations = citations_in_query(q)
    rest = q
    for mention in sorted(citations, key=lambda m: -m.start):
        rest = rest[: mention.start] + " " + rest[mention.end :]
    return " ".join(rest.split()), citations


def _citation_clause(mention, prefix: str = "") -> dict:
    """A citation matches its canonical entity, or its words as the user typed them (a phrase).

    ``prefix`` is ``"pages."`` inside the nested page query; the document level reads the page text
    indexed in the parent."""
    return {
        "bool": {
            "should": [
                {"term": {f"{prefix}entities.{mention.type}": mention.canonical}},
                {"match_phrase": {"pages.text.exact": mention.surface}},
            ],
            "minimum_should_match": 1,
        }
    }


def _all_of(clauses: list[dict]) -> dict:
    return clauses[0] if len(clauses) == 1 else {"bool": {"must": clauses}}


def _match_query(q: str) -> dict:
    """Which documents match, how they rank, and which pages to show.

    The query is true or false of a document as a whole: every word somewhere in it (its pages are also
    indexed in the parent document) or in its title, and an excluded word nowhere. Legal citations in
    the query (``DL 1106``, ``art. 296 del CP``) are read through the same normaliser as documents, so
    any spelling finds every spelling. Among matches, a document with everything on one page ranks
    first. The pages shown are those holding everything; failing that, those holding the most of it.
    """
    rest, citations = _split_citations(q)
    if not rest and not citations:  # nothing searchable left (only operators): read the query literally
        rest = q
    doc_clauses, page_all, page_some = [], [], []
    if rest:
        doc_clauses.append(_text_query(rest, PAGE_FIELDS + TITLE_FIELDS))
        page_all.append(_text_query(rest, PAGE_FIELDS))
        page_some.append(_text_query(rest, PAGE_FIELDS, operator="or"))
    for mention in citations:
        doc_clauses.append(_citation_clause(mention))
        page_all.append(_citation_clause(mention, prefix="pages."))
        page_some.append(_citation_clause(mention, prefix="pages."))
    # What to mark in snippets: the words, and the numbers of each citation in whatever spelling.
    marks = " ".join([rest] + [" ".join(_NUMBER.findall(m.canonical)) for m in citations]).strip()
    highlight = _text_query(marks, PAGE_FIELDS, operator="or")
    some = {"bool": {"should": page_some, "minimum_should_match": 1}}
    return {
        "bool": {
            "must": doc_clauses,
            "should": [
                {"nested": {"path": "pages", "score_mode": "max", "query": _all_of(page_all),
                            "inner_hits": _page_hits("pages", highlight), "boost": 2.0}},
                _text_query(rest, TITLE_FIELDS) if rest else {"match_none": {}},
                {"nested": {"path": "pages", "score_mode": "max", "query": some,
                            "inner_hits": _page_hits("partial", highlight), "boost": 0.0}},
            ],
            "filter": [_OPENING],
        }
    }


_NUMBER = re.compile(r"\d+(?:-\d+)*")


def _text_query(q: str, fields: list[str], operator: str = "and") -> dict:
    # simple_query_string never fails on syntax: a stray quote or bracket is read literally.
    return {
        "simple_query_string": {
            "query": q,
            "fields": fields,
            "default_operator": operator,
            "flags": "AND|OR|NOT|PHRASE|PREFIX|PRECEDENCE|WHITESPACE|ESCAPE",
            "analyze_wildcard": True,
        }
    }


# Every document has a page 1; this filter matches all of them and fetches page 1's
# opening lines as the snippet of a result matched by its title alone (or of a listing).
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


def _best_fragment(inner: dict, has_phrase: bool) -> str:
    """The stemmed field marks "incautaciones" for "incautación" and skips stop words. Inside a
    "phrase" the exact field also marks its stop words ("lavado de activos"), so for a query with
    phrases the fragment that marks more wins."""
    highlight = inner.get("highlight") or {}
    fragments = highlight.get("pages.text") or []
    if has_phrase:
        fragments = fragments + (highlight.get("pages.text.exact") or [])
    return max(fragments, key=lambda f: f.count("<mark>"), default="")


def _filter(name: str, values: tuple[str, ...]) -> dict:
    field = FACETS[name]
    return {"terms": {field: [int(v) for v in values] if name == "year" else list(values)}}


def _facet_aggs(selected: dict[str, dict]) -> dict:
    """One filtered terms aggregation per facet: every selection applies but the facet's own."""
    aggs = {}
    for name, field in FACETS.items():
        others = [clause for other, clause in selected.items() if other != name]
        terms = {"field": field, "size": FACET_SIZE}
        if name == "year":
            terms = {"field": field, "size": 100, "order": {"_key": "desc"}}
        aggs[name] = {"filter": {"bool": {"filter": others}} if others else {"match_all": {}},
                      "aggs": {"values": {"terms": terms}}}
    return aggs


def _facet_counts(aggs: dict, chosen: dict[str, tuple[str, ...]]) -> dict:
    out = {}
    for name in FACETS:
        buckets = aggs.get(name, {}).get("values", {}).get("buckets", [])
        selected = set(chosen.get(name, ()))
        out[name] = [{"value": str(b["key"]), "count": b["doc_count"], "selected": str(b["key"]) in selected}
                     for b in buckets]
    return out


class SearchService:
    def __init__(self, engine: Engine, settings: Settings):
        self.engine = engine
        self.settings = settings

    @property
    def index(self) -> str:
        return self.settings.documents_alias

    def search(self, request: SearchRequest) -> dict:
        request = request.validate()
        q = request.q.strip()
        body: dict = {
            "from": (request.page - 1) * request.size,
            "size": request.size,
            "track_total_hits": True,
            "_source": _RESULT_FIELDS,
        }
        if q:
            body["query"] = _match_query(q)
        else:
            body["query"] = {"bool": {"filter": [_OPENING]}}
            body["sort"] = [{"ingested_at": "desc"}, {"id": "asc"}]
        selected = {name: _filter(name, values) for name, values in request.filters}
        if selected:
            body["post_filter"] = {"bool": {"filter": list(selected.values())}}
        if request.facets:
            body["aggs"] = _facet_aggs(selected)
        resp = self.engine.search(self.index, body)
        has_phrase = q.count('"') >= 2
        results = [self._result(hit, bool(q), has_phrase) for hit in resp["hits"]["hits"]]
        out = {"total": resp["hits"]["total"]["value"], "took_ms": resp.get("took", 0), "page": request.page,
               "size": request.size, "results": results}
        if request.facets:
            out["facets"] = _facet_counts(resp.get("aggregations") or {}, dict(request.filters))
        return out

    def _result(self, hit: dict, has_query: bool, has_phrase: bool) -> dict:
        src = hit["_source"]
        inner_hits = hit.get("inner_hits") or {}
        pages = [
            {"page": inner["_source"]["page"], "snippet": _best_fragment(inner, has_phrase)}
            for inner in _inner(inner_hits, "pages") or _inner(inner_hits, "partial")
        ]
        if not pages:
            for inner in _inner(inner_hits, "opening"):
                fragments = (inner.get("highlight") or {}).get("pages.text") or []
                if fragments:
                    pages.append({"page": inner["_source"]["page"], "snippet": fragments[0]})
        return {
            "id": src["id"],
            "title": src.get("title"),
            "doc_type": src.get("doc_type"),
            "collection": src.get("collection"),
            "institution": src.get("institution"),
            "year": src.get("year"),
            "language": src.get("language"),
            "page_count": src.get("page_count"),
            "score": hit.get("_score") if has_query else None,
            "pages": pages,
        }

    def document(self, doc_id: str) -> dict | None:
        src = self.engine.get(self.index, doc_id, _source_excludes=["pages.text"])
        return src

    def page(self, doc_id: str, number: int) -> dict | None:
        src = self.engine.get(self.index, doc_id, _source_includes=["pages"])
        if not src:
            return None
        for page in src.get("pages") or []:
            if page["page"] == number:
                return page
        return None
