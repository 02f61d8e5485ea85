"""The passwords of the engine and Redis that docsearch runs on this machine, kept under ``<data_dir>/secrets``.

``docsearch services up`` (``services.stack``) makes them the first time it starts a local engine or Redis
(``provide``): ``secrets/engine.json`` (``{"username", "password"}``) and ``secrets/redis.json``
(``{"password"}``), files of mode 0600 in a directory of mode 0700. Settings read them (``apply``) whenever
an engine or Redis URL is local and no credentials were given: so the CLI, the API, the workers and the
tests connect without a manual step. Credentials given in the environment always win, and nothing is read
for a remote URL.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse, urlunparse

if TYPE_CHECKING:
    from docsearch.settings import Settings

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
ENGINE_USER = "docsearch"
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


def is_local(url: str) -> bool:
    return (urlparse(url).hostname or "") in LOCAL_HOSTS


def secrets_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "secrets"


def private_dir(path: Path) -> Path:
    """``path`` as a directory only its owner can enter (created, or narrowed when it exists)."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    info = path.stat()
    if info.st_mode & 0o777 != PRIVATE_DIR and info.st_uid == os.getuid():
        path.chmod(PRIVATE_DIR)
    return path


def _read(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as a new file of mode 0600 (never readable by others, not even for a moment)."""
    private_dir(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _password() -> str:
    return secrets.token_urlsafe(24)  # 192 bits; URL-safe, so it goes into a Redis URL as it is


def engine_credentials(data_dir: Path) -> tuple[str, str] | None:
    data = _read(secrets_dir(data_dir) / "engine.json") or {}
    user, password = data.get("username"), data.get("password")
    return (user, password) if isinstance(user, str) and isinstance(password, str) and user and password else None


def redis_password(data_dir: Path) -> str | None:
    password = (_read(secrets_dir(data_dir) / "redis.json") or {}).get("password")
    return password if isinstance(password, str) and password else None


def ensure(data_dir: Path) -> None:
    """Make the engine's and Redis's credentials under ``data_dir`` unless they exist."""
    if engine_credentials(data_dir) is None:
        write_private(secrets_dir(data_dir) / "engine.json",
                      json.dumps({"username": ENGINE_USER, "password": _password()}))
    if redis_password(data_dir) is None:
        write_private(secrets_dir(data_dir) / "redis.json", json.dumps({"password": _password()}))


def with_password(url: str, password: str) -> str:
    """``redis://host:port/db`` with ``password`` in it (``redis://:password@host:port/db``)."""
    parsed = urlparse(url)
    host = parsed.netloc.rpartition("@")[2]
    return urlunparse(parsed._replace(netloc=f":{password}@{host}"))


def masked(url: str) -> str:
    """``url`` with its password, if any, shown as ``***`` (for status lines, messages and logs)."""
    parsed = urlparse(url)
    if parsed.password is None:
        return url
    user, _, host = parsed.netloc.rpartition("@")
    name = user.partition(":")[0]
    return urlunparse(parsed._replace(netloc=f"{name}:***@{host}"))


def provide(settings: "Settings") -> None:
    """Give ``settings`` the credentials of its local engine and Redis, made the first time (``ensure``)
    when it has none of its own. What starts a local engine or Redis calls this first."""
    engine_needs = is_local(settings.engine_url) and settings.engine_username is None
    redis_needs = is_local(settings.redis_url) and urlparse(settings.redis_url).password is None
    if engine_needs or redis_needs:
        private_dir(Path(settings.data_dir))
        ensure(settings.data_dir)
        apply(settings)


def apply(settings: "Settings") -> None:
    """Give ``settings`` the stored credentials of a local engine and Redis that have none configured."""
    if settings.engine_username is None and is_local(settings.engine_url):
        found = engine_credentials(settings.data_dir)
        if found:
            settings.engine_username, settings.engine_password = found
    if urlparse(settings.redis_url).password is None and is_local(settings.redis_url):
        password = redis_password(settings.data_dir)
        if password:
            settings.redis_url = with_password(settings.redis_url, password)
