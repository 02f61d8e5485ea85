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

import pytest

from services import opensearch
from services.processes import read_pid
from services.stack import Private, free_port
from tests import pdfs
from tests.conftest import private_stack

FILES = 24


@pytest.fixture(scope="module")
def own(services, tmp_path_factory):
    """An isolated stack: its own engine node, Redis, workers (one process each) and API."""
    with private_stack(
        services, tmp_path_factory.mktemp("faults"), components=("engine", "redis", "worker", "api"),
        engine_url=f"http://127.0.0.1:{free_port()}", engine_kind="opensearch",
        redis_url=f"redis://127.0.0.1:{free_port()}/0",
        worker_concurrency=1, ocr_concurrency=1,
        task_soft_time_limit_s=20, task_time_limit_s=30,
        reconcile_interval_s=2, reconcile_grace_s=3, engine_timeout_s=5,
    ) as running:
        yield running


def _corpus(folder: Path, tag: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(FILES):
        pages = [f"Expediente {tag}-{i} página {p}. La fiscalía de {tag} investiga a la organización número {i} "
                 f"por tráfico ilícito de drogas y lavado de activos en Lima y el Callao. " * 6 for p in range(1, 4)]
        files.append(pdfs.text_pdf(folder / f"{tag}-{i:02d}.pdf", pages, title=f"Expediente {tag} {i}"))
    return files


def _finished(summary: dict) -> int:
    return summary["counts"]["indexed"] + summary["counts"]["duplicate"] + summary["counts"]["failed"]


def _mid_batch(own: Private, tmp_path: Path, tag: str) -> str:
    """Upload a batch and return its id once two files are finished (the rest still to do)."""
    batch_id = own.upload(_corpus(tmp_path, tag))
    own.wait_batch(batch_id, 120, until=lambda s: _finished(s) >= 2)
    return batch_id


def _assert_unfinished(own: Private, batch_id: str) -> None:
    """Called right after the fault: a batch already finished would let the test pass without any recovery."""
    summary = own.batch(batch_id)
    assert summary is not None and _finished(summary) < FILES, "the batch finished before the fault; make it longer"


def _check_all_indexed_once(own: Private, batch_id: str) -> None:
    done = own.wait_batch(batch_id, 240)  # refreshes the documents index once done
    assert done["counts"]["indexed"] == FILES, done["counts"]
    assert all(f["status"] == "indexed" and f["reason"] is None for f in done["files"]), done["files"]
    body = {"size": 100, "query": {"term": {"batch_ids": batch_id}}, "_source": ["file_ids"]}
    hits = own.engine.search(own.settings.documents_alias, body)["hits"]["hits"]
    assert len(hits) == FILES  # one document per file, none twice (ids are content hashes)
    assert {hit["_id"] for hit in hits} == {f["document_id"] for f in done["files"]}
    for hit in hits:
        assert len(hit["_source"]["file_ids"]) == 1, hit


def test_worker_killed_mid_batch(own: Private, tmp_path: Path):
    batch_id = _mid_batch(own, tmp_path, "kill")
    pid = read_pid(own.paths.run / "worker-ingest.pid")
    assert pid is not None
    os.killpg(pid, signal.SIGKILL)  # the worker and its pool processes, mid-task, no chance to clean up
    time.sleep(1)
    _assert_unfinished(own, batch_id)
    own.up("ingest")  # what a supervisor does
    _check_all_indexed_once(own, batch_id)


def test_redis_restarted_mid_batch_with_its_queue_lost(own: Private, tmp_path: Path):
    batch_id = _mid_batch(own, tmp_path, "redis")
    own.down("redis")
    _assert_unfinished(own, batch_id)  # the batch record is in the engine: readable with Redis down
    shutil.rmtree(own.settings.data_dir / "redis")  # the queue is gone for good
    time.sleep(2)
    own.up("redis")
    _check_all_indexed_once(own, batch_id)


def test_engine_restarted_mid_batch(own: Private, tmp_path: Path):
    batch_id = _mid_batch(own, tmp_path, "engine")
    # Read just before the stop: with the engine down the API can only answer 503 (checked below), and
    # what the workers finish in between is bounded by what they were holding.
    _assert_unfinished(own, batch_id)
    opensearch.stop(own.settings.data_dir)
    with own.client() as client:
        resp = client.get(f"/api/batches/{batch_id}")
        assert resp.status_code == 503 and resp.json()["error"]["code"] == "engine_unavailable"
    time.sleep(3)
    own.up("engine")
    _check_all_indexed_once(own, batch_id)
