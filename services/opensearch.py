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


def _paths(var_dir: Path, node: int | None = None) -> dict[str, Path]:
    """The files of the single node, or of node ``node`` (1, 2, ...) of a local cluster (its own folder: a
    cluster is formed afresh, never from a single node's data)."""
    base = Path(var_dir).resolve() / ("opensearch" if node is None else f"opensearch-cluster/node-{node}")
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
    p, proc = _launch(var_dir, auth, None, http_port, heap, repo, ["-Ediscovery.type=single-node"])
    _wait([(p, proc)], http_port, auth, 1, timeout)
    return "started"


def cluster_ports(http_port: int, nodes: int) -> list[int]:
    """The HTTP ports of a local cluster's nodes (``http_port``, the next ones); transport is 100 above each."""
    return [http_port + i for i in range(nodes)]


def start_cluster(var_dir: Path, auth: Auth, nodes: int = 3, http_port: int = 9200, heap: str = "512m",
                  timeout: float = 240, repo: Path | None = None) -> str:
    """Start a cluster of ``nodes`` nodes on this machine (node ``i`` on ``http_port + i - 1``, its own data
    folder, one cluster name, every node eligible as cluster manager), in the background; "started" once they
    have formed one cluster, or "already running"."""
    ports = cluster_ports(http_port, nodes)
    up = [port for port in ports if _root_info(port, auth) is not None]
    if len(up) == nodes:
        return "already running"
    if up and _paths(var_dir)["pid"].exists() and not cluster_nodes(var_dir):
        raise RuntimeError(f"a single engine node runs on port {http_port}: stop it first "
                           "(`docsearch services down --only engine`)")
    ensure_built()
    names = [f"{NODE_NAME}-{i}" for i in range(1, nodes + 1)]
    cluster = ["-Ediscovery.type=zen",
               "-Ediscovery.seed_hosts=" + ",".join(f"127.0.0.1:{port + 100}" for port in ports),
               "-Ecluster.initial_cluster_manager_nodes=" + ",".join(names)]
    # the nodes that do not answer (all, or one lost and started again: it joins the others)
    launched = [_launch(var_dir, auth, i, port, heap, repo, cluster) for i, port in enumerate(ports, start=1)
                if port not in up]
    _wait(launched, up[0] if up else http_port, auth, nodes, timeout)
    return "started" if not up else f"started {len(launched)} of {nodes} nodes"


def _launch(var_dir: Path, auth: Auth, node: int | None, http_port: int, heap: str, repo: Path | None,
            discovery: list[str]) -> tuple[dict[str, Path], subprocess.Popen]:
    p = _paths(var_dir, node)
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
        f"-Enode.name={NODE_NAME if node is None else f'{NODE_NAME}-{node}'}",
        "-Enetwork.host=127.0.0.1",
        *discovery,
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
    return p, proc


def _wait(launched: list[tuple[dict[str, Path], subprocess.Popen]], http_port: int, auth: Auth, nodes: int,
          timeout: float) -> None:
    """Until the node on ``http_port`` answers yellow or green with ``nodes`` nodes; a node that exits, or the
    time running out, stops them all with their logs in the error."""
    health_url = (f"http://127.0.0.1:{http_port}/_cluster/health?wait_for_status=yellow&wait_for_nodes={nodes}"
                  "&timeout=5s")
    deadline = time.monotonic() + timeout
    while True:
        for p, proc in launched:
            code = proc.poll()
            if code is not None:
                for q, other in launched:
                    if other.poll() is None:
                        _terminate(other.pid, 30)
                    q["pid"].unlink(missing_ok=True)
                raise RuntimeError(f"OpenSearch exited early with code {code}:\n{_logs_tail(p)}")
        health = _get_json(health_url, auth, timeout=10.0)
        if health and health.get("status") in ("yellow", "green") and not health.get("timed_out"):
            return
        if time.monotonic() > deadline:
            for p, proc in launched:
                _terminate(proc.pid, 30)
                p["pid"].unlink(missing_ok=True)
            raise RuntimeError(
                f"OpenSearch not ready on port {http_port} after {timeout:g}s "
                f"(nodes terminated):\n{_logs_tail(launched[0][0])}"
            )
        time.sleep(0.5)


def _logs_tail(p: dict[str, Path]) -> str:
    parts = []
    for key in ("stdout", "server_log"):
        text = _tail(p[key])
        if text.strip():
            parts.append(f"--- {p[key].name} ---\n{text}")
    return "\n".join(parts) or "(no log output)"


def cluster_nodes(var_dir: Path) -> list[int]:
    """The nodes of a local cluster that have a folder under ``var_dir`` (1, 2, ...)."""
    base = Path(var_dir).resolve() / "opensearch-cluster"
    return sorted(int(d.name.split("-")[1]) for d in base.glob("node-*") if d.name.split("-")[1].isdigit())


def stop(var_dir: Path, timeout: float = 60, node: int | None = None) -> str:
    """SIGTERM the node in the pid file (or a cluster's node ``node``), SIGKILL after timeout; "stopped", "killed"
    or "not running". Without ``node``, also every node of a local cluster."""
    if node is None:
        results = [stop(var_dir, timeout, n) for n in cluster_nodes(var_dir)]
        running = [r for r in results if r != "not running"]
        single = _stop_one(_paths(var_dir)["pid"], timeout)
        return single if single != "not running" or not running else f"{len(running)} nodes {running[0]}"
    return _stop_one(_paths(var_dir, node)["pid"], timeout)


def _stop_one(pid_file: Path, timeout: float) -> str:
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
