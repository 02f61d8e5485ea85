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

``--queries FILE`` reads another query file over the same documents (default ``queries.jsonl``; e.g.
``bench/relevance_test/queries_meaning.jsonl``). ``--modes lexical,semantic,hybrid`` runs the tuned search once
per mode (``&mode=<m>``) and prints a summary with a column per system, then one table per mode beside BM25.

``--set DIR`` runs another held-out set of the same layout (``bench/relevance_test2``: 32 documents, 72 queries,
written later and by other hands than the first, before any run of the search on it).

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
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from markdown_tables import table  # noqa: E402
from relevance_systems import build_baseline, mode_rows, run_queries  # noqa: E402
from relevance_test_pdfs import DOCS, load_docs, write_pdfs  # noqa: E402
from run_watch import git_head, log  # noqa: E402

QUERIES_FILE = DOCS.parent / "queries.jsonl"
REDIS_DB = 12
KINDS = ("long", "question", "abbrev_synonym", "lookup", "short", "english", "person_org",
         "crosslingual_en_es", "crosslingual_es_en", "paraphrase", "phrase")  # the last four: queries_meaning.jsonl
MODES = ("lexical", "semantic", "hybrid")


def load_queries(keys: set[str], path: Path = QUERIES_FILE) -> list[dict]:
    queries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
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


def headline(rows: list[dict], meta: dict) -> str:
    queries = f" (`{meta['queries']}`)" if meta.get("queries", QUERIES_FILE.name) != QUERIES_FILE.name else ""
    return (f"Held-out test set: {meta['docs']} documents ({meta['pages']} pages, {meta['scans']} scanned), "
            f"{len(rows)} queries{queries}; commit `{meta['commit']}`, {meta['date']} UTC; "
            f"ingest {meta['ingest_s']:.0f} s, whole run {meta['total_s']:.0f} s.")


def kind_groups(rows: list[dict], kinds: Sequence[str]) -> list[tuple[str, list[dict]]]:
    """All queries, then each kind that has any."""
    groups = [("**all**", rows)] + [(k, [r for r in rows if r["kind"] == k]) for k in kinds]
    return [(name, group) for name, group in groups if group]


def tables(rows: list[dict], label: str = "tuned") -> list[str]:
    """Metrics per kind against BM25, the queries answered with nothing and the largest losses; ``label``
    names the tuned system (a search mode)."""
    head = "| queries | n | " + " | ".join(f"{name} {label} | {name} BM25" for _, name in METRICS) + " |"
    out = [head, "|" + " --- |" + " ---: |" * (1 + 2 * len(METRICS))]
    for name, group in kind_groups(rows, KINDS):
        cells = []
        for metric, _ in METRICS:
            cells += [f"{_mean(group, 'tuned', metric):.3f}", f"{_mean(group, 'baseline', metric):.3f}"]
        out.append(f"| {name} | {len(group)} | " + " | ".join(cells) + " |")
    zero = [r for r in rows if r["m_tuned"]["zero"]]
    out += ["", f"Queries the {label} search answered with nothing ({len(zero)}): "
            + (", ".join(f"`{r['q']}` ({r['kind']})" for r in zero) or "none") + "."]
    worst = sorted(rows, key=lambda r: r["m_tuned"]["ndcg@10"] - r["m_baseline"]["ndcg@10"])[:15]
    out += ["", f"Largest losses of the {label} search against BM25 (nDCG@10; top 3 with grades):", "",
            f"| id | query | kind | {label} | BM25 | {label} top 3 | BM25 top 3 |",
            "| --- | --- | --- | ---: | ---: | --- | --- |"]
    for r in worst:
        if r["m_tuned"]["ndcg@10"] >= r["m_baseline"]["ndcg@10"]:
            break
        out.append(f"| {r['id']} | `{r['q']}` | {r['kind']} | {r['m_tuned']['ndcg@10']:.3f} | "
                   f"{r['m_baseline']['ndcg@10']:.3f} | {_ranks(r, 'tuned')} | {_ranks(r, 'baseline')} |")
    return out


def report(rows: list[dict], meta: dict) -> str:
    return "\n".join([headline(rows, meta), "", *tables(rows)])


SUMMARY_METRICS = (("ndcg@10", "nDCG@10"), ("recall@20", "recall@20"))


def mode_summary(rows: list[dict], modes: Sequence[str], kinds: Sequence[str]) -> list[str]:
    """nDCG@10 and recall@20 per kind with a column per system: every mode, then BM25."""
    systems = [(m, mode_rows(rows, m)) for m in modes]
    header = ["queries", "n"] + [f"{label} {m}" for _, label in SUMMARY_METRICS for m in [*modes, "BM25"]]
    lines = []
    for name, group in kind_groups(rows, kinds):
        ids = {r["id"] for r in group}
        cells: list[object] = [name, len(group)]
        for metric, _ in SUMMARY_METRICS:
            cells += [f"{_mean([r for r in view if r['id'] in ids], 'tuned', metric):.3f}" for _, view in systems]
            cells.append(f"{_mean(group, 'baseline', metric):.3f}")
        lines.append(cells)
    return table(header, "lr" + "r" * (len(header) - 2), lines, spaced=True)


def report_modes(rows: list[dict], modes: Sequence[str], title: str, kinds: Sequence[str],
                 tables_of: Callable[[list[dict], str], list[str]]) -> str:
    """A run with ``--modes``: the summary, then for each mode the ``mode`` the API said it used and
    ``tables_of(rows as run in that mode, mode)``."""
    out = [title, "", *mode_summary(rows, modes, kinds)]
    for mode in modes:
        view = mode_rows(rows, mode)
        said = Counter(str(r["tuned_info"].get("mode") or "none") for r in view)
        out += ["", f"### mode={mode}", "", "`query.mode` in the answers: "
                + ", ".join(f"{m} ({n})" for m, n in said.most_common()) + ".", "", *tables_of(view, mode)]
    return "\n".join(out)


def modes_arg(value: str) -> list[str]:
    modes = [m.strip() for m in value.split(",") if m.strip()]
    unknown = [m for m in modes if m not in MODES]
    if unknown or not modes:
        raise argparse.ArgumentTypeError(f"modes are {', '.join(MODES)} (comma-separated), not {value!r}")
    return list(dict.fromkeys(modes))


def measure(base, stack_dir: Path, prefix: str, redis_db: int, corpus: list[dict], paths: list[Path],
            queries: list[dict], key_of: dict[str, str], keep: bool = False, reuse: str | None = None,
            modes: Sequence[str] = ()):
    """Load ``corpus`` into a private stack (or reuse one kept before), build the BM25 baseline beside it, and
    run every query through both (the tuned search once per mode of ``modes``, see ``run_queries``): (rows,
    ingest seconds, documents indexed). Everything is dropped at the end unless kept."""
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
                rows = run_queries(running, engine, baseline_index, queries, key_of, kind="kind", zero=True,
                                   modes=modes)
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
    parser.add_argument("--queries", type=Path, help="query file (default: the set's queries.jsonl)")
    parser.add_argument("--set", type=Path, default=DOCS.parent, metavar="DIR",
                        help="another held-out set in the same layout (documents/, queries.jsonl), e.g. "
                             "bench/relevance_test2 (default: bench/relevance_test)")
    parser.add_argument("--modes", type=modes_arg, default=[],
                        help="run the tuned search once per mode, e.g. lexical,semantic,hybrid (default: one run "
                             "without a mode)")
    args = parser.parse_args(argv)
    t0 = time.monotonic()
    docs = load_docs(args.set / "documents")
    if args.queries is None:
        args.queries = args.set / "queries.jsonl"
    queries = load_queries({d.key for d in docs}, args.queries)
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
                                          key_of, keep=args.keep, reuse=args.reuse, modes=args.modes)
    meta = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M"), "commit": git_head(),
            "docs": len(corpus), "pages": sum(f["pages"] for f in corpus),
            "scans": sum(f["render"] == "scan" for f in corpus), "ingest_s": ingest_s,
            "total_s": time.monotonic() - t0, "indexed": indexed}
    if args.queries.resolve() != QUERIES_FILE.resolve():
        where = args.queries.resolve()
        meta["queries"] = str(where.relative_to(ROOT) if where.is_relative_to(ROOT) else where.name)
    if args.modes:
        meta["modes"] = args.modes
        text = report_modes(rows, args.modes, headline(rows, meta), KINDS, tables)
    else:
        text = report(rows, meta)
    publish(text, rows, meta, corpus, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
