"""Search relevance: the tuned search API against a plain BM25 baseline, on a judged dev corpus.

``python bench/relevance.py`` (the shared engine and Redis must run: ``docsearch services up --only engine,redis``)

1. generates the dev corpus (``generate``): about 200 fictitious legal PDFs, Spanish and some English, made with
   reportlab from ``bench/relevance/text_bank.json``; deterministic (a seeded generator, ``invariant=1`` canvases),
   each document with a stable key (``d017``) recorded in ``bench/relevance/corpus.jsonl`` with its sha256 and
   what the generator put in it (topics it is about, topics mentioned in passing, citations, people, organisations);
2. grades every query of ``bench/relevance/queries.jsonl`` over the corpus from the rule stored with it (the rules
   are in ``docs/relevance.md``), and checks the stored judgments are the ones the rules give;
3. starts a private stack beside the shared services (index prefix ``relevance-<hex>``, Redis database 13, an
   ingest and an OCR worker, the API), uploads the corpus with ``POST /api/documents`` (one upload per
   collection) and waits for the batches;
4. builds the baseline: one more index in the same engine, standard analyzer (no accent folding, no stemming, no
   citation normalisation), one document per PDF with its title and the full text the pipeline extracted, and the
   same metadata as the tuned index;
5. runs every query through ``GET /api/search`` (tuned) and as a BM25 ``multi_match`` (operator ``or``) with the
   filters as ``terms`` filters (baseline), and prints nDCG@10, recall@20 and MRR per system, overall and per
   category, as markdown, then the worst queries of the tuned system.

``--json FILE`` keeps every query's ranked keys and metrics; ``--keep`` leaves the stack's indices in place (and
prints their prefix); ``--reuse PREFIX`` runs the queries again on indices kept by ``--keep`` (seconds, no
ingest). ``--queries FILE`` reads another judged query file over the same corpus (default ``queries.jsonl``;
e.g. ``bench/relevance/queries_meaning.jsonl``), checked against its rules as the default one is.
``--modes lexical,semantic,hybrid`` runs the tuned search once per mode (``&mode=<m>``) and prints a summary
with a column per system, then one table per mode beside the baseline, with the zero-result rate (without it:
one run, no ``mode`` parameter). ``build`` rewrites ``corpus.jsonl`` and the judgments of both query files
after a change of the generator or of a rule; ``pdfs DIR`` writes the corpus PDFs.

The parts: ``relevance_cast``, ``relevance_documents`` and ``relevance_generator`` (the corpus),
``relevance_judging`` (facts, grading rules, metrics), ``relevance_files`` (the stored corpus and
judgments), ``relevance_systems`` (tuned and baseline), ``relevance_report``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from relevance_files import (CORPUS_FILE, MEANING_FILE, QUERIES_FILE, build_corpus, check_build,  # noqa: E402
                             load_queries, write_build)
from relevance_report import categories_of, headline, report, tables  # noqa: E402
from relevance_systems import build_baseline, ingest, run_queries  # noqa: E402
from relevance_test import modes_arg, report_modes  # noqa: E402
from run_watch import git_head, log  # noqa: E402

RELEVANCE_REDIS_DB = 13


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", default="run", choices=["run", "build", "pdfs", "check"])
    parser.add_argument("dir", nargs="?", type=Path, help="for 'pdfs': where to write the corpus")
    parser.add_argument("--json", type=Path, help="write every query's ranked keys and metrics here")
    parser.add_argument("--keep", action="store_true", help="keep the private indices (prints their prefix)")
    parser.add_argument("--reuse", metavar="PREFIX", help="query indices kept by --keep (no ingest)")
    parser.add_argument("--only", help="comma-separated query ids or categories")
    parser.add_argument("--queries", type=Path, default=QUERIES_FILE, help="query file (default: queries.jsonl)")
    parser.add_argument("--modes", type=modes_arg, default=[],
                        help="run the tuned search once per mode, e.g. lexical,semantic,hybrid (default: one run "
                             "without a mode)")
    args = parser.parse_args(argv)
    t0 = time.monotonic()

    if args.command == "pdfs":
        if not args.dir:
            parser.error("pdfs needs a directory")
        corpus, _ = build_corpus(args.dir)
        print(f"{len(corpus)} PDFs, {sum(f['pages'] for f in corpus)} pages in {args.dir}")
        return 0
    if args.command == "build":
        corpus, _ = build_corpus(None)
        write_build(corpus)
        print(f"wrote {CORPUS_FILE.name} ({len(corpus)} documents) and the judgments of {QUERIES_FILE.name} "
              f"and {MEANING_FILE.name}")
        return 0

    from services import stack
    from docsearch.settings import Settings

    queries = load_queries(args.queries)
    if args.only:
        wanted = set(args.only.split(","))
        queries = [q for q in queries if q["id"] in wanted or q["category"] in wanted]
    with tempfile.TemporaryDirectory(prefix="docsearch-relevance-") as tmp:
        work = Path(tmp)
        corpus, paths = build_corpus(work / "corpus")
        problems = check_build(corpus, load_queries(args.queries))
        if problems:
            for p in problems[:20]:
                log(p)
            log("the stored corpus or judgments differ from the generator: run `python bench/relevance.py build` "
                "and review the diff")
            return 1
        stored_sha = {json.loads(line)["key"]: json.loads(line)["sha256"]
                      for line in CORPUS_FILE.read_text(encoding="utf-8").splitlines()}
        changed = [f["key"] for f in corpus if stored_sha.get(f["key"]) != f["sha256"]]
        if changed:
            log(f"{len(changed)} PDFs have other bytes than recorded (another reportlab?); keys still apply")
        if args.command == "check":
            print(f"corpus and {len(queries)} queries consistent; {len(changed)} sha256 differ")
            return 0
        key_of = {f["sha256"]: f["key"] for f in corpus}
        base = Settings()
        if not (stack.engine_ok(base) and stack.redis_ok(base)):
            parser.error("the engine and Redis must run: docsearch services up --only engine,redis")
        reuse = {"index_prefix": args.reuse} if args.reuse else {}
        with stack.private(base, work / "stack", prefix="relevance", redis_db=RELEVANCE_REDIS_DB,
                           components=("api",) if args.reuse else ("worker", "api"), timeout=300,
                           worker_concurrency=2, ocr_concurrency=1, **reuse) as running:
            settings, engine = running.settings, running.engine
            running.keep = bool(args.reuse or args.keep)
            if args.reuse:
                ingest_s = 0.0
                baseline_index = f"{args.reuse}-baseline"
            else:
                log(f"private stack {settings.index_prefix}: workers and API up")
                baseline_index = f"{settings.index_prefix}-baseline"
            try:
                if not args.reuse:
                    ingest_s = ingest(running, corpus, paths)
                    n = build_baseline(engine, settings, baseline_index)
                    log(f"baseline index: {n} documents")
                indexed = engine.client.search(index=settings.documents_alias, body={
                    "size": 1000, "_source": ["doc_type", "year", "language"], "query": {"match_all": {}}})["hits"]["hits"]
                facts_by_key = {f["key"]: f for f in corpus}
                inferred = {key_of.get(h["_id"], h["_id"]): h["_source"] for h in indexed}
                mismatch = {field_name: sorted(k for k, src in inferred.items() if k in facts_by_key and
                                               str(src.get(field_name)) != str(facts_by_key[k][field_name]))
                            for field_name in ("doc_type", "year", "language")}
                rows = run_queries(running, engine, baseline_index, queries, key_of, zero=bool(args.modes),
                                   modes=args.modes)
            finally:
                if running.keep:
                    log(f"kept indices under prefix {settings.index_prefix} (baseline: {baseline_index})")
                else:
                    engine.client.indices.delete(index=baseline_index, ignore_unavailable=True)
    meta = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M"), "commit": git_head(),
            "docs": len(corpus), "pages": sum(f["pages"] for f in corpus), "ingest_s": ingest_s,
            "total_s": time.monotonic() - t0, "metadata_mismatch": mismatch, "indexed": len(indexed)}
    if args.queries.resolve() != QUERIES_FILE.resolve():
        meta["queries"] = args.queries.name
    if args.modes:
        meta["modes"] = args.modes
        for r in rows:
            r["kind"] = r["category"]  # the shared summary of report_modes groups by "kind"
        print(report_modes(rows, args.modes, headline(rows, meta), categories_of(rows), tables))
    else:
        print(report(rows, meta))
    print("\nMetadata the pipeline inferred that differs from the generator's: " + "; ".join(
        f"{k}: {len(v)} ({', '.join(v[:8])}{'…' if len(v) > 8 else ''})" for k, v in mismatch.items()))
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "queries": rows}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
