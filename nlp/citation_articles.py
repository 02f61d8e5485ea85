"""The code-article grammar of citations (``"split": "articles"`` in ``citations.jsonl``).

Invariants: one leaf per article, or per sub-number of an article (``art. 297, incisos 6 y 7`` →
``Código Penal art. 297 inc. 6`` and ``... inc. 7``); an article number past the code's last
article is dropped with its sub-numbers, except ``2682`` read as ``268°`` (OCR's degree sign)
when 2682 cannot be an article. The leaves tile the phrase (:func:`nlp.citation_forms.tile`).

Only the standard library, :mod:`nlp.citation_forms` and :mod:`nlp.text` are imported.
"""

from __future__ import annotations

import re
from typing import Iterator

from nlp.citation_forms import tile
from nlp.text import fold

__all__ = ["article_leaves"]

# Articles: the tokens inside the enumeration of an article phrase.
_ART_TOKENS = re.compile(
    r"(?P<subs>incisos|incs\.|numerales|literales|lits\.)"
    r"|(?P<sub>inciso|inc\.?|numeral|num\.|literal|lit\.)(?![\w])"
    r"|(?P<par>p[áa]rrafos?)"
    r"|(?P<num>(?<![\w])\d{1,4}(?:\s?\.?°|o(?![\w]))?(?:\s?-\s?[a-z](?![\w]))?(?:\s?°)?)"
    r"|(?P<let>(?<![\w])[a-z](?![\w]))(?P<paren>\s?\))?",
    re.I,
)
_SUB_WORD = {"inc": "inc.", "num": "inc.", "lit": "lit."}


def _sub_kind(word: str) -> str:
    return _SUB_WORD[fold(word)[:3]]


def article_leaves(m: re.Match, code: tuple[str, int]) -> list[tuple[str, int, int]]:
    """``(canonical, start, end)`` of each article, or sub-number of an article: ``art. 297, incisos 6 y 7``.

    ``m`` is a match with the groups ``items`` (and optionally ``pre``: ``incisos 6 y 7 del
    artículo 297``); ``code`` is ``(canonical name, last article)`` of the code cited.
    """
    code_name, max_article = code
    leaves: list[tuple[str, int, int]] = []  # (canonical, start, end)
    article: tuple[str, int, int] | None = None  # (number, start, end)
    subs: list[tuple[str, int, int]] = []  # ("inc. 6", start, end) of the current article

    def flush() -> None:
        if article is None:
            return
        label = f"{code_name} art. {article[0]}"
        if not subs:
            leaves.append((label, article[1], article[2]))
        for i, (sub, s, e) in enumerate(subs):
            leaves.append((f"{label} {sub}", article[1] if i == 0 else s, e))

    for kind, value, s, e in _art_tokens(m.group("items"), m.start("items")):
        if kind == "art":
            flush()
            number = _article_number(value, max_article)
            article = (number, s, e) if number else None  # a rejected number drops its sub-numbers too
            subs = []
        elif article is not None:
            _add_sub(subs, kind, value, s, e)
    flush()
    if m.groupdict().get("pre") and len(leaves) == 1 and leaves[0][0].endswith(f"art. {article[0]}"):
        # "incisos 6 y 7 del artículo 297 del Código Penal"
        pre: list[tuple[str, int, int]] = []
        for kind, value, s, e in _art_tokens(m.group("pre"), m.start("pre")):
            if kind != "art":
                _add_sub(pre, kind, value, s, e)
        if pre:
            leaves = [(f"{leaves[0][0]} {sub}", s, e) for sub, s, e in pre]
    if not leaves:
        return []
    return tile(leaves, m.start(), m.end())


def _art_tokens(text: str, base: int) -> Iterator[tuple[str, str, int, int]]:
    """``("art", "296", s, e)``, ``("sub", "inc. 6", s, e)`` or ``("nest", "inc. 1 lit. a", s, e)``.

    Conjunctions, ranges ("296 al 298": both ends are read) and paragraphs are dropped. After a
    singular sub-word ("inciso") one value is read, after a plural one ("incisos") as many as follow;
    a number of three digits or more is an article again.
    """
    sub_kind: str | None = None
    sub_mode: str | None = None  # "one" after "inciso", "many" after "incisos"
    parent: str | None = None  # the last "inc. N": a "literal" that follows nests under it
    for t in _ART_TOKENS.finditer(text):
        s, e = base + t.start(), base + t.end()
        if t.group("subs") or t.group("sub"):
            sub_kind = _sub_kind(t.group(0))
            sub_mode = "many" if t.group("subs") else "one"
            if sub_kind == "inc.":
                parent = None
            continue
        if t.group("par"):
            sub_kind = sub_mode = parent = None
            continue
        letter = t.group("let")
        value = (letter or t.group("num")).strip()
        if letter and sub_mode == "many" and (sub_kind != "lit." or letter.lower() in "yeo" and not t.group("paren")):
            continue  # "incisos 6 y 7": a conjunction, not a sub-number
        if sub_mode is not None and (letter or len(value) <= 2):
            label = f"{sub_kind} {value.lower()}"
            if sub_kind == "lit." and parent:
                yield "nest", f"{parent} {label}", s, e
            else:
                yield "sub", label, s, e
                if sub_kind == "inc.":
                    parent = label
            if sub_mode == "one":
                sub_mode = None
            continue
        if letter:
            continue  # "y", "e", "o", "a" (a range) between articles
        sub_kind = sub_mode = parent = None
        yield "art", value, s, e


def _add_sub(subs: list[tuple[str, int, int]], kind: str, value: str, s: int, e: int) -> None:
    parent = value.rsplit(" lit. ", 1)[0]
    if kind == "nest" and subs and subs[-1][0] == parent:
        subs[-1] = (value, subs[-1][1], e)  # "numeral 1, literal a)" is one leaf: "inc. 1 lit. a"
    else:
        subs.append((value, s, e))


def _article_number(value: str, max_article: int) -> str | None:
    """``296``, ``296-A``; ``2682`` read as ``268°`` when 2682 is past the code's last article."""
    m = re.match(r"(\d+)\s?\.?(°|o)?\s?(?:-\s?([a-z]))?", value.strip(), re.I)
    digits, letter = m.group(1), m.group(3)
    number = int(digits)
    if number > max_article:
        # OCR read the degree sign of "268°" as a digit: accept only when the number cannot be an article.
        if len(digits) == 4 and digits[-1] in "029" and 1 <= int(digits[:3]) <= max_article:
            number = int(digits[:3])
        else:
            return None
    if number < 1:
        return None
    return f"{number}-{letter.upper()}" if letter else str(number)
