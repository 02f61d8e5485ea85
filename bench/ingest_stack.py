"""The private stack of an ingest benchmark run, and what it says: worker logs and task times, engine
operations per index.

Every stack runs beside the shared engine and Redis, as the tests' do (``stack.private``): its own index
prefix ``bench-<hex>``, Redis database 14, and the production limits (pages, size).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from pathlib import Path

import httpx

from docsearch.engine import basic_auth
from docsearch.settings import Settings
from services import stack

BENCH_REDIS_DB = 14


def private(base: Settings, data_dir: Path, components: tuple[str, ...] = ("worker",), **overrides):
    """A private stack with the production limits (pages, size): ``stack.private`` under the bench's
    prefix and Redis database."""
    return stack.private(base, data_dir, prefix="bench", redis_db=BENCH_REDIS_DB, components=components,
                         **(dict(worker_concurrency=2, ocr_concurrency=2) | overrides))


def log_size(ps: stack.Private, queue: str) -> int:
    path = ps.paths.logs / f"worker-{queue}.log"
    return path.stat().st_size if path.exists() else 0


def log_since(ps: stack.Private, queue: str, offset: int) -> str:
    path = ps.paths.logs / f"worker-{queue}.log"
    if not path.exists():
        return ""
    with open(path, "rb") as fh:
        fh.seek(offset)
        return fh.read().decode("utf-8", "replace")


def worker_pids(ps: stack.Private) -> list[int]:
    pids = (stack.read_pid(ps.paths.run / f"worker-{queue}.pid") for queue in stack.WORKERS)
    return [pid for pid in pids if pid]


def index_stats(ps: stack.Private) -> dict[str, dict]:
    """Operations counted by the engine on each of this stack's indices."""
    out = {}
    for alias in (ps.settings.documents_alias, ps.settings.files_alias, ps.settings.batches_alias):
        resp = httpx.get(f"{ps.settings.engine_url}/{alias}/_stats/indexing,get,search,refresh",
                         auth=basic_auth(ps.settings), timeout=30)
        total = next(iter(resp.json()["indices"].values()))["total"]
        out[alias.rsplit("-", 1)[1]] = {
            "index": total["indexing"]["index_total"],
            "index_ms": total["indexing"]["index_time_in_millis"],
            "get": total["get"]["total"],
            "search": total["search"]["query_total"],
            "refresh": total["refresh"]["total"],
        }
    return out


TASK_LINE = re.compile(r"Task (docsearch\.\w+)\[[^\]]+\] (succeeded|failed|retry|raised)[^\n]*?in ([\d.]+)s")
WARN_LINE = re.compile(r"(WARNING|ERROR|CRITICAL)/")


def task_times(text: str) -> dict:
    by_task: dict[str, list[float]] = {}
    outcomes = Counter()
    for name, outcome, seconds in TASK_LINE.findall(text):
        by_task.setdefault(name, []).append(float(seconds))
        outcomes[f"{name}:{outcome}"] += 1
    warnings = [line for line in text.splitlines() if WARN_LINE.search(line)]
    out = {name: {"n": len(v), "sum_s": round(sum(v), 2), "mean_s": round(statistics.mean(v), 3),
                  "max_s": round(max(v), 2)} for name, v in by_task.items()}
    return {"tasks": out, "outcomes": dict(outcomes), "warnings": warnings[:20], "warning_count": len(warnings)}
