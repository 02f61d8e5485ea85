"""GET /api/health and the component checks behind it (ingestion.health), against the real stack."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, wait

import httpx

from docsearch.settings import Settings
from ingestion.health import redis_check, worker_check
from services import stack


def test_health_reports_every_component(live):
    with live.client() as client:
        resp = client.get("/api/health")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["status"] == "ok"
    assert body["redis"] == {"ok": True, "detail": "ping ok", "info": None}
    assert body["worker"]["ok"] and body["worker"]["info"]["workers"]
    assert body["engine"]["ok"]


def test_concurrent_health_calls_all_answer(live):
    """30 at once: each ping has a connection of its own, so none waits on a pool the others hold.

    (Sharing the Celery app's pool, about 20 concurrent calls each held one connection and waited
    for a second one: every call hung.)"""

    def one(_: int) -> int:
        with httpx.Client(base_url=live.url, timeout=30) as client:
            return client.get("/api/health").status_code

    with ThreadPoolExecutor(30) as pool:
        futures = [pool.submit(one, i) for i in range(30)]
        done, hung = wait(futures, timeout=60)
    assert not hung, f"{len(hung)} of 30 health calls did not answer"
    assert [f.result() for f in done] == [200] * 30


def test_checks_say_what_is_down(services: Settings):
    nowhere = f"redis://127.0.0.1:{stack.free_port()}/0"
    redis = redis_check(nowhere)
    assert not redis.ok and redis.detail
    worker = worker_check(nowhere, timeout=0.5)
    assert not worker.ok and worker.detail.startswith("broker unreachable") and worker.workers == ()
