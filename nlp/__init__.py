"""Language knowledge of docsearch: text clean-up and named entities.

``nlp`` imports nothing else of docsearch: text goes in, small dataclasses
come out. The spaCy pipeline is loaded lazily, once per process.
"""

from nlp.ner import Entity, entities_for_pages, model_info
from nlp.text import clean_page_text, looks_like_garbage

__all__ = ["Entity", "entities_for_pages", "model_info", "clean_page_text", "looks_like_garbage"]
