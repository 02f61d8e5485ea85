"""Search semantics through the HTTP API: page hits, cross-page matches, ranking, listing."""

from __future__ import annotations


import pytest

from docsearch.search import SearchService
from tests import pdfs


@pytest.fixture(scope="module")
def corpus(live, tmp_path_factory):
    folder = tmp_path_factory.mktemp("search-corpus")
    split = pdfs.text_pdf(folder / "separado.pdf", [
        "Primera parte. El agente zorzal declaró ante el fiscal provincial.",
        "Segunda parte. Se dispuso la remesa controlada del cargamento hacia Paita.",
    ], title="Diligencias separadas")
    together = pdfs.text_pdf(folder / "junto.pdf", [
        "Carátula del expediente sin contenido relevante.",
        "El agente zorzal coordinó la remesa controlada con la fiscalía.",
    ], title="Diligencias conjuntas")
    titled = pdfs.text_pdf(folder / "titulado.pdf", ["Texto general sin las palabras buscadas."],
                           title="Remesa zorzal en el título")
    batch = live.wait_batch(live.upload([split, together, titled], collection="busqueda"))
    return {f["name"]: f["document_id"] for f in batch["files"]}


def _by_id(body: dict) -> dict:
    return {r["id"]: r for r in body["results"]}


def test_words_on_different_pages_still_match_and_show_both_pages(live, corpus):
    body = live.search("zorzal remesa")
    hits = _by_id(body)
    assert corpus["separado.pdf"] in hits, "a document with the words on different pages must not be missed"
    shown = sorted(p["page"] for p in hits[corpus["separado.pdf"]]["pages"])
    assert shown == [1, 2]
    assert all("<mark>" in p["snippet"] for p in hits[corpus["separado.pdf"]]["pages"])


def test_all_words_on_one_page_rank_first_and_point_at_that_page(live, corpus):
    body = live.search("zorzal remesa")
    ranked = [r["id"] for r in body["results"]]
    assert ranked.index(corpus["junto.pdf"]) < ranked.index(corpus["separado.pdf"])
    together = _by_id(body)[corpus["junto.pdf"]]
    assert together["pages"][0]["page"] == 2
    assert "<mark>zorzal</mark>" in together["pages"][0]["snippet"]


def test_a_title_match_is_found_and_shows_the_opening_of_page_one(live, corpus):
    hit = _by_id(live.search("remesa zorzal título"))[corpus["titulado.pdf"]]
    assert hit["title"] == "Remesa zorzal en el título"
    assert hit["pages"] and hit["pages"][0]["page"] == 1


def test_exclusion_and_phrase(live, corpus):
    ids = set(_by_id(live.search("zorzal -paita")))
    assert corpus["junto.pdf"] in ids and corpus["separado.pdf"] not in ids
    phrase = _by_id(live.search('"remesa controlada del cargamento"'))
    assert set(phrase) & set(corpus.values()) == {corpus["separado.pdf"]}
    snippet = phrase[corpus["separado.pdf"]]["pages"][0]["snippet"]
    assert "<mark>del</mark>" in snippet  # stop words inside a phrase are marked too


def test_empty_query_lists_documents_with_an_opening_snippet(live, corpus):
    body = live.search("", size=100)
    assert body["total"] >= 3
    listed = _by_id(body)
    assert listed[corpus["titulado.pdf"]]["pages"][0]["snippet"].startswith("Texto general")
    assert listed[corpus["titulado.pdf"]]["score"] is None


def test_paging_is_consistent(live, corpus):
    first = live.search("", page=1, size=2)
    second = live.search("", page=2, size=2)
    assert first["total"] == second["total"]
    assert not set(_by_id(first)) & set(_by_id(second))


def test_a_long_query_ranks_by_its_words_not_by_holding_every_one(live, tmp_path):
    """A description (five words or more) is not a conjunction: the document that is about it comes before
    one that merely holds every word once, in passing."""
    about = pdfs.text_pdf(tmp_path / "sobre.pdf", [
        "Sentencia por el secuestro de un bebé recién nacido. El bebé recién nacido fue sustraído; el secuestro "
        "del recién nacido se probó con testigos. Secuestro agravado del bebé."])
    passing = pdfs.text_pdf(tmp_path / "paso.pdf", [
        "Informe anual de la corte con estadísticas generales de todas las materias tramitadas en el año. " * 6
        + "Se mencionan de paso una clínica, un secuestro, un bebé, un recién llegado y un nacido en Lima."])
    batch = live.wait_batch(live.upload([about, passing], collection="largas"))
    ids = {f["name"]: f["document_id"] for f in batch["files"]}
    body = live.search("secuestro de un bebé recién nacido en una clínica", collection="largas")
    ranked = [r["id"] for r in body["results"]]
    assert ranked[:2] == [ids["sobre.pdf"], ids["paso.pdf"]], body["results"]
    assert body["query"]["relaxed"] and body["query"]["all_words"] == 1


def test_known_words_no_document_holds_together_are_not_read_as_typos(live, tmp_path):
    """Each word is in some document but no document holds both: the documents holding either come back as
    written (typos are tried only for a word no document holds, which the service looks up first)."""
    files = [pdfs.text_pdf(tmp_path / "a.pdf", ["Acta: en la avioneta se halló perico en bolsas."]),
             pdfs.text_pdf(tmp_path / "b.pdf", ["Oficio sobre el informe del perito contable."])]
    batch = live.wait_batch(live.upload(files, collection="sueltas"))
    ids = {f["name"]: f["document_id"] for f in batch["files"]}
    known = live.search("avioneta perito", collection="sueltas")
    assert {r["id"] for r in known["results"]} == set(ids.values()), known["query"]
    assert not known["query"]["approximate"] and "~" not in known["query"]["interpreted"]
    typo = live.search("avionetta", collection="sueltas")
    assert [r["id"] for r in typo["results"]] == [ids["a.pdf"]] and typo["query"]["approximate"]
    service = SearchService(live.engine, live.settings)
    assert service._unknown_words(service.parse("avioneta perito de la").tree) == []
    assert service._unknown_words(service.parse("avionetta perito zzqxw").tree) == ["avionetta", "zzqxw"]
