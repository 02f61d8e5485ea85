"""PDF text extraction with pypdf, page by page."""

from __future__ import annotations

import logging
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from ingestion.errors import IngestError
from ingestion.extractors.base import Extracted

log = logging.getLogger(__name__)


class PdfExtractor:
    name = "pdf"
    mime_types = ("application/pdf",)

    def accepts(self, head: bytes) -> bool:
        # The header may follow a little junk (tolerated by every reader); the spec allows 1024 bytes.
        return b"%PDF-" in head[:1024]

    def extract(self, path: Path, max_pages: int) -> Extracted:
        try:
            reader = PdfReader(path, strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise IngestError("encrypted", "The PDF is password-protected; remove the password and load it again.")
            count = len(reader.pages)
        except IngestError:
            raise
        except FileNotDecryptedError as exc:
            raise IngestError("encrypted", "The PDF is password-protected; remove the password and load it again.") from exc
        except Exception as exc:  # noqa: BLE001 - any parser failure on these bytes means a damaged file
            raise IngestError("corrupt", f"The PDF is damaged and could not be opened ({_describe(exc)}).") from exc
        if count == 0:
            raise IngestError("corrupt", "The PDF has no pages.")
        if count > max_pages:
            raise IngestError("too_many_pages", f"The PDF has {count} pages; the limit is {max_pages}.")
        pages = []
        for number, page in enumerate(reader.pages, start=1):
            try:
                pages.append(page.extract_text() or "")
            except Exception as exc:  # noqa: BLE001 - one broken page must not lose the others
                log.warning("page %d of %s could not be read: %s", number, path.name, _describe(exc))
                pages.append("")
        return Extracted(pages=pages, metadata=_metadata(reader))


def _metadata(reader: PdfReader) -> dict[str, str]:
    try:
        info = reader.metadata or {}
    except Exception:  # noqa: BLE001 - a broken info dictionary is not worth failing the file
        return {}
    out = {}
    for key, name in (("/Title", "title"), ("/Author", "author"), ("/CreationDate", "created"), ("/Producer", "producer")):
        value = info.get(key)
        if value:
            out[name] = str(value).strip()[:1000]
    return out


def _describe(exc: Exception) -> str:
    if isinstance(exc, PdfReadError):
        return str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {exc}"[:300]
