"""Whether a benchmark run can be kept: a log line, the state of the code measured, the pytest watch and
the CPU seconds of the engine, of given process trees and of the whole machine over a phase.

A run is kept when no ``python -m pytest`` ran during it and the tracked code under ``ingestion/``,
``nlp/``, ``docsearch/``, ``api/`` did not change (``bench/ingest.py``, ``bench/search.py``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTEST_MARK = "python -m pytest"
IGNORE_PYTEST = False  # --ignore-pytest: smoke tests only
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- code measured -------------------------------------------------------------------------------------
CODE_DIRS = ("ingestion", "nlp", "docsearch", "api")


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout


def git_head() -> str:
    """The commit checked out, short."""
    return _git("rev-parse", "--short", "HEAD").strip()


def code_state() -> dict:
    """The commit and the changes to tracked files under the code's folders; a fingerprint of both catches edits
    mid-run. Untracked files are listed, not fingerprinted: tracked code cannot import them unless it changes."""
    head = git_head()
    status = _git("status", "--short", "--", *CODE_DIRS).splitlines()
    digest = hashlib.sha256(head.encode() + _git("diff", "HEAD", "--", *CODE_DIRS).encode())
    return {"head": head, "changes": [line for line in status if not line.startswith("??")],
            "untracked": [line[3:] for line in status if line.startswith("??")],
            "fingerprint": digest.hexdigest()[:12]}


# -- machine load ---------------------------------------------------------------------------------------
def _pytest_running() -> bool:
    if IGNORE_PYTEST:
        return False
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == me:
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmd = fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if PYTEST_MARK in cmd:
            return True
    return False


def wait_until_quiet(poll: float = 10.0, settle: float = 20.0) -> float:
    """Wait until no pytest has run for ``settle`` seconds; returns the seconds waited."""
    started = time.monotonic()
    quiet_since = None
    announced = False
    while True:
        if _pytest_running():
            quiet_since = None
            if not announced:
                log("a pytest run is going on; waiting for it to end")
                announced = True
        else:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= (settle if announced else 0):
                return time.monotonic() - started
        time.sleep(poll if quiet_since is None else 2)


def _stat_fields(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _descendants(roots: list[int]) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(int(entry))
            if fields:
                children.setdefault(int(fields[1]), []).append(int(entry))
    out, todo = set(), list(roots)
    while todo:
        pid = todo.pop()
        if pid in out:
            continue
        out.add(pid)
        todo += children.get(pid, [])
    return out


def _cpu_seconds(pids: set[int]) -> float:
    """utime + stime of each process and of its reaped children (tesseract runs are reaped by their parent)."""
    total = 0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields:
            total += sum(int(v) for v in fields[11:15])
    return total / CLK_TCK


def settle(roots: list[int], idle_cpu_s: float = 0.05, window: float = 1.0, timeout: float = 120.0) -> float:
    """Wait until the process trees of ``roots`` are idle (under ``idle_cpu_s`` CPU-seconds in each of two
    windows of ``window`` seconds: workers that have loaded their models); the seconds waited."""
    began = time.monotonic()
    quiet = 0
    last = _cpu_seconds(_descendants(roots))
    while quiet < 2 and time.monotonic() - began < timeout:
        time.sleep(window)
        now = _cpu_seconds(_descendants(roots))
        quiet = quiet + 1 if now - last < idle_cpu_s else 0
        last = now
    return time.monotonic() - began


def _engine_ports() -> list[int]:
    from urllib.parse import urlparse

    from docsearch.settings import Settings

    return [urlparse(url).port or 9200 for url in Settings().engine_hosts]


def _engine_pids() -> set[int]:
    """The local nodes serving the configured engine (its URL and, for a cluster, ``engine_nodes``): those
    listening on their ports when several run (test sessions start nodes of their own beside the shared one),
    else the first found."""
    ports = {f"-Ehttp.port={port}".encode() for port in _engine_ports()}
    found, ours = [], set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmd = fh.read()
        except OSError:
            continue
        if b"docsearch.node.EmbeddedNode" in cmd and b"java" in cmd.split(b"\0")[0]:
            if ports & set(cmd.split(b"\0")):
                ours.add(int(entry))
            found.append(int(entry))
    return ours or set(found[:1])


def _system_busy() -> tuple[float, float]:
    with open("/proc/stat") as fh:
        values = [int(v) for v in fh.readline().split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / CLK_TCK, sum(values) / CLK_TCK


class Meter:
    """CPU seconds of the engine, of given process trees and of the whole machine over a phase; watches for pytest."""

    def __init__(self, roots: list[int]):
        self.roots = roots
        self.engine = _engine_pids()
        self.pytest_seen = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.wait(1.0):
            if _pytest_running():
                self.pytest_seen = True

    def _snapshot(self) -> dict:
        busy, total = _system_busy()
        return {"busy": busy, "total": total, "engine": _cpu_seconds(self.engine),
                "workers": _cpu_seconds(_descendants(self.roots))}

    def __enter__(self) -> "Meter":
        self.pytest_seen = _pytest_running()
        self.start = self._snapshot()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        end = self._snapshot()
        self.pytest_seen = self.pytest_seen or _pytest_running()
        busy = end["busy"] - self.start["busy"]
        self.cpu = {
            "engine_s": end["engine"] - self.start["engine"],
            "workers_s": end["workers"] - self.start["workers"],
            "machine_busy_s": busy,
            "machine_capacity_s": end["total"] - self.start["total"],
        }
        self.cpu["other_s"] = busy - self.cpu["engine_s"] - self.cpu["workers_s"]
