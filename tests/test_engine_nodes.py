"""The engine client given every node of a cluster (``DOCSEARCH_ENGINE_NODES``): a request to a node that is down
goes to another, so searches go on while a node is lost."""

from __future__ import annotations

import pytest

from docsearch.engine import Engine, EngineUnavailable
from docsearch.schema import drop_indices, ensure_indices
from services.stack import free_port
from tests.conftest import make_settings


def test_requests_go_on_when_a_node_is_down(services, tmp_path):
    live = make_settings(services, tmp_path)
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there: a node that is down
    settings = live.model_copy(update={"engine_url": dead, "engine_nodes": live.engine_url, "engine_kind": "opensearch"})
    assert settings.engine_hosts == [dead, live.engine_url]
    engine = Engine.connect(settings)
    try:
        ensure_indices(engine, settings)
        for i in range(20):  # the client picks nodes in turn: the dead one is tried, and the request goes on
            engine.index(settings.batches_alias, f"b{i}", {"id": f"b{i}"}, refresh=True)
            assert engine.count(settings.batches_alias) == i + 1
    finally:
        drop_indices(engine, settings)
        engine.close()
    alone = Engine.connect(settings.model_copy(update={"engine_nodes": ""}))
    with pytest.raises(EngineUnavailable):  # given only the node that is down, the client has nowhere to go
        alone.count(settings.batches_alias)
