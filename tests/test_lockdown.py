"""The local engine and Redis need credentials, bind to loopback, and keep their files private.

The engine (the Maven-built OpenSearch node) answers 401 to a request without the user and password of
``<data_dir>/secrets/engine.json`` (or of the settings); Redis refuses commands without the password of the
Redis URL. The secrets are made on the first start, in a 0700 directory, as 0600 files, and read by
Settings, so nothing has to be configured by hand.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
import redis

from docsearch import local_secrets
from docsearch.engine import basic_auth
from docsearch.settings import Settings
from services import opensearch, stack
from services.processes import spawn, terminate, wait_until


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("DOCSEARCH_"):
            monkeypatch.delenv(key)


# -- the engine ----------------------------------------------------------------
def test_engine_refuses_a_request_without_credentials(services: Settings):
    if not local_secrets.is_local(services.engine_url):
        pytest.skip("the engine is not the local node")
    url = services.engine_url
    bare = httpx.get(url, timeout=10)
    assert bare.status_code == 401
    assert bare.headers["www-authenticate"].startswith('Basic realm="docsearch"')
    assert "version" not in bare.text  # nothing about the engine is told
    assert httpx.put(f"{url}/lockdown-{uuid.uuid4().hex[:8]}", timeout=10).status_code == 401
    assert httpx.get(f"{url}/_cat/indices", auth=("docsearch", "not-the-password"), timeout=10).status_code == 401
    assert httpx.get(url, headers={"Authorization": "Basic !!!not base64"}, timeout=10).status_code == 401


def test_engine_accepts_the_configured_credentials(services: Settings):
    auth = basic_auth(services)
    assert auth is not None, "the settings carry no engine credentials"
    resp = httpx.get(services.engine_url, auth=auth, timeout=10)
    assert resp.status_code == 200 and resp.json()["version"]["number"]


def test_engine_deletes_indices_only_by_name(services: Settings):
    # A pattern that matches nothing: without the setting the engine would answer 200.
    resp = httpx.delete(f"{services.engine_url}/lockdown-none-{uuid.uuid4().hex[:8]}-*",
                        auth=basic_auth(services), timeout=10)
    assert resp.status_code == 400 and "Wildcard expressions" in resp.text


def test_node_does_not_start_without_credentials_or_off_loopback(tmp_path: Path):
    opensearch.ensure_built()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCSEARCH_NODE_")}
    base = ["java", "-cp", opensearch._classpath(), opensearch.MAIN_CLASS, f"-Epath.home={tmp_path}"]
    run = subprocess.run(base, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "no credentials" in run.stderr
    env |= {"DOCSEARCH_NODE_USERNAME": "docsearch", "DOCSEARCH_NODE_PASSWORD": "x" * 20}
    run = subprocess.run([*base, "-Enetwork.host=0.0.0.0"], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "not loopback" in run.stderr


# -- Redis -----------------------------------------------------------------------
def test_redis_refuses_a_command_without_the_password(services: Settings):
    url = urlparse(services.redis_url)
    if not local_secrets.is_local(services.redis_url):
        pytest.skip("Redis is not local")
    assert url.password, "the Redis URL carries no password"
    bare = redis.Redis(host=url.hostname, port=url.port or 6379, socket_timeout=5)
    with pytest.raises(redis.AuthenticationError):
        bare.ping()
    bare.close()
    wrong = redis.Redis(host=url.hostname, port=url.port or 6379, password="not-the-password", socket_timeout=5)
    with pytest.raises(redis.AuthenticationError):
        wrong.ping()
    wrong.close()
    assert redis.Redis.from_url(services.redis_url, socket_timeout=5).ping()


@pytest.fixture()
def open_redis(tmp_path: Path):
    """A redis-server without a password, as ``services up`` started them before they needed one."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    settings = Settings(_env_file=None, data_dir=tmp_path / "data",
                        redis_url=f"redis://127.0.0.1:{stack.free_port()}/0")
    paths = stack.Paths.of(settings)
    port = urlparse(settings.redis_url).port
    spawn([server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
          paths.run / "redis.pid", paths.logs / "redis.log")
    wait_until(lambda: stack.redis_ok(settings), 30, what="redis-server", pid_file=paths.run / "redis.pid")
    yield settings, paths
    terminate(paths.run / "redis.pid")


def test_an_open_redis_of_ours_is_started_again_with_a_password(open_redis, monkeypatch: pytest.MonkeyPatch):
    _clean_env(monkeypatch)
    settings, paths = open_redis
    assert stack.redis_up(settings, paths) == "restarted (now requires a password)"
    password = urlparse(settings.redis_url).password
    assert password == local_secrets.redis_password(settings.data_dir)
    with pytest.raises(redis.AuthenticationError):
        redis.Redis(port=urlparse(settings.redis_url).port, socket_timeout=5).ping()
    assert stack.redis_ok(settings)
    assert stack.redis_up(settings, paths) == "already running"
    assert password not in stack.status(settings, paths)["redis"]


def test_an_open_redis_not_ours_is_a_clear_error(open_redis, tmp_path: Path):
    settings, _ = open_redis
    other = Settings(_env_file=None, data_dir=tmp_path / "other", redis_url=settings.redis_url)
    with pytest.raises(RuntimeError, match="answers without a password"):
        stack.redis_up(other, stack.Paths.of(other))


# -- secrets and directories -------------------------------------------------------
def test_shared_stack_secrets_and_directories_are_private(services: Settings):
    secrets = local_secrets.secrets_dir(services.data_dir)
    if not (secrets / "engine.json").exists():
        pytest.skip("the engine credentials are configured, not generated")
    assert _mode(services.data_dir) == 0o700
    assert _mode(secrets) == 0o700
    for name in ("engine.json", "redis.json"):
        assert _mode(secrets / name) == 0o600, name
    for sub in ("opensearch", "opensearch/data", "opensearch/logs", "redis", "run", "logs"):
        if (services.data_dir / sub).exists():
            assert _mode(services.data_dir / sub) == 0o700, sub


def test_secrets_are_made_once_private_and_read_by_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _clean_env(monkeypatch)
    data = tmp_path / "data"
    assert Settings(_env_file=None, data_dir=data).engine_username is None  # nothing made, nothing read
    local_secrets.ensure(data)
    first = json.loads((data / "secrets" / "engine.json").read_text())
    local_secrets.ensure(data)
    assert json.loads((data / "secrets" / "engine.json").read_text()) == first
    assert _mode(data / "secrets") == 0o700
    assert {_mode(p) for p in (data / "secrets").iterdir()} == {0o600}

    settings = Settings(_env_file=None, data_dir=data)
    assert (settings.engine_username, settings.engine_password) == (first["username"], first["password"])
    assert len(first["password"]) >= 32
    password = local_secrets.redis_password(data)
    assert settings.redis_url == f"redis://:{password}@127.0.0.1:6379/0"
    # A child process (API, worker) started by the stack sees the same settings.
    for key, value in stack.env_for(settings).items():
        if key.startswith("DOCSEARCH_"):
            monkeypatch.setenv(key, value)
    child = Settings(_env_file=None)
    assert (child.engine_username, child.engine_password, child.redis_url) == (
        settings.engine_username, settings.engine_password, settings.redis_url)


def test_given_credentials_and_remote_services_are_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _clean_env(monkeypatch)
    local_secrets.ensure(tmp_path)
    given = Settings(_env_file=None, data_dir=tmp_path, engine_username="ops", engine_password="pw",
                     redis_url="redis://:mine@localhost:6379/2")
    assert (given.engine_username, given.engine_password) == ("ops", "pw")
    assert given.redis_url == "redis://:mine@localhost:6379/2"
    remote = Settings(_env_file=None, data_dir=tmp_path, engine_url="http://search.internal:9200",
                      redis_url="redis://queue.internal:6379/0")
    assert remote.engine_username is None and remote.redis_url == "redis://queue.internal:6379/0"


def test_private_stacks_share_the_base_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _clean_env(monkeypatch)
    local_secrets.ensure(tmp_path / "base")
    base = Settings(_env_file=None, data_dir=tmp_path / "base")
    private = stack.private_settings(base, tmp_path / "private", prefix="lockdown", redis_db=7)
    assert basic_auth(private) == basic_auth(base)
    assert urlparse(private.redis_url).password == urlparse(base.redis_url).password
    assert urlparse(private.redis_url).path == "/7"


@pytest.mark.parametrize("url, shown", [
    ("redis://:s3cret@127.0.0.1:6379/0", "redis://:***@127.0.0.1:6379/0"),
    ("redis://user:s3cret@host:6379/0", "redis://user:***@host:6379/0"),
    ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
])
def test_passwords_are_masked(url: str, shown: str):
    assert local_secrets.masked(url) == shown
