"""The field registry: every searchable field is declared once, and the index mapping, the query language,
the search service, the API's filter parameters and the web interface's facet list all follow it.

The last test adds a field in a registry of its own and follows it from the mapping to a search through the
real engine: adding an entity type is one registry entry (plus the finder that emits it).
"""

from __future__ import annotations

import pytest

from api.routers.search import filter_params
from docsearch.engine import Engine
from docsearch.fields import REGISTRY, Field, Registry
from docsearch.schema import documents_mapping, drop_indices, ensure_indices, specs
from docsearch.search import SearchRequest, SearchService
from docsearch.search.parser import parse
from docsearch.search.tree import FieldValue, describe
from nlp.types import ENTITY_TYPES
from tests.conftest import make_settings

VESSELS = Field("vessels", "Naves", "Vessels", entity="vessel", query="vessel", aliases=("nave", "buque"))
WITH_VESSELS = Registry(REGISTRY.fields + (VESSELS,))


def test_every_entity_type_nlp_finds_has_a_field():
    assert set(ENTITY_TYPES) <= set(REGISTRY.entity_types)


def test_every_field_has_labels_and_a_facet_or_a_query_name_or_an_entity_type():
    for field in REGISTRY.fields:
        assert field.label_es and field.label_en, field.key
        assert field.facet or field.query or field.entity, field.key


def test_a_query_name_may_name_one_field_only():
    twin = Field("judges", "Jueces", "Judges", entity="per", query="juez", aliases=("persona",))
    with pytest.raises(ValueError, match="persona"):
        Registry(REGISTRY.fields + (twin,))


@pytest.mark.parametrize("q, key, written", [
    ("person:quispe", "persons", "person:quispe"),
    ("persona:quispe", "persons", "person:quispe"),
    ("TRIBUNAL:lima", "court", "court:lima"),
    ("año:2019", "year", "year:2019"),
    ("tipo:sentencia", "doc_type", "type:sentencia"),
])
def test_query_names_and_their_aliases_come_from_the_registry(q, key, written):
    tree = parse(q).tree
    assert isinstance(tree, FieldValue) and tree.field.key == key
    assert describe(tree) == written


def test_a_field_of_another_registry_is_a_word_elsewhere():
    assert isinstance(parse("nave:esperanza", WITH_VESSELS).tree, FieldValue)
    parsed = parse("nave:esperanza")
    assert not isinstance(parsed.tree, FieldValue) and "not a field" in parsed.warnings[0]


def test_the_api_takes_one_filter_parameter_per_facet_and_lists_the_fields(live):
    with live.client() as client:  # a signed-in caller: the field list is for users
        schema = client.get("/openapi.json").json()
        listed = client.get("/api/fields").json()
    params = {p["name"] for p in schema["paths"]["/api/search"]["get"]["parameters"]}
    assert set(REGISTRY.facet_keys) <= params
    assert [f["key"] for f in listed] == [f.key for f in REGISTRY.fields]
    persons = next(f for f in listed if f["key"] == "persons")
    assert persons == {"key": "persons", "labels": {"es": "Personas", "en": "People"}, "kind": "name",
                       "facet": True, "entity": "per", "query": "person", "aliases": ["persona", "persons"]}
    assert "vessels" in filter_params(WITH_VESSELS).model_fields


def test_a_new_entity_field_changes_the_mapping_and_its_fingerprint(services):
    mapping = documents_mapping(WITH_VESSELS)["properties"]
    assert mapping["entities"]["properties"]["vessel"] == {"type": "keyword", "ignore_above": 256}
    assert mapping["pages"]["properties"]["entities"]["properties"]["vessel"]["type"] == "keyword"
    before, after = specs(services)[0], specs(services, WITH_VESSELS)[0]
    assert before.fingerprint != after.fingerprint  # tests/test_schema.py then asks for a new version


@pytest.fixture
def vessels_index(services, tmp_path):
    settings = make_settings(services, tmp_path)
    engine = Engine.connect(settings)
    ensure_indices(engine, settings, WITH_VESSELS)
    yield settings, engine
    drop_indices(engine, settings)
    engine.close()


def _document(doc_id: str, vessel: str, text: str) -> dict:
    return {"id": doc_id, "title": f"Informe {doc_id}", "collection": "naves", "doc_type": "informe", "year": 2021,
            "language": "es", "page_count": 1, "ingested_at": "2026-01-01T00:00:00Z",
            "entities": {"vessel": [vessel]},
            "entity_summary": [{"type": "vessel", "canonical": vessel, "count": 1, "surfaces": [vessel], "pages": [1]}],
            "pages": [{"page": 1, "text": text, "chars": len(text), "entities": {"vessel": [vessel]}}]}


def test_a_field_added_to_the_registry_is_searched_counted_filtered_and_suggested(vessels_index):
    settings, engine = vessels_index
    engine.index(settings.documents_alias, "a" * 64, _document("a" * 64, "Esperanza del Mar",
                                                              "La nave Esperanza del Mar zarpó del Callao."))
    engine.index(settings.documents_alias, "b" * 64, _document("b" * 64, "Santa Rosa II",
                                                              "El buque Santa Rosa II fue intervenido en Paita."))
    engine.refresh(settings.documents_alias)
    service = SearchService(engine, settings, WITH_VESSELS)

    found = service.search(SearchRequest.create(q="nave:esperanza"))
    assert [r["id"] for r in found["results"]] == ["a" * 64]
    assert found["query"]["interpreted"] == "vessel:esperanza"
    assert found["results"][0]["pages"][0]["page"] == 1
    assert {v["value"]: v["count"] for v in found["facets"]["vessels"]} == {"Esperanza del Mar": 1}

    everything = service.search(SearchRequest.create(filters={"vessels": ["Santa Rosa II"]}))
    assert [r["id"] for r in everything["results"]] == ["b" * 64]
    assert {v["value"] for v in everything["facets"]["vessels"]} == {"Esperanza del Mar", "Santa Rosa II"}

    values = service.facet_values(SearchRequest.create(), "vessels", prefix="sant")
    assert [v["value"] for v in values["values"]] == ["Santa Rosa II"]
    suggested = service.suggest("esper", "vessels")
    assert [s["value"] for s in suggested["suggestions"]] == ["Esperanza del Mar"]

    # The same service over the registry without the field knows nothing of it.
    plain = SearchService(engine, settings, REGISTRY)
    assert "vessels" not in plain.search(SearchRequest.create())["facets"]


def test_a_synonym_finds_the_document_that_uses_the_other_word(vessels_index):
    """``coima`` (everyday) finds a ruling that says ``cohecho`` (legal), and the response says what was also
    searched; the document holding the words as typed still ranks first."""
    settings, engine = vessels_index
    engine.index(settings.documents_alias, "c" * 64, _document("c" * 64, "Nave A", "El delito de cohecho pasivo."))
    engine.index(settings.documents_alias, "d" * 64, _document("d" * 64, "Nave B", "Pagó una coima al policía."))
    engine.refresh(settings.documents_alias)
    found = SearchService(engine, settings, WITH_VESSELS).search(SearchRequest.create(q="coima"))
    assert [r["id"] for r in found["results"]] == ["d" * 64, "c" * 64]
    assert found["query"]["expansions"][0]["term"] == "coima"
    assert "cohecho" in found["query"]["expansions"][0]["alternatives"]


def test_the_term_typed_outranks_a_document_holding_several_of_its_synonyms(vessels_index):
    """A thesaurus term counts as the best of its terms a document holds, the typed one first: a complaint that
    says ``soborno`` and ``coima`` does not outrank the ruling on ``cohecho`` for the query ``cohecho``."""
    settings, engine = vessels_index
    engine.index(settings.documents_alias, "e" * 64, _document("e" * 64, "Nave E",
                                                              "Sentencia por el delito de cohecho pasivo propio."))
    engine.index(settings.documents_alias, "f" * 64, _document("f" * 64, "Nave F",
                                                              "Querella: me acusó de soborno, dijo que pedí una coima."))
    engine.refresh(settings.documents_alias)
    found = SearchService(engine, settings, WITH_VESSELS).search(SearchRequest.create(q="cohecho", mode="lexical"))
    assert [r["id"] for r in found["results"]] == ["e" * 64, "f" * 64]
