"""Engine clauses built from a parsed query, checked as data (the HTTP tests run them on the engine)."""

from __future__ import annotations

import pytest

from docsearch.fields import REGISTRY
from docsearch.search.clauses import citation_terms, cites, content_words, is_it
from docsearch.search.facets import facet_counts, facet_missing, facets_body, selections
from docsearch.search.request import InvalidQuery, SearchRequest
from docsearch.search.tree import Citation


@pytest.mark.parametrize("canonical, prefixes", [
    ("Casación 1234-2018", ["Casación 1234-2018-", "Casación 1234-2018/"]),  # every seat
    ("Expediente 00456-2019", ["Expediente 00456-2019-", "Expediente 00456-2019/"]),  # every suffix
    ("Ley 30077", []),  # no number-year: whole only
    ("Código Penal art. 296", []),  # not art. 296-A
])
def test_a_citation_matches_whole_or_continued(canonical, prefixes):
    clauses = citation_terms("entities.case", canonical)
    assert clauses[0] == {"term": {"entities.case": canonical}}
    assert [c["prefix"]["entities.case"] for c in clauses[1:]] == prefixes


@pytest.mark.parametrize("row, kind, canonical, expected", [
    ({"type": "case", "canonical": "Expediente 00456-2019-3-1826-JR-PE-02"}, "case", "Expediente 00456-2019", True),
    ({"type": "case", "canonical": "Casación 1234-2018/Lima"}, None, "Casación 1234-2018", True),
    ({"type": "law", "canonical": "Ley 30077"}, "law", "Ley 300", False),
    ({"type": "ref", "canonical": "Informe Policial 231-2019-DIRANDRO-PNP"}, "case", "Informe Policial 231-2019", False),
])
def test_cites_follows_the_same_rule(row, kind, canonical, expected):
    assert cites(row, kind, canonical) is expected


@pytest.mark.parametrize("text, content", [
    ("¿cuándo procede la prisión preventiva?", "procede prisión preventiva"),
    ("what is a controlled delivery", "controlled delivery"),
    ("lavado de activos", "lavado activos"),
    ("de la", ""),  # nothing but stop words: the caller keeps the words as typed
])
def test_content_words_leave_out_stop_words_and_question_words(text, content):
    assert content_words(text) == content


def test_the_document_that_is_it_has_its_number_at_the_head():
    title, heading = is_it(Citation("case", "Expediente 00456-2019", "Exp. 456-2019"))
    near = title["span_first"]["match"]["span_near"]["clauses"]
    assert [sorted(t["span_term"]["title.exact"] for t in c["span_or"]["clauses"]) for c in near] == [
        ["00456", "0456", "456"], ["2019"]]
    assert is_it(Citation("law", "Código Penal art. 296", "art. 296 del CP")) == []


def test_a_reference_is_it_whatever_zeros_its_number_is_written_with():
    """``Informe Policial N° 087-2021-…`` at the head of a report is the report asked for as ``informe policial
    87-2021`` or ``087-2021``: the canonical form drops the zeros, the document's words keep them."""
    title, _ = is_it(Citation("ref", "Informe Policial 87-2021", "informe policial 087-2021"))
    first = title["span_first"]["match"]["span_near"]["clauses"][0]
    assert {t["span_term"]["title.exact"] for t in first["span_or"]["clauses"]} == {"87", "087", "0087", "00087"}


def test_the_thesaurus_expands_plain_words_only_and_reads_as_the_query_language():
    from docsearch.search.expand import described, expand
    from docsearch.search.parser import parse
    from docsearch.search.tree import describe

    tree = expand(parse("coima policías").tree)
    assert describe(tree).startswith("(coima OR ") and "soborno" in describe(tree) and describe(tree).endswith(" policías")
    assert described(tree)[0]["term"] == "coima" and "soborno" in described(tree)[0]["alternatives"]
    for strict in ("+coima", '"coima"', "-coima lavado"):
        assert not any(e["term"] == "coima" for e in described(expand(parse(strict).tree))), strict


@pytest.mark.parametrize("values, clause", [
    (("2019",), {"terms": {"year": [2019]}}),
    (("none",), {"bool": {"must_not": [{"exists": {"field": "year"}}]}}),  # the documents with no year
    (("2019", "none"), {"bool": {"should": [{"terms": {"year": [2019]}},
                                            {"bool": {"must_not": [{"exists": {"field": "year"}}]}}],
                                 "minimum_should_match": 1}}),  # either, as values of one facet combine
])
def test_the_year_facet_selects_years_and_no_year(values, clause):
    request = SearchRequest.create(filters={"year": list(values)}).validate()
    assert selections(request, REGISTRY) == {"year": clause}


def test_the_year_facet_counts_the_documents_without_a_year_apart():
    body = facets_body((REGISTRY["year"], REGISTRY["collection"]), {"match_all": {}}, {}, 100)
    assert body["aggs"]["year"]["aggs"]["missing"] == {"missing": {"field": "year"}}
    assert "missing" not in body["aggs"]["collection"]["aggs"]
    aggs = {"year": {"values": {"buckets": [{"key": 2019, "doc_count": 4}]}, "missing": {"doc_count": 2}},
            "collection": {"values": {"buckets": []}}}
    assert facet_missing(aggs, REGISTRY) == {"year": 2}
    assert facet_counts(aggs, "year", {"year": ("none",)}) == [{"value": "2019", "count": 4, "selected": False}]
    assert facet_missing({}, REGISTRY) == {}  # not counted (the budget ran out): none reported


@pytest.mark.parametrize("value, valid", [("2019", True), ("none", True), ("dos mil", False), ("20190", False)])
def test_a_year_filter_takes_years_or_none(value, valid):
    request = SearchRequest.create(filters={"year": [value]})
    if valid:
        request.validate()
    else:
        with pytest.raises(InvalidQuery):
            request.validate()
