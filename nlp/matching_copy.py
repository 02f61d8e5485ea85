"""The matching copy of a text: the string the citation and number patterns run on.

Invariants: the copy maps back to the input, so every span found in it points at the input
(:func:`span`); where no character was composed the copy has the same length and the same
offsets. The copy has one spelling for exotic spaces, dashes (en and em dashes read as ``-``),
degree signs (``º`` → ``°``) and quotes; OCR's letters inside numbers and identifiers read as digits
(:func:`nlp.text.repair_ocr_digits`: ``2O19``, ``l5``, ``l234-2Ol8``); decomposed accents are
composed, with an offset map.

Used by :mod:`nlp.citations` and :mod:`nlp.numbers`. Only the standard library and :mod:`nlp.text`
are imported.
"""

from __future__ import annotations

import re
import unicodedata

from nlp.text import repair_ocr_digits

__all__ = ["prepare", "span"]

# One character for one character, so offsets survive.
_TRANSLATE = str.maketrans(
    {
        "\u00a0": " ",  # no-break space
        "\u2007": " ",  # figure space
        "\u2009": " ",  # thin space
        "\u202f": " ",  # narrow no-break space
        "\t": " ",
        "\r": "\n",
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash (PDFs write "1234–2018")
        "\u2014": "-",  # em dash (OCR and word processors: "1234—2018")
        "\u2015": "-",  # horizontal bar
        "\u2212": "-",  # minus
        "\u00ba": "°",  # masculine ordinal: "Nº", "296º"
        "\u02da": "°",  # ring above
        "\u2070": "°",  # superscript zero
        "\u2019": "'",
        "\u2018": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ad": "-",  # soft hyphen
    }
)


# str.translate with a dict is slow on non-ASCII text; a regex finds the few characters to map.
_TO_TRANSLATE = re.compile("[" + "".join(re.escape(chr(c)) for c in _TRANSLATE) + "]")


def _translate(text: str) -> str:
    if not _TO_TRANSLATE.search(text):
        return text
    return _TO_TRANSLATE.sub(lambda m: _TRANSLATE[ord(m.group(0))], text)


def prepare(text: str) -> tuple[str, list[int] | None]:
    """The matching copy of ``text`` and, when it differs in length, a map of its offsets.

    ``offsets[i]`` is the offset in ``text`` of character ``i`` of the copy (one extra entry maps the
    end). ``None`` means the copy has the same length and offsets are the same. The copy has one
    spelling for spaces, dashes, degree signs and quotes, and OCR's ``O``/``l`` inside numbers read
    as ``0``/``1``.
    """
    if unicodedata.is_normalized("NFC", text):
        return repair_ocr_digits(_translate(text)), None
    out: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFC", text[i:j])
        out.append(piece)
        offsets.extend([i] * len(piece))
        i = j
    offsets.append(n)
    return repair_ocr_digits(_translate("".join(out))), offsets


def span(offsets: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """The span of the input under ``start:end`` of the copy (``offsets`` as :func:`prepare` gives)."""
    if offsets is None:
        return start, end
    # The end maps to the start of the next cluster, so combining marks of the last letter are kept.
    return offsets[start], offsets[end]
