"""nlp.translate: the glossary file, translations through the real Apertium, what passes unchanged,
the glossary-only paths (no program, a failing one, a stuck one) and the language guess."""

from __future__ import annotations

import shutil
import stat
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp import translate as tr
from nlp.resources import load_jsonl
from nlp.text import fold

needs_apertium = pytest.mark.skipif(shutil.which(tr.APERTIUM) is None, reason="apertium is not installed (services/setup.sh)")


# --- the glossary ---------------------------------------------------------------------------------

def test_glossary_is_well_formed():
    entries = tr.glossary()  # parses every line and refuses a key seen twice on one side
    assert len(entries) >= 300
    for lang in ("en", "es"):
        keys = [tr.term_key(term) for entry in entries for term in getattr(entry, lang)]
        assert len(keys) == len(set(keys)), f"{lang}: a term key is in two entries"
    for entry in entries:
        assert entry.en and entry.es
    for _, record in load_jsonl(tr.DATA_FILE):
        assert set(record) <= {"en", "es", "note"}


@pytest.mark.parametrize("record, message", [
    ({"en": ["x"]}, "'es' must be a non-empty list"),
    ({"en": [], "es": ["x"]}, "'en' must be a non-empty list"),
    ({"en": ["x "], "es": ["y"]}, "padded"),
    ({"en": ["x"], "es": ["y"], "lang": "es"}, "unknown fields"),
    ({"en": ["x"], "es": ["y"], "note": 3}, "'note' must be a string"),
])
def test_a_bad_line_is_refused_with_its_number(record, message):
    with pytest.raises(ValueError, match=f"{tr.DATA_FILE}:7: .*{message}"):
        tr._parse(7, record)


def test_every_term_is_found_whole_and_rendered_by_the_preferred_term():
    """Each term alone comes out as the first term of the other side (no longer term hides it)."""
    for entry in tr.glossary():
        for source, target in (("en", "es"), ("es", "en")):
            preferred = getattr(entry, target)[0]
            for term in getattr(entry, source):
                result = tr.translate(term, source, target, apertium=None)
                expected = None if fold(preferred) == fold(term) else tr._surface_case(term, term, preferred)
                assert (result.text if result else None) == expected, (entry.line, term)


# --- translations through Apertium ----------------------------------------------------------------

TRANSLATIONS = [
    # (query, source, target, every one of these in the result)
    ("wiretap evidence obtained abroad", "en", "es", ["interceptación", "prueba", "extranjero"]),
    ("money laundering through real estate", "en", "es", ["lavado de activos", "inmuebles"]),
    ("allanamiento sin orden judicial", "es", "en", ["search", "warrant", "without"]),
    ("prisión preventiva para el imputado", "es", "en", ["pre-trial detention", "defendant"]),
    ("¿quién es el fiscal?", "es", "en", ["who", "prosecutor"]),
    ("controlled delivery of coca paste", "en", "es", ["entrega vigilada", "pasta básica de cocaína"]),
    ("peculado y colusión agravada en la municipalidad", "es", "en", ["embezzlement", "aggravated collusion"]),
    ("suspicious transaction report filed by the bank", "en", "es", ["reporte de operación sospechosa"]),
    ("agentes encubiertos y entregas vigiladas", "es", "en", ["undercover agent", "controlled delivery"]),
    ("precursor chemicals seized in the VRAEM", "en", "es", ["insumos químicos fiscalizados", "incautado", "VRAEM"]),
    ("recurso de casación contra la sentencia condenatoria", "es", "en", ["cassation appeal", "conviction"]),
]


@needs_apertium
@pytest.mark.parametrize("query, source, target, wanted", TRANSLATIONS)
def test_known_translations(query, source, target, wanted):
    result = tr.translate(query, source, target)
    assert result is not None
    assert (result.source, result.target, result.via) == (source, target, "apertium+glossary")
    for piece in wanted:
        assert piece in result.text, result.text
    assert not any(mark in result.text for mark in "*#@"), result.text


@needs_apertium
def test_lower_case_stays_lower_case_and_unknown_words_lose_their_marks():
    result = tr.translate("the defendant xyzzyq was arrested in the house", "en", "es")
    assert result is not None and result.text == result.text.lower()
    assert "xyzzyq" in result.text and "*" not in result.text
    assert tr.translate("LAVADO DE ACTIVOS EN TOCACHE", "es", "en").text == "MONEY LAUNDERING IN TOCACHE"


# --- what passes unchanged ------------------------------------------------------------------------

KEPT = [
    ("lavado de activos en el Exp. 00456-2019-3-1826-JR-PE-02", "es", "en", "Exp. 00456-2019-3-1826-JR-PE-02"),
    ("organización criminal según la Ley N° 30077", "es", "en", "N° 30077"),
    ("lavado de activos según el D. Leg. 1106", "es", "en", "D. Leg. 1106"),
    ("ejecutoria del R.N. 1234-2019 Lima", "es", "en", "R.N. 1234-2019"),
    ("incautación de S/ 34 800.00 en efectivo", "es", "en", "S/ 34 800.00"),
    ("Casación N.° 456-2018/Lima sobre colusión", "es", "en", "N.° 456-2018/Lima"),
    ("lavado de activos de la banda Los Pulpos en Trujillo", "es", "en", "Los Pulpos"),
    ("the defendant Juan de la Cruz Pérez was arrested", "en", "es", "Juan de la Cruz Pérez"),
    ('"lavado de activos" AND cocaína NOT marihuana', "es", "en", '"money laundering" AND cocaine NOT marijuana'),
    ("titulo:cocaína y lava*", "es", "en", "titulo:cocaína"),
    ("titulo:cocaína y lava*", "es", "en", "lava*"),
]


@needs_apertium
@pytest.mark.parametrize("query, source, target, kept", KEPT)
def test_identifiers_names_and_syntax_pass_unchanged(query, source, target, kept):
    result = tr.translate(query, source, target)
    assert result is not None and kept in result.text, result


@pytest.mark.parametrize("query, source, target", [
    ("Exp. 00456-2019-3-1826-JR-PE-02", "es", "en"),  # an identifier alone
    ("D. Leg. 1106", "es", "en"),
    ("Juan Pérez Quispe", "es", "en"),  # a name
    ("Tocache", "es", "en"),  # a word no one translates
    ("", "es", "en"),
    ("   ", "en", "es"),
    ("lavado de activos", "es", "fr"),  # unsupported pairs
    ("lavado de activos", "es", "es"),
    ("lavado de activos " * 100, "es", "en"),  # longer than MAX_CHARS
])
def test_nothing_to_translate_is_none(query, source, target):
    assert tr.translate(query, source, target) is None


# --- glossary only ----------------------------------------------------------------------------------

def _program(folder: Path, name: str, body: str) -> str:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.mark.parametrize("apertium", [None, "/nonexistent/bin/apertium"])
def test_without_apertium_the_glossary_alone_translates(apertium):
    result = tr.translate("allanamiento sin orden judicial", "es", "en", apertium=apertium)
    assert result == tr.Translation("search sin warrant", "es", "en", "glossary")
    assert tr.translate("Tocache", "es", "en", apertium=apertium) is None


def test_a_failing_or_confused_apertium_leaves_the_glossary(tmp_path):
    failing = _program(tmp_path, "failing", "echo broken >&2; exit 3")
    confused = _program(tmp_path, "confused", "cat >/dev/null; printf 'one\\n\\ntwo\\n\\nthree\\n'")
    for program in (failing, confused):
        result = tr.translate("prisión preventiva para el imputado", "es", "en", apertium=program)
        assert result == tr.Translation("pre-trial detention para el defendant", "es", "en", "glossary")


def test_a_stuck_apertium_is_killed_at_the_timeout(tmp_path):
    stuck = _program(tmp_path, "stuck", "sleep 30 | cat")  # a pipe, as apertium's own script runs
    began = time.monotonic()
    result = tr.translate("colusión en la obra", "es", "en", apertium=stuck, timeout=0.3)
    assert time.monotonic() - began < 2
    assert result == tr.Translation("collusion en la obra", "es", "en", "glossary")


# --- the language of a query --------------------------------------------------------------------------

LANGUAGES = [
    ("wiretap evidence obtained abroad", "en"),
    ("money laundering", "en"),
    ("search warrant", "en"),
    ("who is the prosecutor?", "en"),
    ("what happened in Tocache", "en"),
    ("cocaine", "en"),
    ("allanamiento sin orden judicial", "es"),
    ("lavado de activos", "es"),
    ("¿quién es el fiscal?", "es"),
    ("cocaína", "es"),
    ("droga incautada", "es"),
    ("LAVADO DE DINERO EN TOCACHE", "es"),
    ("Juan de la Cruz fue detenido", "es"),
    ("Exp. 00456-2019-3-1826-JR-PE-02", ""),
    ("Exp. 00456-2019", ""),
    ("Juan Pérez Quispe", ""),
    ("María de los Ángeles Pérez", ""),
    ("Los Pulpos", ""),
    ("DIRANDRO", ""),
    ("Lima", ""),
    ("", ""),
]


@pytest.mark.parametrize("query, language", LANGUAGES)
def test_query_language(query, language):
    assert tr.query_language(query) == language


# --- any string ------------------------------------------------------------------------------------

@settings(max_examples=400, deadline=None)
@given(st.text(max_size=120), st.sampled_from([("es", "en"), ("en", "es"), ("es", "xx")]))
def test_any_string_glossary_only(query, pair):
    result = tr.translate(query, *pair, apertium=None)
    assert result is None or (result.text and result.via == "glossary")
    assert tr.query_language(query) in ("es", "en", "")


@needs_apertium
@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60), st.sampled_from([("es", "en"), ("en", "es")]))
def test_any_string_through_apertium(query, pair):
    result = tr.translate(query, *pair)
    assert result is None or (result.text.strip() == result.text and result.text)


@needs_apertium
@settings(max_examples=15, deadline=None)
@given(st.from_regex(r"\A(Exp\. )?\d{3,5}-20[0-2]\d(-\d{1,2}-\d{4}-[A-Z]{2}-[A-Z]{2}-\d{2})?\Z"))
def test_a_case_number_passes_unchanged(number):
    result = tr.translate(f"lavado de activos en el expediente {number} de Lima", "es", "en")
    assert result is not None and number in result.text
