"""Search relevance on the held-out test set: the tuned search API against a plain BM25 baseline.

``python bench/relevance_test.py`` (the shared engine and Redis must run: ``docsearch services up --only engine,redis``)

The test set (``bench/relevance_test/``: 47 hand-written documents, 101 graded queries) was written before any
tuning on it, by other hands than the generator of ``bench/relevance/``; see its README. The run

1. draws the documents as PDFs (``relevance_test_pdfs``: text layouts and scanned pages; deterministic bytes);
2. starts a private stack beside the shared services (index prefix ``relevtest-<hex>``, Redis database 12, an
   ingest and an OCR worker, the API), uploads the PDFs with ``POST /api/documents`` (one batch per
   collection) and waits until every file is ``indexed``;
3. builds the BM25 baseline (standard analyzer, title + full text, ``multi_match`` operator ``or`` over the
   query's words without query syntax; ``relevance_systems``);
4. runs every query through ``GET /api/search?q=…&size=20&facets=false`` (tuned) and the baseline, and prints
   nDCG@10, recall@20, MRR and the zero-result rate per query kind and overall, as markdown.

``--json FILE`` keeps every query's ranked keys and metrics; ``--keep`` leaves the indices (prints the prefix);
``--reuse PREFIX`` queries kept indices again (no ingest); ``--only KIND|ID,...``; ``pdfs DIR`` writes the PDFs.
Everything the run created is dropped at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from relevance_systems import build_baseline, run_queries  # noqa: E402
from relevance_test_pdfs import DOCS, load_docs, write_pdfs  # noqa: E402
from run_watch import git_head, log  # noqa: E402

QUERIES_FILE = DOCS.parent / "queries.jsonl"
REDIS_DB = 12
KINDS = ("long", "question", "abbrev_synonym", "lookup", "short", "english", "person_org")


def load_queries(keys: set[str]) -> list[dict]:
    queries = [json.loads(line) for line in QUERIES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    for q in queries:
        unknown = set(q["judgments"]) - keys
        if unknown or q["kind"] not in KINDS:
            raise SystemExit(f"query {q['id']}: unknown documents {sorted(unknown)} or kind {q['kind']!r}")
    return queries


def ingest(running, corpus: list[dict], paths: dict[str, Path]) -> float:
    """Upload one batch per collection, wait for each, and require every file ``indexed``."""
    started = time.monotonic()
    by_collection = defaultdict(list)
    for f in corpus:
        by_collection[f["collection"]].append(paths[f["key"]])
    batches = {c: running.upload(files, collection=c) for c, files in sorted(by_collection.items())}
    log(f"uploaded {len(corpus)} PDFs in {len(batches)} batches; waiting for the workers")
    for collection, batch_id in batches.items():
        body = running.wait_batch(batch_id, max(1.0, 1800 - (time.monotonic() - started)), poll=1)
        counts = body.get("counts") or {}
        files = body.get("files") or []
        not_indexed = [(f.get("filename") or f.get("name"), f.get("reason"), (f.get("message") or "")[:200])
                       for f in files if f.get("status") != "indexed"]
        if counts.get("indexed") != len(by_collection[collection]) or not_indexed:
            raise RuntimeError(f"batch {collection}: not every file indexed: {counts} {not_indexed[:10]}")
    return time.monotonic() - started


def forget_celery_leftovers(redis_url: str) -> None:
    """Celery leaves a key naming no queue (``_kombu.binding_deadlines``) in the run's Redis database; it goes
    when nothing else is left there (database 12 is this benchmark's)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        if set(client.keys("*")) <= {b"_kombu.binding_deadlines"}:
            client.delete("_kombu.binding_deadlines")
    finally:
        client.close()


# -- report ------------------------------------------------------------------------------------------------------
METRICS = (("ndcg@10", "nDCG@10"), ("recall@20", "recall@20"), ("mrr", "MRR"), ("zero", "zero-result"))


def _mean(rows: list[dict], system: str, name: str) -> float:
    return sum(r[f"m_{system}"][name] for r in rows) / len(rows)


def _ranks(row: dict, system: str) -> str:
    keys = row[system]
    return ", ".join(f"{k}({row['judgments'].get(k, 0)})" for k in keys[:3]) or "—"


def report(rows: list[dict], meta: dict) -> str:
    out = [f"Held-out test set: {meta['docs']} documents ({meta['pages']} pages, {meta['scans']} scanned), "
           f"{len(rows)} queries; commit `{meta['commit']}`, {meta['date']} UTC; ingest {meta['ingest_s']:.0f} s, "
           f"whole run {meta['total_s']:.0f} s.", ""]
    head = "| queries | n | " + " | ".join(f"{label} tuned | {label} BM25" for _, label in METRICS) + " |"
    out += [head, "|" + " --- |" + " ---: |" * (1 + 2 * len(METRICS))]
    groups = [("**all**", rows)] + [(k, [r for r in rows if r["kind"] == k]) for k in KINDS]
    for name, group in groups:
        if not group:
            continue
        cells = []
        for metric, _ in METRICS:
            cells += [f"{_mean(group, 'tuned', metric):.3f}", f"{_mean(group, 'baseline', metric):.3f}"]
        out.append(f"| {name} | {len(group)} | " + " | ".join(cells) + " |")
    zero = [r for r in rows if r["m_tuned"]["zero"]]
    out += ["", f"Queries the tuned search answered with nothing ({len(zero)}): "
            + (", ".join(f"`{r['q']}` ({r['kind']})" for r in zero) or "none") + "."]
    worst = sorted(rows, key=lambda r: r["m_tuned"]["ndcg@10"] - r["m_baseline"]["ndcg@10"])[:15]
    out += ["", "Largest losses of the tuned search against BM25 (nDCG@10; top 3 with grades):", "",
            "| id | query | kind | tuned | BM25 | tuned top 3 | BM25 top 3 |", "| --- | --- | --- | ---: | ---: | --- | --- |"]
    for r in worst:
        if r["m_tuned"]["ndcg@10"] >= r["m_baseline"]["ndcg@10"]:
            break
        out.append(f"| {r['id']} | `{r['q']}` | {r['kind']} | {r['m_tuned']['ndcg@10']:.3f} | "
                   f"{r['m_baseline']['ndcg@10']:.3f} | {_ranks(r, 'tuned')} | {_ranks(r, 'baseline')} |")
    return "\n".join(out)


def measure(base, stack_dir: Path, prefix: str, redis_db: int, corpus: list[dict], paths: list[Path],
            queries: list[dict], key_of: dict[str, str], keep: bool = False, reuse: str | None = None):
    """Load ``corpus`` into a private stack (or reuse one kept before), build the BM25 baseline beside it, and
    run every query through both: (rows, ingest seconds, documents indexed). Everything is dropped at the end
    unless kept."""
    from services import stack

    try:
        with stack.private(base, stack_dir, prefix=prefix, redis_db=redis_db,
                           components=("api",) if reuse else ("worker", "api"), timeout=300,
                           worker_concurrency=2, ocr_concurrency=1,
                           **({"index_prefix": reuse} if reuse else {})) as running:
            settings, engine = running.settings, running.engine
            running.keep = bool(reuse or keep)
            baseline_index = f"{settings.index_prefix}-baseline"
            ingest_s = 0.0
            try:
                if not reuse:
                    log(f"private stack {settings.index_prefix}: workers and API up")
                    ingest_s = ingest(running, corpus, paths)
                    log(f"baseline index: {build_baseline(engine, settings, baseline_index)} documents")
                indexed = engine.client.count(index=settings.documents_alias)["count"]
                if indexed != len(corpus):
                    log(f"warning: {indexed} documents indexed, {len(corpus)} expected")
                rows = run_queries(running, engine, baseline_index, queries, key_of, kind="kind", zero=True)
            finally:
                if running.keep:
                    log(f"kept indices under prefix {settings.index_prefix} (baseline: {baseline_index})")
                else:
                    engine.client.indices.delete(index=baseline_index, ignore_unavailable=True)
    finally:
        if not (keep or reuse):
            forget_celery_leftovers(urlunparse(urlparse(base.redis_url)._replace(path=f"/{redis_db}")))
    return rows, ingest_s, indexed


def publish(tables: str, rows: list[dict], meta: dict, corpus: list[dict], json_path: Path | None) -> None:
    """Print the tables; with ``json_path``, keep every query's ranked keys and metrics there too."""
    print(tables)
    if json_path:
        json_path.write_text(json.dumps({"meta": meta, "corpus": corpus, "queries": rows}, ensure_ascii=False,
                                        indent=1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", default="run", choices=["run", "pdfs"])
    parser.add_argument("dir", nargs="?", type=Path, help="for 'pdfs': where to write them")
    parser.add_argument("--json", type=Path, help="write every query's ranked keys and metrics here")
    parser.add_argument("--keep", action="store_true", help="keep the private indices (prints their prefix)")
    parser.add_argument("--reuse", metavar="PREFIX", help="query indices kept by --keep (no ingest)")
    parser.add_argument("--only", help="comma-separated query ids or kinds")
    args = parser.parse_args(argv)
    t0 = time.monotonic()
    docs = load_docs()
    queries = load_queries({d.key for d in docs})
    if args.only:
        wanted = set(args.only.split(","))
        queries = [q for q in queries if q["id"] in wanted or q["kind"] in wanted]

    if args.command == "pdfs":
        if not args.dir:
            parser.error("pdfs needs a directory")
        corpus, _ = write_pdfs(args.dir, docs)
        print(f"{len(corpus)} PDFs, {sum(f['pages'] for f in corpus)} pages in {args.dir}")
        return 0

    from docsearch.settings import Settings
    from services import stack

    base = Settings()
    if not (stack.engine_ok(base) and stack.redis_ok(base)):
        parser.error("the engine and Redis must run: docsearch services up --only engine,redis")
    with tempfile.TemporaryDirectory(prefix="docsearch-relevtest-") as tmp:
        work = Path(tmp)
        corpus, paths = write_pdfs(work / "pdfs", docs)
        key_of = {f["sha256"]: f["key"] for f in corpus}
        rows, ingest_s, indexed = measure(base, work / "stack", "relevtest", REDIS_DB, corpus, paths, queries,
                                          key_of, keep=args.keep, reuse=args.reuse)
    meta = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M"), "commit": git_head(),
            "docs": len(corpus), "pages": sum(f["pages"] for f in corpus),
            "scans": sum(f["render"] == "scan" for f in corpus), "ingest_s": ingest_s,
            "total_s": time.monotonic() - t0, "indexed": indexed}
    publish(report(rows, meta), rows, meta, corpus, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
