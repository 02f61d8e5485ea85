"""Language knowledge of docsearch: text clean-up, language, entities, metadata.

``nlp`` imports nothing else of docsearch: text goes in, small dataclasses come out
(``nlp.types``). Models and pattern tables load lazily, once per process.
"""

from nlp.text import clean_page_text, looks_like_garbage
from nlp.types import ENTITY_TYPES, Mention

__all__ = ["ENTITY_TYPES", "Mention", "clean_page_text", "looks_like_garbage"]
