"""How the documents a query matches are ranked, and which of their pages are shown with which words marked.

A document holding everything on one page ranks first among the best matches (a rescore over their pages),
a citing document by how many of its pages cite; the pages shown are those holding everything, then those
holding the most of it. Snippets are HTML-safe: the engine's ``html`` encoder escapes the text, and only
``<mark>`` is added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docsearch.search.clauses import (
    PAGE_TEXT,
    TITLE_FIELDS,
    Match,
    citing_pages,
    compile_tree,
    content_words,
    is_it,
    phrase_query,
    prefix_query,
    relaxable,
    term_query,
    unit_count,
    words_query,
)
from docsearch.search.snippets import SNIPPET_CHARS, sentence_snippet
from docsearch.search.tree import Citation, FieldValue, Node, Phrase, Prefix, Words, positives

BEST_PAGES = 3

def exact_leaves(tree: Node) -> bool:
    """True when the query has terms only the unstemmed field marks (phrases, prefixes, citations, fields)."""
    return any(not isinstance(leaf, Words) for leaf in positives(tree))


def highlight_query(tree: Node, extra: list[dict] | None = None) -> dict | None:
    """What to mark in a page: every searched-for word (stemmed, and unstemmed without stop words), phrase,
    prefix and citation (numbers included, so any spelling of a citation is marked), and the words of
    entity field values."""
    clauses = list(extra or [])
    for leaf in positives(tree):
        if isinstance(leaf, Words):
            clauses.append(words_query(leaf.text, ["pages.text", "pages.text.en"], operator="or", fuzzy=leaf.fuzzy))
            content = content_words(leaf.text)
            if content:
                clauses.append(words_query(content, ["pages.text.exact"], operator="or", fuzzy=leaf.fuzzy))
            clauses.extend(term_query(t, ["pages.text"]) for s in leaf.synonyms for t in s.alternatives)
        elif isinstance(leaf, Phrase):
            clauses.append(phrase_query(leaf.text, ["pages.text.exact"]))
        elif isinstance(leaf, Prefix):
            clauses.append(prefix_query(leaf.text, ["pages.text.exact"]))
        elif isinstance(leaf, Citation):
            numbers = " ".join(_NUMBER.findall(leaf.canonical))
            clauses.append({"match_phrase": {"pages.text.exact": leaf.surface}})
            if numbers:
                clauses.append(words_query(numbers, ["pages.text", "pages.text.exact"], operator="or"))
        elif isinstance(leaf, FieldValue) and leaf.field.on_pages and leaf.kind != "range":
            clauses.append(words_query(content_words(leaf.text) or leaf.text,
                                        ["pages.text", "pages.text.exact"], operator="or"))
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"bool": {"should": clauses}}


def pick_marked(highlight: dict, exact_terms: bool) -> str | None:
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
    """Inner hits naming the best pages, each page HTML-escaped and marked whole, for :mod:`snippets` to cut
    its sentence from (the unstemmed field is highlighted too only when the query has terms only it can
    mark)."""
    fragment = {"number_of_fragments": 0}
    fields: dict = {"pages.text": {**fragment, "no_match_size": 2 * SNIPPET_CHARS}}
    if exact_terms:
        fields["pages.text.exact"] = fragment
    spec: dict = {"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"], "fields": fields}
    if highlight is not None:
        spec["highlight_query"] = highlight
    return {"name": name, "size": BEST_PAGES, "_source": ["pages.page"], "highlight": spec}


def _all_positive_page_clauses(tree: Node) -> list[dict]:
    out = []
    for leaf in positives(tree):
        if isinstance(leaf, Words):  # any of the words
            out.append(words_query(leaf.text, PAGE_TEXT, operator="or", fuzzy=leaf.fuzzy))
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
    exact: bool  # the query has terms only the unstemmed field marks (see pick_marked)
    all_words: dict | None = None  # when ``doc`` may hold only part of the words: the documents holding all


# Documents holding every word of the query score this much more than those holding part of it, so they
# come first whatever the text scores (BM25 and the page rescore stay well under it).
ALL_WORDS_FIRST = 1000.0
# ... for queries of fewer words than this. A long query or a question is a description: the document that
# holds all of its words is often not the one meant (it needs only one word the right one lacks), so such
# queries rank by the text score of the words each document holds (rare words weigh most).
LONG_QUERY = 5
# The document that is the ruling, law or document a query names ranks above everything else: above those
# holding every word, and above those that cite it (ranked among themselves by their citing pages).
IS_IT_TITLE = 3000.0
IS_IT_HEADING = 2000.0
# A document with a term the thesaurus relates to one of the query's (not the same thing: ``decomiso`` for
# ``incautación``) ranks this much higher, about a word's worth of text score.
RELATED = 0.5
# Words of a run close together (within this many positions) rank a document higher: the phrase the user
# had in mind, or near it.
NEAR_SLOP = 4


def ranking_for(tree: Node, match: Match = "most") -> Ranking:
    """Which documents match, how they rank, and which pages to show.

    The query is true or false of a document as a whole: every word somewhere in it (its pages are also
    indexed in the parent document) or in its title, and an excluded word nowhere. Legal citations in
    the query are read through the same normaliser as documents, so any spelling finds every spelling.
    Among the best matches, a document with everything on one page ranks first, and a citing document
    by how many of its pages cite. The pages shown are those holding everything, then those holding the
    most of it (a page holding everything scores its full match, one holding part a hundredth of it).

    Runs of plain words match best-first (``match``, see ``clauses.Match``): documents holding every
    word rank first, then those holding most of them; words close together rank a document higher.

    Scoring every page of every matching document costs most of a search on a large index, so the
    pages re-rank only the best ``RESCORE_WINDOW`` (100) documents (a rescore), and the pages to show are
    fetched for the documents of the result page alone.
    """
    doc = compile_tree(tree, "doc", match)
    assert doc is not None  # only the page scope leaves a term out
    all_words = compile_tree(tree, "doc") if match != "all" and relaxable(tree) else None
    page_all = compile_tree(tree, "page")
    some = _all_positive_page_clauses(tree)
    exact = exact_leaves(tree)
    rescore: list[dict] = []
    pages = None
    if some:
        best = [{"bool": {"should": some, "minimum_should_match": 1, "boost": 0.01}}]
        if page_all is not None:
            best.insert(0, page_all)
        nested = {"path": "pages", "score_mode": "max", "query": {"bool": {"should": best, "minimum_should_match": 1}}}
        rescore.append({"nested": {**nested, "boost": 2.0}})
        pages = {"nested": {**nested, "inner_hits": _page_hits("pages", highlight_query(tree), exact)}}
    rescore.extend(citing_pages(leaf) for leaf in positives(tree) if isinstance(leaf, Citation))
    should: list[dict] = []
    if all_words is not None and unit_count(tree) < LONG_QUERY:
        should.append({"constant_score": {"filter": all_words, "boost": ALL_WORDS_FIRST}})
    for leaf in positives(tree):
        if isinstance(leaf, Citation):
            for clause, boost in zip(is_it(leaf), (IS_IT_TITLE, IS_IT_HEADING)):
                should.append({"constant_score": {"filter": clause, "boost": boost}})
    for leaf in positives(tree):
        if isinstance(leaf, Words):
            for synonym in leaf.synonyms:  # related terms: a little higher, never a match on their own
                should.extend({"constant_score": {"filter": term_query(t, ["pages.text"]), "boost": RELATED}}
                              for t in synonym.related)
            content = content_words(leaf.text) or leaf.text
            should.append(words_query(content, TITLE_FIELDS, "or" if all_words is not None else "and", leaf.fuzzy))
            if len(content.split()) > 1:  # re-ranks the best matches only: positions are costly to read
                rescore.append({"match_phrase": {"pages.text": {"query": content, "slop": NEAR_SLOP}}})
        elif isinstance(leaf, Phrase):
            should.append(phrase_query(leaf.text, ["title.exact"]))
    return Ranking(doc, {"bool": {"must": [doc], "should": should}},
                   {"bool": {"should": rescore}} if rescore else None, pages, exact, all_words)


# Every document has a page 1; this filter matches all of them and fetches page 1's
# opening lines as the snippet of a result matched by its title or metadata alone (or of a listing).
OPENING = {
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


def inner_hits_named(inner_hits: dict, name: str) -> list[dict]:
    return inner_hits.get(name, {}).get("hits", {}).get("hits", [])


def opening(inner_hits: dict) -> list[dict]:
    """Page 1's opening lines, from the ``opening`` inner hits."""
    out = []
    for inner in inner_hits_named(inner_hits, "opening"):
        fragments = (inner.get("highlight") or {}).get("pages.text") or []
        if fragments:
            out.append({"page": inner["_source"]["page"], "snippet": fragments[0]})
    return out


def best_fragment(inner: dict, exact_terms: bool) -> str:
    """The snippet of a page: the sentence around its hits (see :mod:`snippets`)."""
    return sentence_snippet(pick_marked(inner.get("highlight") or {}, exact_terms) or "")

