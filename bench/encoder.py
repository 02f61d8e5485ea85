"""Passage vectors alone, one process: ``python bench/encoder.py [--pages 200] [--runs 3]``.

Needs nothing running. Makes ``--pages`` pages of the ingest benchmark's corpus (``bench/extract.py``'s
generator, fictitious Spanish legal text, 400-530 words a page), reads them as a worker does (extraction,
``clean_pages``, ``strip_running_lines``), cuts them into passages (``nlp.passages.split_pages``) and encodes
them with ``nlp.encoder.UniversalSentenceEncoder``: through the library's own pass (``cached=False``) and
through the cached pass (``nlp.encoder_cache``), each warmed up first. Beside them, the language analysis
of the same pages (``nlp.extract.analyse``), the stage the vectors are added to. Reported: CPU ms per page
and passages per CPU second, best of ``--runs``, and the OpenBLAS kernel in use (``OPENBLAS_CORETYPE``
chooses it; unset, OpenBLAS picks one for the CPU).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import extract as bench_extract  # noqa: E402  (the corpus generator)


def best_cpu(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.process_time()
        fn()
        times.append(time.process_time() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()

    import threadpoolctl

    from ingestion.extractors import PdfExtractor
    from ingestion.pipeline import clean_pages
    from nlp.encoder import UniversalSentenceEncoder
    from nlp.extract import analyse
    from nlp.layout import strip_running_lines
    from nlp.passages import split_pages

    with tempfile.TemporaryDirectory() as folder:
        paths, _ = bench_extract.generate_corpus(Path(folder), args.pages, max(1, args.pages // 20), args.seed)
        documents = [strip_running_lines(clean_pages(PdfExtractor().extract(p, 100_000).pages)) for p in paths]
    pages = [page for document in documents for page in document]
    words = sum(len(page.split()) for page in pages)
    started = time.process_time()
    texts = [p.text for document in documents for p in split_pages(document)]
    split_ms = (time.process_time() - started) / len(pages) * 1000

    rows = [("split into passages", split_ms, None)]
    for name, cached in (("library pass", False), ("cached pass", True)):
        encoder = UniversalSentenceEncoder(cached=cached)
        encoder.encode(texts[:20])
        seconds = best_cpu(lambda encoder=encoder: encoder.encode(texts), args.runs)
        rows.append((f"encode, {name}", seconds / len(pages) * 1000, len(texts) / seconds))
    analyse(documents[0][:2], title="x")
    seconds = best_cpu(lambda: [analyse(document, title="x") for document in documents], args.runs)
    rows.append(("language analysis (`analyse`), for comparison", seconds / len(pages) * 1000, None))

    kernel = next((i.get("architecture") for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"), "?")
    print(f"{len(pages)} pages, {words / len(pages):.0f} words a page, {len(texts)} passages "
          f"({words / len(texts):.0f} words each); OpenBLAS kernel {kernel}; best of {args.runs}, CPU time, one process.\n")
    print("| step | CPU ms per page | passages per CPU second |")
    print("|---|---:|---:|")
    for name, ms, rate in rows:
        print(f"| {name} | {ms:.1f} | {'' if rate is None else f'{rate:.0f}'} |")


if __name__ == "__main__":
    main()
