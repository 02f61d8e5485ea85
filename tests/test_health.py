"""GET /api/health and the component checks behind it (ingestion.health), against the real stack."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait

import httpx

from api.routers.health import HealthCache
from docsearch.settings import Settings
from ingestion.health import redis_check, worker_check
from services import stack
from docsearch.accounts import Accounts


def anonymous(live) -> httpx.Client:
    """A client that carries no credentials, whatever ``live.client()`` sends."""
    return httpx.Client(base_url=live.url, timeout=60)


def test_anyone_learns_only_whether_each_component_is_up(live):
    with anonymous(live) as client:
        resp = client.get("/api/health")
    assert resp.status_code == 200, resp.text
    # Nothing more: no worker host name, no engine version, no cluster name.
    assert resp.json() == {"status": "ok", "components": {"engine": "up", "redis": "up", "worker": "up"}}


def test_details_are_for_an_admin_who_asks(live):
    accounts = Accounts(live.engine, live.settings)
    if accounts.user("health-analyst") is None:
        accounts.create_user("health-analyst", "a-long-enough-password-1", "analyst")
    analyst = accounts.create_token("health-analyst", "health")["token"]
    with anonymous(live) as client:
        assert client.get("/api/health", params={"detail": "true"}).status_code == 401
        wrong = client.get("/api/health", params={"detail": "true"},
                           headers={"Authorization": "Bearer not-a-token"})
        assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "unauthorized"
        not_admin = client.get("/api/health", params={"detail": "true"},
                               headers={"Authorization": f"Bearer {analyst}"})
        assert not_admin.status_code == 403 and not_admin.json()["error"]["code"] == "forbidden"
        resp = client.get("/api/health", params={"detail": "true"},
                          headers={"Authorization": f"Bearer {live.token}"})
    assert resp.status_code == 200, resp.text
    detail = resp.json()["detail"]
    assert detail["redis"] == {"ok": True, "detail": "ping ok"}
    assert any(name.startswith(f"{live.name}-ingest@") for name in detail["worker"]["info"]["workers"])
    assert detail["engine"]["ok"] and detail["engine"]["info"]["kind"] == "opensearch"
    assert detail["engine"]["info"]["version"]


def test_two_hundred_parallel_calls_cost_one_check(live):
    """Every call answers, and within a second they are served by one check (the admin view's
    ``checked_at`` is the same for calls a moment apart)."""

    def one(_: int) -> int:
        with anonymous(live) as client:
            return client.get("/api/health").status_code

    started = time.monotonic()
    with ThreadPoolExecutor(50) as pool:
        futures = [pool.submit(one, i) for i in range(200)]
        done, hung = wait(futures, timeout=60)
    assert not hung, f"{len(hung)} of 200 health calls did not answer"
    assert [f.result() for f in done] == [200] * 200
    assert time.monotonic() - started < 20

    admin = {"Authorization": f"Bearer {live.token}"}
    with anonymous(live) as client:
        stamps = [client.get("/api/health", params={"detail": "true"}, headers=admin).json()["detail"]["checked_at"]
                  for _ in range(3)]
    assert len(set(stamps)) <= 2  # three calls in a row: one check, or two if its second ran out in between
    time.sleep(1.1)
    with anonymous(live) as client:
        later = client.get("/api/health", params={"detail": "true"}, headers=admin).json()["detail"]["checked_at"]
    assert later > stamps[-1]


def test_the_cache_runs_one_check_for_callers_that_come_together():
    calls = []
    lock = threading.Lock()

    def check() -> dict:
        with lock:
            calls.append(1)
        time.sleep(0.2)
        return {"n": len(calls)}

    async def main() -> list[dict]:
        cache = HealthCache(ttl=1.0)
        first = await asyncio.gather(*(cache.get(check) for _ in range(200)))
        await asyncio.sleep(1.05)
        return first + [await cache.get(check)]

    answers = asyncio.run(main())
    assert answers[:200] == [{"n": 1}] * 200
    assert answers[200] == {"n": 2} and len(calls) == 2


def test_checks_say_what_is_down(services: Settings):
    nowhere = f"redis://127.0.0.1:{stack.free_port()}/0"
    redis = redis_check(nowhere)
    assert not redis.ok and redis.detail
    worker = worker_check(nowhere, timeout=0.5)
    assert not worker.ok and worker.detail.startswith("broker unreachable") and worker.workers == ()
