"""The small types ``nlp`` hands out. Nothing here imports the rest of docsearch."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Entity types, in facet order (see docs/entities.md for the canonical form of each).
ENTITY_TYPES = ("per", "org", "criminal_org", "operation", "loc", "address", "institution", "case", "law", "ref", "drug", "money", "dni", "ruc", "date", "misc")


@dataclass(frozen=True)
class Mention:
    """One entity mention in a text: its type, canonical form, the words as written, and where."""

    type: str
    canonical: str
    surface: str
    start: int
    end: int


@dataclass(frozen=True)
class Metadata:
    """What :func:`nlp.metadata.infer_metadata` reads in a document.

    ``doc_type`` is always one of the labels of ``doc_types.json`` (``otro`` when no cue speaks);
    ``institution`` and ``year`` are ``None`` when the text does not say. ``topics`` are the labels of
    ``topics.json``, strongest first; ``signals`` says, in short strings, why each value was chosen.
    """

    doc_type: str
    institution: str | None = None
    year: int | None = None
    topics: tuple[str, ...] = ()
    signals: Mapping[str, object] = field(default_factory=dict)
