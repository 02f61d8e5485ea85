"""A local redis-server that needs a password, bound to 127.0.0.1 (the broker of ``docsearch services up``).

The password comes from the Redis URL and reaches redis-server in a config file of mode 0600 under
``<data_dir>/secrets``, never on its command line (which every user of the machine can read).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from docsearch import local_secrets
from ingestion.health import redis_check
from services.processes import spawn, wait_until


def without_password(url: str) -> str:
    parsed = urlparse(url)
    return urlunparse(parsed._replace(netloc=parsed.netloc.rpartition("@")[2]))


def open_to_anyone(url: str) -> bool:
    """Does the Redis of ``url`` answer without a password (one started before it needed one)?"""
    return redis_check(without_password(url)).ok


def refuses_password(url: str) -> str | None:
    """The Redis's refusal when it wants another password than the one in ``url``, else None."""
    detail = redis_check(url).detail
    return detail if any(word in detail for word in ("WRONGPASS", "invalid password", "NOAUTH")) else None


def start(url: str, data_dir: Path, pid_file: Path, log_file: Path) -> None:
    """Start redis-server for ``url`` (its port and password), with its data under ``<data_dir>/redis``."""
    server = shutil.which("redis-server")
    if server is None:
        raise RuntimeError("redis-server is not installed (Debian: apt-get install redis-server); `make setup` does it.")
    parsed = urlparse(url)
    if not parsed.password:
        raise RuntimeError("The local Redis needs a password in DOCSEARCH_REDIS_URL (redis://:password@host:port/db).")
    port = parsed.port or 6379
    local_secrets.private_dir(Path(data_dir))
    data = local_secrets.private_dir(Path(data_dir) / "redis")
    config = local_secrets.secrets_dir(data_dir) / f"redis-{port}.conf"
    local_secrets.write_private(config, f"requirepass {parsed.password}\n")
    cmd = [server, str(config), "--bind", "127.0.0.1", "--port", str(port), "--dir", str(data),
           "--appendonly", "yes", "--daemonize", "no", "--protected-mode", "yes", "--save", "60 1000"]
    spawn(cmd, pid_file, log_file)
    wait_until(lambda: redis_check(url).ok, 30, what="redis-server", log_file=log_file, pid_file=pid_file)
