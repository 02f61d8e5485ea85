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
WINDOW = 500  # characters of a long page kept before its densest hits (twice that after)

# Words after which a period does not end a sentence (lower case, without the period): numbering signs,
# legal and courtesy abbreviations, single letters (initials, "S. S.").
_ABBREVIATIONS = frozenset("""
n nº n° no nro núm num art arts inc lit exp expte cas r.n rn s.s ss dr dra sr sra srta sres dres ing lic abog
fs fj fjs pág págs pag pags p pp cf vid cfr ob cit loc ed vol t cap sec av jr ca mz lt urb dpto ref etc aprox
d.leg d.s d.u d.l r.a a.p leg op res disp of inf
""".split())
_END = re.compile(r"(?<=[.!?;:])\s+(?=(?:<mark>)?[\"«¿¡(A-ZÁÉÍÓÚÑÜ0-9])")
_INITIALS = re.compile(r"(?:\w\.)+\w?")
_TAGS = re.compile(r"</?mark>")
_ENTITY = re.compile(r"&[#\w]+;")


def _sentences(html: str) -> list[str]:
    """``html`` cut into sentences, not after an abbreviation, an initial or a number sign."""
    out: list[str] = []
    start = 0
    for boundary in _END.finditer(html):
        end = boundary.start()
        if html[end - 1] == ".":
            word = _TAGS.sub("", html[html.rfind(" ", start, end) + 1:end - 1]).lower().lstrip("(«\"")
            if word in _ABBREVIATIONS or len(word) <= 1 or _INITIALS.fullmatch(word):
                continue
        out.append(html[start:end])
        start = boundary.end()
    out.append(html[start:])
    return [s for s in out if s.strip()]


def _visible(html: str) -> int:
    """Characters a reader sees (tags out, an entity one character)."""
    if "<" not in html and "&" not in html:
        return len(html)
    return len(_ENTITY.sub("x", _TAGS.sub("", html)))


def _cut(sentence: str, size: int) -> str:
    """A long sentence cut to about ``size`` visible characters around its first hit: from the clause (after a
    comma, a semicolon or a colon) that holds the hit when it starts near it, else a few words before; ``…``
    marks each cut."""
    words = sentence.split(" ")
    lengths = [_visible(w) + 1 for w in words]
    first = next((i for i, w in enumerate(words) if "<mark>" in w), 0)
    lo = max(0, first - 8)
    for i in range(first - 1, lo - 1, -1):
        if words[i].endswith((",", ";", ":")):
            lo = i + 1
            break
    hi, used = first, sum(lengths[lo:first + 1])
    while hi + 1 < len(words) and used + lengths[hi + 1] <= size:
        hi += 1
        used += lengths[hi]
    while lo > 0 and used + lengths[lo - 1] <= size:
        lo -= 1
        used += lengths[lo]
    kept = " ".join(words[lo:hi + 1])
    while kept.count("<mark>") > kept.count("</mark>") and hi + 1 < len(words):
        hi += 1  # a cut must not leave a <mark> open
        kept = " ".join(words[lo:hi + 1])
    return ("… " if lo > 0 else "") + kept + (" …" if hi + 1 < len(words) else "")


def _window(html: str, size: int) -> tuple[str, bool, bool]:
    """The part of a long page around its densest run of hits (most ``<mark>`` within ``size`` characters),
    wide enough to hold the sentence around it whole, and whether it was cut before and after: sentence
    splitting and choosing then cost the same on a page of any length."""
    marks = [m.start() for m in re.finditer("<mark>", html)]
    if len(html) <= 3 * WINDOW or not marks:
        return (html, False, False) if marks or len(html) <= 3 * WINDOW else (html[:3 * WINDOW], False, True)
    best, count, j = marks[0], 0, 0
    for i, at in enumerate(marks):
        while marks[j] < at - size:
            j += 1
        if i - j + 1 > count:
            best, count = marks[j], i - j + 1
    start, end = max(0, best - WINDOW), min(len(html), best + 2 * WINDOW)
    return html[start:end], start > 0, end < len(html)


def sentence_snippet(html: str, size: int = SNIPPET_CHARS) -> str:
    """The snippet of a marked page: its densest sentence of hits, with neighbours up to ``size``."""
    window, cut_before, cut_after = _window(" ".join(html.split()), size)
    sentences = _sentences(window)
    if cut_after and len(sentences) > 1:
        sentences.pop()  # a sentence the window cut
    if cut_before and len(sentences) > 1 and "<mark>" not in sentences[0]:
        sentences.pop(0)
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
