"""The search service: every read path of docsearch goes through :class:`SearchService`.

Search and facets are here; a document, a page, the original file, similar documents, "cited by" and
suggestions are read by its base, :class:`docsearch.search.reads.ReadService`.

A query (``docsearch.search.parser`` reads it) becomes one engine request over the documents index
(``docsearch.search.clauses``): it is true or false of a document as a whole (its pages are also indexed
in the parent document), and among matches a document holding everything on one page ranks first
(``docsearch.search.ranking``). Each result carries its best pages with HTML-safe snippets. The facets are
counted by a request of their own, in parallel with the hits, within a time budget
(``docsearch.search.facets``).
"""

from __future__ import annotations

import time
from dataclasses import asdict, replace
from concurrent.futures import Future

from docsearch.identities import Identities
from docsearch.search.clauses import compile_tree, content_words, relaxable, word_regex
from docsearch.search.entity_page import entity_body, entity_field, entity_page
from docsearch.search.expand import described
from docsearch.search.network import edges_body, edges_from, network_fields, nodes_body, nodes_from
from docsearch.search.facets import POOL, facet_counts, facet_missing, facets_body, selections, within_budget
from docsearch.search.paging import RESCORE_WINDOW, decode_after, encode_after, sort_clause
from docsearch.search.ranking import OPENING, Ranking, best_fragment, opening, ranking_for
from docsearch.search.meaning import MeaningReads
from docsearch.search.notices import Notice, notices
from docsearch.search.reads import RESULTS, Plan
from docsearch.search.request import MAX_FACET_SIZE, InvalidQuery, SearchRequest, UnknownEntity
from docsearch.search.semantic import (
    LEXICAL,
    LEXICAL_WINDOW,
    Meaning,
    union,
)
from docsearch.search.tree import MatchAll, Node, Words, describe, fuzzable, has_fuzzable, positives, with_fuzzy
from nlp.identity import RESOLVED_TYPES


class SearchService(MeaningReads):

    def search(self, request: SearchRequest) -> dict:
        began = time.monotonic()  # took_ms: the whole search, its meaning legs, retries and answer included
        request = request.validate(self.registry)
        plan = self.parse(request.q)
        meaning = self._meaning(request, plan)
        out = self._search(request, plan, meaning=meaning)
        first_page = request.search_after is None and request.page == 1
        lexical_total = out.get("lexical_total", out["total"])
        # Nothing holds most of the words: the same words with typos allowed, then documents holding any of
        # them. Typos are tried first only when they can be the reason: for a single word, or when a word of
        # the query is in no document at all; a query of known words that no document holds together is a
        # description, better answered by the documents holding some of them. The retry has a time budget of
        # its own, so one hostile query cannot hold the engine for seconds.
        if (lexical_total == 0 and first_page and has_fuzzable(plan.tree) and meaning.lexical
                and (not relaxable(plan.tree) or self._unknown_words(plan.tree))):
            fuzzy = replace(plan, tree=with_fuzzy(plan.tree), approximate=True, warnings=plan.warnings + [Notice(
                "typos_allowed", "No document has these exact words; showing documents with similar words (typos "
                "allowed).")])
            retry = self._search(request, fuzzy, budget_ms=self.settings.fuzzy_budget_ms, meaning=meaning)
            if retry.pop("timed_out", False):
                fuzzy.warnings.append(Notice("typos_time_limit", "The search for similar words was stopped at its "
                                             "time limit; more documents may have them."))
            if retry.get("lexical_total", retry["total"]):
                out, plan = retry, fuzzy
        if out.get("lexical_total", out["total"]) == 0 and first_page and relaxable(plan.tree) and meaning.lexical:
            plan = replace(plan, match="any")
            out = self._search(request, plan, meaning=meaning)
        all_words = out.pop("all_words", None)
        lexical_total = out.pop("lexical_total", out["total"])
        warned = plan.warnings + list(meaning.warnings)
        out["query"] = {"q": request.q, "interpreted": describe(plan.tree), "warnings": [str(w) for w in warned],
                        "notices": notices(warned),
                        "approximate": plan.approximate,
                        "relaxed": all_words is not None and all_words < lexical_total, "all_words": all_words,
                        "expansions": described(plan.tree), "mode": meaning.mode,
                        "asked_mode": request.mode or self.settings.default_search_mode,
                        "translated": asdict(meaning.translation) if meaning.translation else None}
        out["answer"] = self._answer(request, out["results"], meaning) if first_page else None
        out["took_ms"] = round((time.monotonic() - began) * 1000)
        return out

    def _unknown_words(self, tree: Node) -> list[str]:
        """The plain words of the query that no document the caller may read holds (one request)."""
        words = sorted({word for leaf in positives(tree) if isinstance(leaf, Words)
                        for word in content_words(leaf.text).split() if fuzzable(word)})
        if not words:
            return []
        aggs = {f"w{i}": {"filter": {"match": {"pages.text": word}}} for i, word in enumerate(words)}
        found = self._find({"size": 0, "track_total_hits": False, "query": {"match_all": {}}, "aggs": aggs})
        return [word for i, word in enumerate(words) if not found["aggregations"][f"w{i}"]["doc_count"]]

    def _search(self, request: SearchRequest, plan: Plan, budget_ms: int | None = None,
                meaning: Meaning = LEXICAL) -> dict:
        tree = plan.tree
        has_query = not isinstance(tree, MatchAll)
        selected = selections(request, self.registry)
        sort = sort_clause(request.sort, has_query)
        ranking = ranking_for(tree, plan.match) if has_query else None
        extra = meaning.extra_ids
        lexical = ranking.query if ranking is not None and meaning.lexical else None
        body: dict = {
            "size": request.size,
            "track_total_hits": True,
            **RESULTS,
            "query": union(lexical, extra) if meaning.fused else (lexical or {"bool": {"filter": [OPENING]}}),
        }
        token = decode_after(request.search_after, request.sort, len(sort)) if request.search_after else None
        offset = token["o"] if token and "o" in token else (request.page - 1) * request.size
        fusing = meaning.fused and request.sort == "relevance"
        rescore = ranking.rescore if ranking is not None and lexical is not None else None
        if fusing:
            body["size"] = max(LEXICAL_WINDOW, request.size)
            # Ids only: a document's source holds its passages' vectors, and reading 50 of them costs more than
            # the search (113 against 27 ms on 100,000 pages); the page's own sources are read after the fusion.
            body["_source"] = False
            body.pop("docvalue_fields")
            body["from"] = 0
        elif (rescore is not None and request.sort == "relevance" and not (token and "v" in token)
                and offset + request.size <= RESCORE_WINDOW):  # re-ranked hits carry no sort values: by offset
            body["from"] = offset
        else:
            body["sort"] = sort
            if token and "v" in token:
                body["search_after"] = token["v"]
            else:
                body["from"] = offset
            if request.sort != "relevance" and has_query:
                body["track_scores"] = True
        if rescore is not None and "sort" not in body:
            body["rescore"] = {"window_size": RESCORE_WINDOW,
                               "query": {"rescore_query": rescore, "query_weight": 1.0, "rescore_query_weight": 1.0}}
        if selected:  # the hits obey every selection; each facet's counts all but its own
            body["query"] = {"bool": {"must": [body["query"]], "filter": list(selected.values())}}
        aggs = {}
        if ranking is not None and ranking.all_words is not None and lexical is not None:  # how many hold every word
            aggs["all_words"] = {"filter": ranking.all_words}
        if meaning.fused and lexical is not None and ranking is not None:
            aggs["lexical"] = {"filter": ranking.doc}
        if aggs:
            body["aggs"] = aggs
        if budget_ms is not None:  # the engine answers with what it found by then (timed_out: true)
            body["timeout"] = f"{budget_ms}ms"
        chosen = dict(request.filters)
        started = time.monotonic()
        counting: Future | None = None
        if request.facets:
            doc_filter = ranking.doc if ranking and lexical is not None else {"match_all": {}}
            if meaning.fused:
                doc_filter = union(ranking.doc if ranking and lexical is not None else None, extra)
            # Sent first, so the facets are counted while the hits are fetched; a request of size 0 is
            # also answered from the engine's request cache when the same search comes again.
            counting = POOL.submit(self._find, facets_body(
                self.registry.facets, {"bool": {"filter": [doc_filter]}}, selected, self.settings.facet_budget_ms))
        try:
            main = self._find(body)
            total = main["hits"]["total"]["value"]
            if fusing:
                hits = self._fused_page(body, main["hits"]["hits"], meaning, offset, request.size)
            else:
                hits = main["hits"]["hits"]
        except BaseException:
            if counting is not None:
                counting.cancel()
            raise
        results = [self._result(hit, has_query) for hit in hits]
        for result, hit in zip(results, hits):
            result["matched"] = meaning.matched(hit["_id"], lexical is not None and "lex" in hit.get("matched_queries", ()))
        if ranking is not None and lexical is not None:
            self._add_pages([r for r in results if r["matched"] != "semantic"], ranking)
        self._add_passages(results, meaning)
        out: dict = {"total": total, "took_ms": 0, "page": request.page,  # took_ms: set by search()
                     "size": request.size, "sort": request.sort, "results": results,
                     "next_search_after": None}
        if budget_ms is not None:
            out["timed_out"] = bool(main.get("timed_out"))
        found = main.get("aggregations") or {}
        if "all_words" in found:
            out["all_words"] = found["all_words"]["doc_count"]
        if "lexical" in found:
            out["lexical_total"] = found["lexical"]["doc_count"]
        elif meaning.fused:
            out["lexical_total"] = 0
        if hits and len(hits) == request.size and offset + len(hits) < out["total"]:
            if fusing or "sort" not in hits[-1]:
                out["next_search_after"] = encode_after(request.sort, offset=offset + len(hits))
            else:
                out["next_search_after"] = encode_after(request.sort, values=hits[-1]["sort"])
        if counting is not None:
            resp = within_budget(counting, started + self.settings.facet_budget_ms / 1000)
            names = self.registry.facet_keys
            out["partial_facets"] = list(names) if resp is None or resp.get("timed_out") else []
            aggs = (resp or {}).get("aggregations") or {}
            out["facets"] = {name: facet_counts(aggs, name, chosen) for name in names}
            out["facets_missing"] = facet_missing(aggs, self.registry)
        return out

    def _fused_page(self, body: dict, window: list[dict], meaning: Meaning, offset: int,
                    size: int) -> list[dict]:
        """The hits of one page of a fused ranking: the lexical window, the semantic and translated rankings
        fused (``Meaning.scored``); past the fused list, the lexical ranking goes on without what it showed."""
        lexical = [(hit["_id"], hit.get("_score") or 0.0) for hit in window if "lex" in hit.get("matched_queries", ())]
        ranked = meaning.scored(lexical)
        fused = [doc_id for doc_id, _ in ranked]
        score = dict(ranked)
        wanted = fused[offset: offset + size]
        by_id = {}
        if wanted:
            fetched = self._find({"size": len(wanted), **RESULTS,
                                  "query": {"bool": {"must": [body["query"]], "filter": [{"ids": {"values": wanted}}]}}})
            by_id = {hit["_id"]: hit for hit in fetched["hits"]["hits"]}
        hits = [{**by_id[doc_id], "_score": round(score[doc_id], 6)} for doc_id in wanted if doc_id in by_id]
        if len(hits) < size and meaning.lexical:  # the lexical ranking goes on past the fused list
            rest = {**body, **RESULTS, "size": size - len(hits),
                    "from": max(0, offset + len(hits) - len(fused)),
                    "query": {"bool": {"must": [body["query"]], "must_not": [{"ids": {"values": fused}}]}}}
            rest.pop("aggs", None)
            if rest["from"] + rest["size"] > RESCORE_WINDOW:
                rest.pop("rescore", None)
            hits.extend(self._find(rest)["hits"]["hits"])
        return hits

    def _add_pages(self, results: list[dict], ranking: Ranking) -> None:
        """The best pages of each result, with snippets (a second, small request over these documents
        only); a result matched by its title or metadata alone shows the opening of its page 1 (a third
        request, for those documents alone)."""
        by_id = {r["id"]: r for r in results}
        if ranking.pages and by_id:
            for doc_id, inner_hits in self.best_pages(list(by_id), ranking.pages).items():
                if doc_id in by_id:
                    by_id[doc_id]["pages"] = [
                        {"page": inner["_source"]["page"], "snippet": best_fragment(inner, ranking.exact)}
                        for inner in inner_hits]
        bare = [doc_id for doc_id, r in by_id.items() if not r["pages"]]
        if bare:
            body = {"size": len(bare), "_source": ["id"],
                    "query": {"bool": {"filter": [{"ids": {"values": bare}}, OPENING]}}}
            for hit in self._find(body)["hits"]["hits"]:
                by_id[hit["_source"]["id"]]["pages"] = opening(hit.get("inner_hits") or {})
    # -- watches (docsearch.watches) -------------------------------------------------------------------
    def watch_clause(self, request: SearchRequest) -> dict:
        """What a document must satisfy to be found by ``request``: its words as a first search reads them
        (no typo or relaxed retry), its filters and years. Read by words alone whatever the request's mode (a
        stored query cannot compare meanings), and without the caller's access rule, which is applied to
        each document found, for its owner, when it is announced (:meth:`notice`)."""
        request = request.validate(self.registry)
        plan = self.parse(request.q)
        clauses = list(selections(request, self.registry).values())
        if not isinstance(plan.tree, MatchAll):
            clauses.insert(0, ranking_for(plan.tree, plan.match).doc)
        return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}

    def watch_filters(self, request: SearchRequest) -> dict:
        """What :meth:`watch_clause` asks of a document but its words: its filters and years (every document
        when it has none). A document that fails it cannot be found by the request: matched first, on the
        document without its pages, it spares the words' costlier check (``docsearch.watches.percolate``)."""
        clauses = list(selections(request.validate(self.registry), self.registry).values())
        return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}

    def readable(self, doc_ids: list[str]) -> set[str]:
        """Which of these documents the caller may read now (one search through its access rule)."""
        if not doc_ids:
            return set()
        found = self._find({"size": len(doc_ids), "_source": False, "query": {"ids": {"values": doc_ids}}})
        return {hit["_id"] for hit in found["hits"]["hits"]}

    def notice(self, doc_id: str, request: SearchRequest | None = None, within: dict | None = None,
               pages: dict | None = None) -> dict | None:
        """Document ``doc_id`` as a result of ``request`` limited by the clause ``within``, with its best page and
        snippet, when it matches and the caller may read it now; None otherwise. ``pages``, a nested clause over
        ``pages`` with inner hits named ``pages``, picks the page when the request has no words."""
        request = (request or SearchRequest()).validate(self.registry)
        plan = self.parse(request.q)
        has_query = not isinstance(plan.tree, MatchAll)
        ranking = ranking_for(plan.tree, plan.match) if has_query else None
        filters = [{"ids": {"values": [doc_id]}}, *selections(request, self.registry).values()]
        if within is not None:
            filters.append(within)
        query = {"bool": {"filter": filters}}
        if ranking is not None:
            query["bool"]["must"] = [ranking.doc]
        hits = self._find({"size": 1, **RESULTS, "query": query})["hits"]["hits"]
        if not hits:
            return None
        result = self._result(hits[0], has_query)
        if ranking is not None:
            self._add_pages([result], ranking)
        elif pages is not None:
            found = self.best_pages([doc_id], pages).get(doc_id) or []
            result["pages"] = [{"page": inner["_source"]["page"], "snippet": best_fragment(inner, False)}
                               for inner in found] or result["pages"]
        return result

    def entity(self, key: str, value: str) -> dict:
        """One entity across the documents the caller may read (``docsearch.search.entity_page``)."""
        field = entity_field(self.registry, key)
        value = value.strip()
        if not value:
            raise InvalidQuery("value is the entity's canonical form, as its facet lists it.")
        identity = (Identities(self.engine, self.settings).named(field.entity, value)
                    if field.entity in RESOLVED_TYPES else None)
        return entity_page(self._find(entity_body(self.registry, field, value)), self.registry, field, value, identity)

    def identity(self, id: str) -> dict:
        """The entity page of the archive's identity ``id`` (followed to where it was merged), or
        :class:`UnknownEntity` when there is none among the documents the caller may read."""
        record = Identities(self.engine, self.settings).get(id.strip()) if id.strip() else None
        field = next((f for f in self.registry.fields if record and f.entity == record["type"] and f.facet), None)
        page = self.entity(field.key, record["name"]) if field and record else None
        if page is None or not page["documents"]:
            raise UnknownEntity(f"no entity {id} in the documents you may read.")
        return page

    def _documents(self, request: SearchRequest) -> tuple[SearchRequest, dict | None]:
        """The request checked, and a filter of the documents its query matches (unscored; every document
        for an empty query): what facet values and the network count over."""
        request = request.validate(self.registry)
        plan = self.parse(request.q)
        return request, ({"match_all": {}} if isinstance(plan.tree, MatchAll)
                         else compile_tree(plan.tree, "doc", plan.match))

    def network(self, request: SearchRequest, keys: list[str] | None = None, per_field: int = 10) -> dict:
        """The co-occurrence network of the entities of the documents a search selects
        (``docsearch.search.network``): nodes, and edges weighted by the pages naming both."""
        fields = network_fields(self.registry, keys)
        if not 1 <= per_field <= 30:
            raise InvalidQuery("size (nodes per type) must be between 1 and 30.")
        request, doc_filter = self._documents(request)
        query = {"bool": {"filter": [doc_filter, *selections(request, self.registry).values()]}}
        found = self._find(nodes_body(query, fields, per_field))
        nodes = nodes_from(found, fields)
        edges = edges_from(self._find(edges_body(query, nodes)), nodes) if len(nodes) > 1 else []
        return {"q": request.q, "types": [f.key for f in fields], "documents": found["hits"]["total"]["value"],
                "nodes": nodes, "edges": edges}

    def facet_values(self, request: SearchRequest, name: str, prefix: str = "", size: int = 20) -> dict:
        """One facet's values for a search, those with a word starting with ``prefix`` (any case, any accents)."""
        if name not in self.registry.facet_keys:
            raise InvalidQuery(f"Unknown facet '{name}'; facets are: {', '.join(self.registry.facet_keys)}.")
        if not 1 <= size <= MAX_FACET_SIZE:
            raise InvalidQuery(f"size must be between 1 and {MAX_FACET_SIZE}.")
        request, doc_filter = self._documents(request)
        include = None
        if prefix.strip() and self.registry[name].kind != "year":
            include = word_regex(prefix, prefix=True)
            if include is None:
                raise InvalidQuery("prefix needs a letter or a digit.")
        body = facets_body((self.registry[name],), {"bool": {"filter": [doc_filter]}}, selections(request, self.registry),
                           self.settings.facet_budget_ms, include, size)
        resp = self._find(body)
        return {"facet": name, "prefix": prefix, "partial": bool(resp.get("timed_out")),
                "values": facet_counts(resp.get("aggregations") or {}, name, dict(request.filters))}

