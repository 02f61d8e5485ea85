"""Reads of one document and of what surrounds it: its metadata, a page with the query's hits marked, the
original file, the page as it looks with where its hits are, similar documents, the documents citing a law or ruling, and autocompletion.

:class:`ReadService` is the base of :class:`docsearch.search.service.SearchService`: every read of the
documents index goes through that one service.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docsearch.access import ACCESS_FIELDS, SYSTEM, Caller
from docsearch.engine import Engine
from docsearch.fields import REGISTRY, Registry
from docsearch.identities import Identities
from docsearch.pages import PageImage, hit_boxes, marked_spans, render_png
from docsearch.search.clauses import Match, citation_terms, cites, keyword_words, prefix_query, word_regex
from docsearch.search.expand import expand
from docsearch.search.parser import QuerySyntaxError, parse
from docsearch.search.ranking import (
    exact_leaves,
    highlight_query,
    inner_hits_named,
    opening,
    pick_marked,
    ranking_for,
)
from docsearch.search.request import MAX_PAGE_SIZE, MAX_QUERY_CHARS, InvalidQuery
from docsearch.search.tree import Citation, MatchAll, Node, positives, with_identities
from docsearch.settings import Settings
from docsearch.sources import shown
from docsearch.store import FileStore
from nlp.citations import citations_in_query
from nlp.text import fold

# Words a query may hold once folded (NFKD: one character such as "ﷺ" reads as four words): each becomes a
# clause per searched field, and the engine refuses more than 1,024 clauses.
MAX_QUERY_WORDS = 100
_WORD = re.compile(r"\w+")

RESULT_FIELDS = ["id", "title", "doc_type", "collection", "sources.collection", "institution", "year", "language",
                 "page_count"]
# A result's fields read from doc values, not from the source: a document's source holds its passages' vectors
# (~2 KB each), and parsing ten of them cost a search more than the search itself (docs/benchmarks.md).
RESULTS: dict[str, Any] = {"_source": False,
           "docvalue_fields": ["id", "title.raw", "doc_type", "collection", "sources.collection", "institution",
                               "year", "language", "page_count"]}


def result_source(hit: dict) -> dict:
    """What a result shows of a hit, from its source or its doc values (:data:`RESULTS`)."""
    if "_source" in hit:
        return hit["_source"]
    fields = hit.get("fields") or {}

    def one(name: str):
        values = fields.get(name) or [None]
        return values[0]

    return {"id": one("id") or hit["_id"], "title": one("title.raw"), "doc_type": one("doc_type"),
            "collection": one("collection"), "institution": one("institution"), "year": one("year"),
            "language": one("language"), "page_count": one("page_count"),
            "sources": [{"collection": c} for c in fields.get("sources.collection") or []]}


@dataclass
class Plan:
    """A request read and translated: the parsed query, what it became, and what the user is told."""

    tree: Node
    warnings: list[str]
    approximate: bool = False
    match: Match = "most"  # how much of a run of plain words a document must hold (clauses.Match)


class ReadService:
    """Reads of the documents index on behalf of ``caller``: every one goes through :meth:`_find` (a search,
    limited to what the caller may read) or :meth:`_get` (one document by id, None when the caller may not
    read it, exactly as when it does not exist)."""

    def __init__(self, engine: Engine, settings: Settings, registry: Registry = REGISTRY, caller: Caller = SYSTEM):
        self.engine = engine
        self.settings = settings
        self.registry = registry
        self.caller = caller

    def _find(self, body: dict) -> dict:
        """Search the documents index for what the caller may read: its access rule joins the query as a
        filter, so hits, totals, aggregations (facets, histograms, suggestions) and inner hits all obey it."""
        if not self.caller.system:
            body = {**body, "query": self.caller.restrict(body.get("query") or {"match_all": {}})}
        return self.engine.search(self.index, body)

    @property
    def index(self) -> str:
        return self.settings.documents_alias

    @property
    def suggest_types(self) -> tuple[str, ...]:
        return ("title",) + self.registry.entity_facets

    def parse(self, q: str) -> Plan:
        if len(q) > MAX_QUERY_CHARS:
            raise InvalidQuery(f"The query is {len(q)} characters long; the limit is {MAX_QUERY_CHARS}.")
        words = len(_WORD.findall(fold(q)))  # what the engine will see: compatibility characters expand
        if words > MAX_QUERY_WORDS:
            raise InvalidQuery(f"The query has {words} words once read; the limit is {MAX_QUERY_WORDS}.")
        try:
            parsed = parse(q.strip(), self.registry)
        except QuerySyntaxError as exc:
            raise InvalidQuery(str(exc), exc.position) from None
        return Plan(with_identities(expand(parsed.tree), Identities(self.engine, self.settings).names_of),
                    parsed.warnings)

    def _result(self, hit: dict, has_query: bool) -> dict:
        src = shown(result_source(hit), self.caller)
        pages = opening(hit.get("inner_hits") or {})  # a listing's snippet; a search's come from _add_pages
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
        if self.caller.system:
            return self.engine.get(self.index, doc_id, **params)
        if "_source_includes" in params:
            params["_source_includes"] = list(params["_source_includes"]) + ACCESS_FIELDS
        source = self.engine.get(self.index, doc_id, **params)
        return source if source is not None and self.caller.may_read(source) else None

    def document(self, doc_id: str) -> dict | None:
        """One document's metadata (its loads as the caller may see them: docsearch.sources.shown)."""
        found = self._get(doc_id, _source_excludes=["pages.text"])
        return shown(found, self.caller) if found is not None else None

    def best_page(self, doc_id: str, q: str) -> int | None:
        """The page of this document that ranks best for ``q`` (the page a search result shows first); None
        when no page matches."""
        plan = self.parse(q) if q.strip() else None
        if plan is None or isinstance(plan.tree, MatchAll):
            return None
        pages = ranking_for(plan.tree, plan.match).pages
        found = self.best_pages([doc_id], pages).get(doc_id) if pages is not None else None
        return found[0]["_source"]["page"] if found else None

    def best_pages(self, doc_ids: list[str], pages: dict) -> dict[str, list[dict]]:
        """The best pages of these documents (the inner hits of ``pages``, a ranking's nested page clause),
        by document id."""
        body = {"size": len(doc_ids), "_source": ["id"],
                "query": {"bool": {"filter": [{"ids": {"values": doc_ids}}, pages]}}}
        return {hit["_source"]["id"]: inner_hits_named(hit.get("inner_hits") or {}, "pages")
                for hit in self._find(body)["hits"]["hits"]}

    def page(self, doc_id: str, number: int, q: str = "") -> dict | None:
        """One page's text; with ``q``, also as HTML with the query's hits marked (everything else escaped)."""
        plan = self.parse(q) if q.strip() else None
        meta = self._get(doc_id, _source_includes=["page_count", "entity_summary"])
        if meta is None:
            return None
        page_query: dict = {"term": {"pages.page": number}}
        inner: dict = {"name": "page", "size": 1, "_source": ["pages.page", "pages.text", "pages.language",
                                                              "pages.ocr", "pages.ocr_confidence", "pages.chars",
                                                              "pages.entities"]}
        highlight = _page_marking(meta, plan)
        if highlight is not None:
            inner["highlight"] = highlight
        body = {"size": 1, "_source": False, "query": ({"bool": {"filter": [
            {"ids": {"values": [doc_id]}},
            {"nested": {"path": "pages", "query": page_query, "inner_hits": inner}}]}})}
        hits = self._find(body)["hits"]["hits"]
        found = inner_hits_named(hits[0].get("inner_hits") or {}, "page") if hits else []
        if not found:
            return None
        src = found[0]["_source"]
        text = src.get("text") or ""
        html = pick_marked(found[0].get("highlight") or {}, plan is not None and exact_leaves(plan.tree)) or _escape(text)
        return {"page": src.get("page", number), "page_count": meta.get("page_count"), "text": text, "html": html,
                "hits": html.count("<mark>"), "language": src.get("language"), "ocr": src.get("ocr", False),
                "ocr_confidence": src.get("ocr_confidence"), "chars": src.get("chars", len(text)),
                "entities": src.get("entities") or {}}

    def hit_pages(self, doc_id: str, q: str) -> dict | None:
        """The pages of document ``doc_id`` whose page view (:meth:`page`) marks hits of ``q``, in page order,
        with how many each holds as the page view counts them (:func:`docsearch.pages.marked_spans`: "lavado de
        activos" is one hit): ``{"q", "total", "pages": [{"page", "hits"}]}``. None when the caller may not read
        the document. A reader's "hit 5 of 17, pages 2, 7, 8"."""
        meta = self._get(doc_id, _source_includes=["page_count", "entity_summary"])
        if meta is None:
            return None
        plan = self.parse(q) if q.strip() else None
        highlight = _page_marking(meta, plan)
        if plan is None or highlight is None:
            return {"q": q, "total": 0, "pages": []}
        exact = exact_leaves(plan.tree)
        counts: dict[int, int] = {}
        start = 0
        while start < MAX_HIT_PAGES:
            inner = {"name": "hits", "from": start, "size": _INNER_WINDOW, "_source": ["pages.page"],
                     "highlight": highlight}
            body = {"size": 1, "_source": False, "query": {"bool": {"filter": [
                {"ids": {"values": [doc_id]}},
                {"nested": {"path": "pages", "query": highlight["highlight_query"], "inner_hits": inner}}]}}}
            hits = self._find(body)["hits"]["hits"]
            found = (hits[0].get("inner_hits") or {}).get("hits", {}).get("hits", {}) if hits else {}
            rows = found.get("hits", []) if found else []
            for row in rows:
                marked = pick_marked(row.get("highlight") or {}, exact) or ""
                n = len(marked_spans(marked)[1])
                page = (row.get("_source") or {}).get("page")
                if n and isinstance(page, int):
                    counts[page] = n
            total = ((found or {}).get("total") or {}).get("value", 0)
            start += _INNER_WINDOW
            if len(rows) < _INNER_WINDOW or start >= total:
                break
        pages = [{"page": page, "hits": counts[page]} for page in sorted(counts)]
        return {"q": q, "total": sum(counts.values()), "pages": pages}

    def file_path(self, doc_id: str) -> tuple[Path, dict] | None:
        """Where the original PDF is stored, and its metadata; None when it is not there."""
        meta = self._get(doc_id, _source_includes=["id", "title", "source_paths", "file_size", "sources"])
        if meta is None:
            return None
        meta = shown(meta, self.caller)
        path = FileStore.of(self.settings).path_for(doc_id)
        return (path, meta) if path.is_file() else None

    def page_image(self, doc_id: str, number: int, width: int | None = None) -> PageImage | None:
        """Page ``number`` of the original file as PNG (see :mod:`docsearch.pages`); None when the file or
        the page is not there. Raises :class:`docsearch.pages.UnreadablePage` when pdfium cannot open it."""
        found = self.file_path(doc_id)
        if found is None:
            return None
        try:
            return render_png(found[0], number, width)
        except IndexError:
            return None

    def page_boxes(self, doc_id: str, number: int, q: str = "") -> dict | None:
        """Where the hits that :meth:`page` marks for ``q`` are on the page image, in units of its size:
        ``{"page", "width", "height", "text_layer", "hits", "boxes": [{"x", "y", "w", "h", "hit"}]}``."""
        shown = self.page(doc_id, number, q)
        found = self.file_path(doc_id) if shown is not None else None
        if shown is None or found is None:
            return None
        marked = shown["html"] if q.strip() else ""
        try:
            boxes = hit_boxes(found[0], number, marked, ocr=bool(shown.get("ocr")))
        except IndexError:
            return None
        return {"page": number, **boxes.as_dict()}

    def collection_names(self) -> list[str]:
        """The collections of the documents this caller may read."""
        body = {"size": 0, "track_total_hits": False, "aggs": {"c": {"terms": {"field": "collection", "size": 10_000}}}}
        return [bucket["key"] for bucket in self._find(body)["aggregations"]["c"]["buckets"]]

    # -- citations and suggestions ------------------------------------------------------------------------
    def cited_by(self, citation: str, size: int = 50) -> dict:
        """Documents citing a law, article, ruling or document (any spelling), with how often each cites it."""
        text = citation.strip()
        kinds = [f.entity for f in self.registry.fields if f.citations and f.entity]
        found = [m for m in citations_in_query(text) if m.type in kinds]
        kind: str | None
        if found:
            kind, canonical = found[0].type, found[0].canonical
        else:
            kind, canonical = None, text
        fields = [f"entities.{k}" for k in ([kind] if kind else kinds)]
        should = [clause for field in fields for clause in citation_terms(field, canonical)]
        query = {"bool": {"should": should, "minimum_should_match": 1}}
        body = {"size": min(size, MAX_PAGE_SIZE), "track_total_hits": True,
                "_source": RESULT_FIELDS + ["entity_summary"],
                "query": (query),
                "sort": [{"year": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]}
        resp = self._find(body)
        results, mentions = [], 0
        for hit in resp["hits"]["hits"]:
            src = hit["_source"]
            rows = [r for r in src.get("entity_summary") or [] if cites(r, kind, canonical)]
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
        types = self.suggest_types
        if kind is not None and kind not in types:
            raise InvalidQuery(f"type is one of {', '.join(types)}.")
        include = word_regex(prefix, prefix=True)
        if include is None:
            return {"prefix": prefix, "suggestions": []}
        kinds = [kind] if kind else list(types)
        should, aggs = [], {}
        for name in kinds:
            if name == "title":
                should.append(prefix_query(prefix.split()[-1], ["title.exact"]) if len(prefix.split()) == 1
                              else {"match_bool_prefix": {"title.exact": fold(prefix)}})
                continue
            field = self.registry[name].field
            should.append(keyword_words(field, prefix, prefix=True))
            aggs[name] = {"terms": {"field": field, "size": size, "include": include}}
        body = {"size": size if "title" in kinds else 0, "_source": ["id", "title"], "track_total_hits": False,
                "timeout": f"{self.settings.facet_budget_ms}ms",
                "query": ({"bool": {"should": should, "minimum_should_match": 1}}), "aggs": aggs}
        resp = self._find(body)
        out: list[dict] = []
        if "title" in kinds:
            titles: dict[str, int] = {}
            for hit in resp["hits"]["hits"]:
                title = hit["_source"].get("title")
                if title and re.search(_py_word_start(prefix), fold(title)):
                    titles[title] = titles.get(title, 0) + 1
            out.extend({"value": t, "type": "title", "count": c} for t, c in titles.items())
        for name in aggs:
            for bucket in (resp.get("aggregations") or {}).get(name, {}).get("buckets", []):
                out.append({"value": bucket["key"], "type": name, "count": bucket["doc_count"]})
        return {"prefix": prefix, "suggestions": out[: size * len(kinds)] if kind else out}


def _py_word_start(prefix: str) -> str:
    words = re.findall(r"\w+", fold(prefix))
    return r"(?<!\w)" + r"\W+".join(re.escape(w) for w in words)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#x27;")


# Inner hits come at most this many at a time (the engine's index.max_inner_result_window, 100 by default),
# and a document's pages are read for hits up to this many (a 5,000-page file is beyond anyone's walk).
_INNER_WINDOW = 100
MAX_HIT_PAGES = 5_000


def _page_marking(meta: dict, plan: Any) -> dict | None:
    """How the page view marks a query's hits (the inner hits' ``highlight``, its ``highlight_query`` included),
    None without a query to mark. A citation is marked in every spelling this document used for it (``meta``:
    the document's ``entity_summary``)."""
    cited = {leaf.canonical for leaf in positives(plan.tree) if isinstance(leaf, Citation)} if plan else set()
    spellings = [{"match_phrase": {"pages.text.exact": surface}}
                 for row in meta.get("entity_summary") or [] if row.get("canonical") in cited
                 for surface in row.get("surfaces") or []]
    highlight = highlight_query(plan.tree, spellings) if plan else None
    if highlight is None:
        return None
    return {"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"], "highlight_query": highlight,
            "number_of_fragments": 0, "fields": {"pages.text": {}, "pages.text.exact": {}}}
