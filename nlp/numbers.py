"""Amounts of money, DNI and RUC numbers and dates in Peruvian text, with canonical forms.

Same steps as :mod:`nlp.citations`: the text is mapped to a matching copy of the same length
(:func:`nlp.matching_copy.prepare`), regexes find, small functions normalise:

* ``money``: currency code and amount with two decimals (``PEN 1250000.00``, ``USD 3200000.00``,
  ``EUR 500.00``). ``S/``, ``S/.``, ``PEN``, ``soles`` are PEN; ``US$``, ``USD``, ``$us``, ``dólares``
  are USD; ``€``, ``EUR``, ``euros`` are EUR. A bare ``$`` is USD only when the amount is followed
  by ``dólares`` or ``USD`` (elsewhere it may be pesos); otherwise it is skipped. Separators: the last
  ``.`` or ``,`` followed by one or two digits is the decimal mark, every other ``.``, ``,``, ``'``
  or space between groups of three digits separates thousands (``1.250.000,00``, ``1'250,000.00``,
  ``1 250 000.00``); ``millones``, ``millón``, ``mil`` multiply.
* ``dni``: the 8 digits after ``DNI``, ``D.N.I.``, ``documento nacional de identidad`` or ``L.E.``
  (libreta electoral, the DNI's predecessor, same number), with any ``N°`` variant; a bare 8-digit
  number is never a DNI.
* ``ruc``: the 11 digits after ``RUC``/``R.U.C.``/``registro único de contribuyentes``, starting
  with 10, 15, 17 or 20.
* ``date``: ISO ``2019-05-14`` from ``14 de mayo de 2019``, ``14 de mayo del (año) 2019``, ``lunes
  14 de mayo de 2019``, ``1° de enero``, ``14 días del mes de mayo de 2019``, ``catorce de mayo de
  dos mil diecinueve``, ``14/05/2019``, ``14-05-2019``, ``14.05.2019`` (day first), ``2019-05-14``
  and ``14-MAY-2019``. Impossible dates (``31 de febrero``) are rejected; a month and year alone
  (``mayo de 2019``) and two-digit years (``14/05/19``) are not dates here.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Iterator

from nlp.matching_copy import prepare, span
from nlp.text import fold
from nlp.types import Mention

__all__ = ["find_numbers", "parse_amount"]

# --------------------------------------------------------------------------------------------------
# money
# --------------------------------------------------------------------------------------------------

# An amount: groups of three digits with thousands separators, or plain digits; optional decimals.
_AMOUNT = (
    r"(?P<amount>(?:\d{1,3}(?:[.,' ]\d{3}(?![\d]))+|\d+)(?:[.,]\d{1,2}(?![\d]))?)"
    r"(?![\d])(?![.,]\d)"
)
_MULT = r"(?:\s*(?P<mult>mil\s+millones|millones|mill[óo]n|mil|millions?|billions?|thousand)(?![\w]))?"
_DOLLAR_WORDS = r"d[óo]lares(?:\s+(?:americanos|estadounidenses|norteamericanos|de\s+los\s+estados\s+unidos(?:\s+de\s+am[ée]rica)?))?"
_CUR_WORD = (
    r"(?P<word>(?:nuevos\s+)?soles|" + _DOLLAR_WORDS + r"|euros|(?-i:USD|PEN|EUR)(?![\w])|€)"
)
# A currency sign or code first: S/ 1 250 000.00, US$ 3.2 millones, USD 50,000, € 500.
_MONEY = re.compile(
    r"(?P<sign>(?<![\w/])S\s?/\s?\.?|(?<![\w])U\.?\s?S\.?\s?\$|\$\s?us(?![\w])|(?<![\w])(?-i:USD|PEN|EUR)(?![\w])|€|(?<![\w$])\$)"
    r"[ \n]*" + _AMOUNT + _MULT + r"(?:\s*(?:de\s+)?" + _CUR_WORD + r")?",
    re.I,
)
# Or the amount first: 1.5 millones de soles, 50 000 dólares americanos, 500 €. Looked for only
# around a currency word (see _anchored): trying it at every digit is slow.
_MONEY_AFTER = re.compile(r"(?<![\d.,'/])" + _AMOUNT + _MULT + r"\s*(?:de\s+)?" + _CUR_WORD, re.I)
_MONEY_ANCHOR = re.compile(r"(?i:(?:nuevos\s+)?soles|d[óo]lares|euros)|USD|PEN|EUR|€")

_MULTIPLIERS = {
    "mil": 1000, "millon": 10**6, "millones": 10**6, "mil millones": 10**9,
    "thousand": 1000, "million": 10**6, "millions": 10**6, "billion": 10**9, "billions": 10**9,
}  # fmt: skip


def parse_amount(text: str) -> Decimal | None:
    """``"1 250 000.00"``, ``"1.250.000,00"``, ``"1'250,000.00"``, ``"3.2"`` → a Decimal."""
    s = re.sub(r"[\s']", "", text)
    last = max(s.rfind("."), s.rfind(","))
    if last >= 0 and 1 <= len(s) - last - 1 <= 2:
        whole, decimals = s[:last], s[last + 1 :]
    else:
        whole, decimals = s, ""
    whole = re.sub(r"[.,]", "", whole)
    try:
        return Decimal(f"{whole or '0'}.{decimals or '0'}")
    except InvalidOperation:
        return None


def _currency(sign: str | None, word: str | None) -> str | None:
    sign = (sign or "").replace(" ", "").replace(".", "").upper()
    word = fold(word or "")
    if sign.startswith("S/") or sign == "PEN":
        return "PEN"
    if sign in ("US$", "$US", "USD"):
        return "USD"
    if sign in ("€", "EUR"):
        return "EUR"
    if sign == "$":  # pesos elsewhere: dollars only when the text says so
        return "USD" if word.startswith("dolares") or word == "usd" else None
    if "soles" in word or word == "pen":
        return "PEN"
    if word.startswith("dolares") or word == "usd":
        return "USD"
    if word in ("euros", "eur", "€"):
        return "EUR"
    return None


def _money(m: re.Match) -> str | None:
    amount = parse_amount(m.group("amount"))
    currency = _currency(m.groupdict().get("sign"), m.group("word"))
    if amount is None or currency is None:
        return None
    mult = m.group("mult")
    if mult:
        amount *= _MULTIPLIERS[" ".join(fold(mult).split())]
    return f"{currency} {amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}"


# --------------------------------------------------------------------------------------------------
# DNI and RUC
# --------------------------------------------------------------------------------------------------

_NRO = r"""(?:n(?:\s?\.\s?|\s)?[°*?"'ª]\s?[.s]?|nros?\.?|no\.|n[úu]m(?:ero)?\.?|n\.?(?=\s?\d))"""
_DNI = re.compile(
    r"(?<![\w])(?:D\.?\s?N\.?\s?[Il1]\.?|documento\s+nacional\s+de\s+identidad|L\.\s?E\.|libreta\s+electoral)"
    r"\s*(?:" + _NRO + r")?\s*[:.]?\s*(?P<number>\d{8}|\d{2,6} \d{2,6})(?![\d])(?![.,]\d)",
    re.I,
)
_RUC = re.compile(
    r"(?<![\w])(?:R\.?\s?U\.?\s?C\.?|registro\s+[úu]nico\s+de\s+contribuyentes?)"
    r"\s*(?:" + _NRO + r")?\s*[:.]?\s*(?P<number>(?:10|15|17|20)\d{9})(?![\d])(?![.,]\d)",
    re.I,
)

# --------------------------------------------------------------------------------------------------
# dates
# --------------------------------------------------------------------------------------------------

_MONTHS = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}  # fmt: skip
_MONTH_ABBR = {
    "ene": 1, "feb": 2, "mar": 3, "abr": 4, "may": 5, "jun": 6, "jul": 7, "ago": 8, "set": 9, "sep": 9,
    "oct": 10, "nov": 11, "dic": 12,
}  # fmt: skip
_UNITS = ["", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once", "doce",
          "trece", "catorce", "quince", "dieciseis", "diecisiete", "dieciocho", "diecinueve", "veinte", "veintiuno",
          "veintidos", "veintitres", "veinticuatro", "veinticinco", "veintiseis", "veintisiete", "veintiocho",
          "veintinueve"]  # fmt: skip
_TENS = {30: "treinta", 40: "cuarenta", 50: "cincuenta", 60: "sesenta", 70: "setenta", 80: "ochenta", 90: "noventa"}


def _number_words() -> dict[str, int]:
    words = {w: i for i, w in enumerate(_UNITS) if w}
    words["primero"] = 1
    words["veintiun"] = 21
    for tens, word in _TENS.items():
        words[word] = tens
        for unit in range(1, 10):
            words[f"{word} y {_UNITS[unit]}"] = tens + unit
    return words


_NUMBER_WORDS = _number_words()


def _words_regex(values: dict[str, int], limit: int) -> str:
    def tolerant(word: str) -> str:
        out = []
        for ch in word:
            out.append({"a": "[aá]", "e": "[eé]", "i": "[ií]", "o": "[oó]", "u": "[uú]", " ": r"\s+"}.get(ch, ch))
        return "".join(out)

    words = sorted((w for w, v in values.items() if v <= limit), key=len, reverse=True)
    return "(?:" + "|".join(tolerant(w) for w in words) + r")(?![\w])"


_MONTH_RE = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")(?![\w])"
_DAY_WORDS = _words_regex(_NUMBER_WORDS, 31)
_YEAR_WORDS = r"(?:dos\s+mil|mil\s+novecientos)(?:\s+" + _words_regex(_NUMBER_WORDS, 99) + ")?"
_WEEKDAY = r"(?:(?:lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo)\s*,?\s*)?"

_DATE_WORDS = re.compile(
    r"(?<![\w])" + _WEEKDAY + r"(?:(?P<day>\d{1,2})(?:\s?°|ro\.?|er\.?)?|(?P<dayw>" + _DAY_WORDS + r"))"
    r"\s+(?:d[íi]as\s+del\s+mes\s+de|de(?:l\s+mes\s+de)?)\s+(?P<month>" + _MONTH_RE + r")"
    r"\s*,?\s+(?:(?:de|del)\s+)?(?:a[ñn]o\s+)?(?:(?P<year>\d{4})(?![\d])(?![.,]\d)|(?P<yearw>" + _YEAR_WORDS + r"))",
    re.I,
)
_DATE_NUMERIC = re.compile(
    r"(?<![\w/.,-])(?:(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4})"
    r"|(?P<iyear>\d{4})-(?P<imonth>\d{2})-(?P<iday>\d{2})"
    r"|(?P<aday>\d{1,2})(?P<asep>[/.-])(?P<amonth>ene|feb|mar|abr|may|jun|jul|ago|set|sep|oct|nov|dic)\.?(?P=asep)(?P<ayear>\d{4}))"
    r"(?![\w])(?![/.,-]\d)",
    re.I,
)
_EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
_EN_MONTH_RE = "(?:" + "|".join(_EN_MONTHS) + r")(?![\w])"
_DATE_EN = re.compile(
    r"(?<![\w])(?:(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>" + _EN_MONTH_RE + r")\s*,?\s+(?P<year>\d{4})"
    r"|(?P<month2>" + _EN_MONTH_RE + r")\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s*,?\s+(?P<year2>\d{4}))(?![\d])(?![.,]\d)",
    re.I,
)
_MONTH_ANCHOR = re.compile(_MONTH_RE, re.I)
# "Oficio N° 14-05-2019": a number, not a date.
_AFTER_NRO = re.compile(r"(?:\bn\s?\.?\s?[°*ª]|\bnros?\.?|\bno\.)\s*\Z", re.I)


def _year_from_words(words: str) -> int | None:
    words = " ".join(fold(words).split())
    for prefix, base in (("dos mil", 2000), ("mil novecientos", 1900)):
        if words.startswith(prefix):
            rest = words[len(prefix) :].strip()
            if not rest:
                return base
            value = _NUMBER_WORDS.get(rest)
            return None if value is None or rest == "primero" else base + value
    return None


def _iso(year: int | None, month: int | None, day: int | None) -> str | None:
    if year is None or month is None or day is None or not 1800 <= year <= 2099:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _date_words(m: re.Match) -> str | None:
    day = int(m.group("day")) if m.group("day") else _NUMBER_WORDS.get(" ".join(fold(m.group("dayw")).split()))
    month = _MONTHS[fold(m.group("month"))]
    year = int(m.group("year")) if m.group("year") else _year_from_words(m.group("yearw"))
    return _iso(year, month, day)


def _date_english(m: re.Match) -> str | None:
    if m.group("day"):
        return _iso(int(m.group("year")), _EN_MONTHS[m.group("month").lower()], int(m.group("day")))
    return _iso(int(m.group("year2")), _EN_MONTHS[m.group("month2").lower()], int(m.group("day2")))


def _date_numeric(m: re.Match) -> str | None:
    if m.group("day"):
        return _iso(int(m.group("year")), int(m.group("month")), int(m.group("day")))
    if m.group("iyear"):
        return _iso(int(m.group("iyear")), int(m.group("imonth")), int(m.group("iday")))
    return _iso(int(m.group("ayear")), _MONTH_ABBR[m.group("amonth").lower()], int(m.group("aday")))


# --------------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------------


def _anchored(regex: re.Pattern, anchors: re.Pattern, text: str, group: str, before: int, after: int) -> Iterator[re.Match]:
    """Matches of ``regex`` whose ``group`` starts at a match of the cheap ``anchors`` regex.

    ``regex`` is tried only in a window around each anchor: ``before`` characters before it and
    ``after`` after it (the match must end inside the window, so that its look-aheads saw real text).
    """
    size = len(text)
    for a in anchors.finditer(text):
        hi = min(size, a.end() + after)
        for m in regex.finditer(text, max(0, a.start() - before), hi):
            if m.start(group) == a.start() and (m.end() < hi or hi == size):
                yield m
                break


def find_numbers(text: str) -> list[Mention]:
    """Money, DNI, RUC and date mentions in ``text``, in reading order, without overlaps."""
    if not text:
        return []
    clean, offsets = prepare(text)
    found: list[tuple[int, int, str, str]] = []  # (start, end, type, canonical)
    for m in _MONEY.finditer(clean):
        canonical = _money(m)
        if canonical:
            found.append((m.start(), m.end(), "money", canonical))
    for m in _anchored(_MONEY_AFTER, _MONEY_ANCHOR, clean, "word", 60, 60):
        canonical = _money(m)
        if canonical:
            found.append((m.start(), m.end(), "money", canonical))
    for regex, kind, size in ((_DNI, "dni", 8), (_RUC, "ruc", 11)):
        for m in regex.finditer(clean):
            number = m.group("number").replace(" ", "")  # OCR splits "2251 7839"
            if len(number) == size:
                found.append((m.start(), m.end(), kind, number))
    for m in _anchored(_DATE_WORDS, _MONTH_ANCHOR, clean, "month", 80, 80):
        iso = _date_words(m)
        if iso:
            found.append((m.start(), m.end(), "date", iso))
    for m in _DATE_EN.finditer(clean):
        iso = _date_english(m)
        if iso:
            found.append((m.start(), m.end(), "date", iso))
    for m in _DATE_NUMERIC.finditer(clean):
        if _AFTER_NRO.search(clean, max(0, m.start() - 8), m.start()):
            continue
        iso = _date_numeric(m)
        if iso:
            found.append((m.start(), m.end(), "date", iso))
    out: list[Mention] = []
    last_end = -1
    for start, end, kind, canonical in sorted(found, key=lambda f: (f[0], -(f[1] - f[0]))):
        if start < last_end:
            continue
        last_end = end
        start, end = span(offsets, start, end)
        out.append(Mention(kind, canonical, text[start:end], start, end))
    return out
