"""What lets a name found in two documents be recognised as one person, company or criminal organisation.

Two pure pieces that ``docsearch.identities`` builds the archive's entity store on:

- :func:`name_keys`: the keys under which a canonical form is compared with the names already known. The first
  is the *full* key (every word of the name, accents and case folded; for a person in any order, so
  ``PEREZ GOMEZ, Juan`` meets ``Juan Pérez Gómez``); the others are *reduced* keys that a shorter spelling of the
  same name shares: a person's name without its second given name (``Juan Carlos Pérez Gómez`` →
  ``Juan Pérez Gómez``), a company without its legal form (``Costa Verde S.A.C.`` → ``Costa Verde``).
- :func:`links`: what a document says about who a name is: the DNI printed after a person's name
  (``Juan Pérez Gómez, identificado con DNI N° 43817265``), the RUC after a company's, and the alias a person is
  known by (``Juan Pérez Gómez, alias «Chato Miguel»``), read from the mentions' offsets on one page.

Particles (``de``, ``del``, ``la``…) and initials are left out of a person's keys: ``María de los Ángeles Ruiz``
and ``María Ángeles Ruiz`` are written both ways by different offices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlp.resources import load_json
from nlp.text import fold
from nlp.types import Mention

#: The entity types that get one identity across the archive; the others are identified by their canonical
#: form already (a case or law number, an amount, an operation's name).
RESOLVED_TYPES = ("per", "org", "criminal_org")

PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "e", "da", "do", "dos", "van", "von", "san"})
_ARTICLES = ("los ", "las ", "el ", "la ")
_WORD = re.compile(r"[^\W\d_]+")
# How far after a name its DNI, RUC or alias is still read as its own (``, identificado con DNI N° …``).
DNI_REACH = 90
ALIAS_REACH = 30
_ALIAS_CUE = re.compile(r"(?i)\balias\b|\bconocid[oa] como\b|\(a\)")


def _legal_forms() -> tuple[str, ...]:
    forms = load_json("organizations.json")["legal_forms"]
    return tuple(sorted({re.sub(r"[^a-z]", "", fold(f)) for f in forms}, key=len, reverse=True))


def _words(name: str) -> list[str]:
    return _WORD.findall(fold(name))


def _person_words(name: str) -> list[str]:
    """A person's words, given names first (``PEREZ GOMEZ, Juan`` is written surnames first), without particles
    and initials."""
    surnames, comma, given = name.partition(",")
    ordered = f"{given} {surnames}" if comma else name
    return [w for w in _words(ordered) if w not in PARTICLES and len(w) > 1]


def person_keys(name: str) -> list[str]:
    """The full key (words in any order) and, for a name of two given names and two surnames, the key without
    the second given name."""
    words = _person_words(name)
    if not words:
        return []
    keys = [" ".join(sorted(words))]
    if len(words) == 4:
        keys.append(" ".join(sorted(words[:1] + words[2:])))
    return keys


def org_keys(name: str) -> list[str]:
    """The full key (words in order, the legal form written as letters only: ``S.A.C.`` and ``SAC`` are one) and
    the key without the legal form."""
    text = fold(name)
    forms = _legal_forms()
    compact = re.sub(r"[^a-z0-9 ]", "", re.sub(r"\.\s*(?=[a-z]\.)", ".", text))
    words = compact.split()
    if not words:
        return []
    keys = [" ".join(words)]
    if len(words) > 1 and words[-1] in forms:
        keys.append(" ".join(words[:-1]))
    return keys


def criminal_org_keys(name: str) -> list[str]:
    """One key: the words in order without a leading article (``Los Injertos`` and ``Injertos`` are one band)."""
    text = " ".join(_WORD.findall(fold(name)) or [])
    for article in _ARTICLES:
        if text.startswith(article):
            text = text[len(article):]
            break
    return [text] if text else []


def name_keys(kind: str, name: str) -> list[str]:
    """:func:`person_keys`, :func:`org_keys` or :func:`criminal_org_keys` by entity type; the full key first."""
    if kind == "per":
        return person_keys(name)
    if kind == "org":
        return org_keys(name)
    if kind == "criminal_org":
        return criminal_org_keys(name)
    raise ValueError(f"{kind} entities are not resolved across documents")


def middle_name(name: str) -> str | None:
    """A person's second given name when the name has two given names and two surnames (what tells two
    brothers ``Juan Carlos`` and ``Juan Alberto Pérez Gómez`` apart)."""
    words = _person_words(name)
    return words[1] if len(words) == 4 else None


@dataclass
class Links:
    """What one document says about its names: ``{(type, canonical): value}``."""

    dni: dict[tuple[str, str], str] = field(default_factory=dict)
    ruc: dict[tuple[str, str], str] = field(default_factory=dict)
    alias_of: dict[str, str] = field(default_factory=dict)  # alias canonical -> the person's canonical


def links(pages: list[list[Mention]], texts: list[str]) -> Links:
    """The DNI, RUC and aliases a document ties to its names, page by page: the number or alias that follows a
    name closely, with no other name of its kind between them. A name given two different numbers in one
    document keeps neither (the document is not clear about who is who)."""
    found = Links()
    conflicting: set[tuple[str, str, str]] = set()
    for mentions, text in zip(pages, texts):
        ordered = sorted(mentions, key=lambda m: m.start)
        for i, mention in enumerate(ordered):
            if mention.type not in ("per", "org"):
                continue
            if mention.canonical in found.alias_of:
                continue  # an alias: its number, if any, was read for the name it stands for
            number_type = "dni" if mention.type == "per" else "ruc"
            last, numbered = mention.end, False
            # ``Name, alias «…», con DNI N° …`` and ``Name, con DNI N° …, alias «…»``: both follow the name.
            for later in ordered[i + 1:]:
                if later.start - last > DNI_REACH:
                    break
                if later.type == mention.type:
                    if (mention.type == "per" and later.start - last <= ALIAS_REACH
                            and _ALIAS_CUE.search(text[last:later.start])):
                        found.alias_of.setdefault(later.canonical, mention.canonical)
                        last = later.end
                        continue
                    break
                if later.type == number_type and not numbered:
                    target = getattr(found, number_type)
                    key = (mention.type, mention.canonical)
                    if target.get(key, later.canonical) != later.canonical:
                        conflicting.add((number_type, *key))
                    target.setdefault(key, later.canonical)
                    last, numbered = later.end, True
    for number_type, kind, canonical in conflicting:
        getattr(found, number_type).pop((kind, canonical), None)
    found.alias_of = {alias: person for alias, person in found.alias_of.items() if alias != person}
    return found
