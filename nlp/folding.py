"""Folded copies of a text for matching names: OCR repairs, no marks without a letter, an offset map.

Invariants: :func:`ocr_repair` keeps the length of the text (one character for one); the folded
text of :func:`fold_with_map` is :func:`~nlp.text.fold_chars` of the repaired text with the
characters that carry no letter removed, and its offset map takes every position back to the
original text, so a match in the folded text is a span of the original. :func:`fold_plain` is the
same folded text without the map.

What carries no letter: combining marks, zero-width characters, soft hyphens (with the line break
after them), and a hyphen at a line end inside a word (:data:`nlp.text.HYPHEN_BREAK`:
``Especia-\\nlizada``, OCR's ``DI-\\nRANDRO``; ``Lima-\\nCallao`` stays). OCR's digits for letters
inside words are read as letters (``c1orhidrato``, ``DlRANDRO``, ``C0CAINA``).

Used by the gazetteer (:mod:`nlp.gazetteer_matching`) and by :mod:`nlp.metadata`.
"""

from __future__ import annotations

import bisect
import re

from nlp.text import HYPHEN_BREAK, LOWER, SOFT_HYPHEN, UPPER, fold_chars, repair_ocr_digits

__all__ = ["OffsetMap", "fold_plain", "fold_with_map", "ocr_repair"]

# What carries no letter and is skipped when matching: combining marks, zero-width characters, soft
# hyphens (with the line break after them), and a hyphen at a line end inside a word
# (nlp.text.HYPHEN_BREAK: "Especia-\nlizada", OCR's "DI-\nRANDRO"; "Lima-\nCallao" stays).
_DROP = re.compile(f"[\u0300-\u036f\u200b-\u200d\u2060\ufeff]+|{SOFT_HYPHEN}|{HYPHEN_BREAK}")
# OCR confusions inside words, fixed one character for one: "c1orhidrato", "DlRANDRO", "C0CAINA".
_OCR_ONE = re.compile(f"(?<=[{LOWER}{UPPER}])1(?=[{LOWER}])")
_OCR_ZERO = re.compile(f"(?<=[{UPPER}])0(?=[{UPPER}])|(?<=[{LOWER}])0(?=[{LOWER}])")
_OCR_ELL = re.compile(f"(?<=[{UPPER}])l(?=[{UPPER}])")


def ocr_repair(text: str) -> str:
    """Undo OCR's digit/letter confusions inside words and numbers, keeping the length of the text."""
    if "1" in text:
        text = _OCR_ONE.sub("l", text)
    if "0" in text:
        text = _OCR_ZERO.sub(lambda m: "O" if m.string[m.start() - 1].isupper() else "o", text)
    if "l" in text:
        text = _OCR_ELL.sub("I", text)
    return repair_ocr_digits(text)


class OffsetMap:
    """Maps positions in a text with some spans removed back to positions in the original."""

    def __init__(self, kept: list[tuple[int, int]]):
        self.orig_starts = [start for start, _ in kept]
        self.new_starts = []
        total = 0
        for start, end in kept:
            self.new_starts.append(total)
            total += end - start

    def __call__(self, pos: int) -> int:
        k = bisect.bisect_right(self.new_starts, pos) - 1
        return self.orig_starts[k] + pos - self.new_starts[k]


def fold_with_map(text: str) -> tuple[str, str, OffsetMap | None]:
    """(repaired text, folded text, offset map) — the map is ``None`` when nothing had to be dropped.

    The repaired text has the original's offsets (OCR repairs are one character for one); the folded
    text has no dropped characters, and the map takes its offsets back to the original's.
    """
    repaired = ocr_repair(text)
    drops = [m.span() for m in _DROP.finditer(repaired)]
    if not drops:
        return repaired, fold_chars(repaired), None
    kept, pos = [], 0
    for start, end in drops:
        if start > pos:
            kept.append((pos, start))
        pos = end
    if pos < len(repaired):
        kept.append((pos, len(repaired)))
    if not kept:
        return repaired, "", None
    folded = fold_chars("".join(repaired[s:e] for s, e in kept))
    return repaired, folded, OffsetMap(kept)


def fold_plain(text: str) -> str:
    """:func:`~nlp.text.fold_chars` after OCR repairs and dropping what carries no letter (no offsets kept):
    the folded text of :func:`fold_with_map`, for text whose matches need no offsets."""
    return fold_chars(_DROP.sub("", ocr_repair(text)))
