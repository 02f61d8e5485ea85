"""The engine's percolator (the `percolator` module of the built node; built into Elasticsearch): queries stored in
an index, and a new document matched against all of them in one request — what watches of searches and entities
are matched with when documents are indexed."""

from __future__ import annotations

import uuid

from docsearch.engine import Engine


def test_stored_queries_match_a_new_document(services):
    engine = Engine.connect(services)
    index = f"dstest-percolator-{uuid.uuid4().hex[:8]}"
    engine.create_index(index, {"mappings": {"properties": {
        "query": {"type": "percolator"}, "text": {"type": "text"}, "criminal_orgs": {"type": "keyword"}}}})
    try:
        engine.index(index, "words", {"query": {"match": {"text": {"query": "lavado activos",
                                                                     "operator": "and"}}}})
        engine.index(index, "band", {"query": {"term": {"criminal_orgs": "Los Pulpos"}}})
        engine.index(index, "other", {"query": {"term": {"criminal_orgs": "Los Malditos de Bayóvar"}}},
                     refresh=True)
        found = engine.search(index, {"query": {"percolate": {"field": "query", "document": {
            "text": "Informe sobre el lavado de activos de la organización", "criminal_orgs": ["Los Pulpos"]}}}})
        assert sorted(hit["_id"] for hit in found["hits"]["hits"]) == ["band", "words"]
    finally:
        engine.delete_index(index)
        engine.close()
