"""Page layout clean-up: running headers and footers repeated on most pages.

A header such as "Manual de técnicas especiales – Módulo II" or a footer
"Página 3 de 5" on every page would otherwise be the best snippet of every
page and inflate the score of the words in it. A line is dropped when it sits
among the first or last few lines of a page and the same line (digits ignored)
appears in that position on at least 60 % of the pages.
"""

from __future__ import annotations

import re
from collections import Counter

EDGE_LINES = 2
MIN_PAGES = 3
MIN_SHARE = 0.6

_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


def _key(line: str) -> str:
    return _SPACE.sub(" ", _DIGITS.sub("#", line.strip().lower()))


def _edges(lines: list[str]) -> list[int]:
    """Indices of the first and last EDGE_LINES non-empty lines."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))


def strip_running_lines(pages: list[str]) -> list[str]:
    """Pages without their repeated headers and footers (unchanged when fewer than 3 pages)."""
    if len(pages) < MIN_PAGES:
        return pages
    split = [page.split("\n") for page in pages]
    counts: Counter[str] = Counter()
    for lines in split:
        counts.update({_key(lines[i]) for i in _edges(lines)})
    threshold = max(2, MIN_SHARE * sum(1 for page in pages if page.strip()))
    running = {key for key, n in counts.items() if n >= threshold and key not in ("", "#")} | {"#"}
    out = []
    for lines in split:
        drop = {i for i in _edges(lines) if _key(lines[i]) in running}
        out.append("\n".join(line for i, line in enumerate(lines) if i not in drop).strip())
    return out
