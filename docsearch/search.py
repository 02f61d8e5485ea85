"""The search service: every read path of docsearch goes through :class:`SearchService`.

A query becomes one engine request over the documents index: the words are
matched against each page (nested), so a hit names the page it is on, and
against the title. Each result carries its best pages with HTML-safe snippets
(the engine's ``html`` encoder escapes the text; only ``<mark>`` is added).
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    page: int = 1
    size: int = 10

    def validate(self) -> "SearchRequest":
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


def _match_query(q: str) -> dict:
    """Which documents match, how they rank, and which pages to show.

    The query is true or false of a document as a whole: every word somewhere in it (its pages are also
    indexed in the parent document) or in its title, and an excluded word nowhere. Among matches, a
    document with all the words on one page ranks first. The pages shown are those holding every word;
    failing that, those holding the most of them.
    """
    all_words = _text_query(q, PAGE_FIELDS)
    some_words = _text_query(q, PAGE_FIELDS, operator="or")
    return {
        "bool": {
            "must": [_text_query(q, PAGE_FIELDS + TITLE_FIELDS)],
            "should": [
                {"nested": {"path": "pages", "score_mode": "max", "query": all_words,
                            "inner_hits": _page_hits("pages", all_words), "boost": 2.0}},
                _text_query(q, TITLE_FIELDS),
                {"nested": {"path": "pages", "score_mode": "max", "query": some_words,
                            "inner_hits": _page_hits("partial", some_words), "boost": 0.0}},
            ],
            "filter": [_OPENING],
        }
    }


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
        resp = self.engine.search(self.index, body)
        has_phrase = q.count('"') >= 2
        results = [self._result(hit, bool(q), has_phrase) for hit in resp["hits"]["hits"]]
        return {"total": resp["hits"]["total"]["value"], "took_ms": resp.get("took", 0), "page": request.page,
                "size": request.size, "results": results}

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
