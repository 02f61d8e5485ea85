"""Cost at scale: one index grown in steps to a million pages, measured at each step: ``python bench/scale.py``.

Starts engine nodes of its own (never the shared one): ``--nodes 1`` (default) one node on ``--port`` (9260), or
``--nodes 3`` a cluster of three on this machine (``docsearch services up --nodes 3``'s way: own data folders,
one cluster, every shard with a replica), each with a heap of ``--heap`` (2g), the documents index in ``--shards``
primary shards (1), data under ``--data-dir``
(a new temporary folder by default). Then, for each size of ``--sizes`` (pages; default
10,000 → 1,000,000), it adds the generated documents that bring the index to that size (``bench/search_corpus``:
the documents of ``bench/search.py``, fictitious Spanish legal text, entities per page and per document, about 20
pages a document; without passage vectors, see below) with bulk requests, and measures:

- **build**: seconds and pages/s of the step (generation in two processes and indexing share the two cores),
  and the seconds the engine merged segments after it (measured only once they are done, unless
  ``--no-settle``);
- **index**: documents, Lucene documents, store on disk (primaries, and with replicas), segments;
- **memory**: each node's heap in use (largest sample while searching, and after the load) and its resident
  memory (RSS from ``/proc``);
- **search**: the API (uvicorn, one worker process, over the index) under the mixed workload of
  ``bench/search.py`` (15 query kinds in equal shares, facets on, ``mode=lexical``; an administrator's token, so
  the access rule, the sign-in check and the audit record of each search are in every request) from 1 and 8
  clients: p50/p95/p99, req/s and errors, ``--runs`` runs of ``--warmup`` + ``--duration`` seconds, medians.

Vectors are left out: embedding a million pages takes this machine about 4 hours (64 pages/s at 100,000 pages,
``docs/benchmarks.md``), and hybrid search over them is measured apart at 100,000 pages. Like ``bench/search.py``,
a run during which a pytest ran, or other processes used the machine, is repeated. Prints markdown: one row a
size, then how each measure grows (the exponent *b* of ``y ∝ pages^b`` between consecutive sizes, from the log-log
slope); ``--json FILE`` keeps every number, written after each step.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "bench"))

import run_watch  # noqa: E402
import search_corpus  # noqa: E402
from docsearch.settings import Settings  # noqa: E402
from machine_facts import machine  # noqa: E402
from markdown_tables import table  # noqa: E402
from run_watch import code_state, log  # noqa: E402
from search_index import build_index, index_facts  # noqa: E402
from search_load import measure, schedule, top_values, workload  # noqa: E402
from services import opensearch, stack  # noqa: E402

BENCH_REDIS_DB = 13
PAGES_PER_DOCUMENT = 20


def _steps(plan: search_corpus.Plan, sizes: list[int]) -> list[range]:
    """The plan's documents cut into consecutive ranges whose running page total first reaches each size."""
    steps, start, total = [], 0, 0
    sizes = sorted(sizes)
    for number, pages in enumerate(plan.page_counts):
        total += pages
        if sizes and total >= sizes[0]:
            steps.append(range(start, number + 1))
            start = number + 1
            sizes.pop(0)
    return steps


def _rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        return next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmRSS:"))


def _nodes(engine, pids: set[int]) -> dict:
    """Each node's heap (max, in use) and caches, and the resident memory of the local node processes together."""
    stats = engine.client.nodes.stats(metric="jvm,indices", index_metric="fielddata,query_cache,request_cache")
    nodes = [{"name": n["name"], "heap_max": n["jvm"]["mem"]["heap_max_in_bytes"],
              "heap_used": n["jvm"]["mem"]["heap_used_in_bytes"],
              "fielddata": n["indices"]["fielddata"]["memory_size_in_bytes"],
              "query_cache": n["indices"]["query_cache"]["memory_size_in_bytes"],
              "request_cache": n["indices"]["request_cache"]["memory_size_in_bytes"]}
             for n in stats["nodes"].values()]
    return {"nodes": nodes, "rss_total": sum(_rss_bytes(pid) for pid in pids),
            "heap_used": sum(n["heap_used"] for n in nodes), "heap_max": sum(n["heap_max"] for n in nodes)}


def _settle(engine, settings: Settings, limit_s: float = 3600) -> float:
    """Wait until the engine has no merge of the documents index running (a bulk load leaves them behind, and
    they take the same cores as the searches), then flush and refresh (so the files of merged segments are
    released, and the store measured is the index's); the seconds waited."""
    concrete = engine.alias_targets(settings.documents_alias)[0]
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        merges = engine.client.indices.stats(index=concrete, metric="merge")["_all"]["total"]["merges"]
        if merges["current"] == 0:
            break
        time.sleep(5)
    engine.client.indices.flush(index=concrete, request_timeout=600)
    engine.refresh(settings.documents_alias)
    return time.monotonic() - started


def _store_total(engine, settings: Settings) -> int:
    concrete = engine.alias_targets(settings.documents_alias)[0]
    return engine.client.indices.stats(index=concrete, metric="store")["_all"]["total"]["store"]["size_in_bytes"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,30000,100000,300000,1000000", help="pages at each step")
    parser.add_argument("--nodes", type=int, default=1, choices=(1, 3))
    parser.add_argument("--heap", default="2g", help="JVM heap of each node")
    parser.add_argument("--shards", type=int, default=1, help="primary shards of the documents index")
    parser.add_argument("--port", type=int, default=9260, help="HTTP port of the (first) node; transport is +100")
    parser.add_argument("--data-dir", type=Path, help="the nodes' data (default: a new temporary folder)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--first-warmup", type=float, default=60.0,
                        help="seconds of unmeasured searches before the first step's levels (the new JVM compiles)")
    parser.add_argument("--no-settle", dest="settle", action="store_false",
                        help="measure right after each load, while the engine still merges its segments")
    parser.add_argument("--keep", action="store_true", help="leave the nodes running and their data in place")
    parser.add_argument("--ignore-pytest", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    run_watch.IGNORE_PYTEST = args.ignore_pytest
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sizes = sorted(int(s) for s in args.sizes.split(","))

    data_dir = (args.data_dir or Path(tempfile.mkdtemp(prefix="bench-scale-"))).resolve()
    base = Settings()
    node_settings = stack.cluster_settings(base.model_copy(update={
        "engine_url": f"http://127.0.0.1:{args.port}", "engine_nodes": "", "engine_kind": "opensearch",
        "opensearch_heap": args.heap, "data_dir": data_dir, "backup_dir": data_dir / "backups"}), args.nodes)
    # the CPU meter of bench/run_watch finds the engine's processes by the configured URL and nodes: these
    os.environ["DOCSEARCH_ENGINE_URL"] = node_settings.engine_url
    os.environ["DOCSEARCH_ENGINE_NODES"] = node_settings.engine_nodes
    log(f"starting {args.nodes} engine node(s) on port {args.port}, heap {args.heap}, data in {data_dir}")
    log(f"engine: {stack.engine_up(node_settings, nodes=args.nodes)}")
    result: dict = {"started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
                    "code": code_state(), "steps": []}
    try:
        with stack.private(node_settings, data_dir / "stack", prefix="bench-scale", redis_db=BENCH_REDIS_DB,
                           components=(), timeout=120, engine_nodes=node_settings.engine_nodes,
                           index_replicas=node_settings.index_replicas, index_shards=args.shards) as running:
            running.keep = args.keep
            grow(running, args, sizes, result)
    finally:
        if not args.keep:
            log(f"engine: {opensearch.stop(data_dir)}")
            if not args.data_dir:
                shutil.rmtree(data_dir, ignore_errors=True)
        if args.json:
            args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str))
    print(report(result))
    return 0


def grow(running: stack.Private, args, sizes: list[int], result: dict) -> None:
    settings, engine = running.settings, running.engine
    result["machine"] = machine(engine)
    plan = search_corpus.Plan.make(max(sizes) // PAGES_PER_DOCUMENT, max(sizes), args.seed)
    levels = [int(c) for c in args.clients.split(",") if c]
    pids = run_watch._engine_pids()
    for size, numbers in zip(sizes, _steps(plan, sizes)):
        log(f"step to {size:,} pages: documents {numbers.start:,}–{numbers.stop - 1:,}")
        running.down("api")  # nothing searches while the step loads
        built = build_index(running, plan, None, vectors=False, processes=2, numbers=numbers)
        log(f"loaded {built['pages']:,} pages in {built['load_s']:.0f} s ({built['pages_per_s']:,.0f} pages/s)")
        settle_s = _settle(engine, settings) if args.settle else 0.0
        log(f"merges done {settle_s:.0f} s after the load")
        step = {"size": size, "build": built, "settle_s": settle_s, "index": index_facts(engine, settings),
                "store_total_bytes": _store_total(engine, settings), "nodes_after_load": _nodes(engine, pids)}
        kinds = workload(top_values(engine, settings), args.seed)
        kinds = {k: [{**params, "mode": "lexical"} for params in v] for k, v in kinds.items()}
        running.up("api")
        api_pid = int((running.paths.run / "api.pid").read_text())
        if not result["steps"] and args.first_warmup:
            log(f"warming up for {args.first_warmup:.0f} s (not measured)")
            measure(running.url, schedule(kinds, args.seed + 1), [8], 1, args.first_warmup, 1.0, engine, api_pid,
                    token=running.token)
        step["levels"] = measure(running.url, schedule(kinds, args.seed), levels, args.runs, args.warmup,
                                 args.duration, engine, api_pid, token=running.token)
        step["discarded_runs"] = step["levels"].pop("_discarded", {})
        step["nodes_after_search"] = _nodes(engine, pids)
        step["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        result["steps"].append(step)
        if args.json:
            args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str))
        print(report(result), flush=True)
    result["code_after"] = code_state()


def _median(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def _level(step: dict, clients: int) -> list[dict]:
    return step["levels"].get(str(clients), [])


def _measures(step: dict) -> dict[str, float]:
    """The numbers of one step that the growth table compares."""
    out = {"pages": step["index"]["pages"], "store MiB": step["store_total_bytes"] / 2**20,
           "step build pages/s": step["build"]["pages_per_s"],
           "heap in use MiB": step["nodes_after_search"]["heap_used"] / 2**20,
           "RSS MiB": step["nodes_after_search"]["rss_total"] / 2**20}
    for clients in (1, 8):
        rows = _level(step, clients)
        if rows:
            out[f"p50 ms, {clients}"] = _median(rows, "p50")
            out[f"p95 ms, {clients}"] = _median(rows, "p95")
    return out


def report(result: dict) -> str:
    steps = result.get("steps") or []
    if not steps:
        return "(no step measured)"
    m, args = result["machine"], result["args"]
    lines = [f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gib']} GiB RAM; {m['engine']}; "
             f"{args['nodes']} node(s), heap {args['heap']} each, {args.get('shards', 1)} primary shard(s); API: uvicorn, 1 worker process; "
             f"searches `mode=lexical`, facets on; each level {args['warmup']:.0f} s warm-up + "
             f"{args['duration']:.0f} s measured, {args['runs']} runs, medians (runs in brackets).", ""]
    rows = []
    for step in steps:
        idx, build = step["index"], step["build"]
        memory = step["nodes_after_search"]
        heap, heap_max, rss = memory["heap_used"] / 2**20, memory["heap_max"] / 2**20, memory["rss_total"] / 2**20
        cells = [f"{idx['pages']:,}", f"{idx['documents']:,} / {idx['lucene_docs']:,}",
                 f"{idx['store_bytes'] / 2**20:,.0f} / {step['store_total_bytes'] / 2**20:,.0f}", str(idx["segments"]),
                 f"{build['load_s']:,.0f} ({build['pages_per_s']:,.0f}/s) + {step.get('settle_s', 0):,.0f}",
                 f"{heap:,.0f} of {heap_max:,.0f}", f"{rss:,.0f}"]
        for clients in (1, 8):
            level = _level(step, clients)
            if not level:
                cells += ["–", "–"]
                continue
            jvm_max = max(r["jvm"]["heap_pct_max"] for r in level)
            cells += [f"{_median(level, 'p50'):.0f} / **{_median(level, 'p95'):.0f}** "
                      f"({', '.join(format(r['p95'], '.0f') for r in level)})",
                      f"{_median(level, 'rps'):.1f} · {sum(r['errors'] for r in level)} · {jvm_max} %"]
        rows.append(cells)
    lines += table(("pages", "documents / Lucene docs", "store MiB (primaries / all copies)", "segments",
                    "step load s (pages/s) + merges after it s", "heap in use MiB (after search)", "RSS MiB",
                    "1 client p50 / p95 ms", "1 client req/s · errors · heap max", "8 clients p50 / p95 ms",
                    "8 clients req/s · errors · heap max"), "rrrrrrrrrrr", rows)
    if len(steps) > 1:
        lines += ["", "Growth, exponent b of y ∝ pages^b between consecutive sizes (1 = linear, 0 = flat):", ""]
        measures = [_measures(s) for s in steps]
        names = [k for k in measures[0] if k != "pages"]
        growth = []
        for before, after in zip(measures, measures[1:]):
            span = math.log(after["pages"] / before["pages"])
            growth.append([f"{before['pages']:,} → {after['pages']:,}"] + [
                f"{math.log(after[k] / before[k]) / span:.2f}" if before.get(k) and after.get(k) else "–"
                for k in names])
        lines += table(("pages", *names), "l" + "r" * len(names), growth)
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
