"""The legal thesaurus (``nlp.thesaurus``, ``nlp/data/thesaurus.jsonl``): the file, its examples, the matching rules.

Matching rows are ``(text, [surface, ...])``: every match the finder must return, in order, and
nothing else. Each entry's own examples are checked too, as ``citations.jsonl``'s are.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

import pytest

from nlp.thesaurus import Expansion, entries, exact_case, expansions, parse_entry, term_key

ENTRIES = entries()


def surfaces(text: str) -> list[str]:
    return [x.surface for x in expansions(text)]


def assert_well_placed(text: str, found: list[Expansion]) -> None:
    """Each span slices its surface out of ``text``; matches run in reading order without overlaps."""
    end = 0
    for x in found:
        assert x.surface and text[x.start:x.end] == x.surface
        assert x.start >= end, "matches overlap or are out of order"
        end = x.end


# --- the file


def test_enough_entries_of_both_kinds():
    kinds = Counter(e.kind for e in ENTRIES)
    assert len(ENTRIES) >= 200
    assert kinds["abbreviation"] >= 80 and kinds["synonyms"] >= 80


def test_ids_are_unique():
    repeated = [i for i, n in Counter(e.id for e in ENTRIES).items() if n > 1]
    assert not repeated


def test_no_term_in_two_equal_entries():
    owner: dict[str, str] = {}
    clashes = []
    for e in ENTRIES:
        if e.relation != "equal":
            continue
        for term in e.terms:
            key = term_key(term)
            if key in owner:
                clashes.append((term, owner[key], e.id))
            owner[key] = e.id
    assert not clashes


def test_one_key_has_one_case_rule():
    rule: dict[str, bool] = {}
    for e in ENTRIES:
        for term in e.terms:
            assert rule.setdefault(term_key(term), exact_case(term)) == exact_case(term), term


def test_every_abbreviation_expands_to_something():
    for e in ENTRIES:
        if e.kind != "abbreviation":
            continue
        abbreviation, expansion = e.terms[0], e.terms[1]
        capitals = sum(ch.isupper() for ch in abbreviation)
        assert "." in abbreviation or capitals >= 2, f"{e.id}: {abbreviation!r} does not look abbreviated"
        letters = sum(ch.isalpha() for ch in expansion)
        assert letters > sum(ch.isalpha() for ch in abbreviation), f"{e.id}: {expansion!r} is no expansion"
        assert any(ch.islower() for ch in expansion), f"{e.id}: {expansion!r} is no expansion"


def test_related_entries_say_why():
    """A related entry is a judgement (these are close, not the same): its note gives the reason."""
    assert all(e.note for e in ENTRIES if e.relation == "related")


def test_ambiguous_abbreviations_carry_a_note():
    by_id = {e.id: e for e in ENTRIES}
    for entry_id in ("cp", "cs", "ap", "cpp", "csj", "dleg", "cf", "tc"):
        assert "mbiguous" in by_id[entry_id].note or "reading" in by_id[entry_id].note, entry_id


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_entry_examples(entry):
    for example in entry.examples:
        found = [x for x in expansions(example.text) if entry.id in x.entries]
        if example.finds is None:
            assert not found, f"{example.text!r} should not match {entry.id}"
            continue
        assert [x.surface for x in found] and example.finds in [x.surface for x in found], example.text
        match = next(x for x in found if x.surface == example.finds)
        offered = {term_key(t) for t in match.alternatives + match.related} | {term_key(match.surface)}
        assert {term_key(t) for t in entry.terms} <= offered, f"{example.text!r}: not every term of {entry.id} offered"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_every_term_is_found_as_itself(entry):
    for term in entry.terms:
        found = expansions(term)
        assert [(x.start, x.end) for x in found] == [(0, len(term))], term
        assert entry.id in found[0].entries


# --- the shape of a line


GOOD = {"id": "x", "kind": "synonyms", "terms": ["a b", "c d"], "relation": "equal", "lang": ["es"],
        "examples": [{"text": "a b", "finds": "a b"}]}


@pytest.mark.parametrize("change, message", [
    ({"kind": "glossary"}, "kind"),
    ({"relation": "same"}, "relation"),
    ({"id": "Con Espacios"}, "id"),
    ({"terms": ["solo"]}, "terms"),
    ({"terms": ["Lavado", "lavado"]}, "same key"),
    ({"lang": ["fr"]}, "lang"),
    ({"examples": []}, "examples"),
    ({"examples": [{"text": "a b", "finds": "z"}]}, "finds"),
    ({"colour": "red"}, "unknown"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_a_bad_line_is_refused_with_its_number(change, message):
    with pytest.raises(ValueError, match=rf"thesaurus\.jsonl:7: .*{message}"):
        parse_entry(7, GOOD | change)


def test_a_good_line_is_read():
    entry = parse_entry(3, GOOD)
    assert entry.terms == ("a b", "c d") and entry.examples[0].finds == "a b" and entry.note == ""


# --- matching

MATCHING = [
    # multi-word terms, longest first
    pytest.param("lavado de activos", ["lavado de activos"], id="multi-word"),
    pytest.param("pasta básica de cocaína en sacos", ["pasta básica de cocaína"], id="longest-not-prefix"),
    pytest.param("prolongación de la prisión preventiva", ["prolongación de la prisión preventiva"], id="longest-contains-shorter"),
    pytest.param("lavado de activos y financiamiento del terrorismo", ["lavado de activos y financiamiento del terrorismo"], id="longest-laft"),
    pytest.param("Código Procesal Penal de 2004", ["Código Procesal Penal de 2004"], id="longest-ncpp"),
    pytest.param("orden de detención preliminar", ["orden de detención"], id="leftmost-before-longest"),
    pytest.param("lavado  de\nactivos", ["lavado  de\nactivos"], id="spaces-and-line-breaks"),
    pytest.param("prisión preventiva y TID", ["prisión preventiva", "TID"], id="two-matches"),
    # accents and case
    pytest.param("PRISION PREVENTIVA", ["PRISION PREVENTIVA"], id="capitals-no-accents"),
    pytest.param("prision preventiva", ["prision preventiva"], id="no-accents"),
    pytest.param("Extinción De Dominio", ["Extinción De Dominio"], id="title-case"),
    pytest.param(unicodedata.normalize("NFD", "prisión preventiva"), [unicodedata.normalize("NFD", "prisión preventiva")], id="decomposed-accent"),
    pytest.param("tráfico ilícito de drogas", ["tráfico ilícito de drogas"], id="accents"),
    # the case rule: capitals of at most three letters match only in capitals
    pytest.param("art. 296 del CP", ["art.", "CP"], id="cp-capitals"),
    pytest.param("envíelo al cp 15001", [], id="cp-lower-not"),
    pytest.param("el Cp", [], id="cp-title-not"),
    pytest.param("R.N. 456-2019", ["R.N."], id="dotted-capitals"),
    pytest.param("r.n. 456-2019", [], id="dotted-lower-not"),
    pytest.param("informe de la dirandro", ["dirandro"], id="long-acronym-any-case"),
    pytest.param("Dirandro y Dircocor", ["Dirandro", "Dircocor"], id="long-acronym-title"),
    pytest.param("control de iqbf", ["iqbf"], id="four-letters-any-case"),
    pytest.param("HCl y hcl", ["HCl", "hcl"], id="mixed-case-any-case"),
    # separators inside terms
    pytest.param("D.Leg. 1106 y D. Leg. 1249", ["D.Leg.", "D. Leg."], id="dot-space-optional"),
    pytest.param("UIF Perú y UIF-Perú", ["UIF Perú", "UIF-Perú"], id="hyphen-or-space"),
    pytest.param("pre trial detention", ["pre trial detention"], id="hyphenated-term-with-space"),
    pytest.param("prevención LA-FT", ["LA-FT"], id="slash-term-with-hyphen"),
    # whole words only
    pytest.param("PBCX", [], id="no-prefix-match"),
    pytest.param("narcotraficantes", [], id="no-inflected-match"),
    pytest.param("TIDES", [], id="no-capital-prefix"),
    pytest.param("postcohecho", [], id="no-suffix-match"),
    pytest.param("DIRANDRO-PNP", ["DIRANDRO", "PNP"], id="hyphen-is-a-boundary"),
    pytest.param("(PBC)", ["PBC"], id="brackets-are-boundaries"),
    # nothing to find
    pytest.param("", [], id="empty"),
    pytest.param("la casa de la esquina", [], id="ordinary-words"),
]


@pytest.mark.parametrize("text, expected", MATCHING)
def test_matching(text, expected):
    found = expansions(text)
    assert [x.surface for x in found] == expected
    assert_well_placed(text, found)


def test_no_overlaps_in_a_long_query():
    text = ("requerimiento de prisión preventiva contra la organización criminal por TID, lavado de activos "
            "y cohecho; intervención de las comunicaciones, entrega vigilada y agente encubierto (art. 341 del NCPP)")
    found = expansions(text)
    assert_well_placed(text, found)
    assert len(found) == 10


# --- what a match expands to


def expansion_of(text: str) -> Expansion:
    (found,) = expansions(text)
    return found


def test_equal_alternatives_and_not_the_surface_itself():
    x = expansion_of("Pasta Basica de Cocaina")
    assert "PBC" in x.alternatives and "coca paste" in x.alternatives
    assert "pasta básica de cocaína" not in x.alternatives
    assert x.relation == "equal"


def test_related_terms_are_apart_from_equal_ones():
    x = expansion_of("incautación")
    assert "seizure" in x.alternatives
    assert "decomiso" in x.related and "decomiso" not in x.alternatives
    assert set(x.entries) == {"incautacion", "incautacion-decomiso"}


def test_near_synonyms_are_related_never_equal():
    x = expansion_of("banda criminal")
    assert "organización criminal" in x.related and "organización criminal" not in x.alternatives
    x = expansion_of("detención preventiva")
    assert "prisión preventiva" in x.alternatives


def test_a_term_only_in_related_entries():
    x = expansion_of("condena")
    assert x.alternatives == () and "sentencia condenatoria" in x.related
    assert x.relation == "related"


def test_a_second_reading_of_an_abbreviation_is_related():
    x = expansion_of("DL")
    assert "Decreto Legislativo" in x.alternatives
    assert "Decreto Ley" in x.related and "D.L." not in x.related  # D.L. is already an equal alternative


def test_each_alternative_once():
    for text in ("TID", "lavado de activos", "Corte Suprema", "colaborador eficaz"):
        x = expansion_of(text)
        keys = [term_key(t) for t in x.alternatives + x.related]
        assert len(keys) == len(set(keys)) and term_key(text) not in keys
