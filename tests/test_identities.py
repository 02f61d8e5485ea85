"""One identity per person, company and criminal organisation across the archive (docsearch/identities.py,
nlp/identity.py): the keys spellings are compared by, what a document ties to a name, resolving on the real
engine, and an analyst's merge and split."""

from __future__ import annotations

import pytest

from docsearch.engine import Engine
from docsearch.identities import Identities, IdentityError, apply, regroup
from docsearch.schema import drop_indices, ensure_indices
from nlp.extract import analyse
from nlp.identity import Links, links, middle_name, name_keys
from tests.conftest import make_settings


@pytest.mark.parametrize("kind, a, b, same", [
    ("per", "Juan Carlos Pérez Gómez", "PEREZ GOMEZ, Juan Carlos", True),  # order, accents, case
    ("per", "Juan Carlos Pérez Gómez", "Juan Pérez Gómez", True),  # without the second given name
    ("per", "María de los Ángeles Ruiz Díaz", "María Ángeles Ruiz Díaz", True),  # particles
    ("per", "Juan C. Pérez Gómez", "Juan Pérez Gómez", True),  # an initial
    ("per", "Juan Pérez Gómez", "Juan Pérez Rojas", False),
    ("org", "Inmobiliaria Costa Verde Premium S.A.C.", "INMOBILIARIA COSTA VERDE PREMIUM SAC", True),
    ("org", "Inmobiliaria Costa Verde Premium S.A.C.", "Inmobiliaria Costa Verde Premium", True),
    ("org", "Inmobiliaria Costa Verde Premium S.A.C.", "Costa Verde Premium S.A.C.", False),  # a cut name
    ("criminal_org", "Los Injertos del Cono Norte", "Injertos del Cono Norte", True),
    ("criminal_org", "Los Injertos del Cono Norte", "Los Injertos del Cono Sur", False),
])
def test_spellings_share_a_key_when_they_name_one_thing(kind, a, b, same):
    assert bool(set(name_keys(kind, a)) & set(name_keys(kind, b))) is same


def test_middle_names_tell_brothers_apart():
    # ``Juan Carlos`` and ``Juan Alberto Pérez Gómez`` share the key without the second given name; resolving
    # keeps them apart by it
    assert middle_name("Juan Carlos Pérez Gómez") == "carlos"
    assert middle_name("PEREZ GOMEZ, Juan Alberto") == "alberto"
    assert middle_name("Juan Pérez Gómez") is None


@pytest.mark.parametrize("text, dni, ruc, aliases", [
    ("El investigado Juan Carlos Pérez Gómez, identificado con DNI N° 43817265, fue detenido.",
     {"Juan Carlos Pérez Gómez": "43817265"}, {}, {}),
    ("El investigado Juan Carlos Pérez Gómez, alias «Chato Miguel», identificado con DNI N° 43817265, huyó.",
     {"Juan Carlos Pérez Gómez": "43817265"}, {}, {"Chato Miguel": "Juan Carlos Pérez Gómez"}),
    ("Detuvieron a Juan Carlos Pérez Gómez, identificado con DNI N° 43817265, alias «Chato Miguel», en Paita.",
     {"Juan Carlos Pérez Gómez": "43817265"}, {}, {"Chato Miguel": "Juan Carlos Pérez Gómez"}),
    ("Juan Pérez Gómez, con DNI 43817265, y María López Ruiz, con DNI 12345678, firmaron el acta.",
     {"Juan Pérez Gómez": "43817265", "María López Ruiz": "12345678"}, {}, {}),
    ("La empresa Inversiones Costa Verde S.A.C., con RUC N° 20512345678, recibió los fondos.",
     {}, {"Inversiones Costa Verde S.A.C.": "20512345678"}, {}),
    # a number far from any name, or after another person, is not tied to the first name
    ("Declaró Juan Carlos Pérez Gómez. Luego se presentó María López Ruiz, identificada con DNI 12345678.",
     {"María López Ruiz": "12345678"}, {}, {}),
])
def test_a_document_ties_numbers_and_aliases_to_the_name_they_follow(text, dni, ruc, aliases):
    found = links(analyse([text], metadata=False).pages, [text])
    assert {c: n for (_, c), n in found.dni.items()} == dni
    assert {c: n for (_, c), n in found.ruc.items()} == ruc
    assert found.alias_of == aliases


def test_a_name_given_two_numbers_keeps_neither():
    text = ("Juan Pérez Gómez, con DNI 43817265, declaró. En otra diligencia, Juan Pérez Gómez, con DNI 11112222, "
            "se negó a declarar.")
    assert links(analyse([text], metadata=False).pages, [text]).dni == {}


def test_a_document_carries_its_identities_names_pages_and_ids():
    doc = {"entities": {"per": ["Juan Pérez Gómez", "Juan Carlos Pérez Gómez", "Ana Ruiz"]},
           "pages": [{"page": 1, "entities": {"per": ["Juan Pérez Gómez", "Ana Ruiz"]}},
                     {"page": 2, "entities": {"per": ["Juan Carlos Pérez Gómez"]}}],
           "entity_summary": [
               {"type": "per", "canonical": "Juan Pérez Gómez", "count": 3, "surfaces": [], "pages": [1]},
               {"type": "per", "canonical": "Juan Carlos Pérez Gómez", "count": 2, "surfaces": [], "pages": [2]},
               {"type": "per", "canonical": "Ana Ruiz", "count": 1, "surfaces": [], "pages": [1]}]}
    from docsearch.identities import Resolved
    juan = Resolved("per-1", "Juan Carlos Pérez Gómez")
    apply(doc, {"per": {"Juan Pérez Gómez": juan, "Juan Carlos Pérez Gómez": juan}})
    assert doc["entities"]["per"] == ["Juan Carlos Pérez Gómez", "Ana Ruiz"]
    assert [p["entities"]["per"] for p in doc["pages"]] == [["Juan Carlos Pérez Gómez", "Ana Ruiz"],
                                                            ["Juan Carlos Pérez Gómez"]]
    assert doc["entity_ids"] == ["per-1"]
    assert [r.get("spelling") for r in doc["entity_summary"]] == ["Juan Pérez Gómez", "Juan Carlos Pérez Gómez", None]
    # a row moved away leaves the pages only it named
    doc["entity_summary"][1].update(canonical="Juan Carlos Pérez Ruiz", id="per-2")
    regroup(doc, "per")
    assert [p["entities"].get("per") for p in doc["pages"]] == [["Juan Carlos Pérez Gómez", "Ana Ruiz"],
                                                                ["Juan Carlos Pérez Ruiz"]]
    assert doc["entity_ids"] == ["per-1", "per-2"]


# -- on the engine --------------------------------------------------------------------------------------------

@pytest.fixture
def identities(services, tmp_path):
    settings = make_settings(services, tmp_path)
    engine = Engine.connect(settings)
    ensure_indices(engine, settings)
    try:
        yield Identities(engine, settings)
    finally:
        drop_indices(engine, settings)
        engine.close()


def _load(identities: Identities, names: dict[str, list[str]], found: Links | None = None) -> dict[str, str]:
    """Resolve one document's names; ``{spelling: identity name}`` (the index refreshed, as a second later)."""
    resolved = identities.resolve(names, found or Links())
    identities.engine.refresh(identities.alias)
    return {s: r.name for by_kind in resolved.values() for s, r in by_kind.items()}


def test_spellings_of_one_person_across_documents_resolve_to_one_identity(identities):
    first = _load(identities, {"per": ["Juan Carlos Pérez Gómez"]},
                  Links(dni={("per", "Juan Carlos Pérez Gómez"): "43817265"}))
    assert first == {"Juan Carlos Pérez Gómez": "Juan Carlos Pérez Gómez"}
    # the same DNI under another spelling; the name alone; written surnames first; without the second given name
    assert _load(identities, {"per": ["J. Carlos Perez Gomez"]},
                 Links(dni={("per", "J. Carlos Perez Gomez"): "43817265"})) == {
        "J. Carlos Perez Gomez": "Juan Carlos Pérez Gómez"}
    assert set(_load(identities, {"per": ["PEREZ GOMEZ, Juan Carlos", "Juan Pérez Gómez"]}).values()) == {
        "Juan Carlos Pérez Gómez"}
    record = identities.named("per", "Juan Carlos Pérez Gómez")
    assert record["dni"] == ["43817265"]
    assert set(record["variants"]) >= {"J. Carlos Perez Gomez", "PEREZ GOMEZ, Juan Carlos", "Juan Pérez Gómez"}


def test_names_that_may_be_two_people_stay_apart(identities):
    _load(identities, {"per": ["Juan Carlos Pérez Gómez"]})
    # a brother: another second given name
    assert _load(identities, {"per": ["Juan Alberto Pérez Gómez"]}) == {
        "Juan Alberto Pérez Gómez": "Juan Alberto Pérez Gómez"}
    # now "Juan Pérez Gómez" may be either: it gets an identity of its own
    assert _load(identities, {"per": ["Juan Pérez Gómez"]}) == {"Juan Pérez Gómez": "Juan Pérez Gómez"}
    # the same name with another DNI is another person, shown apart
    _load(identities, {"per": ["Rosa Elena Tapia Vega"]}, Links(dni={("per", "Rosa Elena Tapia Vega"): "11112222"}))
    other = _load(identities, {"per": ["Rosa Elena Tapia Vega"]},
                  Links(dni={("per", "Rosa Elena Tapia Vega"): "33334444"}))
    assert other == {"Rosa Elena Tapia Vega": "Rosa Elena Tapia Vega (DNI 33334444)"}


def test_an_alias_and_a_company_without_its_legal_form_join_their_identities(identities):
    first = _load(identities, {"per": ["Teodoro Quispe Mamani", "Cholo Teo"], "org": ["Transportes Ramal S.A.C."]},
                  Links(alias_of={"Cholo Teo": "Teodoro Quispe Mamani"}))
    assert first == {"Teodoro Quispe Mamani": "Teodoro Quispe Mamani", "Cholo Teo": "Teodoro Quispe Mamani",
                     "Transportes Ramal S.A.C.": "Transportes Ramal S.A.C."}
    # another document names only the alias, and the company without S.A.C.
    assert _load(identities, {"per": ["Cholo Teo"], "org": ["TRANSPORTES RAMAL"]}) == {
        "Cholo Teo": "Teodoro Quispe Mamani", "TRANSPORTES RAMAL": "Transportes Ramal S.A.C."}
    assert identities.named("per", "Teodoro Quispe Mamani")["aliases"] == ["Cholo Teo"]


def test_names_loaded_a_moment_apart_find_each_other(identities):
    # no refresh between them: what a name is known by is read by id, not searched
    a = identities.resolve({"criminal_org": ["Los Injertos del Cono"]}, Links())
    b = identities.resolve({"criminal_org": ["Injertos del Cono"]}, Links())
    assert a["criminal_org"]["Los Injertos del Cono"] == b["criminal_org"]["Injertos del Cono"]
    full = identities.resolve({"per": ["Eusebio Fermín Calderón Yauri"]}, Links())
    short = identities.resolve({"per": ["Eusebio Calderón Yauri"]}, Links())  # by the key without "Fermín"
    capitals = identities.resolve({"per": ["EUSEBIO FERMIN CALDERON YAURI"]}, Links())
    assert full["per"]["Eusebio Fermín Calderón Yauri"] == short["per"]["Eusebio Calderón Yauri"] \
        == capitals["per"]["EUSEBIO FERMIN CALDERON YAURI"]


def test_merge_and_split_correct_the_identities_and_later_loads_follow(identities):
    _load(identities, {"per": ["Hilda Vargas Rojas"]})
    _load(identities, {"per": ["Hilda Bargas Rojas"]})  # an OCR misreading: another key
    hilda, bargas = identities.named("per", "Hilda Vargas Rojas"), identities.named("per", "Hilda Bargas Rojas")
    assert hilda["id"] != bargas["id"]
    with pytest.raises(IdentityError):
        identities.merge(hilda["id"], hilda["id"])
    done = identities.merge(bargas["id"], hilda["id"])
    assert "Hilda Bargas Rojas" in done["entity"]["variants"]
    assert identities.get(bargas["id"])["id"] == hilda["id"]  # followed to where it went
    assert _load(identities, {"per": ["Hilda Bargas Rojas"]}) == {"Hilda Bargas Rojas": "Hilda Vargas Rojas"}
    # one spelling was someone else after all
    with pytest.raises(IdentityError):
        identities.split(hilda["id"], ["Hilda Vargas Rojas", "Hilda Bargas Rojas"])  # not all of them
    split = identities.split(hilda["id"], ["Hilda Bargas Rojas"], "Hilda Bargas Rojas")
    assert split["new"]["variants"] == ["Hilda Bargas Rojas"]
    identities.engine.refresh(identities.alias)
    assert _load(identities, {"per": ["Hilda Bargas Rojas"]}) == {"Hilda Bargas Rojas": "Hilda Bargas Rojas"}
    assert _load(identities, {"per": ["Hilda Vargas Rojas"]}) == {"Hilda Vargas Rojas": "Hilda Vargas Rojas"}
