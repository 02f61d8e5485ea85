"""The ingest benchmark's corpora, made with ``bench/extract.py``'s generator: text PDFs and scanned
(image-only) PDFs for the end-to-end runs, and a folder tree of small PDFs for the bulk loads."""

from __future__ import annotations

import hashlib
import random
import shutil
import statistics
import time
from collections import Counter
from pathlib import Path

import extract as bench_extract  # the corpus generator
from run_watch import log


def make_corpus(root: Path, args) -> dict:
    from pypdf import PdfReader, PdfWriter

    text_dir, scan_dir, single = root / "text", root / "scans", root / "scan-pages"
    for folder in (text_dir, scan_dir, single):
        folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    paths, truth = bench_extract.generate_corpus(text_dir, args.pages, args.docs, args.seed)
    words = [len(text.split()) for text in truth.values()]
    rng = random.Random(args.seed + 1)
    sources = rng.sample(sorted(truth), args.scan_docs * args.scan_pages)
    singles = bench_extract.generate_scans(single, [(text_dir / name, index) for name, index in sources],
                                           args.scan_dpi)
    scans, scan_truth = [], {}
    for number in range(args.scan_docs):
        writer = PdfWriter()
        path = scan_dir / f"escaneo_{number + 1:02d}.pdf"
        for offset in range(args.scan_pages):
            k = number * args.scan_pages + offset
            writer.add_page(PdfReader(singles[k]).pages[0])
            scan_truth[(path.name, offset)] = truth[sources[k]]
        with open(path, "wb") as fh:
            writer.write(fh)
        scans.append(path)
    shutil.rmtree(single)
    corpus = {
        "text_dir": text_dir, "text_paths": paths, "truth": truth, "scan_dir": scan_dir, "scan_paths": scans,
        "scan_truth": scan_truth,
        "description": {
            "text_pdfs": len(paths), "text_pages": len(truth), "words_per_page_mean": round(statistics.mean(words)),
            "words_per_page_min": min(words), "words_per_page_max": max(words),
            "pages_per_pdf_min": min(Counter(n for n, _ in truth).values()),
            "pages_per_pdf_max": max(Counter(n for n, _ in truth).values()),
            "text_mb": round(sum(p.stat().st_size for p in paths) / 1e6, 1),
            "scan_pdfs": len(scans), "scan_pages": len(scan_truth), "scan_dpi": args.scan_dpi,
            "scan_mb": round(sum(p.stat().st_size for p in scans) / 1e6, 1),
        },
    }
    log(f"corpus: {corpus['description']} (made in {time.perf_counter() - started:.0f} s)")
    return corpus


def make_bulk_tree(root: Path, files: int, seed: int) -> dict:
    """``files`` PDFs of 1-3 pages in ``archivo/<year>/<sala>/``, 100 files a folder, all different bytes."""
    per_folder = 100
    folders = max(1, -(-files // per_folder))
    tree = root / "archivo"
    started = time.perf_counter()
    pages, paths = 0, []
    years = ["2019", "2020", "2021", "2022", "2023"]
    rng = random.Random(seed + 99)
    for k in range(folders):
        n = min(per_folder, files - k * per_folder)
        folder = tree / years[k % len(years)] / f"sala-{k // len(years) + 1:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        wanted = [rng.randint(1, 3) for _ in range(n)]  # 1-3 pages a file, exactly
        for attempt in range(10):
            try:
                made, truth = bench_extract.generate_corpus(folder, sum(wanted), n, seed + 100 + k + 1000 * attempt,
                                                            counts=wanted)
                break
            except ValueError:  # "page overflow": this seed's paragraphs did not fit a page; try another
                for leftover in folder.glob("*.pdf"):
                    leftover.unlink()
        else:
            raise RuntimeError("the corpus generator overflowed a page with 10 seeds")
        counts = Counter(name for name, _ in truth).values()
        if min(counts) < 1 or max(counts) > 3:
            raise AssertionError(f"pages per file out of 1-3: {min(counts)}-{max(counts)}")
        pages += len(truth)
        paths += made
    shas = {hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    if len(shas) != len(paths):
        raise AssertionError("two generated bulk files have the same bytes")
    info = {"files": len(paths), "pages": pages, "folders": folders,
            "mb": round(sum(p.stat().st_size for p in paths) / 1e6, 1)}
    log(f"bulk tree: {info} (made in {time.perf_counter() - started:.0f} s)")
    return {"tree": tree, "paths": paths, "shas": shas, "info": info}
