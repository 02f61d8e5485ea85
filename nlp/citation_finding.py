"""Finding citations: every pattern's matches, resolved into mentions of the input text.

Invariants: overlapping matches are resolved leftmost-longest (of two that overlap, the one that
starts first, then the longer, then the earlier pattern of ``citations.jsonl``); every mention's
span points at the input, not at the matching copy. An article "del mismo código" takes the code
of the nearest legal instrument named before it in the same text, if that is one of the codes
cited by article; otherwise it is not read. Only the text given is looked at (a page, a query).

Only the standard library, :mod:`nlp.matching_copy` and :mod:`nlp.types` are imported (the
patterns come in as arguments).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator

from nlp.matching_copy import prepare, span
from nlp.types import Mention

if TYPE_CHECKING:
    from nlp.citation_table import CitationPattern

__all__ = ["Candidate", "candidates", "find_with"]


@dataclass
class Candidate:
    """One match of one pattern, read into its mentions (none yet for an anaphor)."""

    start: int
    end: int
    order: int
    mentions: list[tuple[str, int, int]]  # (canonical, start, end) in the matching copy
    type: str
    code: tuple[str, int] | None = None  # the code a law mention names, if any
    pattern: CitationPattern | None = None
    match: re.Match | None = None  # kept for an anaphor ("del mismo código"), read once its code is known


def candidates(pattern: CitationPattern, clean: str, query: bool = False) -> Iterator[Candidate]:
    """The matches of ``pattern`` in the matching copy ``clean`` that read as citations."""
    regex = pattern.regex_query if query else pattern.regex_text
    for m in regex.finditer(clean):
        if pattern.reject_before is not None and pattern.reject_before.search(clean, max(0, m.start() - 40), m.start()):
            continue
        groups = m.groupdict()
        if groups.get("anaphor"):
            yield Candidate(m.start(), m.end(), pattern.order, [], pattern.type, None, pattern, m)
            continue
        mentions = pattern.read(m)
        if mentions:
            code = pattern.defines.code(groups["code"]) if groups.get("code") else None
            yield Candidate(m.start(), m.end(), pattern.order, mentions, pattern.type, code)


def find_with(patterns: Iterable[CitationPattern], text: str, query: bool) -> list[Mention]:
    """The mentions ``patterns`` find in ``text``, in reading order (``query``: the query-mode regexes)."""
    if not text:
        return []
    clean, offsets = prepare(text)
    found = [c for p in patterns for c in candidates(p, clean, query)]
    return _mentions(text, offsets, _anaphors(clean, _resolve(found)))


def _resolve(found: list[Candidate]) -> list[Candidate]:
    """Leftmost-longest: of overlapping matches keep the one that starts first, then the longest."""
    chosen: list[Candidate] = []
    last_end = -1
    for c in sorted(found, key=lambda c: (c.start, -(c.end - c.start), c.order)):
        if c.start >= last_end:
            chosen.append(c)
            last_end = c.end
    return chosen


def _anaphors(clean: str, chosen: list[Candidate]) -> list[Candidate]:
    """Read "del mismo código" with the code of the nearest legal instrument named before it.

    The nearest instrument must be one of the codes cited by article (a ``Ley`` or the Código Civil
    in between leaves the anaphor unread). Only the text given is looked at (a page, a query).
    """
    if not any(c.match is not None for c in chosen):
        return chosen
    defines = next(c.pattern.defines for c in chosen if c.match is not None)
    others = [m.end() for m in defines.other_code().finditer(clean)]
    out: list[Candidate] = []
    last: tuple[int, tuple[str, int] | None] = (-1, None)  # (end, code) of the nearest instrument so far
    for c in chosen:
        if c.match is not None:
            other_end = max((e for e in others if e <= c.start), default=-1)
            code = last[1] if last[0] > other_end else None
            mentions = c.pattern.articles(c.match, code) if code else []
            if mentions:
                out.append(Candidate(c.start, c.end, c.order, mentions, c.type, code))
                last = (c.end, code)
            continue
        out.append(c)
        if c.type == "law":
            last = (c.end, c.code)
    return out


def _mentions(text: str, offsets: list[int] | None, chosen: list[Candidate]) -> list[Mention]:
    out = []
    for c in chosen:
        for canonical, s, e in c.mentions:
            start, end = span(offsets, s, e)
            out.append(Mention(c.type, canonical, text[start:end], start, end))
    return out
