"""Benchmark of ingestion end to end, against its stages alone: ``python bench/ingest.py --runs 3``.

Needs the shared engine and Redis (``docsearch services up --only engine,redis``). Every run starts a
private stack beside them, as the tests do (``tests/conftest.py``): its own index prefix ``bench-<hex>``,
Redis database 14, a data directory in a temporary directory, an ingest and an OCR Celery worker of 2
processes each. Nothing under the default prefix is touched; the run's indices are dropped at its end.

The corpus is generated once in a temporary directory with ``bench/extract.py``'s generator:

* text: ``--docs`` PDFs of ``--pages`` pages in all of fictitious Spanish legal text, 400-530 words per page;
* scanned: ``--scan-docs`` PDFs of ``--scan-pages`` image-only pages each, grayscale JPEG images of corpus
  pages at ``--scan-dpi`` (what a scanner makes), no text layer.

Each run (``--runs``) then measures, on the same machine, one after the other:

1. end to end: the text corpus, then the scanned corpus, loaded with ``ingestion.submit.submit_paths`` and
   ``ingestion.celery_app.enqueue_file`` in a child process that has the private settings in its
   environment, which polls ``BatchStore.summary`` until the batch is ``done``. Time is submit start to
   done as the poll sees it; pages/s is ``pages_done`` over that time. Every file must end ``indexed``.
   Beside it: the workers' task times (from their logs), engine operations per file (index stats), and
   CPU seconds of the engine, the workers and everything else;
2. each stage alone, with the workers stopped: extraction (``PdfExtractor.extract``, 1 process);
   clean-up + NER as the worker does it (``pipeline.clean_pages`` = ``looks_like_garbage`` +
   ``clean_page_text``, ``strip_running_lines``, ``nlp.extract.analyse``), 1 and 2 processes; OCR
   (``ocr_page``) of ``--ocr-pages`` scanned pages, 1 and 2 processes; indexing (``build_document`` and
   one ``index`` request per document, no refresh wait, as the workers write) into a scratch index with
   the real mapping, 1 process.

With ``--watches N`` (default 0: none) each run also loads the text corpus twice more, each time into a fresh
private stack set up alike (50 users reading the collection, its grants, the archive's identities): without
watches, and with N active watches made before the load (saved-search, entity and a few collection watches,
about 1.5 % of them matching documents of the corpus). Each load lasts until the ``docsearch.match_document``
task of every indexed file has run: pages/s to batch done and to that moment, CPU seconds of the workers and the
engine, the notifications made and the time from a file indexed to its notifications (median, p95), and a profile
of the match task by engine request. The watches are chosen once, before the runs, from an untimed load of the
corpus (``ingest_watches``). A run during one of whose two loads other processes used more than 10 % of the
machine's CPU is discarded and repeated too. ``--only-watches`` makes the runs only that comparison (no scanned
corpus, no stages).

With ``--bulk-files N`` (default 2,000; 0 skips it) it also loads N small PDFs (1-3 pages) in a folder
tree twice, each into a fresh private stack: (a) with the CLI as a user would, ``docsearch ingest
FOLDER --collection bench --wait`` in a pseudo-terminal (its progress bar is recorded and checked
against the file records), and (b) as one ZIP of the same folder uploaded to ``POST /api/documents`` of
a private API.

Before each run it waits until no ``python -m pytest`` runs; a run during which one appeared, or the tracked
code under ``ingestion/``, ``nlp/``, ``docsearch/``, ``api/`` changed, is
discarded and repeated. Prints markdown tables; ``--json`` writes every number.

The parts: ``ingest_corpus`` (the corpora), ``ingest_stack`` (the private stack, worker logs, engine
operations), ``ingest_end_to_end``, ``ingest_stages``, ``ingest_bulk``, ``ingest_watches``, ``ingest_report``;
``run_watch`` (pytest watch, CPU meter, code state) is shared with ``bench/search.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import run_watch  # noqa: E402
from docsearch.settings import Settings  # noqa: E402
from ingest_bulk import bulk_api, bulk_cli  # noqa: E402
from ingest_corpus import make_bulk_tree, make_corpus  # noqa: E402
from ingest_end_to_end import child_submit, e2e_phase  # noqa: E402
from ingest_report import report, report_bulk  # noqa: E402
from ingest_stack import private  # noqa: E402
from ingest_stages import stages  # noqa: E402
from ingest_watches import plan_watches, report_watches, watches_pair  # noqa: E402
from run_watch import Meter, code_state, log, wait_until_quiet  # noqa: E402
from services import stack  # noqa: E402


def one_run(base: Settings, corpus: dict, args, number: int, work: Path, plan: dict | None = None) -> dict:
    log(f"run {number}: waiting for a quiet machine")
    waited = wait_until_quiet()
    run: dict = {"started": datetime.now(timezone.utc).isoformat(timespec="seconds"), "waited_s": round(waited),
                 "code": code_state(), "pytest_seen": False}
    run_dir = work / f"run-{number}-{uuid.uuid4().hex[:6]}"
    run_dir.mkdir()
    if not args.only_watches:
        text_and_scans(base, corpus, args, number, run, run_dir)
    if plan is not None:
        run["watches"] = watches_pair(base, corpus, plan, args, run_dir, number)
        # a load that other processes disturbed is repeated like one during which a pytest ran
        run["pytest_seen"] = run["pytest_seen"] or run["watches"]["pytest_seen"] or run["watches"]["disturbed"]
    run["code_changed"] = code_state()["fingerprint"] != run["code"]["fingerprint"]
    run["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    shutil.rmtree(run_dir, ignore_errors=True)
    return run


def text_and_scans(base: Settings, corpus: dict, args, number: int, run: dict, run_dir: Path) -> None:
    """The text and scanned corpora end to end, then each stage alone, into ``run``."""
    with private(base, run_dir / "stack") as ps:
        run["prefix"] = ps.settings.index_prefix
        log(f"run {number}: stack {ps.settings.index_prefix} up; text corpus")
        run["text"] = e2e_phase(ps, corpus["text_dir"], "bench-text", run_dir, args.timeout,
                                len(corpus["text_paths"]))
        log(f"run {number}: scanned corpus")
        run["scans"] = e2e_phase(ps, corpus["scan_dir"], "bench-scans", run_dir, args.timeout,
                                 len(corpus["scan_paths"]))
    log(f"run {number}: stages alone (workers stopped)")
    with Meter([os.getpid()]) as meter:  # "workers" here: this process and its children
        run["stages"] = stages(base, corpus, args)
    run["stages_pytest_seen"] = meter.pytest_seen
    run["stages_cpu"] = meter.cpu
    run["pytest_seen"] = run["text"]["pytest_seen"] or run["scans"]["pytest_seen"] or meter.pytest_seen
    s = run["stages"]
    slowest = min(("extract", s["extract"]), ("clean+NER (2 processes)", s["nlp_2"]), ("index", s["index"]),
                  key=lambda kv: kv[1])
    run["slowest_text_stage"] = slowest[0]
    run["ratio_text"] = run["text"]["pages_per_s"] / slowest[1]
    run["ratio_scans"] = run["scans"]["pages_per_s"] / s["ocr_2"]
    # Every worker process runs extract, clean+NER and index one after the other for its file.
    run["serial_bound"] = 1 / (1 / s["extract"] + 1 / s["nlp_2"] + 1 / s["index"])


# -- main -----------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs (fresh stack each); medians shown (default 3)")
    parser.add_argument("--docs", type=int, default=50, help="text PDFs (default 50)")
    parser.add_argument("--pages", type=int, default=1000, help="text pages in all (default 1000)")
    parser.add_argument("--scan-docs", type=int, default=10, help="scanned PDFs (default 10)")
    parser.add_argument("--scan-pages", type=int, default=3, help="pages per scanned PDF (default 3)")
    parser.add_argument("--scan-dpi", type=int, default=300, help="resolution of the scanned page images (default 300)")
    parser.add_argument("--ocr-pages", type=int, default=10, help="scanned pages OCR'd in the OCR stage (default 10)")
    parser.add_argument("--wait-for-docs", type=int, default=10,
                        help="also time N index requests with refresh=wait_for (as workers wrote before "
                             "55f27c8); 0: no")
    parser.add_argument("--bulk-files", type=int, default=2000, help="small PDFs for the bulk loads; 0: skip them")
    parser.add_argument("--no-e2e", action="store_true", help="skip the runs (only the bulk loads)")
    parser.add_argument("--watches", type=int, default=0,
                        help="each run also loads the text corpus without and with N active watches; 0: no")
    parser.add_argument("--only-watches", action="store_true",
                        help="with --watches: the runs are only that comparison (no scanned corpus, no stages)")
    parser.add_argument("--max-discarded", type=int, default=8, help="runs discarded for a pytest before giving up")
    parser.add_argument("--timeout", type=float, default=1800, help="longest wait for one batch, s")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--json", type=Path, help="write every measured number here")
    parser.add_argument("--ignore-pytest", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-submit", help=argparse.SUPPRESS)
    parser.add_argument("--child-out", help=argparse.SUPPRESS)
    parser.add_argument("--collection", default="bench", help=argparse.SUPPRESS)
    parser.add_argument("--poll", type=float, default=0.25, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_submit:
        return child_submit(args)
    run_watch.IGNORE_PYTEST = args.ignore_pytest
    if args.docs < 1 or args.pages < args.docs or args.ocr_pages > args.scan_docs * args.scan_pages:
        parser.error("need --pages >= --docs >= 1 and --ocr-pages <= --scan-docs * --scan-pages")
    if args.watches < 0 or (args.only_watches and not args.watches):
        parser.error("--watches N takes N >= 0, and --only-watches needs --watches N with N >= 1")

    base = Settings()
    if not (stack.engine_ok(base) and stack.redis_ok(base)):
        parser.error("the engine and Redis must run: docsearch services up --only engine,redis")
    results: dict = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "args": {
        k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if not k.startswith("child")}}
    with tempfile.TemporaryDirectory(prefix="docsearch-bench-ingest-") as tmp:
        work = Path(tmp)
        plan = None
        if not args.no_e2e:
            # only the text corpus is loaded when the runs are only the watches comparison
            corpus = make_corpus(work / "corpus", argparse.Namespace(**{**vars(args), "scan_docs": 0})
                                 if args.only_watches else args)
            results["corpus"] = corpus["description"]
            if args.watches:
                plan = plan_watches(base, corpus, args, work)
                results["watch_plan"] = plan["description"]
                results["watch_specs"] = plan["specs"]
        results["runs"], results["discarded"] = [], []
        number = 0
        while not args.no_e2e and len(results["runs"]) < args.runs:
            number += 1
            try:
                run = one_run(base, corpus, args, number, work, plan)
            except Exception as exc:  # noqa: BLE001 - e.g. a worker that cannot start while the code is being edited
                log(f"run {number} failed: {type(exc).__name__}: {str(exc)[-300:]}")
                run = {"error": f"{type(exc).__name__}: {str(exc)[-2000:]}", "pytest_seen": True}
                time.sleep(30)
            if run["pytest_seen"] or run.get("code_changed"):
                results["discarded"].append(run)
                log(f"run {number}: a pytest ran or the code changed meanwhile; discarded")
                if len(results["discarded"]) > args.max_discarded:
                    log("too many runs disturbed by pytest; stopping")
                    break
                continue
            results["runs"].append(run)
            if args.json:
                args.json.write_text(json.dumps(results, indent=1, default=str))
        if args.bulk_files:
            bulk = make_bulk_tree(work / "bulk", args.bulk_files, args.seed)
            results["bulk"] = {"info": bulk["info"]}
            results["bulk"]["cli"] = bulk_cli(base, bulk, work, args.timeout)
            if args.json:
                args.json.write_text(json.dumps(results, indent=1, default=str))
            results["bulk"]["api"] = bulk_api(base, bulk, work, args.timeout)
        results["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        if args.json:
            args.json.write_text(json.dumps(results, indent=1, default=str))
    if results.get("runs") and not args.only_watches:
        print(report(results, args))
    if results.get("runs") and args.watches:
        print(report_watches(results))
    if results.get("bulk"):
        print(report_bulk(results))
        for key in ("cli", "api"):
            r = results["bulk"].get(key) or {}
            if "final_lines" in r:
                print("\nCLI final output:\n```\n" + "\n".join(r["final_lines"]) + "\n```")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
