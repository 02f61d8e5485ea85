"""Start and stop the local stack without Docker: OpenSearch, Redis, a Celery worker, the API.

Each service is started only when it is not already answering, logs to
``<data_dir>/logs`` (OpenSearch to ``<data_dir>/opensearch/logs``) and records
its pid under ``<data_dir>/run``. An engine or Redis URL that is not on this
machine is used as it is, never started.

A local engine and Redis require a password: the first start makes them
(``docsearch.local_secrets``, under ``<data_dir>/secrets``) unless the settings
give them, and every process started here gets them through its settings. An
engine or Redis of ours still running without one is started again with it.
Every directory made here is private to its user (0700) and every process
started here runs with umask 077.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import httpx
import redis

from docsearch import local_secrets
from docsearch.accounts import Accounts
from docsearch.engine import Engine, basic_auth
from docsearch.local_secrets import is_local, masked, private_dir
from docsearch.schema import drop_indices, ensure_indices
from docsearch.settings import REPO_ROOT, Settings
from ingestion.health import redis_check, worker_check
from services import opensearch, redis_server
from services.client import Client
from services.processes import one_at_a_time, read_pid, spawn, terminate, wait_until

COMPONENTS = ("engine", "redis", "worker", "api")


@dataclass(frozen=True)
class Paths:
    """Where one stack keeps its pid files and logs (tests run a second stack beside the first)."""

    run: Path
    logs: Path

    @classmethod
    def of(cls, settings: Settings, name: str = "") -> "Paths":
        suffix = f"-{name}" if name else ""
        return cls(settings.data_dir / f"run{suffix}", settings.data_dir / f"logs{suffix}")


def _port(url: str, default: int) -> int:
    return urlparse(url).port or default


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def private_settings(base: Settings, data_dir: Path, *, prefix: str, redis_db: int, **overrides) -> Settings:
    """Settings of a stack beside ``base``'s (tests, benchmarks): the same engine and Redis server, but
    its own index prefix (so its own queues), Redis database, data directory and API port."""
    values = dict(
        env="test",
        engine_url=base.engine_url,
        engine_kind=base.engine_kind,
        engine_username=base.engine_username,
        engine_password=base.engine_password,
        redis_url=urlunparse(urlparse(base.redis_url)._replace(path=f"/{redis_db}")),
        index_prefix=f"{prefix}-{uuid.uuid4().hex[:10]}",
        data_dir=data_dir,
        api_port=free_port(),
    )
    values.update(overrides)
    return Settings(**values)


def forget_private_redis(settings: Settings) -> None:
    """Delete the keys a private stack left in its Redis database (queue bindings, the reconciler lock)."""
    client = redis.Redis.from_url(settings.redis_url)
    try:
        keys = list(client.scan_iter(match=f"*{settings.index_prefix}*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def env_for(settings: Settings) -> dict[str, str]:
    """The environment a child process needs to see exactly these settings."""
    env = dict(os.environ)
    for name, value in settings.model_dump().items():
        if value is not None:
            env[f"DOCSEARCH_{name.upper()}"] = str(value)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


# -- engine ------------------------------------------------------------------
def engine_up(settings: Settings, timeout: float = 240, nodes: int = 1) -> str:
    local_secrets.provide(settings)
    local = is_local(settings.engine_url)
    port = _port(settings.engine_url, 9200)
    if nodes > 1:
        if not local:
            raise RuntimeError("--nodes starts a cluster on this machine; the engine URL is not local.")
        auth = basic_auth(settings)
        if auth is None:
            raise RuntimeError("The local engine needs DOCSEARCH_ENGINE_USERNAME and DOCSEARCH_ENGINE_PASSWORD.")
        with one_at_a_time(Paths.of(settings).run / "engine.lock"):
            return opensearch.start_cluster(settings.data_dir, auth, nodes, http_port=port,
                                            heap=settings.opensearch_heap, timeout=timeout, repo=settings.backup_dir)
    with one_at_a_time(Paths.of(settings).run / "engine.lock"):
        if not (local and opensearch.open_to_anyone(port)):
            if engine_ok(settings):
                return "already running"
            if not local:
                raise RuntimeError(f"The search engine at {settings.engine_url} does not answer, "
                                   "and it is not local to start.")
            if _engine_status(settings) == 401:
                raise RuntimeError(f"The engine on port {port} refuses docsearch's credentials (set "
                                   "DOCSEARCH_ENGINE_USERNAME and DOCSEARCH_ENGINE_PASSWORD, or stop it).")
            return _engine_start(settings, port, timeout)
        # A node of ours from before the engine required credentials: start it again with them.
        if opensearch.stop(settings.data_dir) == "not running":
            raise RuntimeError(f"An engine on port {port} answers without credentials and was not started from "
                               f"{settings.data_dir}: stop it, and `docsearch services up` starts one that needs them.")
        _engine_start(settings, port, timeout)
        return "restarted (now requires credentials)"


def _engine_start(settings: Settings, port: int, timeout: float) -> str:
    auth = basic_auth(settings)
    if auth is None:
        raise RuntimeError("The local engine needs DOCSEARCH_ENGINE_USERNAME and DOCSEARCH_ENGINE_PASSWORD.")
    opensearch.ensure_built()
    return opensearch.start(settings.data_dir, auth, http_port=port, heap=settings.opensearch_heap, timeout=timeout,
                            repo=settings.backup_dir)


def _engine_status(settings: Settings) -> int | None:
    try:
        return httpx.get(settings.engine_url, auth=basic_auth(settings), timeout=3).status_code
    except httpx.HTTPError:
        return None


def engine_ok(settings: Settings) -> bool:
    return _engine_status(settings) == 200


# -- redis -------------------------------------------------------------------
def redis_ok(settings: Settings) -> bool:
    return redis_check(settings.redis_url).ok


def redis_up(settings: Settings, paths: Paths) -> str:
    local_secrets.provide(settings)
    local = is_local(settings.redis_url)
    port = _port(settings.redis_url, 6379)
    with one_at_a_time(paths.run / "redis.lock"):
        if not (local and redis_server.open_to_anyone(settings.redis_url)):
            if redis_ok(settings):
                return "already running"
            if not local:
                raise RuntimeError(f"Redis at {masked(settings.redis_url)} does not answer, and it is not local to start.")
            refusal = redis_server.refuses_password(settings.redis_url)
            if refusal:
                raise RuntimeError(f"The Redis on port {port} refuses docsearch's password ({refusal}).")
            redis_server.start(settings.redis_url, settings.data_dir, paths.run / "redis.pid", paths.logs / "redis.log")
            return "started"
        # A Redis of ours from before it required a password (it accepts any): start it again with one.
        if terminate(paths.run / "redis.pid") == "not running":
            raise RuntimeError(f"A Redis on port {port} answers without a password and was not started from "
                               f"{paths.run}: stop it, and `docsearch services up` starts one that needs it.")
        redis_server.start(settings.redis_url, settings.data_dir, paths.run / "redis.pid", paths.logs / "redis.log")
        return "restarted (now requires a password)"


def _private_store(settings: Settings) -> None:
    """The data directory and the store of original files: 0700, before a worker or the API writes there."""
    private_dir(Path(settings.data_dir))
    if settings.store_dir is not None:
        private_dir(settings.store_dir)


# -- worker ------------------------------------------------------------------
def worker_names(settings: Settings, timeout: float = 1.5) -> list[str]:
    return list(worker_check(settings.redis_url, timeout).workers)


WORKERS = {"ingest": "worker_concurrency", "ocr": "ocr_concurrency"}


def worker_up(settings: Settings, paths: Paths, name: str = "docsearch", queue: str = "ingest",
              timeout: float = 120) -> str:
    """A Celery worker for one queue: ``ingest`` (text PDFs, NER, indexing) or ``ocr`` (scanned pages).

    The Redis queue is ``<index_prefix>.<queue>`` (see ``ingestion.celery_app``)."""
    pid_file, log_file = paths.run / f"worker-{queue}.pid", paths.logs / f"worker-{queue}.log"
    if read_pid(pid_file):
        return "already running"
    _private_store(settings)
    hostname = f"{name}-{queue}"
    cmd = [sys.executable, "-m", "celery", "-A", "ingestion.celery_app", "worker", "--loglevel", "INFO",
           "--concurrency", str(getattr(settings, WORKERS[queue])), "--hostname", f"{hostname}@%h",
           "--queues", f"{settings.index_prefix}.{queue}", "--without-gossip", "--without-mingle"]
    env = env_for(settings)
    env["OMP_THREAD_LIMIT"] = "1"  # Tesseract: one thread per process; parallelism comes from processes
    spawn(cmd, pid_file, log_file, env=env, cwd=REPO_ROOT)
    wait_until(lambda: any(n.startswith(hostname + "@") for n in worker_names(settings)), timeout,
               what=f"Celery worker ({queue})", log_file=log_file, pid_file=pid_file)
    return "started"


def workers_up(settings: Settings, paths: Paths, name: str = "docsearch") -> str:
    return ", ".join(f"{queue}: {worker_up(settings, paths, name, queue)}" for queue in WORKERS)


def workers_down(paths: Paths) -> str:
    return ", ".join(f"{queue}: {terminate(paths.run / f'worker-{queue}.pid', timeout=60)}" for queue in WORKERS)


# -- api ---------------------------------------------------------------------
def api_url(settings: Settings) -> str:
    return f"http://{settings.api_host}:{settings.api_port}"


def api_ok(settings: Settings) -> bool:
    try:
        return httpx.get(api_url(settings) + "/api/health", timeout=5).status_code in (200, 503)
    except httpx.HTTPError:
        return False


def api_up(settings: Settings, paths: Paths, timeout: float = 60, workers: int = 1) -> str:
    """The API under uvicorn with ``workers`` processes (the search benchmark measures more than one)."""
    pid_file, log_file = paths.run / "api.pid", paths.logs / "api.log"
    if read_pid(pid_file) and api_ok(settings):
        return "already running"
    _private_store(settings)
    cmd = [sys.executable, "-m", "uvicorn", "api.main:app", "--host", settings.api_host,
           "--port", str(settings.api_port), "--workers", str(workers)]
    spawn(cmd, pid_file, log_file, env=env_for(settings), cwd=REPO_ROOT)
    wait_until(lambda: api_ok(settings), timeout, what="API", log_file=log_file, pid_file=pid_file)
    return "started"


# -- all ---------------------------------------------------------------------
def cluster_settings(settings: Settings, nodes: int) -> Settings:
    """``settings`` for a local cluster of ``nodes`` nodes: the client given every node, new indices with a replica."""
    if nodes <= 1:
        return settings
    host = settings.engine_url.rsplit(":", 1)[0]
    others = [f"{host}:{port}" for port in opensearch.cluster_ports(_port(settings.engine_url, 9200), nodes)[1:]]
    return settings.model_copy(update={"engine_nodes": settings.engine_nodes or ",".join(others),
                                       "index_replicas": max(settings.index_replicas, 1)})


def up(settings: Settings, components: tuple[str, ...] = COMPONENTS, paths: Paths | None = None,
       report=lambda name, state: None, nodes: int = 1) -> None:
    """Start the components; with ``nodes`` > 1, the engine as a cluster on this machine, and the worker and API
    given its nodes (:func:`cluster_settings`)."""
    settings = cluster_settings(settings, nodes)
    paths = paths or Paths.of(settings)
    if "engine" in components:
        report("engine", engine_up(settings, nodes=nodes))
        engine = Engine.connect(settings)
        report("indices", ", ".join(f"{k}: {v}" for k, v in ensure_indices(engine, settings).items()))
        engine.close()
    if "redis" in components:
        report("redis", redis_up(settings, paths))
    if "worker" in components:
        report("worker", workers_up(settings, paths))
    if "api" in components:
        report("api", api_up(settings, paths))


def down(settings: Settings, components: tuple[str, ...] = COMPONENTS, paths: Paths | None = None,
         report=lambda name, state: None) -> None:
    paths = paths or Paths.of(settings)
    if "api" in components:
        report("api", terminate(paths.run / "api.pid"))
    if "worker" in components:
        report("worker", workers_down(paths))
    if "redis" in components:
        report("redis", terminate(paths.run / "redis.pid"))
    if "engine" in components:
        report("engine", opensearch.stop(settings.data_dir))


def status(settings: Settings, paths: Paths | None = None) -> dict[str, str]:
    paths = paths or Paths.of(settings)
    local = is_local(settings.engine_url)
    node = opensearch.status(_port(settings.engine_url, 9200), basic_auth(settings)) if local else None
    engine = "up" if engine_ok(settings) else "down"
    if node:
        engine += f" ({node.get('version', '?')}, {node.get('status', '?')})"
    workers = worker_names(settings) if redis_ok(settings) else []
    return {
        "engine": f"{engine} at {settings.engine_url}",
        "redis": ("up" if redis_ok(settings) else "down") + f" at {masked(settings.redis_url)}",
        "worker": f"up: {', '.join(workers)}" if workers else "down",
        "api": ("up" if api_ok(settings) else "down") + f" at {api_url(settings)}",
    }


# -- a private stack ---------------------------------------------------------
class Private(Client):
    """A running private stack (see ``private``), and a client of its API."""

    def __init__(self, settings: Settings, engine, paths: Paths, name: str, timeout: float):
        super().__init__(api_url(settings), timeout=timeout,
                         refresh=lambda: engine.refresh(settings.documents_alias))
        self.settings, self.engine, self.paths, self.name = settings, engine, paths, name
        self.keep = False  # set to keep the indices at the end (benchmarks' --keep)
        self.indices: dict[str, str] = {}  # what ensure_indices found: alias -> "created" | "exists" | ...
        self.admin_user, self.admin_password = "", ""  # the stack's administrator (``token`` is one of its tokens)

    def up(self, *components: str, api_workers: int = 1) -> None:
        """Start components again (``engine``, ``redis``, ``worker`` or one queue's: ``ingest``, ``ocr``,
        ``api``), as a supervisor would after a crash; those already running are left alone."""
        for component in components:
            if component == "engine":
                engine_up(self.settings)
            elif component == "redis":
                redis_up(self.settings, self.paths)
            elif component == "worker":
                workers_up(self.settings, self.paths, name=self.name)
            elif component in WORKERS:
                worker_up(self.settings, self.paths, name=self.name, queue=component)
            elif component == "api":
                api_up(self.settings, self.paths, workers=api_workers)
            else:
                raise ValueError(f"not a component of a private stack: {component}")

    def down(self, *components: str) -> None:
        down(self.settings, components, self.paths)


def _admin(engine, settings: Settings) -> tuple[str, str, str]:
    """A private stack's administrator, with a password and an API token (a stack that reuses its indices
    gets a new password: the old one is not kept anywhere)."""
    accounts = Accounts(engine, settings)
    password = secrets.token_urlsafe(18)
    if accounts.user("admin") is None:
        accounts.create_user("admin", password, "admin")
    else:
        accounts.change_user("admin", password=password, disabled=False, role="admin")
    return "admin", password, accounts.create_token("admin", "private stack")["token"]


@contextlib.contextmanager
def private(base: Settings, data_dir: Path, *, prefix: str, redis_db: int,
            components: tuple[str, ...] = ("worker", "api"), api_workers: int = 1, timeout: float = 60,
            **overrides) -> Iterator[Private]:
    """A stack beside ``base``'s for tests and benchmarks: settings (``private_settings``), indices,
    then ``components`` (``worker``, ``api``; ``engine`` and ``redis`` when ``overrides`` point at an
    engine and a Redis of its own, which the fault tests kill). On the way out everything it started
    stops, and, unless it ran them itself or ``keep`` was set, its indices are dropped and its keys in
    the shared Redis deleted: a test session or benchmark leaves nothing behind on the shared services.
    """
    settings = private_settings(base, data_dir, prefix=prefix, redis_db=redis_db, **overrides)
    paths = Paths(data_dir / "run", data_dir / "logs")

    if "engine" in components:
        engine_up(settings)
    engine = Engine.connect(settings)
    stack = Private(settings, engine, paths, name=settings.index_prefix, timeout=timeout)
    try:
        if "redis" in components:
            redis_up(settings, paths)
        stack.indices = ensure_indices(engine, settings)
        stack.admin_user, stack.admin_password, stack.token = _admin(engine, settings)
        stack.up(*(c for c in ("worker", "api") if c in components), api_workers=api_workers)
        yield stack
    finally:
        try:
            down(settings, ("api", "worker") + tuple(c for c in ("redis", "engine") if c in components), paths)
        finally:
            if "engine" not in components and not stack.keep:
                drop_indices(engine, settings)
            engine.close()
            if "redis" not in components:
                forget_private_redis(settings)
