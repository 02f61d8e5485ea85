"""Clean-up of text extracted from PDFs before NLP and indexing."""

from __future__ import annotations

import functools
import importlib
import re
import unicodedata

# Letter classes for character sets in expressions: Latin letters of Spanish and its neighbours.
LOWER = "a-zàáâäãçèéêëìíîïñòóôöõùúûü"
UPPER = "A-ZÀÁÂÄÃÇÈÉÊËÌÍÎÏÑÒÓÔÖÕÙÚÛÜ"
# A hyphen at a line end inside a word written in one case: "eviden-\ncia" -> "evidencia", and in
# headings and OCR "LA-\nVADO DE ACTIVOS", "DI-\nRANDRO" (every break between capitals in the labelled
# sets, 3 of 3, is a word cut in two). A capital after a lowercase letter ("Lima-\nCallao") starts the
# second part of a compound, which stays.
HYPHEN_BREAK = (rf"(?<=[{LOWER}])-[ \t]*\r?\n[ \t]*(?=[{LOWER}])"
                rf"|(?<=[{UPPER}])-[ \t]*\r?\n[ \t]*(?=[{UPPER}])")
# pdfium marks soft hyphens at line ends with U+FFFE; U+00AD is the soft hyphen.
SOFT_HYPHEN = r"[\u00ad\ufffe][ \t]*\r?\n?[ \t]*"
_HYPHEN_BREAK = re.compile(HYPHEN_BREAK)
_SOFT_HYPHEN = re.compile(SOFT_HYPHEN)
_SPACES = re.compile(r"[ \t\u00a0]+")
# Control characters (but newline and tab) and private-use code points (symbol-font bullets and
# dingbats) carry no words; they become spaces.
_NOISE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000-\uf8ff]")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_page_text(text: str) -> str:
    """Normalise one page's text: NFC, joined hyphenation, no control characters, tidy whitespace."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _SOFT_HYPHEN.sub("", text)
    text = _HYPHEN_BREAK.sub("", text)
    text = _NOISE.sub(" ", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def looks_like_garbage(text: str, min_chars: int = 40) -> bool:
    """True when text is mostly control or unassigned characters (a damaged PDF's output).

    Short texts are never judged: a page with a page number only is not garbage.
    """
    if len(text) < min_chars:
        return False
    bad = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs") and ch not in "\n\t")
    # Letters and digits: a page that is a table of dates, amounts and account numbers is readable.
    readable = sum(1 for ch in text if ch.isalnum())
    return bad / len(text) > 0.10 or readable / len(text) < 0.30


def fold(text: str) -> str:
    """Lower case without accents: NFKD, combining marks dropped, then lower case (``Año`` → ``ano``).

    The key under which words are compared across the code (stop words, name vocabularies, query
    field names). Compatibility forms fold too (``º`` → ``o``, ``ﬁ`` → ``fi``), so the result may be
    longer or shorter than ``text``; matching that must keep offsets uses :func:`fold_chars`.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@functools.cache
def stop_words(*languages: str) -> frozenset[str]:
    """spaCy's stop words of ``languages`` (``"es"``, ``"en"``), folded: ``stop_words("es", "en")``.

    spaCy is imported here, not at the top: importing its stop-word lists takes 0.54 s, and most
    callers of this module never need them.
    """
    words: set[str] = set()
    for language in languages:
        words |= importlib.import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS
    return frozenset(fold(w) for w in words)


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {cp: chr(cp + 32) for cp in range(ord("A"), ord("Z") + 1)}
    for cp in range(0xC0, 0x250):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0]
        if base.isascii() and base.isalpha():
            table[cp] = base.lower()
        elif ch.lower() != ch and len(ch.lower()) == 1:
            table[cp] = ch.lower()
    for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212":
        table[ord(dash)] = "-"
    table[0xBA] = "°"  # º (ordinal indicator), the usual OCR/typing variant of °
    table[0xA0] = " "
    return table


_FOLD_CHARS = _fold_table()


def fold_chars(text: str) -> str:
    """:func:`fold` one character for one, so a span of the result is a span of ``text``.

    Used where matches must point back at the original (the gazetteer, the metadata cues), which
    :func:`fold` cannot promise: NFKD changes lengths. So it differs on purpose: letters of
    U+00C0–U+024F lose their accents one for one, the dashes read as ``-``, ``º`` as ``°`` (the
    patterns write ``N°``), a no-break space as a space; combining marks are left in place for the
    caller to skip.
    """
    return text.translate(_FOLD_CHARS)


# OCR reads 0 as O and 1 as l inside numbers ("2O19", "l5 de enero", "S/ 34 8OO.OO"). A run of
# digits, O and l that holds a real digit and touches no other letter is a number; then a run of O
# only that continues a number through a separator ("-O-", ".OO", " OOO") is one too.
_OCR_HINT = re.compile(r"[Ol](?:(?<=\d.)|(?=\d))|O(?<=\d[.,'/ -]O)")
_OCR_RUN = re.compile(r"(?<![^\W\d_])[\dOl]*\d[\dOl]*(?![^\W\d_])")
_OCR_ZEROS = re.compile(r"(?<=\d[.,'/-])O+(?![^\W\d_])|(?<![^\W\d_])O+(?=[.,'/-]\d)|(?<=\d )OOO(?![^\W\d_])")
_OCR_DIGITS = str.maketrans("Ol", "01")

# Identifier tokens take more confusions, because their shape vouches for them: a number-year pair
# ("l234-2Ol8", "I234-2O1B", the head of "00456-2O19-3-l826-JR-PE-02"), whose year must read as
# 19xx or 20xx once repaired, and a number right after a number sign ("N° 3OO7I", "Nro. l1O6").
# There O and o read as 0, l and I as 1; S as 5, B as 8 and | as 1 only between two digits (or
# anywhere in the year, which must then read as one), because at a token's edge they are more often
# a letter suffix ("296-B", "5S") or a table's rule ("|2019|").
# A lone "2o19" stays (ordinals "1o", "2o" are words), and so does every token without a real digit.
_ID_CHARS = r"[\dOolI|SB]"
_ID_HEAD = re.compile(
    rf"(?<![^\W_|])(?P<num>{_ID_CHARS}{{1,6}})(?P<sep>\s?-\s?)(?P<year>{_ID_CHARS}{{4}})(?![^\W_|])"
    r"(?P<tail>(?:\s?[-/]\s?[^\W_]+)*)"
)
_ID_AFTER_SIGN = re.compile(
    r"(?<![^\W_])(?P<sign>[Nn](?:\s?\.\s?)?[°º*?\"]\s?|(?:[Nn]ro|NRO|[Nn]o|NO|[Nn])\.\s?)"
    rf"(?P<num>{_ID_CHARS}*\d{_ID_CHARS}*)(?![^\W_|])"
)
_ID_TAIL_PART = re.compile(r"[\dOolI]*\d[\dOolI]*(?![^\W_])")
_ID_HINT = re.compile(r"[OolI|SB](?:(?<=\d.)|(?=\d))")
_ID_EDGE_FREE = str.maketrans("OolI", "0011")
_ID_INNER = str.maketrans("OolI|SB", "0011158")
_YEAR = re.compile(r"(?:19|20)\d\d")


def _identifier_digits(token: str) -> str:
    """``token`` read as digits where the rules above allow it (the result may still hold letters)."""
    out = []
    for i, ch in enumerate(token):
        if ch in "|SB":
            inside = 0 < i < len(token) - 1 and token[i - 1] in "0123456789OolI" and token[i + 1] in "0123456789OolI"
            out.append(ch.translate(_ID_INNER) if inside else ch)
        else:
            out.append(ch.translate(_ID_EDGE_FREE))
    return "".join(out)


def _repair_head(m: re.Match) -> str:
    num, year = m["num"], m["year"]
    if not any(c.isdigit() for c in num) or not any(c.isdigit() for c in year):
        return m.group(0)
    num, year = _identifier_digits(num), year.translate(_ID_INNER)  # the year check vouches for its letters
    if not (num.isdigit() and _YEAR.fullmatch(year)):
        return m.group(0)
    tail = _ID_TAIL_PART.sub(lambda t: t.group(0).translate(_ID_EDGE_FREE), m["tail"])
    return num + m["sep"] + year + tail


def _repair_after_sign(m: re.Match) -> str:
    num = _identifier_digits(m["num"])
    return m["sign"] + num if num.isdigit() else m.group(0)


def repair_ocr_digits(text: str) -> str:
    """OCR's letters read as digits inside numbers and identifiers, one character for one.

    Everywhere: ``O`` and ``l`` in a run of digits (``2O19``, ``l5``). In identifier tokens (a
    number-year pair, a number after ``N°``) also ``o``, ``I``, and between digits ``S``, ``B``, ``|``:
    ``l234-2Ol8`` → ``1234-2018``. Ordinary words are never touched: a token without a real digit
    stays as it is.
    """
    if _ID_HINT.search(text):
        text = _ID_HEAD.sub(_repair_head, text)
        text = _ID_AFTER_SIGN.sub(_repair_after_sign, text)
    if not _OCR_HINT.search(text):
        return text
    text = _OCR_RUN.sub(lambda m: m.group(0).translate(_OCR_DIGITS), text)
    for _ in range(3):
        repaired = _OCR_ZEROS.sub(lambda m: "0" * len(m.group(0)), text)
        if repaired == text:
            break
        text = repaired
    return text
