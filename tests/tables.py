"""What the table tests of the finders (citations, numbers, gazetteer) check about every row.

A helper module for tests, not a test file: ``from tests.tables import assert_spans, pairs``.
"""

from __future__ import annotations

from nlp.types import Mention


def pairs(mentions: list[Mention]) -> list[tuple[str, str]]:
    """``(type, canonical)`` of each mention, in order: what a table row expects."""
    return [(m.type, m.canonical) for m in mentions]


def assert_spans(text: str, mentions: list[Mention]) -> None:
    """Each span slices its surface out of ``text``, and the mentions run in reading order without overlaps."""
    end = 0
    for m in mentions:
        assert m.surface and text[m.start:m.end] == m.surface
        assert m.start >= end, "mentions overlap or are out of order"
        end = m.end
