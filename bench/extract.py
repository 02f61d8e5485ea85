"""Benchmark of PDF text extraction and OCR, one process: ``python bench/extract.py --pages 1000``.

Generates a corpus of Spanish legal text PDFs with reportlab (fictitious text from
``samples/texts.py``, 400-530 words per page) in a temporary directory, then measures,
each as the median of ``--runs`` runs in this one process:

* pypdf ``extract_text()`` (pages/s);
* pypdfium2 ``get_text_range()`` (pages/s);
* ``PdfExtractor.extract`` as ingestion runs it (pypdf for encryption/metadata/page count, pdfium text);
* OCR with :func:`ingestion.ocr.ocr_page` of ``--ocr-pages`` scanned pages (s/page), ``OMP_THREAD_LIMIT=1``.

With ``--ocr-variants`` it also compares dpi, grayscale, page segmentation mode and image format; with
``--omp`` it compares ``OMP_THREAD_LIMIT=1`` against OpenMP's default with 1 and N tesseract processes at once.
Text quality is the share of the source words found on each page (bag of words, lowercase).
Prints markdown tables.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pypdfium2 as pdfium  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from reportlab.lib.units import cm  # noqa: E402

from samples import pdf  # noqa: E402
from samples.texts import DOCUMENTS  # noqa: E402
from ingestion import ocr  # noqa: E402
from ingestion.extractors.pdf import PdfExtractor  # noqa: E402
from markdown_tables import table  # noqa: E402  (bench/, this script's folder)

ocr.limit_threads()  # OMP_THREAD_LIMIT=1 unless set, as in a worker (bench/ingest's stages inherit it)

MARGIN = 2.2 * cm
WORDS_MIN, WORDS_MAX = 400, 530
# name -> (reportlab font, size, leading). "vera" embeds a TrueType subset with a ToUnicode map, as Word and
# LibreOffice exports do; "helvetica" is a standard font that is not embedded.
FONTS = {"vera": ("Vera", 9, 11.5), "helvetica": ("Helvetica", 10, 13)}


def layout(name: str) -> pdf.Layout:
    font, size, leading = FONTS[name]
    if font == "Vera":
        pdf.register_vera()
    return pdf.Layout(margin=MARGIN, top=MARGIN, bottom=MARGIN + leading, body=pdf.Style(font, size, leading),
                      gap=leading * 0.5, header=pdf.Style("Helvetica-Oblique", 8, 8), header_y=MARGIN - 0.6 * cm,
                      footer=pdf.Style(font, 8, 8), footer_y=MARGIN / 2)


# -- corpus ---------------------------------------------------------------------------------------
def _paragraphs() -> list[str]:
    out = []
    for doc in DOCUMENTS:
        if doc.get("language", "es") != "es":
            continue
        for page in doc["pages"]:
            for block in page:
                block = block.replace("\u00ad", "")
                if block.startswith(("## ", "• ")):
                    block = block[2:].strip()
                out.append(block)
    return out


def _headers() -> list[str]:
    return [doc["header"] for doc in DOCUMENTS if doc.get("language", "es") == "es"]


def _split_pages(total: int, docs: int, rng: random.Random) -> list[int]:
    """Pages per document: uneven (1 to ~4x the mean), summing to ``total``."""
    weights = [rng.uniform(0.25, 1.75) for _ in range(docs)]
    scale = total / sum(weights)
    counts = [max(1, round(w * scale)) for w in weights]
    while sum(counts) > total:
        counts[counts.index(max(counts))] -= 1
    while sum(counts) < total:
        counts[counts.index(min(counts))] += 1
    return counts


def generate_corpus(out: Path, pages: int, docs: int, seed: int, font: str = "vera",
                    counts: list[int] | None = None) -> tuple[list[Path], dict[tuple[str, int], str]]:
    """Write ``docs`` PDFs of ``pages`` pages in all; return their paths and the text drawn on each page.

    ``counts`` gives each PDF's pages exactly (``docs`` of them, summing to ``pages``); by default they are
    drawn uneven.
    """
    page_layout = layout(font)
    rng = random.Random(seed)
    paragraphs, headers = _paragraphs(), _headers()
    stream: list[str] = []
    truth: dict[tuple[str, int], str] = {}
    paths = []
    if counts is None:
        counts = _split_pages(pages, docs, rng)
    elif len(counts) != docs or sum(counts) != pages:
        raise ValueError(f"counts give {len(counts)} PDFs of {sum(counts)} pages, not {docs} of {pages}")
    for number, count in enumerate(counts, start=1):
        path = out / f"expediente_{number:03d}.pdf"
        header = rng.choice(headers)
        doc_pages = []
        for index in range(count):
            target = rng.randint(WORDS_MIN, WORDS_MAX)
            words_on_page: list[str] = []
            blocks = []
            while len(words_on_page) < target:
                if not stream:
                    stream = rng.sample(paragraphs, len(paragraphs))
                    stream = [w for p in stream for w in (p.split() + ["\n"])]
                take = []
                while stream and len(words_on_page) + len(take) < target:
                    word = stream.pop(0)
                    if word == "\n":
                        break
                    take.append(word)
                if take:
                    blocks.append(" ".join(take))
                    words_on_page += take
            truth[(path.name, index)] = " ".join(words_on_page)
            doc_pages.append(blocks)
        path.write_bytes(pdf.render(doc_pages, page_layout, header=header, label=pdf.page_label("es"),
                                    title=f"Expediente de prueba {number:03d}",
                                    author="docsearch bench (texto ficticio)"))
        paths.append(path)
    return paths, truth


def generate_scans(out: Path, sources: list[tuple[Path, int]], dpi: int) -> list[Path]:
    """One-page PDFs holding only a grayscale JPEG of each source page at ``dpi``: what a scanner makes."""
    scans = []
    for number, (source, index) in enumerate(sources, start=1):
        document = pdfium.PdfDocument(source)
        try:
            image = document[index].render(scale=dpi / 72, grayscale=True).to_pil().copy()
        finally:
            document.close()
        jpeg = io.BytesIO()
        image.save(jpeg, "JPEG", quality=80)
        jpeg.seek(0)
        path = out / f"scan_{number:02d}.pdf"
        path.write_bytes(pdf.image_pdf([jpeg]))
        scans.append(path)
    return scans


# -- quality --------------------------------------------------------------------------------------
def _words(text: str) -> Counter:
    text = unicodedata.normalize("NFC", text.replace("\ufffe", "").replace("\u00ad", "")).lower()
    return Counter(re.findall(r"\w+", text))


def recall(text: str, source: str) -> float:
    expected = _words(source)
    return sum((_words(text) & expected).values()) / max(1, sum(expected.values()))


# -- text extraction ------------------------------------------------------------------------------
def pypdf_texts(path: Path) -> list[str]:
    reader = PdfReader(path)
    return [page.extract_text() or "" for page in reader.pages]


def pdfium_texts(path: Path) -> list[str]:
    document = pdfium.PdfDocument(path)
    try:
        out = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return out
    finally:
        document.close()


def extractor_texts(path: Path) -> list[str]:
    return PdfExtractor().extract(path, 10_000).pages


def measure_text(name: str, func, paths: list[Path], truth: dict, runs: int) -> dict:
    rates, quality = [], None
    for run in range(runs):
        pages = 0
        started = time.perf_counter()
        results = [(path, func(path)) for path in paths]
        elapsed = time.perf_counter() - started
        pages = sum(len(texts) for _, texts in results)
        rates.append(pages / elapsed)
        if run == 0:
            quality = statistics.mean(recall(text, truth[(path.name, i)])
                                      for path, texts in results for i, text in enumerate(texts))
        print(f"  {name} run {run + 1}: {pages} pages in {elapsed:.2f} s = {pages / elapsed:.0f} pages/s",
              file=sys.stderr, flush=True)
    return {"name": name, "rate": statistics.median(rates), "runs": rates, "recall": quality}


# -- OCR ------------------------------------------------------------------------------------------
def _ocr_variant(path: Path, lang: str, dpi: int, grayscale: bool, psm: int, via_pgm: bool) -> str:
    """OCR the first page of ``path`` with explicit choices (the defaults are what ocr_page does)."""
    image = ocr.render_page(path, 0, dpi, grayscale=grayscale)
    if not via_pgm:  # what ocr_page does: pytesseract writes the image as PNG for tesseract
        return ocr.text_from_data(ocr._image_to_data(image, lang, psm, ocr.DEFAULT_TIMEOUT_S))[0]
    with tempfile.TemporaryDirectory(prefix="docsearch-bench-ocr-") as tmp:
        source = Path(tmp) / ("page.pgm" if image.mode == "L" else "page.ppm")
        image.save(source, format="PPM")  # uncompressed: no PNG encoding
        return ocr.text_from_data(ocr._image_to_data(str(source), lang, psm, ocr.DEFAULT_TIMEOUT_S))[0]


def measure_ocr(name: str, scans: list[Path], truth_of: dict[Path, str], runs: int, one_page) -> dict:
    per_page, quality, confidences = [], None, []
    for run in range(runs):
        started = time.perf_counter()
        texts = []
        for path in scans:
            result = one_page(path)
            if isinstance(result, ocr.OcrResult):
                confidences.append(result.confidence or 0.0)
                result = result.text
            texts.append(result)
        seconds = (time.perf_counter() - started) / len(scans)
        per_page.append(seconds)
        if run == 0:
            quality = statistics.mean(recall(text, truth_of[path]) for path, text in zip(scans, texts))
        print(f"  {name} run {run + 1}: {seconds:.2f} s/page", file=sys.stderr, flush=True)
    return {"name": name, "seconds": statistics.median(per_page), "runs": per_page, "recall": quality,
            "confidence": statistics.mean(confidences) if confidences else None}


def measure_omp(scans: list[Path], lang: str, dpi: int, workers: int, limit: str | None, runs: int) -> dict:
    """``workers`` tesseract processes at once (threads only wait for them), with OMP_THREAD_LIMIT=limit."""
    saved = os.environ.get("OMP_THREAD_LIMIT")
    if limit is None:
        os.environ.pop("OMP_THREAD_LIMIT", None)
    else:
        os.environ["OMP_THREAD_LIMIT"] = limit
    try:
        per_page, throughput = [], []
        for _ in range(runs):
            jobs = scans * workers  # every worker OCRs every page: the same work per worker
            started = time.perf_counter()
            with ThreadPoolExecutor(workers) as pool:
                latencies = list(pool.map(lambda p: ocr.ocr_page(p, 0, lang=lang, dpi=dpi).seconds, jobs))
            elapsed = time.perf_counter() - started
            per_page.append(statistics.mean(latencies))
            throughput.append(len(jobs) / elapsed)
        name = f"OMP_THREAD_LIMIT={limit or 'unset'}, {workers} at once"
        print(f"  {name}: {statistics.median(per_page):.2f} s/page", file=sys.stderr, flush=True)
        return {"name": name, "seconds": statistics.median(per_page), "throughput": statistics.median(throughput)}
    finally:
        if saved is None:
            os.environ.pop("OMP_THREAD_LIMIT", None)
        else:
            os.environ["OMP_THREAD_LIMIT"] = saved


# -- main -----------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="text pages in the corpus (default 1000)")
    parser.add_argument("--docs", type=int, default=50, help="PDFs in the corpus (default 50)")
    parser.add_argument("--ocr-pages", type=int, default=5, help="scanned pages to OCR (default 5)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement; the median is shown")
    parser.add_argument("--lang", default="spa", help="Tesseract language (default spa)")
    parser.add_argument("--dpi", type=int, default=300, help="OCR rendering resolution (default 300)")
    parser.add_argument("--scan-dpi", type=int, default=300, help="resolution of the generated scans (default 300)")
    parser.add_argument("--ocr-variants", action="store_true", help="compare dpi, grayscale, psm, image format")
    parser.add_argument("--omp", action="store_true", help="compare OMP_THREAD_LIMIT=1 with OpenMP's default")
    parser.add_argument("--font", choices=sorted(FONTS), default="vera",
                        help="vera: embedded TrueType subset (default); helvetica: standard font, not embedded")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it (default: a temp dir)")
    args = parser.parse_args(argv)
    if args.docs < 1 or args.pages < args.docs:
        parser.error("--pages must be at least --docs, and --docs at least 1")

    with tempfile.TemporaryDirectory(prefix="docsearch-bench-") as tmp:
        root = args.keep or Path(tmp)
        (root / "text").mkdir(parents=True, exist_ok=True)
        (root / "scans").mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        paths, truth = generate_corpus(root / "text", args.pages, args.docs, args.seed, args.font)
        words = [len(text.split()) for text in truth.values()]
        print(f"corpus: {len(paths)} PDFs, {len(truth)} pages, {statistics.mean(words):.0f} words/page "
              f"({min(words)}-{max(words)}), {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB, "
              f"made in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        rng = random.Random(args.seed)
        sources = rng.sample(sorted(truth), args.ocr_pages)
        scans = generate_scans(root / "scans", [(root / "text" / name, index) for name, index in sources],
                               args.scan_dpi)
        truth_of = {scan: truth[source] for scan, source in zip(scans, sources)}

        text_rows = [
            measure_text("pypdf `extract_text()`", pypdf_texts, paths, truth, args.runs),
            measure_text("pypdfium2 `get_text_range()`", pdfium_texts, paths, truth, args.runs),
            measure_text("`PdfExtractor.extract` (pypdf facts + pdfium text)", extractor_texts, paths, truth,
                         args.runs),
        ]
        omp = os.environ.get("OMP_THREAD_LIMIT")
        ocr_rows = [measure_ocr(f"`ocr_page` {args.lang}, {args.dpi} dpi, gray, psm 3", scans, truth_of, args.runs,
                                lambda p: ocr.ocr_page(p, 0, lang=args.lang, dpi=args.dpi))]
        if args.ocr_variants:
            for dpi, gray, psm, pgm in ((200, True, 3, False), (400, True, 3, False), (args.dpi, False, 3, False),
                                        (args.dpi, True, 6, False), (args.dpi, True, 3, True)):
                label = f"{dpi} dpi, {'gray' if gray else 'RGB'}, psm {psm}"
                label += ", uncompressed PGM file" if pgm else ""

                def variant(path: Path, d=dpi, g=gray, s=psm, v=pgm) -> str:
                    return _ocr_variant(path, args.lang, d, g, s, v)

                ocr_rows.append(measure_ocr(label, scans, truth_of, args.runs, variant))
        omp_rows = []
        if args.omp:
            workers = os.cpu_count() or 2
            for limit in ("1", None):
                for n in sorted({1, workers}):
                    omp_rows.append(measure_omp(scans, args.lang, args.dpi, n, limit, max(1, args.runs // 3)))

    print(f"\nCorpus: {len(paths)} PDFs, {len(truth)} pages, {statistics.mean(words):.0f} words/page "
          f"({min(words)}-{max(words)}), font {args.font}; {os.cpu_count()} CPUs; one process; "
          f"median of {args.runs} runs.\n")
    print("\n".join(table(("Text extraction", "pages/s", "runs (pages/s)", "source words found"), "lrlr", [
        (row["name"], f"{row['rate']:.0f}", ", ".join(f"{r:.0f}" for r in row["runs"]), f"{row['recall']:.1%}")
        for row in text_rows])))
    print(f"\nOCR of {len(scans)} scanned pages ({args.scan_dpi} dpi grayscale JPEG scans of corpus pages), "
          f"OMP_THREAD_LIMIT={omp}:\n")
    print("\n".join(table(("OCR", "s/page", "pages/s", "runs (s/page)", "source words found", "mean confidence"),
                          "lrrlrr", [
        (row["name"], f"{row['seconds']:.2f}", f"{1 / row['seconds']:.2f}", ", ".join(f"{r:.2f}" for r in row["runs"]),
         f"{row['recall']:.1%}", f"{row['confidence']:.1f}" if row["confidence"] is not None else "–")
        for row in ocr_rows])))
    if omp_rows:
        print()
        print("\n".join(table(("Tesseract threads", "s/page (each process)", "pages/s (all)"), "lrr", [
            (row["name"], f"{row['seconds']:.2f}", f"{row['throughput']:.2f}") for row in omp_rows])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
