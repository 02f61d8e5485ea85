"""Reads by meaning: the rankings a search fuses with its words' (the nearest passages, the query translated),
the passages shown for them, the answer to a question, similar documents and similar passages.

:class:`MeaningReads` sits between :class:`docsearch.search.reads.ReadService` and the search service; the
vectors, the fusion and their limits are in :mod:`docsearch.search.semantic`.
"""

from __future__ import annotations

from concurrent.futures import Future

from docsearch.engine import EngineError, EngineUnavailable
from docsearch.search.facets import POOL, selections
from docsearch.search.notices import Notice
from docsearch.search.ranking import OPENING, inner_hits_named, ranking_for
from docsearch.search.reads import RESULTS, Plan, ReadService, result_source
from docsearch.search.request import InvalidQuery, SearchRequest
from docsearch.search.semantic import (
    ANSWER_CHARS,
    ANSWER_FROM,
    LEXICAL,
    LEXICAL_WINDOW,
    MEANING_WORDS,
    SEMANTIC_DOCS,
    Meaning,
    SemanticHit,
    cosine,
    is_question,
    knn_query,
    marked,
    mean_vector,
    names_only,
    plain,
    query_words,
    rrf,
    semantic_hits,
    translated_query,
    trimmed,
)
from docsearch.search.snippets import SNIPPET_CHARS
from docsearch.search.tree import MatchAll


class MeaningReads(ReadService):
    """Reads that use the passages' vectors, on behalf of the caller (every one through ``_find``/``_get``)."""

    def _meaning(self, request: SearchRequest, plan: Plan) -> Meaning:
        """The rankings a search fuses with its words' (``docsearch.search.semantic``). Identifiers, phrases,
        fields and operators are searched by their words alone in ``hybrid`` mode: they ask for exactly that."""
        mode = request.mode or self.settings.default_search_mode
        if isinstance(plan.tree, MatchAll) or mode == "lexical" and not plain(plan.tree):
            return LEXICAL
        if mode == "hybrid" and not plain(plan.tree):
            return Meaning(mode="lexical")
        warnings: list[str] = []
        question = is_question(request.q)
        translation = translated_query(request.q) if mode != "semantic" and self.settings.query_translation else None
        # One word asks for that word (a term), and a name for that name: meaning joins from two words on, or
        # for a question.
        nearest: Future | None = None
        if mode == "semantic" or mode == "hybrid" and (question or len(query_words(request.q)) >= MEANING_WORDS
                                                       and not names_only(request.q)):
            nearest = POOL.submit(self._nearest, request)
        translated: list[tuple[str, float]] = []
        if translation is not None:
            translated = self._translated_ranking(request, translation.text)
        semantic: tuple[SemanticHit, ...] = ()
        if nearest is not None:
            try:
                semantic = tuple(nearest.result())
            except EngineError as exc:
                if isinstance(exc, EngineUnavailable):
                    raise
                warnings.append(Notice("meaning_unavailable", "Search by meaning is not available on this index "
                                       "until it is rebuilt; showing documents by their words."))
                mode = "lexical"
        if mode == "semantic":
            return Meaning(mode, False, semantic, warnings=tuple(warnings), question=question, q=request.q)
        return Meaning(mode, True, semantic, tuple(doc_id for doc_id, _ in translated), translation, tuple(warnings),
                       question, request.q, tuple(score for _, score in translated),
                       self.settings.semantic_weight, self.settings.translated_weight)

    def _nearest(self, request: SearchRequest) -> list[SemanticHit]:
        """The documents whose passages are nearest the query's meaning (at most ``SEMANTIC_DOCS``). The query's
        vector alone: joining an English query's vector with its translation's gained nothing on the dev set."""
        from nlp.encoder import get_encoder, to_int8

        vector = to_int8(get_encoder().encode([request.q]))[0]
        filters = list(selections(request, self.registry).values())
        allowed = self.caller.read_filter()
        inside = filters + ([allowed] if allowed is not None else [])
        body = {"size": SEMANTIC_DOCS, "_source": False,
                "query": {"bool": {"must": [knn_query(self.engine.kind, vector, SEMANTIC_DOCS, inside)],
                                   "filter": filters}}}
        return semantic_hits(self._find(body), self.settings.semantic_min_similarity)

    def _translated_ranking(self, request: SearchRequest, text: str) -> list[tuple[str, float]]:
        """The documents the translated query's words find, best first (its first ``LEXICAL_WINDOW``), with
        their scores."""
        try:
            plan = self.parse(text)
        except InvalidQuery:
            return []
        if isinstance(plan.tree, MatchAll):
            return []
        ranking = ranking_for(plan.tree, "any")
        query = ranking.query
        selected = selections(request, self.registry)
        if selected:
            query = {"bool": {"must": [query], "filter": list(selected.values())}}
        found = self._find({"size": LEXICAL_WINDOW, "_source": False, "query": query})
        return [(hit["_id"], hit.get("_score") or 0.0) for hit in found["hits"]["hits"]]

    def _add_passages(self, results: list[dict], meaning: Meaning) -> None:
        """Each result's passages nearest the query; a result found by meaning alone shows its best passage as
        its snippet, with the query's words marked where the passage has them."""
        bare = {}
        for result in results:
            passages = meaning.passages(result["id"])
            result["passages"] = [{"page": p.page, "start": p.start, "end": p.end, "score": p.cosine} for p in passages]
            if passages and not result["pages"]:
                bare[result["id"]] = passages[0]
        if not bare:
            return
        texts = self._page_texts({doc_id: {p.page} for doc_id, p in bare.items()})
        words = query_words(meaning.q)
        for result in results:
            best = bare.get(result["id"])
            if best is not None:
                text = texts.get((result["id"], best.page), "")[best.start: best.end]
                result["pages"] = [{"page": best.page, "snippet": marked(trimmed(text, SNIPPET_CHARS), words)}]

    def _answer(self, request: SearchRequest, results: list[dict], meaning: Meaning) -> dict | None:
        """For a question, the passage of the first results nearest its meaning: the answer shown above them."""
        if not meaning.question or not meaning.semantic:
            return None
        candidates = [(p, r) for r in results[:ANSWER_FROM] for p in meaning.passages(r["id"])]
        if not candidates:
            return None
        best, result = max(candidates, key=lambda pair: pair[0].cosine)
        text = self._page_texts({result["id"]: {best.page}}).get((result["id"], best.page), "")[best.start: best.end]
        if not text.strip():
            return None
        shown_text = trimmed(text, ANSWER_CHARS)
        return {"id": result["id"], "title": result.get("title"), "page": best.page, "start": best.start,
                "end": best.end, "score": best.cosine, "text": shown_text,
                "html": marked(shown_text, query_words(request.q))}

    def similar(self, doc_id: str, size: int = 5) -> dict | None:
        """Documents most like this one: more-like-this over its title and text, and the documents whose
        passages are nearest its own (its passages' mean vector), fused by rank."""
        src = self._get(doc_id, _source_includes=["title", "pages.text", "passages.vector"])
        if src is None:
            return None
        text = " ".join([src.get("title") or ""] + [p.get("text") or "" for p in src.get("pages") or []])[:40_000]
        mlt = {"more_like_this": {"fields": ["pages.text", "title"], "like": text, "min_term_freq": 2,
                                  "min_doc_freq": 1, "max_query_terms": 40, "minimum_should_match": "20%"}}
        body = {"size": size, **RESULTS,
                "query": ({"bool": {"must": [mlt], "must_not": [{"ids": {"values": [doc_id]}}],
                                                "filter": [OPENING]}})}
        hits = self._find(body)["hits"]["hits"]
        vectors = [p["vector"] for p in src.get("passages") or [] if p.get("vector")]
        if vectors:
            near = self._near(mean_vector(vectors), size, exclude=[doc_id])
            by_id = {hit["_id"]: hit for hit in hits} | {hit["_id"]: hit for hit in near}
            fused = rrf([([hit["_id"] for hit in hits], 1.0), ([hit["_id"] for hit in near], 1.0)])
            hits = [by_id[doc_id] for doc_id, _ in fused[:size]]
        return {"id": doc_id, "results": [self._result(hit, True) for hit in hits]}

    def _near(self, vector: list[int], size: int, exclude: list[str]) -> list[dict]:
        """Documents whose passages are nearest ``vector`` (at or above the cosine floor), with page 1's opening."""
        allowed = self.caller.read_filter()
        knn = knn_query(self.engine.kind, vector, size + len(exclude), [allowed] if allowed is not None else [])
        body = {"size": size, **RESULTS,
                "query": {"bool": {"must": [knn], "must_not": [{"ids": {"values": exclude}}], "filter": [OPENING]}}}
        floor = self.settings.semantic_min_similarity
        return [hit for hit in self._find(body)["hits"]["hits"] if cosine(hit.get("_score") or 0.0) >= floor]

    def similar_passages(self, doc_id: str, page: int, start: int, size: int = 10) -> dict | None:
        """Passages of other documents nearest one passage of this one (``page`` and ``start`` name it: a
        search result's ``passages``); None when there is no such readable document or passage."""
        src = self._get(doc_id, _source_includes=["passages"])
        if src is None:
            return None
        passage = next((p for p in src.get("passages") or [] if p.get("page") == page and p.get("start") == start), None)
        if passage is None or not passage.get("vector"):
            return None
        allowed = self.caller.read_filter()
        knn = knn_query(self.engine.kind, passage["vector"], size + 1, [allowed] if allowed is not None else [])
        knn["nested"]["inner_hits"]["size"] = 1
        body = {"size": size, **RESULTS,
                "query": {"bool": {"must": [knn], "must_not": [{"ids": {"values": [doc_id]}}]}}}
        response = self._find(body)
        found = semantic_hits(response, self.settings.semantic_min_similarity)
        titles = {hit["_id"]: result_source(hit)["title"] for hit in response["hits"]["hits"]}
        texts = self._page_texts({h.id: {h.passages[0].page} for h in found if h.passages})
        results = []
        for hit in found:
            if not hit.passages:
                continue
            best = hit.passages[0]
            text = texts.get((hit.id, best.page), "")[best.start: best.end]
            results.append({"id": hit.id, "title": titles.get(hit.id), "page": best.page, "start": best.start,
                            "end": best.end, "score": best.cosine, "text": trimmed(text, ANSWER_CHARS)})
        return {"id": doc_id, "page": page, "start": start, "results": results}

    def _page_texts(self, wanted: dict[str, set[int]]) -> dict[tuple[str, int], str]:
        """The text of some pages of some documents (one request)."""
        numbers = sorted({n for pages in wanted.values() for n in pages})
        if not wanted:
            return {}
        body = {"size": len(wanted), "_source": False, "query": {"bool": {"filter": [
            {"ids": {"values": list(wanted)}},
            {"nested": {"path": "pages", "query": {"terms": {"pages.page": numbers}},
                        "inner_hits": {"name": "texts", "size": min(100, len(numbers)),
                                       "_source": ["pages.page", "pages.text"]}}}]}}}
        out = {}
        for hit in self._find(body)["hits"]["hits"]:
            for inner in inner_hits_named(hit.get("inner_hits") or {}, "texts"):
                number = inner["_source"].get("page")
                if number in wanted.get(hit["_id"], ()):
                    out[(hit["_id"], number)] = inner["_source"].get("text") or ""
        return out
