"""Intermediate results of one file between tasks, on the shared file store's disk.

A scanned PDF is extracted by one task, OCR'd page by page by others (on the
``ocr`` queue, maybe on other machines), and finished by a last one. What they
hand each other lives here — never in Redis, which may lose it — and is written
atomically (temp file + rename), so a task killed mid-write leaves nothing half
written. The directory is removed when the file is finished.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path


class WorkDir:
    def __init__(self, store_root: Path, file_id: str):
        self.path = Path(store_root) / "work" / file_id

    def _write(self, target: Path, data: dict) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(tmp, target)

    def save_extracted(self, data: dict) -> None:
        self._write(self.path / "extracted.json", data)

    def load_extracted(self) -> dict | None:
        try:
            return json.loads((self.path / "extracted.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None

    def _ocr_file(self, page_index: int) -> Path:
        return self.path / "ocr" / f"{page_index:06d}.json"

    def has_ocr(self, page_index: int) -> bool:
        return self._ocr_file(page_index).exists()

    def save_ocr(self, page_index: int, data: dict) -> None:
        self._write(self._ocr_file(page_index), data)

    def ocr_results(self) -> dict[int, dict]:
        folder = self.path / "ocr"
        if not folder.is_dir():
            return {}
        return {int(p.stem): json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}

    def ocr_count(self) -> int:
        folder = self.path / "ocr"
        return sum(1 for _ in folder.glob("*.json")) if folder.is_dir() else 0

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
