"""Snippets: the sentence around a hit, whole, cut from a page the engine marked.

The engine marks the whole page (HTML-escaped text, hits in ``<mark>``); the snippet is chosen here, because
the engine's sentence breaker ends a sentence at every abbreviation of legal Spanish: ``Casación N.° 1234-2022/
Callao`` gave the snippet ``.° 1234-2022/Callao.``. Invariants:

* a snippet is one or more whole sentences (a long one is cut at a clause or a word, with ``…``), never a
  bare fragment of one;
* it holds the page's densest sentence of hits, grown with its neighbours up to about ``size`` characters;
* every ``<mark>`` it opens it closes, and no HTML entity is cut.
"""

from __future__ import annotations

import re

SNIPPET_CHARS = 180
LONGEST = 260  # a sentence longer than this is cut around its hits

# Words after which a period does not end a sentence (lower case, without the period): numbering signs,
# legal and courtesy abbreviations, single letters (initials, "S. S.").
_ABBREVIATIONS = frozenset("""
n nº n° no nro núm num art arts inc lit exp expte cas r.n rn s.s ss dr dra sr sra srta sres dres ing lic abog
fs fj fjs pág págs pag pags p pp cf vid cfr ob cit loc ed vol t cap sec av jr ca mz lt urb dpto ref etc aprox
d.leg d.s d.u d.l r.a a.p leg op res disp of inf
""".split())
_END = re.compile(r"(?<=[.!?;:])\s+(?=(?:<mark>)?[\"«¿¡(A-ZÁÉÍÓÚÑÜ0-9])")
_WORD_BEFORE = re.compile(r"(\S+)[.!?;:]$")
_TAGS = re.compile(r"</?mark>")


def _sentences(html: str) -> list[str]:
    """``html`` cut into sentences, not after an abbreviation, an initial or a number sign."""
    out: list[str] = []
    start = 0
    for boundary in _END.finditer(html):
        before = _WORD_BEFORE.search(_TAGS.sub("", html[start:boundary.start()]))
        word = before.group(1).lower().lstrip("(«\"") if before else ""
        if html[boundary.start() - 1] == "." and (word in _ABBREVIATIONS or len(word.rstrip(".")) <= 1
                                                  or re.fullmatch(r"(?:\w\.)+\w?", word)):
            continue
        out.append(html[start:boundary.start()])
        start = boundary.end()
    out.append(html[start:])
    return [s for s in out if s.strip()]


def _visible(html: str) -> int:
    """Characters a reader sees (tags out, an entity one character)."""
    return len(re.sub(r"&[#\w]+;", "x", _TAGS.sub("", html)))


def _cut(sentence: str, size: int) -> str:
    """A long sentence cut to about ``size`` visible characters around its first hit: from the clause (after a
    comma, a semicolon or a colon) that holds the hit when it starts near it, else a few words before; ``…``
    marks each cut."""
    words = sentence.split(" ")
    first = next((i for i, w in enumerate(words) if "<mark>" in w), 0)
    lo = max(0, first - 8)
    for i in range(first - 1, lo - 1, -1):
        if words[i].endswith((",", ";", ":")):
            lo = i + 1
            break
    hi = first
    while hi + 1 < len(words) and _visible(" ".join(words[lo:hi + 2])) <= size:
        hi += 1
    while lo > 0 and _visible(" ".join(words[lo - 1:hi + 1])) <= size:
        lo -= 1
    while (" ".join(words[lo:hi + 1]).count("<mark>") > " ".join(words[lo:hi + 1]).count("</mark>")
           and hi + 1 < len(words)):
        hi += 1  # a cut must not leave a <mark> open
    return ("… " if lo > 0 else "") + " ".join(words[lo:hi + 1]) + (" …" if hi + 1 < len(words) else "")


def sentence_snippet(html: str, size: int = SNIPPET_CHARS) -> str:
    """The snippet of a marked page: its densest sentence of hits, with neighbours up to ``size``."""
    sentences = _sentences(" ".join(html.split()))
    if not sentences:
        return ""
    best = max(range(len(sentences)), key=lambda i: (sentences[i].count("<mark>"), -i))
    if _visible(sentences[best]) > LONGEST:
        return _cut(sentences[best], LONGEST)
    lo = hi = best
    while hi + 1 < len(sentences) and _visible(" ".join(sentences[lo:hi + 2])) <= size:
        hi += 1  # what follows the hit first: it usually says what the hit is about
    snippet = " ".join(sentences[lo:hi + 1])
    if hi + 1 < len(sentences) and _visible(snippet) < size - 40:  # room for the start of the next one
        words, taken = sentences[hi + 1].split(" "), 0
        while taken < len(words) and _visible(snippet + " " + " ".join(words[:taken + 1])) <= size:
            taken += 1
        more = " ".join(words[:taken])
        if more.count("<mark>") == more.count("</mark>"):
            return snippet + " " + more + (" …" if taken < len(words) else "")
    while lo > 0 and _visible(" ".join(sentences[lo - 1:hi + 1])) <= size:
        lo -= 1  # the end of the page: what comes before
    return " ".join(sentences[lo:hi + 1])
