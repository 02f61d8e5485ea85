from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass
class Extracted:
    """Text per page (index 0 is page 1) and the file's own metadata.

    ``parser`` names the library that produced ``pages`` ("pdfium" normally, "pypdf" when pdfium could
    not open the file). ``needs_ocr`` lists 0-based indexes of pages whose text layer is missing or too
    thin and that hold at least one image: the candidates for OCR (a blank page is not one).
    ``page_count`` is the number of pages, ``len(pages)``; it defaults to that when not given.
    """

    pages: list[str]
    metadata: dict[str, str] = field(default_factory=dict)
    parser: str = "pypdf"
    needs_ocr: list[int] = field(default_factory=list)
    page_count: int = -1

    def __post_init__(self) -> None:
        if self.page_count < 0:
            self.page_count = len(self.pages)


class Extractor(Protocol):
    def accepts(self, head: bytes) -> bool: ...

    def extract(self, path: Path, max_pages: int) -> Extracted: ...
