"""Fixtures that run docsearch on real parts.

The session starts (or reuses) the real OpenSearch node and Redis of
``docsearch services up``, then runs a stack of its own beside them: indices
under a unique prefix, its own Redis database, its own Celery worker and its
own API process on a free port. Nothing here is a mock.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from docsearch.engine import Engine
from docsearch.schema import drop_indices, ensure_indices
from services import stack
from docsearch.settings import Settings

TEST_REDIS_DB = 15
ADMIN_TOKEN = "test-admin-token-for-docsearch"


@dataclass
class Stack:
    settings: Settings
    engine: Engine
    url: str
    paths: stack.Paths

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60)

    def upload(self, files: list[Path | tuple[str, bytes]], **form) -> str:
        parts = []
        for item in files:
            if isinstance(item, Path):
                parts.append(("files", (item.name, item.read_bytes(), "application/pdf")))
            else:
                parts.append(("files", (item[0], item[1], "application/pdf")))
        with self.client() as client:
            resp = client.post("/api/documents", files=parts, data=form)
        assert resp.status_code == 202, resp.text
        return resp.json()["batch_id"]

    def wait_batch(self, batch_id: str, timeout: float = 180) -> dict:
        deadline = time.monotonic() + timeout
        with self.client() as client:
            while True:
                body = client.get(f"/api/batches/{batch_id}").json()
                if body["state"] == "done":
                    # Workers write without waiting for a refresh; make what they wrote searchable now.
                    self.engine.refresh(self.settings.documents_alias)
                    return body
                if time.monotonic() > deadline:
                    raise AssertionError(f"batch {batch_id} not done after {timeout} s: {body}")
                time.sleep(0.3)

    def search(self, q: str, **params) -> dict:
        with self.client() as client:
            resp = client.get("/api/search", params={"q": q, **params})  # lists repeat a parameter
        assert resp.status_code == 200, resp.text
        return resp.json()


@pytest.fixture(scope="session")
def base_settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def services(base_settings: Settings) -> Settings:
    """The shared engine and Redis, started if they are not running."""
    stack.engine_up(base_settings)
    stack.redis_up(base_settings, stack.Paths.of(base_settings))
    return base_settings


def make_settings(base: Settings, data_dir: Path, **overrides) -> Settings:
    """A private stack's settings, with small limits so the over-limit fixtures stay small."""
    values = dict(worker_concurrency=2, max_file_mb=2, max_pages=40)
    values.update(overrides)
    return stack.private_settings(base, data_dir, prefix="dstest", redis_db=TEST_REDIS_DB, **values)


@pytest.fixture(scope="session")
def live(services: Settings, tmp_path_factory: pytest.TempPathFactory):
    """A running test stack: own indices, Redis database, worker and API."""
    data = tmp_path_factory.mktemp("stack")
    settings = make_settings(services, data, admin_token=ADMIN_TOKEN, import_root=data / "import")
    engine = Engine.connect(settings)
    ensure_indices(engine, settings)
    paths = stack.Paths(settings.data_dir / "run", settings.data_dir / "logs")
    try:
        stack.workers_up(settings, paths, name=f"test-{settings.index_prefix}")
        stack.api_up(settings, paths)
        yield Stack(settings, engine, stack.api_url(settings), paths)
    finally:
        stack.down(settings, ("api", "worker"), paths)
        drop_indices(engine, settings)
        engine.close()
