"""One extractor per input type, chosen by what the bytes are, never by the file name."""

from __future__ import annotations

from ingestion.errors import IngestError
from ingestion.extractors.base import Extracted, Extractor
from ingestion.extractors.pdf import PdfExtractor

EXTRACTORS: list[Extractor] = [PdfExtractor()]


def extractor_for(head: bytes) -> Extractor:
    """The extractor that accepts these leading bytes; ``not_pdf`` if none does."""
    for extractor in EXTRACTORS:
        if extractor.accepts(head):
            return extractor
    raise IngestError("not_pdf", "The file is not a PDF: its content does not start like one.")


__all__ = ["EXTRACTORS", "Extracted", "Extractor", "extractor_for"]
