"""Legal citations in Peruvian text: case identifiers (``case``), legal instruments (``law``) and the
documents of a file (``ref``: ``Informe Policial``, ``Oficio``, ``Disposición Fiscal``, ...).

In the style of eyecite: **clean → find → normalise**.

* *clean* (:func:`prepare`, from :mod:`nlp.matching_copy`): the text is mapped to a matching copy
  of **the same length**: one spelling for exotic spaces, dashes, degree signs (``º`` → ``°``) and
  quotes; OCR's letters inside numbers read as digits (``2O19``, ``l5``; in identifier tokens also
  ``I``, ``o``, ``S``, ``B``, ``|``: ``l234-2Ol8``, see :func:`nlp.text.repair_ocr_digits`);
  decomposed accents composed with an offset map. Every span found points back at the input.
* *find*: the patterns are data, ``nlp/data/citations.jsonl``, one JSON object per line, compiled
  by :mod:`nlp.citation_table`:

  - ``{"define": NAME, "regex": ..., "query_regex": ...}``: a shared sub-pattern, substituted where
    a regex (or a later define) says ``{NAME}``; ``query_regex``, when given, is used for user
    queries. ``{"define": NAME, "values": [...]}`` builds an accent-tolerant alternation of names
    (the judicial districts; ``"upper_only": true`` makes it upper case only in documents), and
    ``{"define": "CODE", "codes": [...]}`` the codes cited by article, with their canonical name
    and last article;
  - a pattern: ``type``, ``kind``, ``regex`` (compiled with ``re.IGNORECASE | re.UNICODE``; a
    part that must keep its case says ``(?-i:...)``), ``canonical`` (a template over the named
    groups: ``"Casación {number}[/{district}]"``, a ``[...]`` part is left out when a group in it is
    empty), ``normalize`` (group → ``ident``, ``int``, ``pad3``, ``pad5``, ``ordinal``, ``title``, ``suffix``,
    ``district`` or ``name``: the first name of
    the entry of a ``values`` define, ``code``), ``range`` (group → ``[min, max]``), ``split`` (``list``: one mention per
    number of ``item`` in group ``numbers``; ``articles``: the code-article grammar below),
    ``reject_before`` (a regex the text just before must not end with), ``examples`` (``[text,
    [canonical, ...]]`` that the pattern must find, checked by the tests) and ``not`` (texts it must
    not match).
* *normalise*: each match becomes one :class:`~nlp.types.Mention`, or several for an enumeration
  (``arts. 296 y 297 del Código Penal``: the first spans ``arts. 296``, the last ``297 del Código
  Penal``), with the canonical form of ``docs/entities.md``. Overlapping matches are resolved
  leftmost-longest. An article "del mismo código" takes the code of the nearest legal instrument
  named before it in the same text, if that is one of the codes. Canonical templates and
  normalisers are in :mod:`nlp.citation_forms`, the code-article grammar in
  :mod:`nlp.citation_articles`, the resolution of matches in :mod:`nlp.citation_finding`.

Abbreviations that are also initials (``DL``, ``DS``, ``RN``, ``AP``, ``SPC``, ``CF``) are upper case
only in documents but any case in user queries (:func:`citations_in_query`, :func:`normalize_citation`),
where people type ``dl 1106``.

Documents and queries go through the same code, so a user's ``exp 456-2019`` and a document's
``EXP. N° 00456-2019-3-1826-JR-PE-02`` get canonical forms that :func:`extends` relates: an
identifier without its later parts (a ruling without its seat, a file number without its suffixes,
a report without its issuing offices) is a *partial form*, a prefix of the full one cut at a ``-``
or ``/`` after its number-year pair (``docs/entities.md``).

This module is the home of the entry points; the modules named above import only the standard
library and :mod:`nlp.matching_copy`, :mod:`nlp.resources`, :mod:`nlp.text` and :mod:`nlp.types`.
"""

from __future__ import annotations

import functools
import re

from nlp.citation_finding import find_with
from nlp.citation_forms import extends, may_continue
from nlp.citation_table import DATA_FILE, CitationPattern, patterns
from nlp.matching_copy import prepare
from nlp.resources import load_jsonl
from nlp.types import Mention

__all__ = [
    "DATA_FILE",
    "CitationPattern",
    "citations_in_query",
    "extends",
    "may_continue",
    "find_citations",
    "normalize_citation",
    "patterns",
    "prepare",
]


# A bare "artículo 296" (no code after it), alone or in a list, optionally "del mismo cuerpo legal"/"del citado
# código": an article of the code the text named just before.
_BARE_ARTICLES = re.compile(
    r"(?<![\w])(?:[Aa]rt[íi]culos?|ART[ÍI]CULOS?|[Aa]rts?\.)\s+(?P<items>\d{1,3}(?:\s?°)?"
    r"(?:(?:\s*,\s*|\s+[yea]\s+)\d{1,3}(?:\s?°)?){0,10})(?![\w°-]|\s?[.,]\s?\d)"
    r"(?P<same>\s+(?:del|de\s+dicho|de\s+este)\s+(?:mismo\s+|citado\s+|referido\s+|acotado\s+)?"
    r"(?:cuerpo\s+(?:legal|normativo)|c[óo]digo)(?:\s+acotado)?)?")
_OF = re.compile(r"\s*(?:,\s*)?(?:de\s+la|de\s+los|del|de|of\s+the|of)\s+", re.I)
#: How far back a bare article looks for the code it belongs to, unless it says "del mismo cuerpo legal".
BARE_REACH = 400


@functools.cache
def _codes() -> dict[str, int]:
    """The codes cited by article, by canonical name, with their last article (``citations.jsonl``, ``CODE``)."""
    return {code["name"]: int(code["max_article"]) for _, spec in load_jsonl(DATA_FILE)
            if spec.get("define") == "CODE" for code in spec["codes"]}


def bare_articles(text: str, mentions: list[Mention]) -> list[Mention]:
    """Articles cited without their code (``El artículo 296 establece …``) as articles of the code the text named
    last before them, when the nearest instrument cited before them is a code (``Código Penal``, or one of its
    articles) in the same paragraph within :data:`BARE_REACH` characters — or anywhere before on the page when the
    text says ``del mismo cuerpo legal``. An article past the code's last one, after another instrument, or of the
    law named right after it (``artículos 7 a 9 de la Ley N° 30077``) stays unread."""
    codes = _codes()
    laws = sorted((m for m in mentions if m.type == "law"), key=lambda m: m.start)
    taken = [(m.start, m.end) for m in mentions]
    found: list[Mention] = []
    for match in _BARE_ARTICLES.finditer(text):
        if any(match.start() < end and start < match.end() for start, end in taken):
            continue
        after = next((m for m in laws if m.start >= match.end()), None)
        if after is not None and _OF.fullmatch(text, match.end(), after.start):
            continue  # "artículo 2 de la Ley N° 30077": an article of the law named after it
        before = [m for m in laws if m.end <= match.start()]
        if not before or (not match.group("same") and (match.start() - before[-1].end > BARE_REACH
                                                       or "\n\n" in text[before[-1].end:match.start()])):
            continue  # too far, or in another paragraph, from the code
        code = next((name for name in codes if before[-1].canonical == name
                     or before[-1].canonical.startswith(f"{name} art. ")), None)
        if code is None:
            continue
        for i, number in enumerate(re.finditer(r"\d{1,3}", match.group("items"))):
            # the first article's mention takes the word "artículos", the others their number
            start, end = (match.start() if i == 0 else match.start("items") + number.start()), match.start("items") + number.end()
            if 0 < int(number.group(0)) <= codes[code]:
                found.append(Mention("law", f"{code} art. {int(number.group(0))}", text[start:end], start, end))
    return found


def find_citations(text: str) -> list[Mention]:
    """Case identifiers and legal instruments in a document's text, in reading order."""
    return find_with(patterns(), text, query=False)


def citations_in_query(q: str) -> list[Mention]:
    """Citations inside a free query string (abbreviations in any case: ``dl 1106``, ``art 296 cp``)."""
    return find_with(patterns(), q, query=True)


def normalize_citation(text: str) -> str | None:
    """The canonical form when the whole of ``text`` is one citation (``"DL 1106"`` → ``"Decreto Legislativo 1106"``)."""
    stripped = text.strip().rstrip(".,;:")
    found = citations_in_query(stripped)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(stripped):
        return found[0].canonical
    return None
