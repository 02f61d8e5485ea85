"""OCR of scanned pages with Tesseract (:mod:`ingestion.ocr`); needs the tesseract binary, no services."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ingestion import ocr
from ingestion.extractors.pdf import PdfExtractor
from ingestion.ocr import OcrResult, available_languages, ocr_page, text_from_data
from nlp.text import fold
from tests.pdfs import MIXED_SCANNED_TEXT, mixed_pdf, scanned_pdf, text_pdf

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")

SPANISH = "Acta de incautación de clorhidrato de cocaína"
ENGLISH = "The prosecutor filed the seizure report with the court on Monday"


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _missing_words(expected: str, text: str) -> list[str]:
    """Expected words with no match in ``text``: after accent folding, one wrong letter is allowed in words
    of five letters or more, short words must match exactly."""
    found = [word.strip(".,;:") for word in fold(text).split()]
    missing = []
    for word in fold(expected).split():
        tolerance = 1 if len(word) >= 5 else 0
        if not any(_distance(word, candidate) <= tolerance for candidate in found):
            missing.append(word)
    return missing


def test_spanish_scan_is_read(tmp_path: Path) -> None:
    result = ocr_page(scanned_pdf(tmp_path / "acta.pdf", SPANISH), 0)
    assert isinstance(result, OcrResult)
    assert _missing_words(SPANISH, result.text) == []
    assert result.confidence is not None and 0 < result.confidence <= 100
    assert result.seconds > 0


def test_english_scan_with_eng(tmp_path: Path) -> None:
    result = ocr_page(scanned_pdf(tmp_path / "report.pdf", ENGLISH), 0, lang="eng")
    assert _missing_words(ENGLISH, result.text) == []
    assert 0 < result.confidence <= 100


def test_blank_image_page_gives_no_text(tmp_path: Path) -> None:
    result = ocr_page(scanned_pdf(tmp_path / "white.pdf", ""), 0)
    assert result.text == ""
    assert result.confidence is None


def test_pages_the_extractor_flags_are_read(tmp_path: Path) -> None:
    path = mixed_pdf(tmp_path / "mixed.pdf")
    extracted = PdfExtractor().extract(path, 10)
    assert extracted.needs_ocr == [1]
    result = ocr_page(path, extracted.needs_ocr[0])
    assert _missing_words(MIXED_SCANNED_TEXT, result.text) == []


def test_text_page_rendered_and_read(tmp_path: Path) -> None:
    # A page with a text layer, rendered by pdfium: lines and paragraphs come back in order.
    path = text_pdf(tmp_path / "text.pdf", ["Primera línea del escrito.\nSegunda línea del escrito."])
    result = ocr_page(path, 0, dpi=200)
    assert _missing_words("Primera línea del escrito Segunda línea del escrito", result.text) == []
    assert result.text.index("Primera") < result.text.index("Segunda")


def test_text_rebuilt_with_lines_and_paragraphs() -> None:
    # The shape of pytesseract's image_to_data(output_type=Output.DICT): one row per page, block, paragraph,
    # line (conf -1, empty text) and word.
    rows = [
        # level, block, par, line, conf, text
        (1, 0, 0, 0, -1, ""),
        (2, 1, 0, 0, -1, ""),
        (3, 1, 1, 0, -1, ""),
        (4, 1, 1, 1, -1, ""),
        (5, 1, 1, 1, 90, "Acta"),
        (5, 1, 1, 1, 80, "de"),
        (4, 1, 1, 2, -1, ""),
        (5, 1, 1, 2, 70, "incautación"),
        (5, 1, 1, 2, 95, " "),  # tesseract sometimes reports a blank "word": not text, not counted
        (3, 1, 2, 0, -1, ""),
        (4, 1, 2, 1, -1, ""),
        (5, 1, 2, 1, 60, "Lima"),
        (2, 2, 0, 0, -1, ""),
        (3, 2, 1, 0, -1, ""),
        (4, 2, 1, 1, -1, ""),
        (5, 2, 1, 1, -1, "¿?"),  # a word without confidence: kept as text, not averaged
    ]
    data = {key: [row[i] for row in rows]
            for i, key in enumerate(("level", "block_num", "par_num", "line_num", "conf", "text"))}
    text, confidence = text_from_data(data)
    assert text == "Acta de\nincautación\n\nLima\n\n¿?"
    assert confidence == pytest.approx((90 + 80 + 70 + 60) / 4)
    assert text_from_data({}) == ("", None)


def test_available_languages() -> None:
    languages = available_languages()
    assert isinstance(languages, set)
    assert {"spa", "eng"} <= languages


def test_unknown_language_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="klingon"):
        ocr_page(scanned_pdf(tmp_path / "acta.pdf", SPANISH), 0, lang="spa+klingon")


def test_missing_tesseract_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pytesseract.pytesseract.tesseract_cmd", "tesseract-not-installed-here")
    ocr._languages.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="Tesseract is not installed"):
            available_languages()
        with pytest.raises(RuntimeError, match="Tesseract is not installed"):
            ocr_page(scanned_pdf(tmp_path / "acta.pdf", SPANISH), 0)
    finally:
        ocr._languages.cache_clear()


def test_timeout_stops_tesseract(tmp_path: Path) -> None:
    path = scanned_pdf(tmp_path / "acta.pdf", SPANISH)
    available_languages()  # cached, so the tiny limit applies to the OCR itself
    with pytest.raises(TimeoutError, match="longer than"):
        ocr_page(path, 0, timeout=0.001)


def test_page_out_of_range(tmp_path: Path) -> None:
    with pytest.raises(IndexError):
        ocr_page(scanned_pdf(tmp_path / "acta.pdf", SPANISH), 3)


@pytest.fixture(autouse=True, scope="module")
def one_thread_per_tesseract():
    """In this process as in a worker: without the limit a page takes seconds longer (ingestion.ocr)."""
    ocr.limit_threads()


def test_openmp_threads_limited_for_tesseract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OMP_THREAD_LIMIT")
    ocr.limit_threads()
    assert os.environ["OMP_THREAD_LIMIT"] == "1"
    monkeypatch.setenv("OMP_THREAD_LIMIT", "3")  # an operator's explicit choice stays
    ocr.limit_threads()
    assert os.environ["OMP_THREAD_LIMIT"] == "3"
