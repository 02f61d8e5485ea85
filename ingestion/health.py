"""Is the broker up, and which workers are alive: for the API's health route and the local service manager.

Each worker writes a heartbeat to Redis every few seconds (:func:`beat`, a key per worker that expires
unless renewed); :func:`alive_workers` reads them in one round trip, so a health check costs milliseconds
whatever the number of workers. :func:`worker_check` asks the workers themselves (a broadcast ping that
waits out its timeout), for the service manager waiting for a worker it started.

Each check opens a connection of its own and closes it. The worker ping once borrowed from the
Celery app's connection pool and then waited for a second connection to publish with: about 20
concurrent health calls each held one of the pool's 10 and waited for another, and every one of them
hung. A probe app per call shares no pool with anything (about 1 s for a ping with a 0.2 s timeout,
30 at once in about the same time).
"""

from __future__ import annotations

from dataclasses import dataclass

import json
import time

import redis
from celery import Celery

HEARTBEAT_S = 5.0
HEARTBEAT_TTL_S = 15  # three missed beats: the worker is gone


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


def _heartbeat_key(prefix: str, name: str = "*") -> str:
    return f"{prefix}:workers:{name}"


def beat(client: redis.Redis, prefix: str, name: str, queues: list[str]) -> None:
    """One heartbeat of worker ``name`` (its queues, when): alive for :data:`HEARTBEAT_TTL_S` more seconds."""
    client.set(_heartbeat_key(prefix, name), json.dumps({"queues": queues, "at": time.time()}), ex=HEARTBEAT_TTL_S)


def forget(client: redis.Redis, prefix: str, name: str) -> None:
    client.delete(_heartbeat_key(prefix, name))


def alive_workers(redis_url: str, prefix: str, timeout: float = 2.0) -> Check:
    """Workers of this deployment (index prefix) whose heartbeat has not expired, by their node names."""
    client = redis.Redis.from_url(redis_url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        names = tuple(sorted(key.decode().rsplit(":", 1)[-1]
                             for key in client.scan_iter(match=_heartbeat_key(prefix), count=1000)))
    except redis.RedisError as exc:
        return Check(False, f"broker unreachable: {exc}"[:300])
    finally:
        client.close()
    if not names:
        return Check(False, "no worker alive")
    return Check(True, f"{len(names)} worker(s)", names)
