"""A cluster of three engine nodes on this machine (``docsearch services up --nodes 3``): every shard with a replica on
another node; one node killed with SIGKILL while searches run — none fails —, then started again, and the cluster
back to green with every document; the same in the middle of a load of several hundred PDFs through the workers
(every file indexed once); and the audit trail's concurrent writers on replicated indices."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time

import httpx
import pytest

from docsearch.audit import Audit
from docsearch.engine import Engine, basic_auth
from docsearch.schema import ensure_indices
from services import opensearch, stack
from tests import pdfs
from tests.conftest import make_settings, private_stack
from tests.test_audit import write_together


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


FILES = 300


def _corpus(folder) -> list:
    folder.mkdir(parents=True, exist_ok=True)
    return [pdfs.text_pdf(folder / f"informe-{i:03d}.pdf",
                          [f"Informe policial {i}. La Fiscalía Especializada contra la Criminalidad Organizada investiga "
                           f"a la organización número {i} por tráfico ilícito de drogas en el Callao. " * 4],
                          title=f"Informe {i}") for i in range(FILES)]


def _primary_node(engine: Engine, index: str) -> int:
    """The node (1, 2, 3) holding the primary shard of ``index`` (asked of any node that answers)."""
    shards = engine.client.cat.shards(index=index, format="json")
    name = next(s["node"] for s in shards if s["prirep"] == "p" and s["state"] == "STARTED")
    return int(name.rsplit("-", 1)[1])


class Searcher(threading.Thread):
    """A reader searching through the API every 100 ms: each answer's status and seconds, or the error."""

    def __init__(self, running):
        super().__init__(daemon=True)
        self.running, self.stop, self.answers = running, threading.Event(), []

    def run(self) -> None:
        with self.running.client() as client:
            while not self.stop.is_set():
                started = time.monotonic()
                try:
                    status = client.get("/api/search", params={"q": "organización tráfico Callao"}).status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                self.answers.append((status, time.monotonic() - started))
                self.stop.wait(0.1)


def test_a_node_is_lost_in_the_middle_of_a_load_and_every_file_is_indexed_once(services, cluster, tmp_path):
    """Several hundred PDFs loading through the workers into a cluster of three; the node holding the documents'
    primary shard is killed with SIGKILL, the load and a reader's searches go on with two nodes, the node is
    started again; every file ends indexed exactly once, no search failed, and the copies agree."""
    settings = cluster
    files = _corpus(tmp_path / "pdfs")
    with private_stack(services, tmp_path / "stack", components=("worker", "api"), engine_url=settings.engine_url,
                       engine_nodes=settings.engine_nodes, index_replicas=1, engine_kind="opensearch") as running:
        own = running.settings
        concrete = running.engine.alias_targets(own.documents_alias)[0]
        batch_id = running.upload(files)
        running.wait_batch(batch_id, 300, until=lambda s: s["counts"]["indexed"] >= 40, limit=0)
        victim = _primary_node(running.engine, concrete)
        searcher = Searcher(running)
        searcher.start()
        time.sleep(1)
        os.kill(opensearch._read_pid(opensearch._paths(settings.data_dir, victim)["pid"]), signal.SIGKILL)
        at_kill = running.batch(batch_id, limit=0)
        assert at_kill is not None and at_kill["state"] != "done", "the batch finished before the fault; make it longer"
        during = running.wait_batch(  # the load goes on with two nodes
            batch_id, 120, limit=0, until=lambda s: s["counts"]["indexed"] >= at_kill["counts"]["indexed"] + 20)
        assert _primary_node(running.engine, concrete) != victim
        assert stack.engine_up(settings, nodes=3) == "started 1 of 3 nodes"
        done = running.wait_batch(batch_id, 600, limit=0)
        searcher.stop.set()
        searcher.join()

        assert done["counts"]["indexed"] == FILES, done["counts"]
        body = {"size": 0, "query": {"term": {"batch_ids": batch_id}},
                "aggs": {"files": {"sum": {"script": {"source": "doc['file_ids'].size()"}}}}}
        found = running.engine.search(own.documents_alias, body | {"track_total_hits": True})
        assert found["hits"]["total"]["value"] == FILES  # one document per file (ids are content hashes) ...
        assert found["aggregations"]["files"]["value"] == FILES  # ... and each names one file: none loaded twice

        failed = [a for a in searcher.answers if a[0] != 200]
        latencies = sorted(seconds for _, seconds in searcher.answers)
        print(f"\n{len(searcher.answers)} searches during the fault: {len(failed)} failed; latency p50 "
              f"{latencies[len(latencies) // 2] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms; files indexed "
              f"at the kill {at_kill['counts']['indexed']}, {during['counts']['indexed']} before the restart")
        assert not failed and len(searcher.answers) > 50, failed[:5]

        back = _health(settings, wait_for_status="green", wait_for_nodes="3", timeout="180s")
        assert back["status"] == "green" and back["number_of_nodes"] == 3, back
        running.engine.refresh(own.documents_alias)
        shards = running.engine.client.cat.shards(index=concrete, format="json")
        copies = {s["prirep"]: int(s["docs"]) for s in shards}  # Lucene documents: pages and passages too
        assert len(shards) == 2 and copies["p"] == copies["r"] > FILES, shards


def test_concurrent_audit_writers_keep_one_chain_when_every_record_has_a_replica(cluster):
    """Writers that meet on a seq read the record written there: on a cluster that read may reach a replica the
    write has not reached yet, for a few milliseconds; the writer asks again rather than failing the request."""
    settings = cluster
    engine = Engine.connect(settings)
    ensure_indices(engine, settings)
    trail = Audit(engine, settings)
    failures = write_together(trail, 8, 60, time.time() + 1)
    assert not failures, failures[:3]
    result = trail.verify()
    assert result.ok and result.records == 8 * 60, result.as_dict()
    engine.close()
