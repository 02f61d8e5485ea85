"""Organisations that are not institutions: companies (``org``, by their legal form), criminal
organisations (``criminal_org``, by how case files name them: la organización criminal «Los Topos de la
Chalaca», la banda Los Malditos de Bayóvar, el clan Sánchez Paredes, plus a short list of well-known ones in
``nlp/data/organizations.json``), and named police or prosecutorial operations (``operation``: Operación
«Tormenta del Norte»).

The statistical models tag almost any capitalised heading as an organisation on legal text; these
patterns are precise instead, and their output replaces the model's organisations.
"""

from __future__ import annotations

import functools
import re

from nlp.resources import load_json
from nlp.types import Mention

_WORD = r"(?:[A-ZÁÉÍÓÚÑÜ][\wÁÉÍÓÚÑÜáéíóúñü'’-]*|\d{1,4}|&)"
_LINK = r"(?:de|del|la|las|los|el|y|e|&|en)"
_NAME = rf"{_WORD}(?:[ \t]+(?:{_LINK}[ \t]+)*{_WORD}){{0,8}}"
_QUOTES = {"«": "»", '"': '"', "“": "”", "'": "'"}
_CRIMINAL_CUES = (r"organizaci[oó]n(?:es)? criminal(?:es)?|banda(?:s)?(?: criminal(?:es)?)?|pandilla|c[aá]rtel|"
                  r"red(?:es)? criminal(?:es)?|criminal organi[sz]ation|gang")
_OPERATION = re.compile(
    rf"\b(?:[Oo]peraci[oó]n|OPERACI[OÓ]N|[Oo]perativo|OPERATIVO|[Oo]peration|OPERATION|Op\.)[ \t]+"
    rf"(?:(?P<open>[«\"“'])(?P<quoted>[^«»\"“”'\n]{{2,60}}(?:\n[^«»\"“”'\n]{{1,40}})?)[»\"”']|(?P<name>{_NAME}))")


@functools.cache
def _patterns() -> dict:
    data = load_json("organizations.json")
    suffixes = "|".join(re.escape(s).replace(r"\.", r"\.?") for s in sorted(data["legal_forms"], key=len, reverse=True))
    cues = "|".join(sorted(data["criminal_cues"], key=len, reverse=True))
    known = "|".join(re.escape(k) for k in sorted(data["known"], key=len, reverse=True))
    return {
        "company": re.compile(rf"\b(?P<name>{_NAME}),?[ \t]+(?P<form>{suffixes})(?=[\s,;:)»\"”]|$)"),
        "criminal": re.compile(
            rf"\b(?:{cues})[ \t\n]+(?:(?:denominad[oa]s?|conocid[oa]s? como|autodenominad[oa]s?)[ \t\n]+)?"
            rf"(?P<open>[«\"“'])(?P<name>[^«»\"“”'\n]{{2,80}}(?:\n[^«»\"“”'\n]{{1,60}})?)[»\"”']", re.IGNORECASE),
        "known": re.compile(rf"\b(?P<name>{known})\b") if known else None,
        # Without quotes, only after a cue that says "criminal": a name led by its article (la banda criminal
        # Los Malditos de Bayóvar), or surnames after "clan" (el clan Sánchez Paredes: the cue is part of it).
        "bare": re.compile(
            rf"\b(?i:{_CRIMINAL_CUES})[ \t\n]+(?i:(?:denominad[oa]s?|conocid[oa]s? como|autodenominad[oa]s?)[ \t\n]+)?"
            rf"(?P<name>(?:Los|Las|El|La|LOS|LAS)[ \t]+{_NAME})"),
        "clan": re.compile(rf"\b(?P<cue>[Cc]lan|CLAN)[ \t]+(?P<name>(?!(?:Los|Las|El|La|de|del)\b){_NAME})"),
        "forms": {s.replace(".", "").lower(): s for s in data["legal_forms"]},
    }


def _company(match: re.Match, forms: dict) -> str:
    form = forms.get(match.group("form").replace(".", "").lower(), match.group("form"))
    name = " ".join(match.group("name").split())
    # A name never starts with a connective swallowed from the sentence ("y", "la", "de").
    return f"{name} {form}"


def find_organizations(text: str) -> list[Mention]:
    """Companies, criminal organisations and well-known organisations in ``text``."""
    patterns = _patterns()
    found: list[Mention] = []
    for match in patterns["company"].finditer(text):
        found.append(Mention("org", _company(match, patterns["forms"]), match.group(0), match.start(), match.end()))
    for match in patterns["criminal"].finditer(text):
        name = " ".join(match.group("name").split())
        if name[:1].isupper():
            found.append(Mention("criminal_org", name, match.group("name"), match.start("name"), match.end("name")))
    for match in patterns["bare"].finditer(text):
        name = _trimmed(match.group("name"))
        if len(name.split()) >= 2:
            found.append(Mention("criminal_org", name, match.group("name"), match.start("name"),
                                 match.start("name") + len(name)))
    for match in patterns["clan"].finditer(text):
        name = _trimmed(match.group("name"))
        found.append(Mention("criminal_org", f"Clan {name}", match.group(0), match.start(), match.start("name") + len(name)))
    if patterns["known"] is not None:
        for match in patterns["known"].finditer(text):
            found.append(Mention("criminal_org", match.group("name"), match.group(0), match.start(), match.end()))
    return found


# Words a capitalised run may end on that are the sentence's, not the name's.
_TAIL = re.compile(r"(?:[ \t]+(?:de|del|la|las|los|el|y|e|&|en))+$")


def _trimmed(name: str) -> str:
    return _TAIL.sub("", " ".join(name.split()))


def find_operations(text: str) -> list[Mention]:
    """Named police or prosecutorial operations: ``Operación «Tormenta del Norte»``, ``el operativo "Gran
    Cóndor"``, ``Operation Tormenta``; canonical ``Operación <name>`` whatever the text calls it. A generic
    operativo (``el operativo policial``) has no capitalised name and is left out."""
    found = []
    for match in _OPERATION.finditer(text):
        name = match.group("quoted") or match.group("name") or ""
        name = _trimmed(name.strip())
        if not name or not name[:1].isupper() or name.split()[0].lower() in _NOT_NAMES:
            continue
        found.append(Mention("operation", f"Operación {name}", match.group(0), match.start(), match.end()))
    return found


# Capitalised words that follow "Operación" without naming one (a heading, a date, an institution).
_NOT_NAMES = frozenset({"policial", "conjunta", "de", "del", "n", "nº", "n°", "no", "fiscal", "antidrogas"})
