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


def _text_query(q: str, fields: list[str]) -> dict:
    # simple_query_string never fails on syntax: a stray quote or bracket is read literally.
    return {
        "simple_query_string": {
            "query": q,
            "fields": fields,
            "default_operator": "and",
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
            page_query = _text_query(q, ["pages.text", "pages.text.exact^2", "pages.text.en^0.5"])
            body["query"] = {
                "bool": {
                    "should": [
                        {
                            "nested": {
                                "path": "pages",
                                "score_mode": "max",
                                "query": page_query,
                                "inner_hits": {
                                    "size": BEST_PAGES,
                                    "_source": ["pages.page"],
                                    "highlight": {
                                        "encoder": "html",
                                        "pre_tags": ["<mark>"],
                                        "post_tags": ["</mark>"],
                                        "fields": {
                                            "pages.text": {"fragment_size": SNIPPET_CHARS, "number_of_fragments": 1,
                                                           "no_match_size": SNIPPET_CHARS},
                                            "pages.text.exact": {"fragment_size": SNIPPET_CHARS, "number_of_fragments": 1},
                                        },
                                    },
                                },
                            }
                        },
                        {"bool": {"must": _text_query(q, ["title^3", "title.exact^4", "source_names^2"]),
                                  "boost": 1.0}},
                    ],
                    "minimum_should_match": 1,
                    "filter": [_OPENING],
                }
            }
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
        pages = []
        for inner in (hit.get("inner_hits") or {}).get("pages", {}).get("hits", {}).get("hits", []):
            hl = inner.get("highlight") or {}
            # The stemmed field marks "incautaciones" for "incautación" and skips stop words. Inside a
            # "phrase" the exact field also marks its stop words ("lavado de activos"), so for a query
            # with phrases the fragment that marks more wins.
            fragments = hl.get("pages.text") or []
            if has_phrase:
                fragments = fragments + (hl.get("pages.text.exact") or [])
            best = max(fragments, key=lambda f: f.count("<mark>"), default="")
            pages.append({"page": inner["_source"]["page"], "snippet": best})
        if not pages:
            for inner in (hit.get("inner_hits") or {}).get("opening", {}).get("hits", {}).get("hits", []):
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
