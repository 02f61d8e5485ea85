"""Clean-up of text extracted from PDFs before NLP and indexing."""

from __future__ import annotations

import functools
import importlib
import re
import unicodedata

# "eviden-\ncia" -> "evidencia": a lowercase letter, a hyphen at the end of a
# line, and a lowercase letter starting the next one. Capitalised continuations
# ("Lima-\nCallao") are real hyphenated compounds and stay.
_HYPHEN_BREAK = re.compile(r"(?<=[a-záéíóúüñ])-[ \t]*\n[ \t]*(?=[a-záéíóúüñ])")
# pdfium marks soft hyphens at line ends with U+FFFE; U+00AD is the soft hyphen.
_SOFT_HYPHEN = re.compile(r"[\ufffe\u00ad][ \t]*\n?[ \t]*")
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
