"""Is the broker up, and which workers answer: one check of each, for the API's health route and the
local service manager.

Each check opens a connection of its own and closes it. The worker ping once borrowed from the
Celery app's connection pool and then waited for a second connection to publish with: about 20
concurrent health calls each held one of the pool's 10 and waited for another, and every one of them
hung. A probe app per call shares no pool with anything (about 1 s for a ping with a 0.2 s timeout,
30 at once in about the same time).
"""

from __future__ import annotations

from dataclasses import dataclass

import redis
from celery import Celery


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str
    workers: tuple[str, ...] = ()  # worker node names, for the worker check


def redis_check(redis_url: str, timeout: float = 2.0) -> Check:
    client = redis.Redis.from_url(redis_url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        client.ping()
    except redis.RedisError as exc:
        return Check(False, str(exc)[:300])
    finally:
        client.close()
    return Check(True, "ping ok")


def worker_check(redis_url: str, timeout: float = 1.5) -> Check:
    """Workers listening on the broker at ``redis_url`` (any queue), by their node names."""
    probe = Celery(broker=redis_url, set_as_current=False)
    try:
        with probe.connection_for_write() as connection:
            replies = probe.control.ping(timeout=timeout, connection=connection)
    except Exception as exc:  # noqa: BLE001 - any broker failure means no worker can be reached
        return Check(False, f"broker unreachable: {exc}"[:300])
    finally:
        probe.close()
    names = tuple(sorted(name for reply in replies for name in reply))
    if not names:
        return Check(False, "no worker answered")
    return Check(True, f"{len(names)} worker(s)", names)
