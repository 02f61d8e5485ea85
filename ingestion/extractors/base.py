from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass
class Extracted:
    """Text per page (index 0 is page 1) and the file's own metadata."""

    pages: list[str]
    metadata: dict[str, str] = field(default_factory=dict)


class Extractor(Protocol):
    name: str
    mime_types: tuple[str, ...]

    def accepts(self, head: bytes) -> bool: ...

    def extract(self, path: Path, max_pages: int) -> Extracted: ...
