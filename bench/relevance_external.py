"""Search relevance on an external corpus: PDFs and judged queries kept outside the repository.

``python bench/relevance_external.py --corpus DIR`` (the shared engine and Redis must run:
``docsearch services up --only engine,redis``)

``DIR`` holds the PDFs (``<key>.pdf``; the key is the file's stem) and a ``queries.jsonl`` in the shape of
``bench/relevance_test/queries.jsonl``: one query a line, ``{"id", "q", "kind", "judgments": {key: grade}}``
(grades 1-3, unjudged = 0; optional ``filters``). It is meant for text the project may not ship, such as
real court judgments by other authors; how the one measured so far was built is in ``docs/relevance.md``
("Real judgments"). The run is the held-out test set's (``relevance_test.py``):

1. a private stack beside the shared services (index prefix ``relevext-<hex>``, Redis database 11, an
   ingest and an OCR worker, the API); the PDFs uploaded with ``POST /api/documents`` in one batch of the
   collection ``--collection`` (default ``jurisprudencia``), every file required ``indexed``;
2. the BM25 baseline (standard analyzer, title + full text, ``multi_match`` operator ``or``;
   ``relevance_systems``);
3. every query through ``GET /api/search?q=…&size=20&facets=false`` (tuned) and the baseline; nDCG@10,
   recall@20, MRR and the zero-result rate per query kind and overall, as markdown, and the queries where
   the tuned search loses most to BM25.

``--json FILE`` keeps every query's ranked keys and metrics; ``--keep`` leaves the indices (prints the
prefix); ``--reuse PREFIX`` queries kept indices again (no ingest); ``--only KIND|ID,...``; ``--queries FILE``
another query file (default ``DIR/queries.jsonl``); ``--modes lexical,semantic,hybrid`` the tuned search once
per mode (``&mode=<m>``), with a summary per system and one table per mode, as in ``relevance_test.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from relevance_test import KINDS, METRICS, _mean, _ranks, measure, modes_arg, publish, report_modes  # noqa: E402
from run_watch import git_head  # noqa: E402

REDIS_DB = 11


def load_corpus(directory: Path, collection: str) -> tuple[list[dict], dict[str, Path]]:
    """Every ``*.pdf`` of the directory: key (the stem), sha256 (the document id the pipeline gives it), pages."""
    from pypdf import PdfReader

    corpus, paths = [], {}
    for path in sorted(directory.glob("*.pdf")):
        data = path.read_bytes()
        corpus.append({"key": path.stem, "sha256": hashlib.sha256(data).hexdigest(), "collection": collection,
                       "pages": len(PdfReader(path).pages), "bytes": len(data)})
        paths[path.stem] = path
    if not corpus:
        raise SystemExit(f"no PDFs in {directory}")
    return corpus, paths


def load_queries(path: Path, keys: set[str]) -> list[dict]:
    if not path.exists():
        raise SystemExit(f"{path} is missing: the corpus directory needs a queries.jsonl beside its PDFs "
                         f"(or give --queries)")
    queries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for q in queries:
        unknown = set(q["judgments"]) - keys
        bad = [g for g in q["judgments"].values() if g not in (0, 1, 2, 3)]
        if unknown or bad or not q.get("kind"):
            raise SystemExit(f"query {q.get('id')}: unknown documents {sorted(unknown)}, grades {bad} "
                             f"or no kind")
    return queries


def kinds_of(rows: list[dict]) -> list[str]:
    """The test set's kinds in its order, then any other kind in order of appearance."""
    seen = list(dict.fromkeys(r["kind"] for r in rows))
    return [k for k in KINDS if k in seen] + [k for k in seen if k not in KINDS]


def headline(rows: list[dict], meta: dict) -> str:
    queries = f" (`{meta['queries']}`)" if meta.get("queries", "queries.jsonl") != "queries.jsonl" else ""
    return (f"External corpus `{meta['corpus']}`: {meta['docs']} documents ({meta['pages']} pages), "
            f"{len(rows)} queries{queries}; commit `{meta['commit']}`, {meta['date']} UTC; "
            f"ingest {meta['ingest_s']:.0f} s, whole run {meta['total_s']:.0f} s.")


def tables(rows: list[dict], label: str = "tuned") -> list[str]:
    """Metrics per kind against BM25, the queries answered with nothing or little and the largest losses;
    ``label`` names the tuned system (a search mode)."""
    head = "| queries | n | " + " | ".join(f"{name} {label} | {name} BM25" for _, name in METRICS) + " |"
    out = [head, "|" + " --- |" + " ---: |" * (1 + 2 * len(METRICS))]
    groups = [("**all**", rows)] + [(k, [r for r in rows if r["kind"] == k]) for k in kinds_of(rows)]
    for name, group in groups:
        cells = []
        for metric, _ in METRICS:
            cells += [f"{_mean(group, 'tuned', metric):.3f}", f"{_mean(group, 'baseline', metric):.3f}"]
        out.append(f"| {name} | {len(group)} | " + " | ".join(cells) + " |")
    zero = [r for r in rows if r["m_tuned"]["zero"]]
    out += ["", f"Queries the {label} search answered with nothing ({len(zero)}): "
            + (", ".join(f"`{r['q']}` ({r['kind']})" for r in zero) or "none") + "."]
    few = [r for r in rows if len(r["tuned"]) < 3]
    out += [f"Queries the {label} search answered with fewer than 3 documents: {len(few)} "
            f"(BM25: {sum(len(r['baseline']) < 3 for r in rows)})."]
    worst = sorted(rows, key=lambda r: r["m_tuned"]["ndcg@10"] - r["m_baseline"]["ndcg@10"])[:15]
    out += ["", f"Largest losses of the {label} search against BM25 (nDCG@10; top 3 with grades):", "",
            f"| id | query | kind | {label} | BM25 | {label} hits | {label} top 3 | BM25 top 3 |",
            "| --- | --- | --- | ---: | ---: | ---: | --- | --- |"]
    for r in worst:
        if r["m_tuned"]["ndcg@10"] >= r["m_baseline"]["ndcg@10"]:
            break
        out.append(f"| {r['id']} | `{r['q']}` | {r['kind']} | {r['m_tuned']['ndcg@10']:.3f} | "
                   f"{r['m_baseline']['ndcg@10']:.3f} | {r['tuned_info'].get('total', len(r['tuned']))} | "
                   f"{_ranks(r, 'tuned')} | {_ranks(r, 'baseline')} |")
    return out


def report(rows: list[dict], meta: dict) -> str:
    return "\n".join([headline(rows, meta), "", *tables(rows)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="directory of PDFs and queries.jsonl")
    parser.add_argument("--collection", default="jurisprudencia", help="collection the PDFs are uploaded to")
    parser.add_argument("--json", type=Path, help="write every query's ranked keys and metrics here")
    parser.add_argument("--keep", action="store_true", help="keep the private indices (prints their prefix)")
    parser.add_argument("--reuse", metavar="PREFIX", help="query indices kept by --keep (no ingest)")
    parser.add_argument("--only", help="comma-separated query ids or kinds")
    parser.add_argument("--queries", type=Path, help="query file (default: queries.jsonl in the corpus directory)")
    parser.add_argument("--modes", type=modes_arg, default=[],
                        help="run the tuned search once per mode, e.g. lexical,semantic,hybrid (default: one run "
                             "without a mode)")
    args = parser.parse_args(argv)
    t0 = time.monotonic()
    corpus, paths = load_corpus(args.corpus, args.collection)
    queries = load_queries(args.queries or args.corpus / "queries.jsonl", set(paths))
    if args.only:
        wanted = set(args.only.split(","))
        queries = [q for q in queries if q["id"] in wanted or q["kind"] in wanted]
    key_of = {f["sha256"]: f["key"] for f in corpus}

    from docsearch.settings import Settings
    from services import stack

    base = Settings()
    if not (stack.engine_ok(base) and stack.redis_ok(base)):
        parser.error("the engine and Redis must run: docsearch services up --only engine,redis")
    with tempfile.TemporaryDirectory(prefix="docsearch-relevext-") as tmp:
        rows, ingest_s, indexed = measure(base, Path(tmp) / "stack", "relevext", REDIS_DB, corpus, paths, queries,
                                          key_of, keep=args.keep, reuse=args.reuse, modes=args.modes)
    meta = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M"), "commit": git_head(),
            "corpus": args.corpus.name, "docs": len(corpus), "pages": sum(f["pages"] for f in corpus),
            "ingest_s": ingest_s, "total_s": time.monotonic() - t0, "indexed": indexed}
    if args.queries:
        meta["queries"] = args.queries.name
    if args.modes:
        meta["modes"] = args.modes
        text = report_modes(rows, args.modes, headline(rows, meta), kinds_of(rows), tables)
    else:
        text = report(rows, meta)
    publish(text, rows, meta, corpus, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
