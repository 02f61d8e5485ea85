"""Language of a text (Spanish or English) with py3langid, a langid.py model shipped in its package.

The classifier is restricted to the languages docsearch has pipelines for. Texts too short to judge
answer ``None``; callers then use the document's language, or Spanish.
"""

from __future__ import annotations

import functools
import re

from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

SUPPORTED = ("es", "en")
MIN_LETTERS = 40

_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


@functools.cache
def _model() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(SUPPORTED))
    return identifier


def detect_language(text: str) -> str | None:
    """``"es"``, ``"en"`` or ``None`` when the text has too few letters to tell."""
    if len(_LETTERS.findall(text[:5000])) < MIN_LETTERS:
        return None
    language, _ = _model().classify(text[:20000])
    return language


def page_languages(pages: list[str]) -> tuple[str, list[str]]:
    """The document's language and each page's: pages too short to judge take the document's."""
    document = detect_language("\n".join(pages)[:20000]) or "es"
    return document, [detect_language(page) or document for page in pages]
