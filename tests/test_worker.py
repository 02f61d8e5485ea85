"""What a worker process sets up when it starts (ingestion.tasks), and nothing at import."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from docsearch.settings import REPO_ROOT
from ingestion import tasks


def test_importing_ingestion_changes_no_environment():
    code = ("import os; before = dict(os.environ); import ingestion.tasks, ingestion.ocr, cli.main; "
            "print(sorted(set(os.environ.items()) ^ set(before.items())))")
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO_ROOT, capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip() == "[]"


def test_worker_start_limits_tesseract_threads_and_quiets_engine_clients(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    client_log = logging.getLogger("opensearch")
    monkeypatch.setattr(client_log, "level", logging.NOTSET)
    tasks._start_worker()
    assert os.environ["OMP_THREAD_LIMIT"] == "1"
    assert client_log.level == logging.WARNING


def test_an_operators_thread_limit_is_kept(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OMP_THREAD_LIMIT", "2")
    tasks._start_worker()
    assert os.environ["OMP_THREAD_LIMIT"] == "2"
