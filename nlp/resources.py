"""The data files under ``nlp/data``, each read once per process, when first asked for.

Callers share the objects returned: they must not change them. A table derived from a file (compiled
expressions, folded word sets) is built by a function of its module decorated with ``functools.cache``.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@functools.cache
def load_json(name: str):
    """The JSON document ``nlp/data/<name>``."""
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@functools.cache
def load_jsonl(name: str) -> tuple[tuple[int, dict], ...]:
    """``(line number, object)`` for each line of ``nlp/data/<name>``, a JSON-lines file.

    Blank lines and lines starting with ``//`` (comments) are skipped; the line numbers let a
    reader of the objects point at the line it refuses.
    """
    records = []
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        try:
            records.append((number, json.loads(line)))
        except ValueError as exc:
            raise ValueError(f"{name}:{number}: {exc}") from exc
    return tuple(records)
