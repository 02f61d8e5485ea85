"""Throughput of the whole nlp stage (language, domain finders, spaCy NER, metadata) in words/s.

    python bench/nlp_throughput.py [--repeat 4] [--runs 3]

The input is the labelled dev set (nlp/devset: Spanish and English legal texts, typed and OCR'd),
repeated to a few thousand pages' worth of words, cut into pages of ~450 words. It measures one
process, then two processes side by side (the ingest worker runs two), median of --runs runs.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp.evaluate import load_devset  # noqa: E402
from nlp.extract import analyse  # noqa: E402

WORDS_PER_PAGE = 450


def pages(repeat: int) -> list[str]:
    words = " ".join(doc.text for doc in load_devset()).split(" ")
    words = words * repeat
    return [" ".join(words[i : i + WORDS_PER_PAGE]) for i in range(0, len(words), WORDS_PER_PAGE)]


def run(batch: list[str]) -> tuple[int, float]:
    start = time.perf_counter()
    for i in range(0, len(batch), 20):  # documents of 20 pages, as ingestion sees them
        analyse(batch[i : i + 20])
    return sum(len(p.split()) for p in batch), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    corpus = pages(args.repeat)
    analyse(corpus[:2])  # load models once, outside the timings
    one, two = [], []
    for _ in range(args.runs):
        words, seconds = run(corpus)
        one.append(words / seconds)
        half = len(corpus) // 2
        with mp.get_context("fork").Pool(2) as pool:
            start = time.perf_counter()
            results = pool.map(run, [corpus[:half], corpus[half:]])
            elapsed = time.perf_counter() - start
        two.append(sum(w for w, _ in results) / elapsed)
    total = sum(len(p.split()) for p in corpus)
    print(f"corpus: {len(corpus)} pages, {total} words (dev set x{args.repeat}); runs: {args.runs}")
    print("| processes | words/s (median) | pages/s at 450 words | runs |")
    print("| --- | ---: | ---: | --- |")
    for label, values in (("1", one), ("2", two)):
        med = statistics.median(values)
        print(f"| {label} | {med:,.0f} | {med / WORDS_PER_PAGE:.1f} | {', '.join(f'{v:,.0f}' for v in values)} |")


if __name__ == "__main__":
    main()
