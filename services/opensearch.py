"""Manage a local OpenSearch 2.19.6 node built from Maven Central artifacts.

The node is the small Java launcher in ``opensearch_node/`` (``docsearch.node.EmbeddedNode``):
one JVM, bound to 127.0.0.1, ``discovery.type=single-node``, with the transport-netty4,
analysis-common, lang-painless, reindex and mapper-extras modules and the k-NN plugin (``knn_vector`` fields,
Lucene HNSW) on the classpath, and ``BasicAuthPlugin``: every HTTP
request needs the user and password given to ``start`` (passed in the node's environment, never on
its command line). Its files are private to their user (umask 077, directories 0700). ``path.repo`` names
the one directory where filesystem snapshot repositories may live (``docsearch backup``, docs/backups.md);
the node reads it when it starts, so a node started without it must be restarted to take backups.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import deque
from pathlib import Path
from typing import Any

import httpx

from docsearch.local_secrets import private_dir
from services.processes import alive, private_file

Auth = tuple[str, str]

NODE_DIR = Path(__file__).parent / "opensearch_node"
MAIN_CLASS = "docsearch.node.EmbeddedNode"
CLUSTER_NAME = "docsearch"
NODE_NAME = "docsearch-node"

# JVM flags; the launcher also sets the log4j/netty system properties itself.
JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-Xss1m",
    "-XX:-OmitStackTraceInFastThrow",
    "-Dfile.encoding=UTF-8",
    "-Djava.awt.headless=true",
    "-Djava.locale.providers=SPI,COMPAT",
    "-Dlog4j.shutdownHookEnabled=false",
    "-Dlog4j2.disable.jmx=true",
    "-Dopensearch.set.netty.runtime.available.processors=false",
]


def _target() -> Path:
    return NODE_DIR / "target"


def _classpath() -> str:
    target = _target()
    return f"{target / 'classes'}{os.pathsep}{target / 'lib' / '*'}"


def _tail(path: Path, lines: int = 40) -> str:
    try:
        with path.open(errors="replace") as fh:
            return "".join(deque(fh, maxlen=lines))
    except OSError:
        return ""


def _paths(var_dir: Path) -> dict[str, Path]:
    base = Path(var_dir).resolve() / "opensearch"
    return {
        "base": base,
        "data": base / "data",
        "logs": base / "logs",
        "stdout": base / "logs" / "stdout.log",
        "server_log": base / "logs" / f"{CLUSTER_NAME}.log",
        "pid": base / "node.pid",
    }


def _is_built() -> bool:
    target = _target()
    classes, lib = target / "classes", target / "lib"
    if not (classes / "docsearch" / "node").is_dir() or not lib.is_dir() or not any(lib.glob("*.jar")):
        return False
    stamp = min(classes.stat().st_mtime, lib.stat().st_mtime)
    sources = [NODE_DIR / "pom.xml", *(p for p in (NODE_DIR / "src").rglob("*") if p.is_file())]
    return all(p.stat().st_mtime <= stamp for p in sources)


def ensure_built() -> None:
    """Build the launcher with Maven unless target/classes and target/lib are up to date."""
    if _is_built():
        return
    cmd = ["mvn", "-q", "-B", "-Dstyle.color=never", "-f", str(NODE_DIR / "pom.xml"), "package", "-DskipTests"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise RuntimeError("mvn not found on PATH; install Maven 3.8+ and a JDK 17") from exc
    if proc.returncode != 0:
        out = (proc.stdout + proc.stderr).splitlines()
        raise RuntimeError(f"mvn package failed (exit {proc.returncode}):\n" + "\n".join(out[-40:]))
    # mvn may leave dirs with old mtimes when nothing changed; mark them fresh.
    for d in (_target() / "classes", _target() / "lib"):
        os.utime(d)


def _get_json(url: str, auth: Auth | None, timeout: float = 2.0) -> dict[str, Any] | None:
    try:
        resp = httpx.get(url, auth=auth, timeout=timeout)
        data = resp.json()
    except (httpx.HTTPError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _root_info(http_port: int, auth: Auth | None) -> dict[str, Any] | None:
    data = _get_json(f"http://127.0.0.1:{http_port}/", auth)
    if data and isinstance(data.get("version"), dict):
        return data
    return None


def open_to_anyone(http_port: int) -> bool:
    """Does an engine on ``http_port`` answer without credentials (a node started before they were needed)?"""
    return _root_info(http_port, None) is not None


def _read_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None


# Popen objects of nodes started by this process, kept so they are reaped (no zombies, no
# "subprocess still running" ResourceWarning when they would be garbage-collected).
_CHILDREN: dict[int, subprocess.Popen] = {}


def _alive(pid: int) -> bool:
    child = _CHILDREN.get(pid)
    if child is not None:
        return child.poll() is None
    return alive(pid)


def _is_our_node(pid: int) -> bool:
    """Guard against a stale pid file whose pid was reused by another program."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not cmdline.parent.exists():
        return True  # no procfs (not Linux): trust the pid file
    try:
        return MAIN_CLASS.encode() in cmdline.read_bytes()
    except OSError:
        return False


def _terminate(pid: int, timeout: float) -> str:
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            while _alive(pid):
                time.sleep(0.1)
            return "killed"
        time.sleep(0.2)
    return "stopped"


def start(var_dir: Path, auth: Auth, http_port: int = 9200, heap: str = "512m", timeout: float = 180,
          repo: Path | None = None) -> str:
    """Start the node in the background, requiring ``auth`` of every request; "started" or "already running".

    ``repo`` is the node's ``path.repo`` (default ``<var_dir>/backups``)."""
    if _root_info(http_port, auth) is not None:
        return "already running"
    ensure_built()
    p = _paths(var_dir)
    private_dir(Path(var_dir))
    for key in ("base", "data", "logs"):
        private_dir(p[key])
    repo = private_dir(Path(repo or Path(var_dir) / "backups").resolve())
    old_pid = _read_pid(p["pid"])
    if old_pid is not None and _alive(old_pid) and _is_our_node(old_pid):
        raise RuntimeError(
            f"pid {old_pid} from {p['pid']} is alive but port {http_port} does not answer; "
            "stop it first"
        )

    cmd = [
        "java",
        f"-Xms{heap}",
        f"-Xmx{heap}",
        *JVM_FLAGS,
        "-cp",
        _classpath(),
        MAIN_CLASS,
        f"-Ecluster.name={CLUSTER_NAME}",
        f"-Enode.name={NODE_NAME}",
        "-Enetwork.host=127.0.0.1",
        "-Ediscovery.type=single-node",
        f"-Ehttp.port={http_port}",
        f"-Etransport.port={http_port + 100}",
        f"-Epath.home={p['base']}",
        f"-Epath.data={p['data']}",
        f"-Epath.logs={p['logs']}",
        f"-Epath.repo={repo}",
    ]
    env = {**os.environ, "DOCSEARCH_NODE_USERNAME": auth[0], "DOCSEARCH_NODE_PASSWORD": auth[1]}
    with private_file(p["stdout"]).open("ab") as out:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=p["base"],
            env=env,
            umask=0o077,
            start_new_session=True,
        )
    _CHILDREN[proc.pid] = proc
    private_file(p["pid"]).write_text(f"{proc.pid}\n")

    health_url = f"http://127.0.0.1:{http_port}/_cluster/health?wait_for_status=yellow&timeout=5s"
    deadline = time.monotonic() + timeout
    while True:
        code = proc.poll()
        if code is not None:
            p["pid"].unlink(missing_ok=True)
            raise RuntimeError(f"OpenSearch exited early with code {code}:\n{_logs_tail(p)}")
        health = _get_json(health_url, auth, timeout=10.0)
        if health and health.get("status") in ("yellow", "green") and not health.get("timed_out"):
            return "started"
        if time.monotonic() > deadline:
            _terminate(proc.pid, 30)
            p["pid"].unlink(missing_ok=True)
            raise RuntimeError(
                f"OpenSearch not ready on port {http_port} after {timeout:g}s "
                f"(node terminated):\n{_logs_tail(p)}"
            )
        time.sleep(0.5)


def _logs_tail(p: dict[str, Path]) -> str:
    parts = []
    for key in ("stdout", "server_log"):
        text = _tail(p[key])
        if text.strip():
            parts.append(f"--- {p[key].name} ---\n{text}")
    return "\n".join(parts) or "(no log output)"


def stop(var_dir: Path, timeout: float = 60) -> str:
    """SIGTERM the node in the pid file, SIGKILL after timeout; "stopped", "killed" or "not running"."""
    pid_file = _paths(var_dir)["pid"]
    pid = _read_pid(pid_file)
    if pid is None or not _alive(pid) or not _is_our_node(pid):
        pid_file.unlink(missing_ok=True)
        return "not running"
    result = _terminate(pid, timeout)
    pid_file.unlink(missing_ok=True)
    _CHILDREN.pop(pid, None)
    return result


def status(http_port: int = 9200, auth: Auth | None = None) -> dict | None:
    """Return version and cluster health of the node on http_port, or None if unreachable."""
    info = _root_info(http_port, auth)
    if info is None:
        return None
    health = _get_json(f"http://127.0.0.1:{http_port}/_cluster/health", auth) or {}
    return {
        "version": info["version"].get("number"),
        "cluster_name": info.get("cluster_name"),
        "node_name": info.get("name"),
        "status": health.get("status"),
        "number_of_nodes": health.get("number_of_nodes"),
        "active_shards": health.get("active_shards"),
        "health": health,
    }
