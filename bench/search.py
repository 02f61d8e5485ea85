"""Search latency under load, over a large generated index: ``python bench/search.py``.

Needs the shared engine (``docsearch services up --only engine,redis``); never restarts it.

1. **Index.** Builds ``--pages`` pages (default 100,000) in ``--docs`` documents (default 5,000) of
   generated, fictitious Spanish legal text (``bench/search_corpus.py``: documents in the shape
   ``ingestion.pipeline.build_document`` gives them, entities per page and per document) into a private
   index prefix beside the shared indices (``bench-search-<hex>``; the schema of ``docsearch.schema``),
   with bulk requests and ``refresh_interval: -1`` during the load. Each document carries the passage
   vectors ingestion makes (``ingestion.pipeline.embed_pages``, the real encoder; ``--no-vectors`` builds
   without them), the documents made by ``--build-processes`` processes (2) in order. ``--reuse PREFIX`` measures an index
   built before instead (never dropped by this run unless ``--drop``); a built index is dropped at the end
   unless ``--keep``.
2. **Load.** Starts the API on loopback over that index (``stack.api_up``: uvicorn, 1 worker process, as
   ``docsearch services up`` runs it; ``--api-workers N`` starts uvicorn with N instead) and sends a mixed
   workload of ``GET /api/search`` requests (query kinds below, in equal shares; ``--mode`` sends
   ``mode=lexical|semantic|hybrid`` with each, else the server's default, hybrid) from 1, 8 and 32 clients
   (``--clients``): asyncio tasks in this process, each with its own keep-alive connection (httpx). Each level
   runs ``--warmup`` seconds unmeasured, then ``--duration`` seconds measured, ``--runs`` times; reported are
   the medians over runs of p50/p95/p99 latency, throughput and errors (any status but 200), with every run's
   numbers, latency per query kind, the service's own ``took_ms`` and how many answers had partial facets
   (an entity facet past its time budget, ``facet_budget_ms``).
3. **Where the engine's time goes.** For one request of each kind, the body the search service sends is
   captured (``docsearch.search.SearchService`` over a recording wrapper of the real engine client: the hits
   request and each entity facet's request of its own) and sent to the engine directly, one at a time: the
   hits request as sent and without parts of it (aggregations, inner hits, their highlighting, exact
   total), each facet request, and each aggregation of the hits request alone. ``request_cache=false``.

Before each run it waits while a ``python -m pytest`` runs (``bench/ingest.py``'s check); a run during which
one ran, or other processes used more than 8 % of the machine's CPU, is repeated (at most 3 times a level). Prints markdown; ``--json FILE`` keeps every number.

The parts: ``search_index`` (build and describe the index; the documents come from ``search_corpus``),
``search_load`` (workload and clients), ``search_anatomy`` (the engine requests taken apart),
``search_report``, ``machine_facts`` (machine, engine heap and GC); ``run_watch`` (pytest watch, CPU
meter, code state) is shared with ``bench/ingest.py``.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "bench"))

import run_watch  # noqa: E402
import search_corpus  # noqa: E402
from docsearch.settings import Settings  # noqa: E402
from machine_facts import machine  # noqa: E402
from nlp.encoder import MODEL_NAME  # noqa: E402
from run_watch import code_state, log, wait_until_quiet  # noqa: E402
from search_anatomy import anatomy  # noqa: E402
from search_index import build_index, index_facts  # noqa: E402
from search_load import measure, probe, schedule, top_values, workload  # noqa: E402
from search_report import report  # noqa: E402
from services import stack  # noqa: E402

BENCH_REDIS_DB = 13  # the API does not use Redis for search; a database of its own all the same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=5_000)
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", metavar="PREFIX", help="measure the index of this prefix; build nothing")
    parser.add_argument("--keep", action="store_true", help="keep the built index (its prefix is printed)")
    parser.add_argument("--drop", action="store_true", help="with --reuse: drop that index at the end")
    parser.add_argument("--build-only", action="store_true", help="build (and keep) the index, measure nothing")
    parser.add_argument("--force-merge", type=int, metavar="SEGMENTS", help="force-merge to at most SEGMENTS")
    parser.add_argument("--no-vectors", action="store_true", help="build the documents without passage vectors")
    parser.add_argument("--build-processes", type=int, default=2, help="processes making (and embedding) documents")
    parser.add_argument("--mode", choices=("lexical", "semantic", "hybrid"),
                        help="send mode=MODE with every search (default: none, the server's default)")
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--api-workers", type=int, default=1)
    parser.add_argument("--kinds", help="only these query kinds (comma-separated), e.g. plain,citation")
    parser.add_argument("--no-facets", action="store_true", help="send facets=false with every request")
    parser.add_argument("--reps", type=int, default=7, help="repetitions of each engine request taken apart")
    parser.add_argument("--no-anatomy", action="store_true")
    parser.add_argument("--ignore-pytest", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    run_watch.IGNORE_PYTEST = args.ignore_pytest
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the API and drop what was built on `kill`

    base = Settings()
    if not stack.engine_ok(base):
        parser.error(f"the engine at {base.engine_url} does not answer; `docsearch services up --only engine,redis`")
    work = Path(tempfile.mkdtemp(prefix="bench-search-"))
    overrides = {"index_prefix": args.reuse} if args.reuse else {}
    with stack.private(base, work, prefix="bench-search", redis_db=BENCH_REDIS_DB, components=(), timeout=120,
                       **overrides) as running:
        measure_stack(running, args, parser)
    return 0


def measure_stack(running: stack.Private, args, parser: argparse.ArgumentParser) -> None:
    """Build (or reuse) the index of ``running``, measure through its API, then decide what to keep."""
    settings, engine = running.settings, running.engine
    result: dict = {"started": datetime.now(timezone.utc).isoformat(timespec="seconds"), "args": vars(args) | {
        "json": str(args.json) if args.json else None}, "prefix": settings.index_prefix,
        "code": code_state(), "machine": machine(engine), "api_workers": args.api_workers}
    built = False
    try:
        if args.reuse:
            if running.indices.get(settings.documents_alias) == "created":
                parser.error(f"no index behind {settings.documents_alias}")
        else:
            plan = search_corpus.Plan.make(args.docs, args.pages, args.seed)
            log(f"building {args.docs:,} documents, {args.pages:,} pages under prefix {settings.index_prefix}"
                + (" without vectors" if args.no_vectors else f", with passage vectors ({MODEL_NAME})"))
            built = True
            result["build"] = build_index(running, plan, args.force_merge, not args.no_vectors, args.build_processes)
            log(f"built in {result['build']['load_s']:.0f} s ({result['build']['pages_per_s']:,.0f} pages/s, "
                f"{result['build']['passages']:,} passages; CPU s in the generating processes: "
                f"{result['build']['generate_cpu_s']:.0f} generating, {result['build']['embed_cpu_s']:.0f} embedding)")
        result["index"] = index_facts(engine, settings)
        log(f"index: {json.dumps(result['index'])}")
        if args.build_only:
            args.keep = True
            return
        kinds = workload(top_values(engine, settings), args.seed)
        if args.kinds:
            kinds = {k: v for k, v in kinds.items() if k in args.kinds.split(",")}
        if args.no_facets:
            kinds = {k: [{**params, "facets": "false"} for params in v] for k, v in kinds.items()}
        if args.mode:
            kinds = {k: [{**params, "mode": args.mode} for params in v] for k, v in kinds.items()}
        plan_requests = schedule(kinds, args.seed)
        running.up("api", api_workers=args.api_workers)
        api_pid = int((running.paths.run / "api.pid").read_text())
        with running.client() as client:
            result["probe"] = probe(client, kinds)
        bad = [(k, r) for k, rows in result["probe"].items() for r in rows if r["status"] != 200]
        for kind, row in bad[:5]:
            log(f"probe error {kind}: {row['status']} {row.get('body')}")
        levels = [int(c) for c in args.clients.split(",") if c]
        measured = measure(running.url, plan_requests, levels, args.runs, args.warmup, args.duration, engine, api_pid,
                           token=running.token)
        result["discarded_runs"] = measured.pop("_discarded", {})
        result["levels"] = measured
        running.down("api")
        if not args.no_anatomy:
            wait_until_quiet()
            result["anatomy"] = anatomy(engine, settings, kinds, args.reps)
        result["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        result["code_after"] = code_state()
        print(report(result))
        if result["code_after"]["fingerprint"] != result["code"]["fingerprint"]:
            print("\nThe code under ingestion/, nlp/, docsearch/, api/ changed during the run (see the JSON).")
    finally:
        if args.json:
            args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str))
        running.keep = not ((built and not args.keep) or (args.reuse and args.drop))
        log(f"kept the index: reuse it with --reuse {settings.index_prefix}" if running.keep
            else f"dropping the indices of prefix {settings.index_prefix}")


if __name__ == "__main__":
    sys.exit(main())
