"""Static checks of docker-compose.yml (no Docker engine needed).

Values are read as compose would run them: ``${VAR}`` references are filled from ``COMPOSE_ENV`` (what an
operator exports), and a secret has no default, so compose refuses to start without it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"

CORE_SERVICES = ("elasticsearch", "redis", "api", "worker")
APP_SERVICES = ("api", "worker")
BACKENDS = ("elasticsearch", "redis")
COMPOSE_ENV = {"ELASTIC_PASSWORD": "es-test-password", "REDIS_PASSWORD": "0123456789abcdef"}
REFERENCE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")
SECRET_WORDS = ("PASSWORD", "SECRET", "TOKEN", "REQUIREPASS")


def _interpolate(value: str, env: dict[str, str] = COMPOSE_ENV) -> str:
    """``value`` as compose interpolates it (``$$`` is a literal ``$``); a missing ``${X:?...}`` raises."""
    def fill(match: re.Match) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        if env.get(name):
            return env[name]
        if op and op.endswith("?"):
            raise KeyError(f"{name}: {arg}")
        return arg if op and op.endswith("-") else ""
    parts = value.split("$$")
    return "$".join(REFERENCE.sub(fill, part) for part in parts)


@pytest.fixture(scope="module")
def compose() -> dict:
    data = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def services(compose: dict) -> dict:
    return compose["services"]


def _raw_environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # ["KEY=value", ...] form
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def _environment(service: dict) -> dict[str, str]:
    return {key: _interpolate(value) for key, value in _raw_environment(service).items()}


def _volume_mounts(service: dict) -> list[tuple[str, str]]:
    mounts = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            source, target = volume.split(":")[:2]
        else:
            source, target = volume.get("source"), volume["target"]
        mounts.append((source, target))
    return mounts


def test_compose_parses_and_has_services(compose: dict) -> None:
    assert isinstance(compose.get("services"), dict)
    assert isinstance(compose.get("volumes"), dict)


@pytest.mark.parametrize("name", CORE_SERVICES)
def test_core_service_exists_with_image_or_build(services: dict, name: str) -> None:
    assert name in services
    service = services[name]
    assert service.get("image") or service.get("build"), f"{name} has neither image nor build"


def test_backend_images(services: dict) -> None:
    assert services["elasticsearch"]["image"].startswith("docker.elastic.co/elasticsearch/elasticsearch:8.")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["opensearch"]["image"].startswith("opensearchproject/opensearch:2.")


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_are_built_from_repo_dockerfile(services: dict, name: str) -> None:
    build = services[name]["build"]
    if isinstance(build, str):
        build = {"context": build}
    assert build["context"] == "."
    assert build.get("dockerfile", "Dockerfile") == "Dockerfile"
    assert DOCKERFILE.is_file()


def test_every_service_has_healthcheck(services: dict) -> None:
    for name, service in services.items():
        healthcheck = service.get("healthcheck")
        assert healthcheck and healthcheck.get("test"), f"{name} has no healthcheck"
        assert not healthcheck.get("disable"), f"{name} disables its healthcheck"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_healthy_backends(services: dict, name: str) -> None:
    depends_on = services[name]["depends_on"]
    assert isinstance(depends_on, dict), "depends_on must use the long form with conditions"
    for backend in BACKENDS:
        assert depends_on[backend]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_point_at_backend_services(services: dict, name: str) -> None:
    env = _environment(services[name])
    engine = urlparse(env["DOCSEARCH_ENGINE_URL"])
    assert engine.hostname == "elasticsearch"
    assert engine.hostname in services
    assert env["DOCSEARCH_ENGINE_KIND"] == "elasticsearch"
    redis = urlparse(env["DOCSEARCH_REDIS_URL"])
    assert redis.scheme == "redis"
    assert redis.hostname == "redis"
    assert redis.hostname in services


def test_api_and_worker_share_environment(services: dict) -> None:
    assert _environment(services["api"]) == _environment(services["worker"])


def test_api_and_worker_share_store_volume(compose: dict, services: dict) -> None:
    store_dirs = set()
    mounts = {}
    for name in APP_SERVICES:
        store_dir = _environment(services[name])["DOCSEARCH_STORE_DIR"]
        store_dirs.add(store_dir)
        mounts[name] = {target: source for source, target in _volume_mounts(services[name])}
        assert store_dir in mounts[name], f"{name} does not mount a volume at {store_dir}"
    assert len(store_dirs) == 1
    (store_dir,) = store_dirs
    sources = {mounts[name][store_dir] for name in APP_SERVICES}
    assert len(sources) == 1, "api and worker mount different volumes for the store"
    (source,) = sources
    assert source in compose["volumes"], "the store must be a named volume"


def test_backends_have_persistent_volumes(compose: dict, services: dict) -> None:
    for name in ("elasticsearch", "opensearch", "redis"):
        named = [source for source, _ in _volume_mounts(services[name]) if source in compose["volumes"]]
        assert named, f"{name} has no named data volume"


def test_opensearch_is_optional_profile(services: dict) -> None:
    assert "opensearch" in services["opensearch"].get("profiles", [])
    for name in CORE_SERVICES:
        assert not services[name].get("profiles"), f"{name} must start without a profile"


def test_published_ports_bound_to_loopback(services: dict) -> None:
    published = 0
    for name, service in services.items():
        for port in service.get("ports") or []:
            published += 1
            if isinstance(port, dict):
                assert port.get("host_ip") == "127.0.0.1", f"{name}: {port}"
            else:
                assert str(port).startswith("127.0.0.1:"), f"{name}: {port}"
    assert published, "expected at least one published port"
    assert "127.0.0.1:8000:8000" in services["api"]["ports"]
    assert "127.0.0.1:9200:9200" in services["elasticsearch"]["ports"]


def _docsearch_variables() -> set[str]:
    names: set[str] = set()
    for path in (COMPOSE_FILE, DOCKERFILE):
        names.update(re.findall(r"\bDOCSEARCH_[A-Z0-9_]+", path.read_text(encoding="utf-8")))
    return names


def test_docsearch_variables_found() -> None:
    assert {
        "DOCSEARCH_ENGINE_URL",
        "DOCSEARCH_ENGINE_KIND",
        "DOCSEARCH_REDIS_URL",
        "DOCSEARCH_STORE_DIR",
        "DOCSEARCH_ENV",
    } <= _docsearch_variables()


def test_every_docsearch_variable_is_a_settings_field() -> None:
    from docsearch.settings import Settings

    prefix = str(Settings.model_config.get("env_prefix", ""))
    assert prefix.upper() == "DOCSEARCH_"
    fields = set(Settings.model_fields)
    missing = sorted(
        name for name in _docsearch_variables() if name[len("DOCSEARCH_"):].lower() not in fields
    )
    assert not missing, f"variables used by the compose file but not Settings fields: {missing}"


def test_compose_environment_is_accepted_by_settings(services: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    from docsearch.settings import Settings

    for name in APP_SERVICES:
        for key in list(os.environ):
            if key.startswith("DOCSEARCH_"):
                monkeypatch.delenv(key)
        for key, value in _environment(services[name]).items():
            monkeypatch.setenv(key, value)
        settings = Settings(_env_file=None)
        assert settings.env == "production"
        assert settings.engine_kind == "elasticsearch"
        assert str(settings.store_dir) == _environment(services[name])["DOCSEARCH_STORE_DIR"]


def test_workers_consume_the_queues_the_app_routes_to(services: dict) -> None:
    """One worker per queue: text work and OCR, named as ingestion.celery_app names them."""
    from docsearch.settings import Settings

    prefix = Settings.model_fields["index_prefix"].default
    commands = {name: " ".join(services[name]["command"]) for name in ("worker", "ocr-worker")}
    assert f"--queues={prefix}.ingest" in commands["worker"]
    assert f"--queues={prefix}.ocr" in commands["ocr-worker"]
    assert services["ocr-worker"]["environment"]["OMP_THREAD_LIMIT"] == "1"
    for name in ("worker", "ocr-worker"):
        env = services[name]["environment"]
        assert env["DOCSEARCH_ENGINE_URL"].startswith("http://elasticsearch:")
        assert urlparse(_interpolate(env["DOCSEARCH_REDIS_URL"])).hostname == "redis"
        assert "store:/data/store" in services[name]["volumes"]


# -- security ------------------------------------------------------------------
def test_elasticsearch_requires_credentials(services: dict) -> None:
    es = services["elasticsearch"]
    env = _raw_environment(es)
    assert env["xpack.security.enabled"] == "true"
    assert env["ELASTIC_PASSWORD"].startswith("${ELASTIC_PASSWORD:?")
    assert env["action.destructive_requires_name"] == "true"
    probe = " ".join(es["healthcheck"]["test"])
    assert "-u" in probe.split() and "$${ELASTIC_PASSWORD}" in probe  # the container's variable, not a copy


def test_redis_requires_a_password(services: dict) -> None:
    redis = services["redis"]
    command = " ".join(redis["command"])
    assert "requirepass" in command and "$$REDIS_PASSWORD" in command
    assert _raw_environment(redis)["REDIS_PASSWORD"].startswith("${REDIS_PASSWORD:?")
    probe = " ".join(redis["healthcheck"]["test"])
    assert "REDISCLI_AUTH" in probe and "PONG" in probe  # an unauthenticated ping answers NOAUTH


@pytest.mark.parametrize("name", ("api", "worker", "ocr-worker"))
def test_app_services_get_the_credentials_from_the_environment(services: dict, name: str) -> None:
    raw = _raw_environment(services[name])
    assert raw["DOCSEARCH_ENGINE_PASSWORD"].startswith("${ELASTIC_PASSWORD:?")
    env = _environment(services[name])
    assert env["DOCSEARCH_ENGINE_USERNAME"] == "elastic"
    assert env["DOCSEARCH_ENGINE_PASSWORD"] == COMPOSE_ENV["ELASTIC_PASSWORD"]
    assert urlparse(env["DOCSEARCH_REDIS_URL"]).password == COMPOSE_ENV["REDIS_PASSWORD"]


def test_compose_refuses_to_start_without_the_secrets() -> None:
    """Every reference to a secret is ``${NAME:?message}``: no default secret, and no empty one."""
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    references = [m for part in text.split("$$") for m in REFERENCE.finditer(part)]  # $${X} is the container's
    assert {m["name"] for m in references} >= set(COMPOSE_ENV)
    for match in references:
        if any(word in match["name"].upper() for word in SECRET_WORDS):
            assert match["op"] == ":?", f"{match[0]} must be required, with no default"
    for name in COMPOSE_ENV:
        with pytest.raises(KeyError, match=name):
            _interpolate(f"${{{name}:?set {name}}}", {k: v for k, v in COMPOSE_ENV.items() if k != name})


def test_no_secret_is_written_in_the_file(services: dict) -> None:
    for name, service in services.items():
        for key, value in _raw_environment(service).items():
            if any(word in key.upper() for word in SECRET_WORDS):
                assert value.startswith("${"), f"{name}: {key} is written in the file"
        command = " ".join(service.get("command") or [])
        assert "--requirepass" not in command, f"{name}: a password on a command line is visible to ps"


def test_an_engine_without_security_publishes_no_port(services: dict) -> None:
    for name, service in services.items():
        env = _raw_environment(service)
        open_engine = env.get("DISABLE_SECURITY_PLUGIN") == "true" or env.get("xpack.security.enabled") == "false"
        if open_engine:
            assert not service.get("ports"), f"{name} runs without authentication: publish no port"


CLUSTER_NODES = ("es01", "es02", "es03")
CLUSTER_APPS = ("cluster-api", "cluster-worker", "cluster-ocr-worker")


def test_cluster_profile_is_three_nodes_of_one_cluster_with_transport_tls(compose: dict, services: dict) -> None:
    certs_command = "\n".join(services["certs"]["command"])
    assert "elasticsearch-certutil ca" in certs_command and "elasticsearch-certutil cert" in certs_command
    assert f"for node in {' '.join(CLUSTER_NODES)}" in certs_command  # a certificate for each node below
    data_volumes = set()
    for name in CLUSTER_NODES:
        node = services[name]
        env = _environment(node)
        assert node["profiles"] == ["cluster"] and services["certs"]["profiles"] == ["cluster"]
        assert node["image"] == services["elasticsearch"]["image"]
        assert env["node.name"] == name and env["cluster.name"] == "docsearch"
        assert env["cluster.initial_master_nodes"].split(",") == list(CLUSTER_NODES)
        assert sorted(env["discovery.seed_hosts"].split(",")) == sorted(set(CLUSTER_NODES) - {name})
        assert "discovery.type" not in env
        assert env["xpack.security.enabled"] == "true" and env["xpack.security.transport.ssl.enabled"] == "true"
        assert env["xpack.security.transport.ssl.certificate"] == f"certs/{name}/{name}.crt"
        assert env["xpack.security.transport.ssl.key"] == f"certs/{name}/{name}.key"
        assert env["xpack.security.transport.ssl.certificate_authorities"] == "certs/ca/ca.crt"
        assert env["ELASTIC_PASSWORD"] == COMPOSE_ENV["ELASTIC_PASSWORD"]
        assert node["depends_on"]["certs"]["condition"] == "service_completed_successfully"
        mounts = dict((target, source) for source, target in _volume_mounts(node))
        assert mounts["/usr/share/elasticsearch/config/certs"] == "certs"
        data_volumes.add(mounts["/usr/share/elasticsearch/data"])
    assert len(data_volumes) == 3 and data_volumes <= set(compose["volumes"])


def test_cluster_profile_apps_are_given_every_node_and_a_replica(services: dict) -> None:
    envs = {name: _environment(services[name]) for name in CLUSTER_APPS}
    for name, env in envs.items():
        service = services[name]
        assert service["profiles"] == ["cluster"]
        hosts = [env["DOCSEARCH_ENGINE_URL"], *env["DOCSEARCH_ENGINE_NODES"].split(",")]
        assert sorted(urlparse(url).hostname for url in hosts) == list(CLUSTER_NODES)
        assert env["DOCSEARCH_INDEX_REPLICAS"] == "1"
        assert {k: v for k, v in env.items() if not k.startswith(("DOCSEARCH_ENGINE_", "DOCSEARCH_INDEX_"))} == {
            k: v for k, v in _environment(services[name.removeprefix("cluster-")]).items()
            if not k.startswith("DOCSEARCH_ENGINE_")}  # the rest as the single-node services have it
        assert {b: c["condition"] for b, c in service["depends_on"].items()} == {
            **dict.fromkeys(CLUSTER_NODES, "service_healthy"), "redis": "service_healthy"}
        assert _volume_mounts(service) == _volume_mounts(services["api"])  # the same store
    assert services["cluster-api"]["ports"] == services["api"]["ports"]
