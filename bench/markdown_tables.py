"""Markdown tables as the benchmarks print them: ``| a | b |`` rows under a rule of ``---`` / ``---:``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def row(*cells: object) -> str:
    """One line of a table: ``| a | b |``."""
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def rule(align: str, spaced: bool = False) -> str:
    """The line under the header, one letter a column: ``l`` left, ``r`` right (``---:``).

    ``|---|---:|`` by default; ``spaced`` writes ``| --- | ---: |``.
    """
    marks = ["---:" if a == "r" else "---" for a in align]
    return row(*marks) if spaced else "|" + "|".join(marks) + "|"


def table(header: Sequence[object], align: str, rows: Iterable[Sequence[object]] = (),
          spaced: bool = False) -> list[str]:
    """The header, its rule and one line per row."""
    if len(align) != len(header):
        raise ValueError(f"{len(header)} columns, {len(align)} alignments")
    return [row(*header), rule(align, spaced), *(row(*cells) for cells in rows)]
