"""Each failure reason's message, for the file that produces it: what happened, and what to do next.

Table-driven: (file -> reason -> words the message must hold), run through the real pipeline (API upload,
worker, OCR). A scan is judged three ways: OCR ran and read nothing, OCR is disabled, OCR cannot run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from ingestion.errors import WORDS, no_text_ocr_unavailable
from ingestion.ocr import MissingLanguage, ocr_page
from ingestion.states import Reason
from samples import pdf
from services.stack import Private
from tests import pdfs
from tests.conftest import LIMITS, private_stack

SCANNED_TEXT = "Acta de incautación de bienes en el distrito de La Victoria."
Make = Callable[[Path], Path]


def _blank_scan(path: Path) -> Path:
    """One page that is only an image, and the image is a white page: a scan of a blank sheet."""
    path.write_bytes(pdf.image_pdf([pdf.text_image("", 150)], creator=pdfs.CREATOR))
    return path


def _zip(members) -> Make:
    return lambda path: pdfs.zip_of(path, members)


TEXT_PDF = pdfs._text_pdf_bytes(["Resolución fiscal de archivo de la investigación preliminar."])

# (file name, how to make it, reason, words the message must hold). The name of an archive's entry is
# "<archive>/<entry>"; the row's name is matched as a prefix.
CASES = [
    ("encrypted.pdf", pdfs.encrypted_pdf, Reason.ENCRYPTED, ["password-protected", "remove the password",
                                                              "load it again"]),
    ("truncated.pdf", pdfs.truncated_pdf, Reason.CORRUPT, ["damaged", "fresh copy"]),
    ("random.pdf", pdfs.corrupt_pdf, Reason.CORRUPT, ["damaged", "fresh copy"]),
    ("no_pages.pdf", pdfs.no_pages_pdf, Reason.CORRUPT, ["no pages", "fresh copy"]),
    ("empty.pdf", pdfs.empty_file, Reason.EMPTY_FILE, ["zero bytes", "load it again"]),
    ("image.pdf", pdfs.not_a_pdf, Reason.NOT_PDF, ["not a PDF", "export the document as PDF"]),
    ("pages.pdf", lambda p: pdfs.many_pages_pdf(p, LIMITS["max_pages"] + 1), Reason.TOO_MANY_PAGES,
     [f"{LIMITS['max_pages'] + 1} pages", f"limit is {LIMITS['max_pages']}", "DOCSEARCH_MAX_PAGES", "Split"]),
    ("blank.pdf", pdfs.blank_pdf, Reason.NO_TEXT, ["No page has text", "not blank"]),
    ("blank_scan.pdf", _blank_scan, Reason.NO_TEXT, ["OCR ran on 1 page and found no text", "blank or unreadable",
                                                     "300 dpi", "not blank"]),
    ("empty.zip", _zip({"carpeta/": b""}), Reason.EMPTY_ARCHIVE, ["no files", "right archive"]),
    pytest.param("large.pdf", lambda p: pdfs.big_file(p, (LIMITS["max_file_mb"] + 1) * 1024 * 1024),
                 Reason.TOO_LARGE, [f"{LIMITS['max_file_mb']} MiB", "DOCSEARCH_MAX_FILE_MB", "Split"]),
    pytest.param("unsafe.zip/", _zip([("../fuera.pdf", TEXT_PDF)]), Reason.UNSAFE_PATH,
                 ["not read", "load it on its own"]),
]


@pytest.fixture(scope="module")
def loaded(live: Private, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Every case's file, loaded in one batch: file name -> its record in the batch summary."""
    folder = tmp_path_factory.mktemp("messages")
    files = []
    for case in CASES:
        name, make = (case.values if hasattr(case, "values") else case)[:2]
        files.append(make(folder / name.rstrip("/")))
    batch = live.wait_batch(live.upload(files), timeout=240)
    return {f["name"]: f for f in batch["files"]}


def _only(files: dict[str, dict], name: str) -> dict:
    found = [f for key, f in files.items() if key == name or (name.endswith("/") and key.startswith(name))]
    assert len(found) == 1, (name, sorted(files))
    return found[0]


@pytest.mark.parametrize("name, make, reason, words", CASES)
def test_the_message_says_what_happened_and_what_to_do(loaded, name: str, make: Make, reason: Reason,
                                                       words: list[str]):
    record = _only(loaded, name)
    assert (record["status"], record["reason"]) == ("failed", reason), record
    for word in words:
        assert word.lower() in record["message"].lower(), (word, record["message"])


@pytest.fixture(scope="module")
def no_ocr(services, tmp_path_factory):
    """A stack with OCR switched off."""
    with private_stack(services, tmp_path_factory.mktemp("no-ocr"), ocr_enabled=False) as running:
        yield running


@pytest.fixture(scope="module")
def no_language(services, tmp_path_factory):
    """A stack whose OCR language has no Tesseract data on this machine."""
    with private_stack(services, tmp_path_factory.mktemp("no-language"), ocr_default_language="klingon") as running:
        yield running


def test_a_scan_with_ocr_disabled_says_so_and_how_to_enable_it(no_ocr: Private, tmp_path: Path):
    scan = pdfs.scanned_pages_pdf(tmp_path / "escaneo.pdf", [SCANNED_TEXT, SCANNED_TEXT])
    (record,) = no_ocr.wait_batch(no_ocr.upload([scan]))["files"]
    assert (record["status"], record["reason"]) == ("failed", "no_text")
    for word in ["2 pages are scanned images", "OCR is disabled", "DOCSEARCH_OCR_ENABLED=false", "Enable OCR",
                 "retry the batch"]:
        assert word.lower() in record["message"].lower(), (word, record["message"])
    assert "OCR ran" not in record["message"]


def test_a_scan_that_ocr_cannot_read_for_want_of_language_data_says_so(no_language: Private, tmp_path: Path):
    scan = pdfs.scanned_pdf(tmp_path / "escaneo.pdf", SCANNED_TEXT)
    (record,) = no_language.wait_batch(no_language.upload([scan]))["files"]
    assert (record["status"], record["reason"]) == ("failed", "no_text"), record
    for word in ["OCR is not available", "klingon", "install Tesseract with its language data", "retry the batch"]:
        assert word.lower() in record["message"].lower(), (word, record["message"])
    assert "found no text" not in record["message"]


def test_the_missing_language_message_is_built_from_ocrs_own_error(tmp_path: Path):
    scan = pdfs.scanned_pdf(tmp_path / "escaneo.pdf", SCANNED_TEXT)
    with pytest.raises(MissingLanguage) as caught:
        ocr_page(scan, 0, lang="klingon")
    said = no_text_ocr_unavailable(str(caught.value))
    assert "klingon" in said and "installed:" in said and said.endswith("then retry the batch.")


def test_every_reason_is_in_the_table_with_a_next_step():
    assert set(WORDS) == set(Reason)
    assert all(words.next and words.next[0].isupper() for words in WORDS.values())
