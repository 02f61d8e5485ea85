"""Language of a text: Spanish or English, by the share of each language's commonest words.

Enough to choose the OCR language and the analyser; it answers ``None`` when a
text is too short to tell.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-záéíóúüñ]+")
_ES = frozenset("de la que el en los del se las por un para con una su al lo como más pero sus le ya o este "
                "sí porque esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos "
                "durante todos uno les ni contra otros ese eso ante ellos e esto mí antes algunos qué unos "
                "yo otro otras otra él tanto esa estos mucho quienes nada muchos cual poco ella estar estas".split())
_EN = frozenset("the of and to in a is that for it as was with be by on not he this are or his from at which "
                "but have an they you were their one all we can her has there been if more when will would "
                "who so no she other its may these such into than only some could them also any should".split())


def detect_language(text: str, min_words: int = 8) -> str | None:
    """``"es"``, ``"en"`` or ``None`` (too little text to tell)."""
    words = _WORD.findall(text.lower())
    if len(words) < min_words:
        return None
    es = sum(1 for w in words if w in _ES)
    en = sum(1 for w in words if w in _EN)
    if es == en == 0:
        return None
    return "es" if es >= en else "en"
