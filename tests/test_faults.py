"""Faults with real processes: a worker killed with SIGKILL, Redis restarted with its queue lost,
the engine stopped and restarted — each in the middle of a batch.

These tests run a stack of their own (OpenSearch node, redis-server, workers, API) on free ports,
so that they can kill it without disturbing anything else. After recovery every file must end
``indexed`` (these PDFs are all good), and no document may be indexed twice.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import httpx
import pytest

from docsearch.engine import Engine
from docsearch.schema import ensure_indices
from services import opensearch, stack
from services.processes import read_pid
from tests import pdfs
from tests.conftest import Stack, make_settings

FILES = 24


@pytest.fixture(scope="module")
def own(services, tmp_path_factory):
    """An isolated stack: its own engine node, Redis, workers (one process each) and API."""
    data = tmp_path_factory.mktemp("faults")
    engine_port, redis_port = stack.free_port(), stack.free_port()
    settings = make_settings(
        services, data,
        engine_url=f"http://127.0.0.1:{engine_port}", engine_kind="opensearch",
        redis_url=f"redis://127.0.0.1:{redis_port}/0",
        worker_concurrency=1, ocr_concurrency=1,
        task_soft_time_limit_s=20, task_time_limit_s=30,
        reconcile_interval_s=2, reconcile_grace_s=3, engine_timeout_s=5,
    )
    paths = stack.Paths(data / "run", data / "logs")
    stack.engine_up(settings)
    stack.redis_up(settings, paths)
    engine = Engine.connect(settings)
    ensure_indices(engine, settings)
    stack.workers_up(settings, paths, name="faults")
    stack.api_up(settings, paths)
    try:
        yield Stack(settings, engine, stack.api_url(settings), paths)
    finally:
        stack.down(settings, ("api", "worker", "redis"), paths)
        opensearch.stop(settings.data_dir)


def _corpus(folder: Path, tag: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(FILES):
        pages = [f"Expediente {tag}-{i} página {p}. La fiscalía de {tag} investiga a la organización número {i} "
                 f"por tráfico ilícito de drogas y lavado de activos en Lima y el Callao. " * 6 for p in range(1, 4)]
        files.append(pdfs.text_pdf(folder / f"{tag}-{i:02d}.pdf", pages, title=f"Expediente {tag} {i}"))
    return files


def _summary(own: Stack, batch_id: str) -> dict | None:
    try:
        resp = httpx.get(f"{own.url}/api/batches/{batch_id}", timeout=10)
    except httpx.HTTPError:
        return None
    return resp.json() if resp.status_code == 200 else None  # 503 while the engine is down


def _wait(own: Stack, batch_id: str, until, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = _summary(own, batch_id) or last
        if last and until(last):
            return last
        time.sleep(0.3)
    raise AssertionError(f"batch {batch_id} did not get there in {timeout} s: {last and last['counts']}")


def _finished(summary: dict) -> int:
    return summary["counts"]["indexed"] + summary["counts"]["duplicate"] + summary["counts"]["failed"]


def _check_all_indexed_once(own: Stack, batch_id: str) -> None:
    done = _wait(own, batch_id, lambda s: s["state"] == "done", 240)
    assert done["counts"]["indexed"] == FILES, done["counts"]
    assert all(f["status"] == "indexed" and f["reason"] is None for f in done["files"]), done["files"]
    own.engine.refresh(own.settings.documents_alias)
    body = {"size": 100, "query": {"term": {"batch_ids": batch_id}}, "_source": ["file_ids"]}
    hits = own.engine.search(own.settings.documents_alias, body)["hits"]["hits"]
    assert len(hits) == FILES  # one document per file, none twice (ids are content hashes)
    assert {hit["_id"] for hit in hits} == {f["document_id"] for f in done["files"]}
    for hit in hits:
        assert len(hit["_source"]["file_ids"]) == 1, hit


def test_worker_killed_mid_batch(own: Stack, tmp_path: Path):
    batch_id = own.upload(_corpus(tmp_path, "kill"))
    _wait(own, batch_id, lambda s: _finished(s) >= 2, 120)
    pid_file = own.paths.run / "worker-ingest.pid"
    pid = read_pid(pid_file)
    assert pid is not None
    os.killpg(pid, signal.SIGKILL)  # the worker and its pool processes, mid-task, no chance to clean up
    time.sleep(1)
    assert _finished(_summary(own, batch_id)) < FILES, "the batch finished before the kill; make it longer"
    stack.worker_up(own.settings, own.paths, name="faults", queue="ingest")  # what a supervisor does
    _check_all_indexed_once(own, batch_id)


def test_redis_restarted_mid_batch_with_its_queue_lost(own: Stack, tmp_path: Path):
    batch_id = own.upload(_corpus(tmp_path, "redis"))
    _wait(own, batch_id, lambda s: _finished(s) >= 2, 120)
    stack.down(own.settings, ("redis",), own.paths)
    shutil.rmtree(own.settings.data_dir / "redis")  # the queue is gone for good
    time.sleep(2)
    stack.redis_up(own.settings, own.paths)
    _check_all_indexed_once(own, batch_id)


def test_engine_restarted_mid_batch(own: Stack, tmp_path: Path):
    batch_id = own.upload(_corpus(tmp_path, "engine"))
    _wait(own, batch_id, lambda s: _finished(s) >= 2, 120)
    opensearch.stop(own.settings.data_dir)
    with httpx.Client(base_url=own.url, timeout=30) as client:
        resp = client.get(f"/api/batches/{batch_id}")
        assert resp.status_code == 503 and resp.json()["error"]["code"] == "engine_unavailable"
    time.sleep(3)
    stack.engine_up(own.settings)
    _check_all_indexed_once(own, batch_id)
