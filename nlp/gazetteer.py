"""Gazetteer of institutions and drugs: fixed names found in text by their aliases.

The names and their aliases live in ``nlp/data/institutions.jsonl`` and
``nlp/data/drugs.jsonl`` (one JSON object a line: ``canonical``, ``kind``,
``aliases`` and, for drugs, optional ``context_aliases``). The canonical forms
are the ones of ``docs/entities.md``. Every entry's kind is one of
``INSTITUTION_KINDS`` or ``DRUG_KINDS`` (a line with another kind is refused
with its line number), and an alias names one entry only.

How aliases are matched, and the precision rules (acronyms in capitals only,
context aliases, a name merged with its own acronym in parentheses, the
``PNP`` suffixes of police units), are in :mod:`nlp.gazetteer_matching`.

The data and the compiled expressions are loaded once per process, lazily.
"""

from __future__ import annotations

import functools

from nlp.gazetteer_matching import Gazetteer, GazetteerEntry
from nlp.resources import DATA_DIR, load_jsonl
from nlp.types import Mention

INSTITUTIONS_FILE = DATA_DIR / "institutions.jsonl"
DRUGS_FILE = DATA_DIR / "drugs.jsonl"

INSTITUTION_KINDS = ("court", "prosecutor", "police", "agency")
DRUG_KINDS = ("drug", "plant", "chemical", "category")


def _entries(name: str, kinds: tuple[str, ...]) -> list[GazetteerEntry]:
    entries = []
    for number, obj in load_jsonl(name):
        if obj["kind"] not in kinds:
            raise ValueError(f"{name}:{number}: kind {obj['kind']!r} is not one of {kinds}")
        aliases = [obj["canonical"], *obj.get("aliases", [])]
        entries.append(GazetteerEntry(obj["canonical"], obj["kind"], tuple(dict.fromkeys(aliases)),
                                      tuple(obj.get("context_aliases", ()))))
    return entries


@functools.cache
def _gazetteer(name: str) -> Gazetteer:
    if name == "institution":
        return Gazetteer(_entries(INSTITUTIONS_FILE.name, INSTITUTION_KINDS), "institution")
    return Gazetteer(_entries(DRUGS_FILE.name, DRUG_KINDS), "drug")


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def find_institutions(text: str) -> list[Mention]:
    """Institution mentions (type ``institution``) in ``text``, in text order."""
    return _gazetteer("institution").find(text)


def find_drugs(text: str) -> list[Mention]:
    """Drug and chemical-input mentions (type ``drug``) in ``text``, in text order."""
    return _gazetteer("drug").find(text)


# Broad names: a more specific institution in the same string is the better answer.
GENERIC_INSTITUTIONS = frozenset({
    "Poder Judicial", "Corte Suprema de Justicia", "Ministerio Público", "Fiscalía de la Nación",
    "Policía Nacional del Perú",
})


def canonical_institution(text: str) -> str | None:
    """The institution a whole string names (a court field, a PDF author, a letterhead line).

    An exact alias first; otherwise the first specific institution the string mentions
    (``Corte Suprema de Justicia de la República – Sala Penal Permanente`` → ``Sala Penal
    Permanente``; ``Policía Nacional del Perú – DIRANDRO`` → ``DIRANDRO``), else the first
    broad one; ``None`` when it names none.
    """
    if not text or not text.strip():
        return None
    gazetteer = _gazetteer("institution")
    exact = gazetteer.canonical_of(text)
    if exact is not None:
        return exact
    mentions = gazetteer.find(text)
    for mention in mentions:
        if mention.canonical not in GENERIC_INSTITUTIONS:
            return mention.canonical
    return mentions[0].canonical if mentions else None


def institutions() -> list[GazetteerEntry]:
    """All institutions of the gazetteer (for facets and documentation)."""
    return list(_gazetteer("institution").entries)


def drugs() -> list[GazetteerEntry]:
    """All drugs and chemical inputs of the gazetteer."""
    return list(_gazetteer("drug").entries)


def institution_kind(canonical: str) -> str | None:
    """``court``, ``prosecutor``, ``police`` or ``agency`` for a canonical institution name."""
    entry = _gazetteer("institution").by_canonical.get(canonical)
    return entry.kind if entry else None


def drug_kind(canonical: str) -> str | None:
    """``drug``, ``plant``, ``chemical`` or ``category`` for a canonical drug name."""
    entry = _gazetteer("drug").by_canonical.get(canonical)
    return entry.kind if entry else None
