"""PDF text extraction: pypdf for the file's facts, pdfium (pypdfium2) for the text of each page.

Why two parsers:

* pdfium extracts text about 20x faster than pypdf with the same words (``bench/extract.py``), so
  the text comes from pdfium;
* pypdf answers the questions about the file cheaply and precisely: is it encrypted, does the empty
  password open it, its metadata, how many pages it has (checked against the page limit before any
  text is read).

Each parser also stands in for the other when it cannot open a file: pdfium reads a file that has
lost its ``%%EOF`` marker (pypdf does not), pypdf reads one whose trailer lost ``/Root`` (pdfium
does not). Only when both fail is the file ``corrupt``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from ingestion.errors import IngestError
from ingestion.extractors.base import Extracted

log = logging.getLogger(__name__)

# A page with fewer letters than this in its text layer, and an image on it, is a candidate for OCR.
MIN_LETTERS = 25
# What happened; the next step ("remove the password and load it again") is added where the failure is recorded.
ENCRYPTED_MESSAGE = "The PDF is password-protected and the empty password does not open it."
# pdfium's text API marks a hyphen it joined across a line break ("eviden-" / "cia") with U+FFFE and
# drops the line break. Both were on the page: put them back, so the text has the same shape as
# pypdf's and nlp.text.clean_page_text decides what to join ("evidencia") and what is a real compound
# ("Lima-Callao"), for either parser alike.
_PDFIUM_HYPHEN = "\ufffe"


class PdfExtractor:
    def accepts(self, head: bytes) -> bool:
        # The header may follow a little junk (tolerated by every reader); the spec allows 1024 bytes.
        return b"%PDF-" in head[:1024]

    def extract(self, path: Path, max_pages: int) -> Extracted:
        path = Path(path)
        reader, pypdf_count, pypdf_error = _open_pypdf(path)  # raises "encrypted"
        if pypdf_count is not None:
            _check_page_limit(pypdf_count, max_pages)
        document: pdfium.PdfDocument | None = None
        pdfium_error: Exception | None = None
        try:
            document = pdfium.PdfDocument(path, password="")
        except pdfium.PdfiumError as exc:
            if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
                raise IngestError("encrypted", ENCRYPTED_MESSAGE) from exc
            pdfium_error = exc
        except Exception as exc:  # noqa: BLE001 - anything pdfium throws on these bytes: try pypdf instead
            pdfium_error = exc

        if document is not None:
            try:
                count = len(document)
                _check_page_limit(count, max_pages)
                if pypdf_count is not None and pypdf_count != count:
                    log.warning("%s: pypdf counts %d pages, pdfium %d; using pdfium's", path.name, pypdf_count, count)
                # pypdf stands in for a page pdfium cannot read only when both number the pages alike.
                pages, needs_ocr = _pdfium_pages(document, reader if pypdf_count == count else None, path)
                metadata = _metadata(reader) if reader is not None else _pdfium_metadata(document)
            finally:
                document.close()  # also closes any page or textpage left open
            if pypdf_error is not None:
                log.info("%s: pypdf could not open it (%s); pdfium did", path.name, _describe(pypdf_error))
            return Extracted(pages=pages, metadata=metadata, parser="pdfium", needs_ocr=needs_ocr,
                             page_count=len(pages))

        if reader is not None and pypdf_count:
            log.info("%s: pdfium could not open it (%s); using pypdf's text", path.name, _describe(pdfium_error))
            # needs_ocr stays empty: OCR renders pages with pdfium, which cannot open this file.
            pages = _pypdf_pages(reader, path)
            return Extracted(pages=pages, metadata=_metadata(reader), parser="pypdf", needs_ocr=[],
                             page_count=len(pages))
        if reader is not None and pypdf_count == 0:
            raise IngestError("corrupt", "The PDF has no pages.")
        raise IngestError(
            "corrupt",
            "The PDF is damaged and could not be opened "
            f"(pypdf: {_describe(pypdf_error)}; pdfium: {_describe(pdfium_error)}).",
        )


def _open_pypdf(path: Path) -> tuple[PdfReader | None, int | None, Exception | None]:
    """``(reader, page count, None)``, or ``(None, None, error)`` when pypdf cannot read the file.

    Raises ``encrypted`` when the file is encrypted and the empty password does not open it.
    """
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError("encrypted", ENCRYPTED_MESSAGE)
        return reader, len(reader.pages), None
    except IngestError:
        raise
    except FileNotDecryptedError as exc:
        raise IngestError("encrypted", ENCRYPTED_MESSAGE) from exc
    except Exception as exc:  # noqa: BLE001 - any failure here: pdfium gets its chance
        return None, None, exc


def _check_page_limit(count: int, max_pages: int) -> None:
    if count > max_pages:
        raise IngestError("too_many_pages", f"The PDF has {count} pages; the limit is {max_pages} (DOCSEARCH_MAX_PAGES).")


def _pdfium_pages(document: pdfium.PdfDocument, reader: PdfReader | None, path: Path) -> tuple[list[str], list[int]]:
    """Text of every page, and the indexes of the pages to OCR. One broken page does not lose the others."""
    pages: list[str] = []
    needs_ocr: list[int] = []
    for index in range(len(document)):
        page = textpage = None
        try:
            page = document[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            text = text.replace("\r\n", "\n").replace(_PDFIUM_HYPHEN, "-\n")
            if _letters(text) < MIN_LETTERS and _has_image(page):
                needs_ocr.append(index)
        except Exception as exc:  # noqa: BLE001 - one broken page must not lose the others
            log.warning("page %d of %s could not be read by pdfium: %s", index + 1, path.name, _describe(exc))
            text = _pypdf_page_text(reader, index, path) if reader is not None else ""
        finally:
            if textpage is not None:
                textpage.close()
            if page is not None:
                page.close()
        pages.append(text)
    return pages, needs_ocr


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def _has_image(page: pdfium.PdfPage) -> bool:
    """True when the page (or a form XObject on it) draws at least one image."""
    for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4):
        return True
    return False


def _pypdf_pages(reader: PdfReader, path: Path) -> list[str]:
    return [_pypdf_page_text(reader, index, path) for index in range(len(reader.pages))]


def _pypdf_page_text(reader: PdfReader, index: int, path: Path) -> str:
    try:
        return reader.pages[index].extract_text() or ""
    except Exception as exc:  # noqa: BLE001 - one broken page must not lose the others
        log.warning("page %d of %s could not be read by pypdf: %s", index + 1, path.name, _describe(exc))
        return ""


_METADATA_KEYS = (("Title", "title"), ("Author", "author"), ("CreationDate", "created"), ("Producer", "producer"))


def _metadata(reader: PdfReader) -> dict[str, str]:
    try:
        info = reader.metadata or {}
        return _pick(lambda key: info.get("/" + key))
    except Exception:  # noqa: BLE001 - a broken info dictionary is not worth failing the file
        return {}


def _pdfium_metadata(document: pdfium.PdfDocument) -> dict[str, str]:
    try:
        info = document.get_metadata_dict(skip_empty=True)
        return _pick(info.get)
    except Exception:  # noqa: BLE001 - a broken info dictionary is not worth failing the file
        return {}


def _pick(get) -> dict[str, str]:
    out = {}
    for key, name in _METADATA_KEYS:
        value = get(key)
        if value:
            value = str(value).strip()[:1000]
            if value:
                out[name] = value
    return out


def _describe(exc: Exception | None) -> str:
    if exc is None:
        return "no error"
    if isinstance(exc, (PdfReadError, pdfium.PdfiumError)):
        return str(exc)[:300] or type(exc).__name__
    return f"{type(exc).__name__}: {exc}"[:300]
