"""OCR of one PDF page: render it with pdfium, read it with Tesseract (through pytesseract).

One Tesseract call per page (``image_to_data``): it gives the words with their confidences and their
block / paragraph / line numbers, from which the text is rebuilt with its line and paragraph breaks.

Choices, measured with ``bench/extract.py --ocr-variants --omp`` (5 A4 pages of ~460 words scanned at
300 dpi, 2 CPUs, medians of 3 runs, two full runs): 1.75-1.83 s per page as chosen, 99.9 % of the
words found.

* grayscale rendering: the same words as RGB, ~25 % less time (RGB: 2.3 s/page);
* 300 dpi: 200 dpi was ~18 % faster (1.45-1.49 s/page) and nearly as accurate on these clean scans (99.8 %),
  but real scans carry small print, stamps and noise, where resolution matters; 400 dpi: 2.2 s/page;
* ``--psm 3`` (automatic page segmentation, Tesseract's default): ``--psm 6`` (one uniform block) was
  3-9 % faster on these single-column pages, but it assumes a single block of text, which mixes up
  two-column pages and tables;
* the image goes to pytesseract as is (it writes a PNG for tesseract): writing an uncompressed PGM
  instead changed the time by less than the run-to-run noise (about +-5 %).
"""

from __future__ import annotations

import functools
import math
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytesseract
from pytesseract import Output

DEFAULT_TIMEOUT_S = 120
DEFAULT_PSM = 3
# A page rendered larger than this is scaled down: a huge MediaBox at 300 dpi would need gigabytes.
# A4 at 300 dpi is 8.7 megapixels, A3 17.4.
MAX_PIXELS = 40_000_000

TESSERACT_MISSING = (
    "Tesseract is not installed or not on PATH (the 'tesseract' command was not found); "
    "install tesseract-ocr with the language data (tesseract-ocr-spa, tesseract-ocr-eng) to OCR scanned pages."
)


class OcrUnavailable(RuntimeError):
    """OCR cannot run on this machine: Tesseract, or the data of a language, is not installed.

    Not the file's fault, and the same for every scanned file: the pipeline records it as ``no_text`` with
    a message saying OCR could not run (not that the scan is blank).
    """


class MissingLanguage(OcrUnavailable, ValueError):
    """Tesseract has no data for a language asked for."""


def limit_threads() -> None:
    """One OpenMP thread per tesseract; called where a worker process starts (``ingestion.tasks``).

    Without a limit tesseract starts more threads than this machine's 2 CPUs and they spin against each
    other: 10.7-11.8 s per page instead of 1.75, even with a single process. The workers get their
    parallelism from processes (one tesseract each: 2 at once ran at 2.0-2.5 s per page, 0.8-1.0 page/s
    in all), so one thread per tesseract. pytesseract hands os.environ to the tesseract subprocess, so
    setting it in the process is enough; setdefault leaves an operator's explicit choice alone.
    """
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


@dataclass
class OcrResult:
    """Text of one page; ``confidence`` is the mean word confidence (0-100), None when no word was read."""

    text: str
    confidence: float | None
    seconds: float


def ocr_page(path: Path, page_index: int, lang: str = "spa", dpi: int = 300, *,
             psm: int = DEFAULT_PSM, timeout: float = DEFAULT_TIMEOUT_S) -> OcrResult:
    """OCR page ``page_index`` (0-based) of the PDF at ``path``.

    ``lang`` is a Tesseract language ("spa", "eng", or "spa+eng"). Raises ``ValueError`` for a language
    whose data is not installed (:class:`MissingLanguage`), :class:`OcrUnavailable` (a ``RuntimeError``) when
    Tesseract is missing, ``TimeoutError`` when the page
    takes longer than ``timeout`` seconds, ``IndexError`` for a page that does not exist.
    """
    started = time.perf_counter()
    missing = [code for code in lang.split("+") if code not in available_languages()]
    if missing:
        raise MissingLanguage(f"Tesseract has no data for language(s) {', '.join(missing)}; "
                         f"installed: {', '.join(sorted(available_languages()))}")
    image = render_page(path, page_index, dpi)
    try:
        data = _image_to_data(image, lang, psm, timeout)
    except TimeoutError as exc:
        raise TimeoutError(f"OCR of page {page_index + 1} of {Path(path).name} took longer than {timeout} s") from exc
    finally:
        image.close()
    text, confidence = text_from_data(data)
    return OcrResult(text=text, confidence=confidence, seconds=time.perf_counter() - started)


def render_page(path: Path, page_index: int, dpi: int = 300, grayscale: bool = True):
    """The page as a PIL image (mode "L" when ``grayscale``) at ``dpi``, at most ``MAX_PIXELS`` pixels."""
    document = pdfium.PdfDocument(Path(path), password="")
    try:
        if not 0 <= page_index < len(document):
            raise IndexError(f"page index {page_index} out of range: the PDF has {len(document)} pages")
        page = document[page_index]
        width, height = page.get_size()
        scale = dpi / 72
        if width * height * scale * scale > MAX_PIXELS:
            scale = math.sqrt(MAX_PIXELS / (width * height))
        bitmap = page.render(scale=scale, grayscale=grayscale)
        # to_pil() may share the bitmap's buffer: copy before pdfium frees it.
        return bitmap.to_pil().copy()
    finally:
        document.close()  # closes the page and the bitmap with it


def _image_to_data(image, lang: str, psm: int, timeout: float) -> dict:
    try:
        return pytesseract.image_to_data(image, lang=lang, config=f"--psm {psm}", output_type=Output.DICT,
                                         timeout=timeout)
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrUnavailable(TESSERACT_MISSING) from exc
    except RuntimeError as exc:
        if "timeout" in str(exc).lower():  # pytesseract kills the process and raises RuntimeError
            raise TimeoutError(str(exc)) from exc
        raise


def text_from_data(data: dict) -> tuple[str, float | None]:
    """Text rebuilt from ``image_to_data`` output (lines, blank line between paragraphs) and the mean confidence."""
    paragraphs: list[list[str]] = []
    lines: dict[tuple[int, int, int], list[str]] = {}
    paragraph_of_line: dict[tuple[int, int, int], tuple[int, int]] = {}
    confidences: list[float] = []
    for i, word in enumerate(data.get("text", [])):
        word = (word or "").strip()
        if data["level"][i] != 5 or not word:
            continue
        conf = float(data["conf"][i])
        if conf >= 0:
            confidences.append(conf)
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(word)
        paragraph_of_line[key] = key[:2]
    # dicts keep Tesseract's reading order
    current = None
    for key, words in lines.items():
        if paragraph_of_line[key] != current:
            current = paragraph_of_line[key]
            paragraphs.append([])
        paragraphs[-1].append(" ".join(words))
    text = "\n\n".join("\n".join(paragraph) for paragraph in paragraphs)
    confidence = sum(confidences) / len(confidences) if confidences else None
    return text, confidence


def available_languages() -> set[str]:
    """Languages Tesseract has data for (``tesseract --list-langs``), read once per process."""
    return set(_languages())


@functools.lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    command = pytesseract.pytesseract.tesseract_cmd
    if shutil.which(command) is None:
        raise OcrUnavailable(TESSERACT_MISSING)
    try:
        result = subprocess.run([command, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except OSError as exc:
        raise OcrUnavailable(TESSERACT_MISSING) from exc
    if result.returncode != 0:
        raise OcrUnavailable(f"'tesseract --list-langs' failed: {(result.stderr or result.stdout).strip()[:300]}")
    # The first line is a header ('List of available languages in "..." (3):').
    return frozenset(line.strip() for line in result.stdout.splitlines()[1:] if line.strip())


__all__ = [
    "MissingLanguage", "OcrResult", "OcrUnavailable", "available_languages", "limit_threads", "ocr_page",
    "render_page", "text_from_data",
]
