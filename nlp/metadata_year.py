"""The year of a document, read from the dates it is issued with.

Invariants: a year is between ``YEAR_MIN`` and ``YEAR_MAX`` (others are ignored), or ``None``;
the reason is left in ``signals["year"]``. In order:

* a place-and-date line (``Lima, 14 de mayo de 2019``, also in words: ``catorce de mayo de dos
  mil diecinueve``; in English ``Lima, May 3, 2019``, ``Lima, 3 May 2019`` or a line holding only
  such a date) on the first page, then on the last page;
* for case documents, the latest of the dates on the first page and the year of the document's
  own number (``Casación N° 1234-2018``); for ``otro`` the own number only;
* a cover year (``Lima, 2019``, ``Edición 2019``). Training material is dated only by a
  place-and-date line or a cover year, never by a cited year (a manual citing the 1988 Vienna
  Convention is not from 1988).
"""

from __future__ import annotations

import re

from nlp.folding import fold_plain
from nlp.metadata_doc_type import DocTypeConfig, first_page

__all__ = ["YEAR_MAX", "YEAR_MIN", "infer_year"]

YEAR_MIN, YEAR_MAX = 1950, 2030

_MONTHS_EN = "january|february|march|april|may|june|july|august|september|october|november|december"
_MONTHS = ("enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
           + _MONTHS_EN)
_UNITS = {"cero": 0, "un": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
          "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
          "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiun": 21,
          "veintiuno": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25,
          "veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29}
_TENS = {"treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90}
_NUMBER_WORD = "|".join(sorted(list(_UNITS) + list(_TENS), key=len, reverse=True))
_YEAR_WORDS = (rf"(?:dos mil|mil novecientos)(?:\s+(?:{_NUMBER_WORD})(?:\s+y\s+(?:{_NUMBER_WORD}))?)?")


def _year_group(name: str) -> str:
    return rf"(?P<{name}>(?:19|20)\d{{2}}|{_YEAR_WORDS})"


_DAY = rf"(?:\d{{1,2}}°?|primero|(?:{_NUMBER_WORD})(?:\s+y\s+(?:{_NUMBER_WORD}))?)"


def _date_es(name: str) -> str:
    return rf"{_DAY}\s+(?:de\s+)?(?:{_MONTHS})\s+(?:de|del)\s+(?:ano\s+)?{_year_group(name)}(?!\w)"


def _date_num(name: str) -> str:
    return rf"\b\d{{1,2}}[/.-]\d{{1,2}}[/.-](?P<{name}>(?:19|20)\d{{2}})\b"


def _date_en(name: str) -> str:
    """An English date: "May 3, 2019", "May 3rd, 2019", "3 May 2019", "the 3rd of May, 2019"."""
    return (rf"(?:the\s+)?(?:(?:{_MONTHS_EN})\s+\d{{1,2}}(?:st|nd|rd|th)?,?"
            rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS_EN}),?)\s+(?P<{name}>(?:19|20)\d{{2}})\b")


_DATES = [
    re.compile(_date_es("year")),
    re.compile(rf"(?:(?:{_MONTHS})\s+\d{{1,2}},?\s+|\d{{1,2}}\s+(?:{_MONTHS}),?\s+)(?P<year>(?:19|20)\d{{2}})\b"),
    re.compile(_date_num("year")),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-\d{2}-\d{2}\b"),
]
# A place and a date: "Lima, 14 de mayo de 2019", "Callao, 27 de octubre de 2017", "Lima, May 3, 2019",
# "Lima, 3 May 2019", at a line or sentence start; or a line that is only an English date ("May 3, 2019",
# "Dated: 3 May 2019"), the way English documents are dated.
_PLACE_DATE = re.compile(
    rf"(?:^|[.;:]\s+)[^\W\d_][^\W\d_.,;:\n]{{1,40}}?,\s+(?:a\s+los\s+|el\s+)?"
    rf"(?:{_date_es('y1')}|{_date_num('y2')}|{_date_en('y3')})"
    rf"|^[^\w\n]*(?:dated?\s*:?\s*)?{_date_en('y4')}[^\w\n]*$",
    re.MULTILINE)
_COVER_YEAR = re.compile(
    r"(?:^\W*(?P<y1>(?:19|20)\d{2})\W*$"
    r"|^[^\W\d_][^\W\d_ ]{1,20}(?: [^\W\d_]+){0,2}\s*[,–-]\s*(?P<y2>(?:19|20)\d{2})\W*$"
    r"|\b(?:edicion|actualizacion|version)\s*:?\s*(?:[a-z]+\s+(?:de\s+)?)?(?P<y3>(?:19|20)\d{2})\b"
    r"|(?:©|\(c\)|copyright)\s*(?P<y4>(?:19|20)\d{2})\b)",
    re.MULTILINE)
# The document's own number: "Casación N° 1234-2018", "Informe policial N° 087-2020-DIRANDRO", "Exp. 00123-2017-5-...".
_OWN_NUMBER = re.compile(
    r"\b(?:casacion|cas\.|recurso de nulidad|r\.\s?n\.|acuerdo plenario|expediente|exp\.|informe(?: policial)?"
    r"|carpeta fiscal|resolucion|disposicion|oficio|atestado|parte)\s*(?:n(?:ro)?\s*[.°*?\"'o]{0,3}\s*)?"
    r"\d{1,12}-(?P<year>(?:19|20)\d{2})\b")


def _year_value(text: str) -> int | None:
    text = text.strip()
    digits = re.sub(r"[\s.]", "", text)
    if digits.isdigit():
        year = int(digits)
    else:
        words = text.split()
        year = 2000 if words[0] == "dos" else 1900
        rest = [w for w in words[2:] if w != "y"]
        for w in rest:
            year += _UNITS.get(w, _TENS.get(w, 0))
    return year if YEAR_MIN <= year <= YEAR_MAX else None


def _years(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    """(position, year) of each match whose year is plausible."""
    out = []
    for match in pattern.finditer(text):
        groups = {k: v for k, v in match.groupdict().items() if v}
        raw = next(iter(groups.values()), None)
        if raw is None:
            continue
        year = _year_value(raw)
        if year is not None:
            out.append((match.start(), year))
    return out


def _all_date_years(text: str) -> list[int]:
    years = []
    for pattern in _DATES:
        years += [y for _, y in _years(pattern, text)]
    return years


_CASE_TYPES = {"sentencia", "auto", "acusación", "requerimiento", "informe policial", "casación",
               "recurso de nulidad", "acuerdo plenario"}


def infer_year(cfg: DocTypeConfig, doc_type: str, title: str | None, pages: list[str],
               signals: dict) -> int | None:
    """The year a document of type ``doc_type`` was issued, or ``None``."""
    first_index, page1 = first_page(pages)
    page1_f = fold_plain(page1)
    title_f = fold_plain(title or "")
    found = _years(_PLACE_DATE, page1_f)
    if found:
        signals["year"] = "place and date line on the first page"
        return found[0][1]
    last = next((p for p in reversed(pages[first_index + 1:]) if p and p.strip()), None)
    if last is not None:
        found = _years(_PLACE_DATE, fold_plain(last))
        if found:
            signals["year"] = "place and date line on the last page"
            return found[-1][1]
    if doc_type in _CASE_TYPES or doc_type == cfg.default:
        own = [y for _, y in _years(_OWN_NUMBER, title_f + "\n" + page1_f[:600])]
        dated = _all_date_years(page1_f) if doc_type in _CASE_TYPES else []
        if own or dated:
            year = max(own[:1] + dated)
            signals["year"] = "latest of the own number and the dates of the first page"
            return year
    cover = _years(_COVER_YEAR, title_f + "\n" + page1_f[:400])
    if cover:
        signals["year"] = "cover year"
        return cover[0][1]
    signals["year"] = "no issuing date"
    return None
