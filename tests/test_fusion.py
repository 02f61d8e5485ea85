"""The pieces of search by meaning that need no engine: fusion by score and by rank, questions, what stays lexical, the
vector query in each engine's terms, marked passages."""

from __future__ import annotations

import pytest

from docsearch.schema import documents_mapping, vector_field
from docsearch.search.parser import parse
from docsearch.search.semantic import (
    Meaning,
    PassageHit,
    SemanticHit,
    combined,
    is_question,
    knn_query,
    marked,
    mean_vector,
    names_only,
    plain,
    rrf,
    semantic_hits,
    trimmed,
)


def test_rrf_sums_weighted_reciprocal_ranks_and_keeps_first_appearance_on_ties():
    fused = rrf([(["a", "b", "c"], 1.0), (["c", "d"], 1.0)])
    ids = [doc_id for doc_id, _ in fused]
    assert ids[0] == "c"  # third in one ranking and first in the other beats first in one alone
    assert ids[1:] == ["a", "b", "d"]  # b and d tie (second in one ranking each): b was seen first
    assert dict(fused)["a"] == pytest.approx(1 / 61)
    light = rrf([(["a"], 1.0), (["b"], 0.5)])
    assert [doc_id for doc_id, _ in light] == ["a", "b"]
    assert rrf([(["x", "y"], 1.0), (["y", "x"], 1.0)])[0][0] == "x"  # a tie keeps the first seen


def test_score_fusion_counts_each_ranking_relative_to_its_best():
    fused = dict(combined([([("a", 12.0), ("b", 6.0)], 1.0), ([("b", 0.5), ("c", 0.25)], 0.5)]))
    assert fused["a"] == pytest.approx(1.0)
    assert fused["b"] == pytest.approx(0.5 + 0.5)
    assert fused["c"] == pytest.approx(0.25)
    assert combined([([("x", 1.0)], 1.0), ([], 0.5), ([("y", 0.0)], 0.5)]) == [("x", 1.0)]  # nothing to scale: skipped


def test_the_words_clear_first_stays_ahead_of_what_the_weaker_rankings_both_place_in_their_middle():
    # The words: "ruling" far ahead of the rest; meaning and the translated query each put "manual" fourth.
    words = [("ruling", 30.0), ("x1", 9.0), ("x2", 8.5), ("manual", 8.0)]
    meaning = Meaning("hybrid", True, tuple(SemanticHit(d, c, ()) for d, c in
                                             [("y1", 0.5), ("y2", 0.4), ("y3", 0.35), ("manual", 0.3)]),
                      ("z1", "z2", "z3", "manual"), None, (), False, "q", (10.0, 8.0, 6.0, 5.0))
    assert meaning.scored(words)[0][0] == "ruling"
    assert dict(meaning.scored(words))["manual"] == pytest.approx(8 / 30 + 0.5 * 0.3 / 0.5 + 0.5 * 5 / 10)
    assert rrf([([d for d, _ in words], 1.0), (["y1", "y2", "y3", "manual"], 0.5), (["z1", "z2", "z3", "manual"], 0.5)]
               )[0][0] == "manual"  # what reciprocal rank fusion did


@pytest.mark.parametrize("q", ["Sandoya Morales", "Los Lobos", "ONG Animal Libre", "«Los Injertos del Cono»"])
def test_names_are_searched_by_their_words(q):
    assert names_only(q)


@pytest.mark.parametrize("q", ["lavado de activos", "Lavado de activos mediante inmuebles", "¿Quién Es Sandoya?",
                               "A B C D E F"])
def test_other_queries_are_not_names(q):
    assert not names_only(q)


@pytest.mark.parametrize("q", ["Juicio No. 12283-2023-02255", "art. 366 COIP", "Apelación 474-2025 La Libertad",
                               "causa 12336-2024-00472"])
def test_numbers_keep_a_query_lexical(q):
    assert not plain(parse(q).tree)


@pytest.mark.parametrize("q", ["¿cuándo procede el allanamiento?", "que requisitos tiene la prision preventiva",
                               "what is a controlled delivery", "is entrapment lawful?", "Cómo se prueba el dolo"])
def test_questions(q):
    assert is_question(q)


@pytest.mark.parametrize("q", ["lavado de activos inmuebles", "Casación 1234-2018", "prision preventiva",
                               "cocaine seizure Paita"])
def test_not_questions(q):
    assert not is_question(q)


@pytest.mark.parametrize("q, expected", [
    ("lavado de activos mediante inmuebles", True),
    ("coima a policías", True),
    ('"entrega vigilada"', False),
    ("Casación 1234-2018", False),
    ("lavado -menor", False),
    ("+lavado activos", False),
    ("year:2019 lavado", False),
    ("incauta*", False),
    ("lavado OR blanqueo", False),
])
def test_only_plain_words_are_searched_by_meaning_in_hybrid_mode(q, expected):
    assert plain(parse(q).tree) is expected


def test_the_vector_query_in_each_engines_terms():
    allowed = {"term": {"collection": "casos"}}
    os_query = knn_query("opensearch", [1, 2, 3], 7, [allowed])
    knn = os_query["nested"]["query"]["knn"]["passages.vector"]
    assert knn["vector"] == [1, 2, 3] and knn["k"] == 7 and knn["filter"] == {"bool": {"filter": [allowed]}}
    assert os_query["nested"]["path"] == "passages" and os_query["nested"]["score_mode"] == "max"
    es_query = knn_query("elasticsearch", [1, 2, 3], 7, [allowed])
    knn = es_query["nested"]["query"]["knn"]
    assert knn["field"] == "passages.vector" and knn["query_vector"] == [1, 2, 3] and knn["k"] == 7
    assert knn["num_candidates"] >= 7 and knn["filter"] == {"bool": {"filter": [allowed]}}
    assert "filter" not in knn_query("opensearch", [1], 3, [])["nested"]["query"]["knn"]["passages.vector"]


def test_the_vector_field_in_each_engines_terms():
    assert vector_field("opensearch")["type"] == "knn_vector"
    assert vector_field("opensearch")["method"]["engine"] == "lucene"
    es = vector_field("elasticsearch")
    assert es["type"] == "dense_vector" and es["element_type"] == "byte" and es["similarity"] == "cosine"
    assert documents_mapping(kind="elasticsearch")["properties"]["passages"]["properties"]["vector"] == es


def test_semantic_hits_turn_scores_into_cosines_and_drop_what_is_below_the_floor():
    response = {"hits": {"hits": [
        {"_id": "a", "_score": 0.8, "inner_hits": {"passages": {"hits": {"hits": [
            {"_score": 0.8, "fields": {"passages.page": [2], "passages.start": [10], "passages.end": [90]}}]}}}},
        {"_id": "b", "_score": 0.55},
    ]}}
    hits = semantic_hits(response, floor=0.2)
    assert hits == [SemanticHit("a", 0.6, (PassageHit(2, 10, 90, 0.6),))]


def test_mean_vector_weighs_each_passage_alike():
    assert mean_vector([[127, 0], [0, 1]]) == [127, 127]


def test_marked_escapes_everything_but_its_marks():
    out = marked("El <b>allanamiento</b> sin orden & flagrancia", {"allanamiento", "flagrancia"})
    assert out == "El &lt;b&gt;<mark>allanamiento</mark>&lt;/b&gt; sin orden &amp; <mark>flagrancia</mark>"
    assert trimmed("uno dos tres cuatro", 9) == "uno dos …"
