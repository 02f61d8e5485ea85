"""Snippets are whole sentences around the hits, cut from a page the engine marked (docsearch/search/snippets.py)."""

from __future__ import annotations

import pytest

from docsearch.search.snippets import _sentences, sentence_snippet

RULING = ("SALA PENAL PERMANENTE. R.N. N° 456-2019&#x2F;Callao. Lima, doce de marzo. VISTOS: el recurso de nulidad "
          "interpuesto. Que conforme a la Casación N.° <mark>1234</mark>-<mark>2022</mark>&#x2F;Callao. El Tribunal "
          "establece que la prueba indiciaria es suficiente para acreditar el origen ilícito de los bienes en el "
          "delito de lavado de activos, siempre que los indicios sean plurales y concomitantes.")


@pytest.mark.parametrize("text, sentences", [
    ("Uno. Dos.", ["Uno.", "Dos."]),
    ("Casación N.° 1234-2018/Lima. Fin.", ["Casación N.° 1234-2018/Lima.", "Fin."]),
    ("Según el art. 296 del CP. Fin.", ["Según el art. 296 del CP.", "Fin."]),
    ("El Dr. Pérez y S. S. Quispe firmaron. Fin.", ["El Dr. Pérez y S. S. Quispe firmaron.", "Fin."]),
    ("En el Exp. N° 00456-2019. Fin.", ["En el Exp. N° 00456-2019.", "Fin."]),
    ("Ver R.N. 456-2019. Fin.", ["Ver R.N. 456-2019.", "Fin."]),
    ("¿Procede? Sí.", ["¿Procede?", "Sí."]),
])
def test_sentences_do_not_end_at_legal_abbreviations(text, sentences):
    assert _sentences(text) == sentences


def test_a_hit_in_a_short_sentence_shows_that_sentence_and_the_start_of_the_next():
    snippet = sentence_snippet(RULING)
    assert snippet.startswith("Que conforme a la Casación N.° <mark>1234</mark>")
    assert "El Tribunal establece" in snippet and snippet.endswith("…")
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) <= 200


def test_a_long_sentence_is_cut_around_its_hit_at_a_clause():
    long = ("Que en el caso de autos, valorando la prueba actuada en juicio oral y conforme a los criterios del "
            "Acuerdo Plenario, se advierte que el acusado adquirió cuatro <mark>inmuebles</mark> en el distrito de "
            "San Isidro entre los años dos mil once y dos mil catorce sin justificar sus ingresos, pese a que declaró "
            "ante la SUNAT rentas de cuarta categoría que no superaban los treinta mil soles anuales, lo que "
            "constituye un indicio de desbalance patrimonial relevante para el caso.")
    snippet = sentence_snippet(long)
    assert snippet.startswith("… se advierte que el acusado adquirió cuatro <mark>inmuebles</mark>")
    assert snippet.endswith(" …")


@pytest.mark.parametrize("html", [
    RULING,
    "Texto sin marcas. Otra frase.",
    "<mark>Uno</mark> " + "palabra " * 200 + "<mark>dos</mark>.",
    "a &amp; b &#x2F; <mark>c</mark>. " * 40,
])
def test_marks_stay_closed_and_entities_whole(html):
    snippet = sentence_snippet(html)
    assert snippet.count("<mark>") == snippet.count("</mark>")
    for word in snippet.split():
        assert not word.endswith(("&", "&#x2", "&am")), word
