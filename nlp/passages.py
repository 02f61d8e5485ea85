"""Pages cut into passages of about 100-200 words, the unit that gets a meaning vector.

Invariants, for every passage ``p`` of ``split_pages(pages)``:

* ``p.text == pages[p.page - 1][p.start:p.end]`` (page 1-based, offsets into that page's text), so a
  passage is never stored as text: the page holds it;
* a passage never spans two pages, and starts and ends on a non-space character;
* it holds at most ``max_words`` words, and at least ``min_words`` unless its page (or what is left at
  the end of its page) is shorter, or its next sentence would not fit;
* it is cut between sentences; only a sentence longer than ``max_words`` is cut between words;
* a page of whitespace gives none.

Sentences are found with rules, not a model: a ``.``, ``!``, ``?`` or ``…`` followed by a space and a
capital, a digit or an opening mark, unless the word before the ``.`` is an abbreviation ("Art.", "Exp.",
"Dr.", "S.A.C.", an initial), and a blank line (a paragraph). Numbers such as "1.5" or "N.° 30077" never
end a sentence (no space after the dot). spaCy's rule-based ``sentencizer`` was the other candidate: it
cuts after every "Art." and "Exp." of a case file, and it took about 2.3 ms per 450-word page of the
sample corpus against about 0.6 ms for these rules (passages included: 0.7 ms).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.text import fold

# Words that end with a dot without ending a sentence (folded: lower case, no accents). Dotted
# initialisms (S.A.C., S.R.L., E.I.R.L., D.Leg., U.S., e.g.) are caught by _DOTTED, initials by their length.
ABBREVIATIONS = frozenset("""
    art arts inc incs num nums nro nros exp expte exps cas rn rec res dec leg reg ord lit
    dr dra drs dras sr sra sres sras srta lic ing abog mag prof gral cap crnl cmdte tte sgto pnp
    av jr ca psje urb mz lt km dpto dist prov
    pag pags pp fs fj fjs ff cfr cf op cit ibid ej vid vs vol tit sec secc par parr
    cod const civ pen proc trib
    sa sac srl eirl saa corp ltd
    mr mrs ms messrs st fig dept approx
""".split())
# Only an abbreviation before a number: "No. 5", "Nos. 3 y 4" (Spanish "no." ends sentences).
BEFORE_NUMBER = frozenset({"no", "nos"})

_END = re.compile(r"[.!?…]+[\"'»”’)\]]*(?=\s)")
_NEXT = re.compile(r"\s+([\"'«“‘(¿¡\[]*[A-ZÁÉÍÓÚÜÑ0-9])")
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_WORD_BEFORE = re.compile(r"(\S+)$")
_DOTTED = re.compile(r"^(?:[^\W\d_]{1,4}\.)+[^\W\d_]{1,4}$")
_WORD = re.compile(r"\S+")
_DIGIT_NEXT = re.compile(r"\s+\d")


@dataclass(frozen=True)
class Passage:
    page: int  # 1-based
    start: int  # character offsets into that page's text
    end: int
    text: str


def split_pages(pages: list[str], min_words: int = 100, max_words: int = 200) -> list[Passage]:
    """Passages of ``min_words``-``max_words`` words, cut at sentence ends and never across pages."""
    if not 0 < min_words <= max_words:
        raise ValueError(f"need 0 < min_words <= max_words, got {min_words}, {max_words}")
    passages: list[Passage] = []
    for number, page in enumerate(pages, start=1):
        for start, end in _passage_spans(page, min_words, max_words):
            passages.append(Passage(number, start, end, page[start:end]))
    return passages


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, trimmed of surrounding whitespace; none for blank text."""
    cuts = {m.end() for m in _PARAGRAPH.finditer(text)}
    for match in _END.finditer(text):
        if _NEXT.match(text, match.end()) and not _abbreviation(text, match):
            cuts.add(match.end())
    spans, start = [], 0
    for cut in sorted(cuts) + [len(text)]:
        span = _trim(text, start, cut)
        if span:
            spans.append(span)
        start = cut
    return spans


def _abbreviation(text: str, end_mark: re.Match) -> bool:
    """The ``.`` ending at this mark belongs to an abbreviation or an initial, not a sentence end."""
    if text[end_mark.start()] != "." or end_mark.group().rstrip("\"'»”’)]") != ".":
        return False  # "!", "?", "…" and "..." end sentences
    before = _WORD_BEFORE.search(text, 0, end_mark.start())
    if before is None:
        return False
    word = before.group(1).lstrip("\"'«“‘(¿¡[")
    key = fold(word)
    if key in BEFORE_NUMBER:
        return _DIGIT_NEXT.match(text, end_mark.end()) is not None
    return key in ABBREVIATIONS or len(word) == 1 or ("." in word and bool(_DOTTED.match(word)))


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(text, start, end)]


def _units(text: str, max_words: int) -> list[tuple[int, int, int]]:
    """(start, end, words) of each sentence; a sentence over ``max_words`` words cut into even pieces."""
    units = []
    for start, end in sentence_spans(text):
        words = _word_spans(text, start, end)
        if len(words) <= max_words:
            units.append((start, end, len(words)))
            continue
        pieces = -(-len(words) // max_words)
        size = -(-len(words) // pieces)
        for first in range(0, len(words), size):
            chunk = words[first : first + size]
            units.append((chunk[0][0], chunk[-1][1], len(chunk)))
    return units


def _passage_spans(text: str, min_words: int, max_words: int) -> list[tuple[int, int]]:
    groups: list[list[tuple[int, int, int]]] = []
    current: list[tuple[int, int, int]] = []
    words = 0
    for unit in _units(text, max_words):
        if current and (words >= min_words or words + unit[2] > max_words):
            groups.append(current)
            current, words = [], 0
        current.append(unit)
        words += unit[2]
    if current:
        # A short tail joins the passage before it when both fit in one.
        if groups and words < min_words and sum(u[2] for u in groups[-1]) + words <= max_words:
            groups[-1] += current
        else:
            groups.append(current)
    return [(group[0][0], group[-1][1]) for group in groups]
