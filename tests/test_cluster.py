"""A cluster of three engine nodes on this machine (``docsearch services up --nodes 3``): every shard with a replica on
another node; one node killed with SIGKILL while searches run — none fails —, then started again, and the cluster
back to green with every document."""

from __future__ import annotations

import os
import signal
import socket
import time

import httpx
import pytest

from docsearch.engine import Engine, basic_auth
from docsearch.schema import ensure_indices
from services import opensearch, stack
from tests.conftest import make_settings


def _free_block(n: int) -> int:
    """A port whose next ``n`` ports and their transport ports (+100) are free."""
    for base in range(19250, 19900, 10):
        ports = [p for q in range(base, base + n) for p in (q, q + 100)]
        try:
            for port in ports:
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no free ports")


@pytest.fixture
def cluster(services, tmp_path):
    settings = make_settings(services, tmp_path).model_copy(
        update={"engine_url": f"http://127.0.0.1:{_free_block(3)}", "opensearch_heap": "256m",
                "engine_kind": "opensearch"})
    settings = stack.cluster_settings(settings, 3)
    try:
        assert stack.engine_up(settings, nodes=3) == "started"
        yield settings
    finally:
        opensearch.stop(settings.data_dir)


def _health(settings, **params) -> dict:
    return httpx.get(f"{settings.engine_url}/_cluster/health", params=params, auth=basic_auth(settings),
                     timeout=60).json()


def test_a_node_is_lost_and_comes_back_and_nothing_is_lost(cluster):
    settings = cluster
    assert settings.index_replicas == 1 and len(settings.engine_hosts) == 3
    engine = Engine.connect(settings)
    ensure_indices(engine, settings)
    for i in range(30):
        engine.index(settings.batches_alias, f"b{i}", {"id": f"b{i}"})
    engine.refresh(settings.batches_alias)
    health = _health(settings, wait_for_status="green", timeout="60s")
    assert health["status"] == "green" and health["number_of_nodes"] == 3, health

    pid = opensearch._read_pid(opensearch._paths(settings.data_dir, 2)["pid"])
    os.kill(pid, signal.SIGKILL)
    errors, answers = 0, 0
    started = time.monotonic()
    while time.monotonic() - started < 10:  # searches go on while the cluster notices the loss
        try:
            assert engine.count(settings.batches_alias) == 30
            answers += 1
        except Exception:  # noqa: BLE001 - counted: the assertion below says how many
            errors += 1
        time.sleep(0.1)
    assert errors == 0 and answers > 20
    degraded = _health(settings, wait_for_nodes="2", timeout="60s")
    assert degraded["number_of_nodes"] == 2 and degraded["status"] in ("yellow", "green"), degraded

    assert stack.engine_up(settings, nodes=3) == "started 1 of 3 nodes"
    back = _health(settings, wait_for_status="green", wait_for_nodes="3", timeout="120s")
    assert back["status"] == "green" and back["number_of_nodes"] == 3, back
    assert engine.count(settings.batches_alias) == 30
    engine.close()
