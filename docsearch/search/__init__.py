"""Search: every read of the documents index, through :class:`SearchService`.

| module | holds |
| --- | --- |
| ``request`` | a search request, its limits and their validation (:class:`InvalidQuery`) |
| ``tree`` | the tree a query becomes, and its reading in the query language |
| ``parser`` | the query language's tolerant parser |
| ``clauses`` | the tree as engine clauses (words, phrases, prefixes, citations, ``field:value``) |
| ``ranking`` | how matches rank, which pages are shown, what is marked in them |
| ``facets`` | facet counts within a time budget |
| ``paging`` | sort orders and ``search_after`` tokens |
| ``reads`` | one document, a page, the original file, similar, cited by, suggestions |
| ``semantic`` | passage vectors in the engine, the fusion of rankings by rank, what a search adds to its words |
| ``meaning`` | reads by meaning: the nearest passages, the query translated, answers, similar documents and passages |
| ``service`` | :class:`SearchService`: search and facet values, over the reads |
"""

from docsearch.search.request import (
    MAX_FACET_SIZE,
    MAX_PAGE_SIZE,
    MAX_QUERY_CHARS,
    MODES,
    SORTS,
    InvalidQuery,
    SearchRequest,
)
from docsearch.search.service import SearchService

__all__ = ["MAX_FACET_SIZE", "MAX_PAGE_SIZE", "MAX_QUERY_CHARS", "MODES", "SORTS", "InvalidQuery", "SearchRequest",
           "SearchService"]
