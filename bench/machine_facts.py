"""The machine a benchmark runs on (CPUs, memory, engine and versions) and the engine's JVM over a phase:
heap use sampled every second, and the GC, rejection and breaker counts it added."""

from __future__ import annotations

import os
import platform
import statistics
import threading

import httpx

from docsearch.engine import Engine


def machine(engine: Engine) -> dict:
    with open("/proc/meminfo") as fh:
        mem_kb = int(next(line for line in fh if line.startswith("MemTotal")).split()[1])
    model = ""
    try:
        with open("/proc/cpuinfo") as fh:
            model = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "")
    except OSError:
        pass
    info = engine.info()
    nodes = engine.client.nodes.info(metric="jvm")["nodes"]
    node = next(iter(nodes.values()))
    return {
        "cpus": os.cpu_count(), "cpu_model": model, "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "engine": f"{info['version'].get('distribution', 'elasticsearch')} {info['version']['number']} "
                  f"(Lucene {info['version'].get('lucene_version', '?')})",
        "engine_heap_bytes": node["jvm"]["mem"]["heap_max_in_bytes"], "jvm": node["jvm"].get("version"),
        "python": platform.python_version(), "httpx": httpx.__version__,
    }


def jvm_sample(engine: Engine) -> dict:
    node = next(iter(engine.client.nodes.stats(metric="jvm,thread_pool,breaker")["nodes"].values()))
    gc = node["jvm"]["gc"]["collectors"]
    pool = node["thread_pool"].get("search", {})
    return {
        "heap_used": node["jvm"]["mem"]["heap_used_in_bytes"],
        "heap_pct": node["jvm"]["mem"]["heap_used_percent"],
        "young_n": gc.get("young", {}).get("collection_count", 0),
        "young_ms": gc.get("young", {}).get("collection_time_in_millis", 0),
        "old_n": gc.get("old", {}).get("collection_count", 0),
        "old_ms": gc.get("old", {}).get("collection_time_in_millis", 0),
        "search_rejected": pool.get("rejected", 0),
        "breaker_tripped": sum(b.get("tripped", 0) for b in node.get("breakers", {}).values()),
    }


class JvmWatch:
    """Heap use sampled every second over a phase, and the GC and rejection counts it added."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.samples: list[dict] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.wait(1.0):
            try:
                self.samples.append(jvm_sample(self.engine))
            except Exception:  # noqa: BLE001 - a missed sample is not a result
                pass

    def __enter__(self) -> "JvmWatch":
        self.start = jvm_sample(self.engine)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        end = jvm_sample(self.engine)
        heap = [s["heap_pct"] for s in self.samples] or [end["heap_pct"]]
        self.result = {
            "heap_pct_max": max(heap), "heap_pct_mean": round(statistics.mean(heap), 1),
            **{k: end[k] - self.start[k] for k in ("young_n", "young_ms", "old_n", "old_ms", "search_rejected",
                                                   "breaker_tripped")},
        }
