"""The small types ``nlp`` hands out. Nothing here imports the rest of docsearch."""

from __future__ import annotations

from dataclasses import dataclass

# Entity types, in facet order (see docs/entities.md for the canonical form of each).
ENTITY_TYPES = ("per", "org", "loc", "institution", "case", "law", "drug", "money", "dni", "ruc", "date", "misc")


@dataclass(frozen=True)
class Mention:
    """One entity mention in a text: its type, canonical form, the words as written, and where."""

    type: str
    canonical: str
    surface: str
    start: int
    end: int
