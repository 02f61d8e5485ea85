"""Index schema on the real engine: Spanish analysis, idempotent creation, versions."""

from __future__ import annotations

import pytest

from docsearch.engine import Engine
from docsearch.fields import REGISTRY, Registry
from docsearch.schema import (ANALYSIS, DOCUMENTS_VERSION, VECTOR_DIMS, documents_mapping, drop_indices, ensure_indices,
                              schema_status, specs)
from docsearch.settings import Settings
from tests.conftest import make_settings

# What each index is built with (mapping and analysis) at its current version. A change of a mapping
# (a field added to docsearch/fields.py, an analyzer changed) without a new version fails here: raise the
# version in docsearch/schema.py, so that an index built before says it needs a rebuild, and record the
# new fingerprint below.
BUILT = {"documents": (8, "dfd52297a57f6a0e"), "batches": (3, "6b3493eb575fd59a"), "files": (3, "f5fd01392c15ae1e"),
         "accounts": (3, "5e3b208980e1a219"), "audit": (1, "3616092ff21b0b08"), "entities": (1, "649a30df5416125d"),
         "saved": (1, "a170dff7975af997"), "watches": (2, "734dc06e80b78710"), "notifications": (1, "12f7aeab48c1398b"),
         "workspace": (1, "6537949d22f5bc96")}


@pytest.mark.parametrize("spec", specs(Settings()), ids=lambda spec: spec.alias.rsplit("-", 1)[-1])
def test_a_changed_mapping_comes_with_a_new_schema_version(spec):
    name = spec.alias.rsplit("-", 1)[-1]
    version, fingerprint = BUILT[name]
    assert spec.version == version, (f"{name} is now v{spec.version}: record its fingerprint "
                                     f"({spec.fingerprint}) in BUILT")
    assert spec.fingerprint == fingerprint, (f"the {name} mapping changed: raise its version in "
                                             f"docsearch/schema.py and record {spec.fingerprint} in BUILT")


@pytest.fixture(scope="module")
def fresh(services, tmp_path_factory):
    settings = make_settings(services, tmp_path_factory.mktemp("schema"))
    engine = Engine.connect(settings)
    yield settings, engine
    drop_indices(engine, settings)


def _tokens(engine: Engine, index: str, analyzer: str, text: str) -> list[str]:
    resp = engine.client.indices.analyze(index=index, body={"analyzer": analyzer, "text": text})
    return [t["token"] for t in resp["tokens"]]


def test_indices_are_created_once_behind_aliases(fresh):
    settings, engine = fresh
    assert schema_status(engine, settings)[settings.documents_alias] == "missing"
    first = ensure_indices(engine, settings)
    assert set(first.values()) == {"created"}
    assert set(ensure_indices(engine, settings).values()) == {"exists"}
    assert engine.alias_targets(settings.documents_alias) == [f"{settings.documents_alias}-v{DOCUMENTS_VERSION}"]
    assert set(schema_status(engine, settings).values()) == {"exists"}


@pytest.mark.parametrize(
    "a, b",
    [
        ("técnicas", "tecnicas"),
        ("incautación", "incautaciones"),
        ("organización", "ORGANIZACIONES"),
        ("Perú", "peru"),
        ("año", "ano"),  # folded: users without ñ on the keyboard still find it
    ],
)
def test_spanish_analysis_folds_accents_and_stems_lightly(fresh, a, b):
    settings, engine = fresh
    ensure_indices(engine, settings)
    index = settings.documents_alias
    assert _tokens(engine, index, "es_text", a) == _tokens(engine, index, "es_text", b)


def test_exact_subfield_keeps_words_whole(fresh):
    settings, engine = fresh
    ensure_indices(engine, settings)
    index = settings.documents_alias
    assert _tokens(engine, index, "exact_text", "Incautaciones de cocaína") == ["incautaciones", "de", "cocaina"]
    assert _tokens(engine, index, "es_text", "Incautaciones de cocaína") == ["incautacion", "cocain"]


def test_an_older_index_takes_the_fields_added_since_and_says_it_needs_a_rebuild(services, tmp_path):
    """An index built before an entity type existed (here: without ``ref``, as schema v2 was) still takes
    documents that carry it, and says it needs a rebuild (older documents were extracted without it)."""
    settings = make_settings(services, tmp_path)
    engine = Engine.connect(settings)
    older = Registry([f for f in REGISTRY.fields if f.entity != "ref"])
    mapping = documents_mapping(older)
    for added_since in ("passages", "embedding"):  # as v5 was: no vectors, no index.knn
        del mapping["properties"][added_since]
    mapping["_meta"] = {"schema_version": DOCUMENTS_VERSION - 1}
    concrete = f"{settings.documents_alias}-v{DOCUMENTS_VERSION - 1}"
    try:
        engine.create_index(concrete, {"settings": {"index": {"analysis": ANALYSIS}}, "mappings": mapping,
                                       "aliases": {settings.documents_alias: {}}})
        state = ensure_indices(engine, settings)[settings.documents_alias]
        assert state == f"needs-rebuild (v{DOCUMENTS_VERSION - 1} < v{DOCUMENTS_VERSION})"
        props = engine.get_mapping(concrete)[concrete]["mappings"]["properties"]
        assert "ref" in props["entities"]["properties"]
        assert "ref" in props["pages"]["properties"]["entities"]["properties"]
        assert props["passages"]["properties"]["vector"]["type"] == "knn_vector"  # without a graph: no index.knn
        engine.index(settings.documents_alias, "r" * 64, {
            "id": "r" * 64, "entities": {"ref": ["Oficio 512-2020-MP-FN-FECOR"]},
            "pages": [{"page": 1, "text": "Oficio N° 512-2020-MP-FN-FECOR", "entities": {"ref": ["Oficio 512-2020-MP-FN-FECOR"]}}],
            "passages": [{"page": 1, "start": 0, "end": 30, "vector": [1] * VECTOR_DIMS}]})
    finally:
        drop_indices(engine, settings)
        engine.delete_index(concrete)
        engine.close()
